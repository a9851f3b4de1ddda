"""Demo meetings: the ward started on dangbo in August with six pilot cells, the rest from November."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangbo.accounts.models import User
from dangbo.meetings import actions, visits
from dangbo.meetings.models import Attendance, Meeting, Vote
from dangbo.members.models import Member

HELD_MONTHS = (8, 9, 10)
HELD_CELLS = 6


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_meetings(ward, *, by, year=2026, seed=2026):
    """Plans for every cell; in the first cells, meetings held with attendance, a vote and locked minutes."""
    rnd = random.Random(seed)
    cells = list(ward.descendants().cells().active().order_by("code"))
    for index, cell in enumerate(cells):
        start = HELD_MONTHS[0] if index < HELD_CELLS else HELD_MONTHS[-1] + 1
        actions.generate_year_plan(cell, year=year, by=by, from_month=start,
                                   place=f"Hội trường {cell.name.removeprefix('Chi bộ ')}")
    secretary = User.objects.filter(role_assignments__organization=ward, role_assignments__role="secretary").first()
    if secretary:
        for cell in cells[:3]:
            visits.assign_leader(ward, leader=secretary, cell=cell, starts_on=date(year, 1, 1), by=by)
    for cell in cells[:HELD_CELLS]:
        for month in HELD_MONTHS:
            meeting = (Meeting.objects.filter(organization=cell, year=year, month=month)
                       .exclude(state=Meeting.State.CANCELLED).order_by("scheduled_at").first())
            if meeting:
                _hold(meeting, rnd, by=by, leader=secretary if cell in cells[:3] else None)


def _hold(meeting, rnd, *, by, leader):
    day = timezone.localdate(meeting.scheduled_at)
    if day >= timezone.localdate():
        return
    actions.notify_meeting(meeting, by=by)
    chair, minute_taker = Member.objects.filter(organization=meeting.organization, status="official").order_by("pk")[:2]
    actions.start_meeting(meeting, by=by, at=_at(day, 19, 30), chair=chair, minute_taker=minute_taker)
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
    for row in rows:
        roll = rnd.random()
        if row.member_id in (chair.pk, minute_taker.pk) or roll < 0.86:
            actions.mark_attendance(meeting, row.member, status=Attendance.Status.PRESENT, by=by)
        elif roll < 0.97:
            actions.mark_attendance(meeting, row.member, status=Attendance.Status.EXCUSED, by=by,
                                    reason=rnd.choice(["Ốm", "Đi công tác", "Việc gia đình"]))
        else:
            actions.mark_attendance(meeting, row.member, status=Attendance.Status.UNEXCUSED, by=by)
    item = actions.add_agenda_item(meeting, title=f"Nghị quyết sinh hoạt chi bộ tháng {meeting.month}", by=by,
                                   kind="resolution")
    voters = sum(1 for r in Attendance.objects.filter(meeting=meeting, status="present", kind="official"))
    actions.record_vote(item, question="Thông qua nghị quyết tháng", yes=voters, no=0, abstain=0,
                        rule=Vote.Rule.MAJORITY, by=by)
    if leader is not None:
        visits.record_visit(meeting, leader=leader, attended=True, by=by)
    actions.end_meeting(meeting, by=by, at=_at(day, 19, 30) + timedelta(minutes=rnd.choice([95, 105, 120, 125])))
    actions.save_minutes(meeting, by=by, chair=chair, minute_taker=minute_taker, opening="Đồng chí Bí thư tuyên bố lý do, giới thiệu đại biểu; "
                                                 "chi bộ thống nhất chương trình sinh hoạt.",
                         closing="Biên bản được đọc lại trước chi bộ và được thông qua.")
    actions.lock_minutes(meeting, by=by, read_back=True)

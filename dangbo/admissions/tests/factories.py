"""Builders for admissions tests: members, a candidate with a complete dossier, a held meeting."""

from datetime import date, datetime, time

from django.utils import timezone

from dangbo.admissions import actions
from dangbo.admissions.models import DossierKind, Introducer
from dangbo.members.actions import create_member

CELL_OFFICIALS = ["Trần Văn An", "Lê Thị Bình", "Phạm Văn Cường", "Hoàng Thị Dung", "Vũ Văn Em"]


def make_member(cell, name, *, by=None, status="official", admitted=date(2005, 3, 2), official=date(2006, 3, 2),
                sex="male", born=date(1975, 5, 5), **fields):
    return create_member(
        organization=cell, by=by, status=status, full_name=name, sex=sex, date_of_birth=born,
        admission_date=admitted, official_date=official if status == "official" else None, **fields,
    )


def make_officials(cell, names=CELL_OFFICIALS, by=None):
    return [make_member(cell, name, by=by) for name in names]


def propose(cell, by, *, name="Nguyễn Thị Hạnh", born=date(1998, 6, 15), sex="female", proposed_on=date(2024, 1, 10),
            **fields):
    fields.setdefault("lower_secondary_diploma", True)
    fields.setdefault("general_education", "12/12")
    fields.setdefault("youth_union_at_place", False)
    return actions.propose_candidate(organization=cell, proposed_on=proposed_on, by=by, full_name=name,
                                     date_of_birth=born, sex=sex, **fields)


def complete_dossier(candidate, by, introducers, *, on=date(2025, 9, 1), certificate_on=date(2025, 6, 20),
                     together_since=date(2023, 1, 1)):
    """Certificate, every paper and two member introducers, all dated ``on`` (the certificate earlier)."""
    actions.record_certificate(candidate, number="125/GCN", issued_on=certificate_on,
                               issuer="Trung tâm Chính trị thành phố Vinh", by=by)
    for kind in DossierKind.values:
        actions.record_dossier_item(candidate, kind=kind, dated_on=on, by=by)
    for member in introducers:
        actions.add_introducer(candidate, kind=Introducer.Kind.MEMBER, member=member, relation="residence",
                               together_since=together_since, letter_on=on, by=by)
    candidate.refresh_from_db()
    return candidate


def scheduled_meeting(cell, by, day, *, at=time(8, 0)):
    """An extraordinary meeting of ``cell`` on ``day`` (outside the year plan, so any month will do)."""
    from dangbo.meetings import actions as meeting_actions
    from dangbo.meetings.models import Meeting

    scheduled = timezone.make_aware(datetime.combine(day, at))
    return meeting_actions.schedule_meeting(cell, kind=Meeting.Kind.EXTRAORDINARY, scheduled_at=scheduled, by=by)


def start_with_everyone(meeting, by, absent=()):
    """Open the meeting at its scheduled time and mark everyone present but ``absent`` (names)."""
    from dangbo.meetings import actions as meeting_actions
    from dangbo.meetings.models import Attendance

    meeting_actions.start_meeting(meeting, by=by, at=meeting.scheduled_at)
    for row in Attendance.objects.filter(meeting=meeting).select_related("member"):
        status = Attendance.Status.UNEXCUSED if row.member.full_name in absent else Attendance.Status.PRESENT
        meeting_actions.mark_attendance(meeting, row.member, status=status, by=by)
    meeting.refresh_from_db()
    return meeting


def vote_in_cell(candidate, by, day, *, yes, no=0, recognition=False):
    """Put the case to a meeting on ``day``, hold it with everyone present and record the show of hands."""
    meeting = scheduled_meeting(candidate.organization, by, day)
    put = actions.put_recognition_to_vote if recognition else actions.put_to_cell_vote
    put(candidate, meeting=meeting, by=by)
    start_with_everyone(meeting, by)
    record = actions.record_recognition_result if recognition else actions.record_cell_result
    return record(candidate, yes=yes, no=no, abstain=0, by=by)

"""Reads for the meeting pages: plans, late cells, the roster, the vote base, a member's upcoming meetings.

Every function here reads; changes go through actions.py. Lists are built with a
fixed number of queries whatever the number of meetings or members.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.lib.dates import format_date
from dangbo.meetings.models import Attendance, Material, Meeting, VisitAssignment
from dangbo.members.models import Member, Transfer
from dangbo.organizations import access
from dangbo.organizations.models import Organization
from dangbo.rules.lookup import rule_or_none

# A local choice, not a regulation: minutes are read back and adopted at the
# meeting itself (DOMAIN §4.7), so a week is ample to type them up and lock them.
# After that the committee's overview shows the cell as late.
MINUTES_LOCK_DAYS = 7

KIND_ORDER = [Attendance.Kind.OFFICIAL, Attendance.Kind.PROBATIONARY, Attendance.Kind.EXEMPT,
              Attendance.Kind.TEMPORARY]
REGULAR_KINDS = (Meeting.Kind.REGULAR, Meeting.Kind.COMBINED)
THEMATIC_KINDS = (Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED)


def meeting_date(meeting):
    """The meeting's day in Vietnam's time: every rule is applied by this date."""
    return timezone.localdate(meeting.scheduled_at)


def quarter_of(month):
    return (month - 1) // 3 + 1




# ---------------------------------------------------------------- access

def access_meeting(user, pk, *, capability=access.READ):
    """A meeting within the user's scope (404 outside, 403 for a read-only writer).

    A member temporarily attached to the cell, who holds no role there, may read
    the meetings they are summoned to.
    """
    try:
        return access.access_object(user, Meeting.objects.all(), pk, capability=capability)
    except Http404:
        if capability != access.READ:
            raise
        meeting = Meeting.objects.select_related("organization").filter(pk=pk).first() if str(pk).isdigit() else None
        if meeting is not None and is_summoned(user, meeting):
            return meeting
        raise


def own_member(user):
    """The member record linked to ``user``'s account, or None."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_meetings_member"):
        user._meetings_member = Member.objects.select_related("organization").filter(user=user).first()
    return user._meetings_member


def is_summoned(user, meeting):
    """Whether ``user`` is a member the meeting summons: on its roster, or on the cell's roll."""
    member = own_member(user)
    if member is None:
        return False
    if member.organization_id == meeting.organization_id:
        return True
    return Attendance.objects.filter(meeting=meeting, member=member).exists()


def can_write(user, meeting):
    return access.can(user, meeting.organization, access.WRITE)


def can_see_roster(user, meeting):
    return access.can(user, meeting.organization, access.STAFF)


# ---------------------------------------------------------------- plan and late cells

@dataclass
class PlanRow:
    meeting: Meeting
    present: int = 0
    total: int = 0
    materials: int = 0
    late: list = field(default_factory=list)

    @property
    def steps_done(self):
        m = self.meeting
        return sum(bool(x) for x in (m.content_drafter_id and m.resolution_drafter_id, m.committee_agreed_on,
                                     m.notified_at, self.materials))


def plan(cell, year, *, today):
    """The cell's meetings of ``year``, with attendance and material counts, in three queries."""
    meetings = list(
        Meeting.objects.filter(organization=cell, year=year)
        .select_related("minutes").order_by("scheduled_at", "pk")
    )
    ids = [m.pk for m in meetings]
    counts = {
        row["meeting"]: row for row in
        Attendance.objects.filter(meeting__in=ids).order_by().values("meeting")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
    }
    materials = dict(
        Material.objects.filter(meeting__in=ids).order_by().values("meeting").annotate(n=Count("pk")).values_list("meeting", "n")
    )
    rows = []
    for m in meetings:
        c = counts.get(m.pk, {})
        rows.append(PlanRow(m, present=c.get("present", 0), total=c.get("total", 0), materials=materials.get(m.pk, 0),
                            late=late_reasons(m, today=today)))
    return rows


def _minutes_locked(meeting):
    try:
        return meeting.minutes.is_locked
    except Meeting.minutes.RelatedObjectDoesNotExist:
        return False


def late_reasons(meeting, *, today):
    """Why a meeting is late, as sentences; [] when it is on time.

    Late: the day has passed and the meeting is not recorded as held; or it was
    held more than MINUTES_LOCK_DAYS days ago and its minutes are not locked.
    """
    if meeting.state == Meeting.State.CANCELLED:
        return []
    day = meeting_date(meeting)
    if meeting.state != Meeting.State.HELD:
        if day < today:
            return [_("Quá ngày %(date)s chưa ghi nhận đã họp") % {"date": format_date(day)}]
        return []
    if not _minutes_locked(meeting) and today > day + timedelta(days=MINUTES_LOCK_DAYS):
        return [_("Họp ngày %(date)s, quá %(n)s ngày chưa khóa biên bản")
                % {"date": format_date(day), "n": MINUTES_LOCK_DAYS}]
    return []


def _month_gaps(meetings, year, today):
    """Months (ended, from the first planned one) without a regular meeting, and quarters without a thematic one."""
    if not meetings:
        return []
    first_month = min(m.month for m in meetings)
    reasons = []
    for month in range(first_month, 13):
        month_end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        if month_end >= today:
            break
        if not any(m.month == month and m.kind in REGULAR_KINDS and m.state != Meeting.State.CANCELLED
                   for m in meetings):
            reasons.append(_("Tháng %(m)s/%(y)s không có buổi sinh hoạt thường kỳ") % {"m": month, "y": year})
    for quarter in range(quarter_of(first_month), 5):
        last_month = quarter * 3
        quarter_end = date(year + last_month // 12, last_month % 12 + 1, 1) - timedelta(days=1)
        if quarter_end >= today or (quarter - 1) * 3 + 1 < first_month:
            continue
        # Hướng dẫn 12-HD/BTCTW (DOMAIN §4.3): a thematic meeting at least once a quarter.
        needed = rule_or_none("meeting.thematic_per_quarter_min", quarter_end) or 0
        held = sum(1 for m in meetings if quarter_of(m.month) == quarter and m.kind in THEMATIC_KINDS
                   and m.state == Meeting.State.HELD)
        if held < needed:
            reasons.append(_("Quý %(q)s/%(y)s chưa đủ %(n)s buổi sinh hoạt chuyên đề") % {"q": quarter, "y": year,
                                                                                       "n": needed})
    return reasons


@dataclass
class CellPlan:
    cell: Organization
    by_month: list
    late: list

    @property
    def has_plan(self):
        return any(self.by_month)


def overview(committee, year, *, today):
    """Every cell under ``committee``: its meetings of ``year`` by month and why it is late. Two queries."""
    cells = list(Organization.objects.cells().within(committee).filter(
        Q(active_from__isnull=True) | Q(active_from__year__lte=year),
        Q(active_to__isnull=True) | Q(active_to__year__gte=year),
    ).order_by("search_key", "pk"))
    by_cell = defaultdict(list)
    for m in (Meeting.objects.filter(organization__in=cells, year=year).select_related("minutes")
              .order_by("scheduled_at", "pk")):
        by_cell[m.organization_id].append(m)
    result = []
    for cell in cells:
        meetings = by_cell.get(cell.pk, [])
        months = defaultdict(list)
        late = []
        for m in meetings:
            months[m.month].append(m)
            m.late = late_reasons(m, today=today)
            late += m.late
        if not meetings and year <= today.year:
            late.append(_("Chưa lập kế hoạch sinh hoạt năm %(y)s") % {"y": year})
        late += _month_gaps(meetings, year, today)
        result.append(CellPlan(cell, [months.get(month, []) for month in range(1, 13)], late))
    return result


# ---------------------------------------------------------------- roster and vote base

def roster(meeting):
    """The attendance rows, officials first, then probationary, exempt and temporarily attached; by name."""
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by())
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    rows.sort(key=lambda r: (order.get(r.kind, 9), r.member.search_key, r.member_id))
    return rows


def temporarily_away_ids(cell, on):
    """Members of ``cell``'s roll whose party activity is temporarily elsewhere on ``on`` (294-QĐ/TW §6.3)."""
    return set(
        Transfer.objects.filter(kind=Transfer.Kind.TEMPORARY, member__organization=cell, presented_on__lte=on)
        .filter(Q(state=Transfer.State.COMPLETED) | Q(state=Transfer.State.ENDED, ended_on__gte=on))
        .order_by().values_list("member_id", flat=True)
    )


def is_official_row(row, on):
    """Whether the row is an official member's: exempt members count by their own standing (official_date)."""
    if row.kind == Attendance.Kind.OFFICIAL:
        return True
    if row.kind == Attendance.Kind.EXEMPT:
        return row.member.official_date is not None and row.member.official_date <= on
    return False


@dataclass
class VoteBase:
    """The base of a cell's vote and how it was reached (Quy định 294-QĐ/TW §9.3; DOMAIN §4.8)."""

    summoned: int = 0
    away: int = 0
    exempt_absent: int = 0
    suspended: int = 0
    approved_absent: int = 0
    voters: int = 0
    unmarked: int = 0

    @property
    def base(self):
        return self.summoned - self.away - self.exempt_absent - self.suspended - self.approved_absent

    def breakdown(self):
        """"12 = 15 chính thức được triệu tập − 1 chuyển sinh hoạt tạm thời − ..." (only the non-zero terms)."""
        parts = [_("%(n)s đảng viên chính thức được triệu tập") % {"n": self.summoned}]
        for n, label in ((self.away, _("chuyển sinh hoạt tạm thời nơi khác")),
                         (self.exempt_absent, _("miễn sinh hoạt và vắng")),
                         (self.suspended, _("đình chỉ sinh hoạt, bị truy tố, tạm giam")),
                         (self.approved_absent, _("vắng cả buổi được cấp ủy đồng ý"))):
            if n:
                parts.append(f"{n} {label}")
        return f"{self.base} = " + " − ".join(parts)


def vote_base(meeting, rows=None, away_ids=None):
    """Count the base from the attendance rows.

    Quy định 294-QĐ/TW §9.3 (DOMAIN §4.8): official members summoned, minus those
    temporarily transferred elsewhere, exempt members who are absent (an exempt
    member who attends counts), members suspended, prosecuted or detained, and
    official members absent for the whole meeting with the committee's approval.
    Each member leaves the base for one reason at most. Voters are the official
    members present who are not excluded (Điều lệ Điều 3: probationary members do
    not vote; members temporarily attached vote where they are counted, at home).
    """
    on = meeting_date(meeting)
    rows = roster(meeting) if rows is None else rows
    away_ids = temporarily_away_ids(meeting.organization, on) if away_ids is None else away_ids
    result = VoteBase()
    for row in rows:
        if row.status == Attendance.Status.UNKNOWN:
            result.unmarked += 1
        if not is_official_row(row, on):
            continue
        result.summoned += 1
        present = row.status == Attendance.Status.PRESENT
        if row.member_id in away_ids:
            result.away += 1
        elif row.suspended:
            result.suspended += 1
        elif row.kind == Attendance.Kind.EXEMPT and not present:
            result.exempt_absent += 1
        elif row.approved_absence and not present:
            result.approved_absent += 1
        elif present:
            result.voters += 1
    return result


@dataclass
class KindCount:
    kind: str
    label: str
    total: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    unknown: int = 0


@dataclass
class AttendanceSummary:
    by_kind: list
    total: int
    present: int
    excused: list
    unexcused: list
    unknown: int
    late: list
    early: list
    base: VoteBase
    away_ids: set

    @property
    def absent(self):
        return len(self.excused) + len(self.unexcused)


def attendance_summary(meeting, rows=None):
    """Counts by kind and status, absentees, late arrivals and early leavers, and the vote base (DOMAIN §4.7)."""
    rows = roster(meeting) if rows is None else rows
    away_ids = temporarily_away_ids(meeting.organization, meeting_date(meeting))
    counts = {k: KindCount(k, label) for k, label in Attendance.Kind.choices}
    for row in rows:
        c = counts[row.kind]
        c.total += 1
        if row.status == Attendance.Status.PRESENT:
            c.present += 1
        elif row.status == Attendance.Status.EXCUSED:
            c.excused += 1
        elif row.status == Attendance.Status.UNEXCUSED:
            c.unexcused += 1
        else:
            c.unknown += 1
    return AttendanceSummary(
        by_kind=[counts[k] for k in KIND_ORDER if counts[k].total],
        total=len(rows),
        present=sum(c.present for c in counts.values()),
        excused=[r for r in rows if r.status == Attendance.Status.EXCUSED],
        unexcused=[r for r in rows if r.status == Attendance.Status.UNEXCUSED],
        unknown=sum(c.unknown for c in counts.values()),
        late=[r for r in rows if r.status == Attendance.Status.PRESENT and r.arrived_at],
        early=[r for r in rows if r.status == Attendance.Status.PRESENT and r.left_at],
        base=vote_base(meeting, rows, away_ids),
        away_ids=away_ids,
    )


# ---------------------------------------------------------------- warnings shown, never blocking

def minimum_minutes(meeting, on):
    """The minimum length of ``meeting`` on ``on`` (HD 42-HD/BTCTW 2025, DOMAIN §4.4), or None.

    HD 42 sets the length of the monthly meeting (and of the combined session),
    so an extraordinary meeting has none; before HD 42 no rule is in force.
    """
    if meeting.kind == Meeting.Kind.EXTRAORDINARY:
        return None
    key = "meeting.combined_min_minutes" if meeting.kind == Meeting.Kind.COMBINED else "meeting.min_minutes"
    return rule_or_none(key, on, meeting.organization)


def duration_warning(meeting):
    """A sentence when the meeting was shorter than the rule's minimum, else "".

    Hướng dẫn 42-HD/BTCTW 2025 (DOMAIN §4.4): at least 90 minutes, 120 when the
    regular and thematic meetings are held in one session; applied by the meeting's date.
    """
    minutes = meeting.duration_minutes
    if minutes is None:
        return ""
    minimum = minimum_minutes(meeting, meeting_date(meeting))
    if minimum is None or minutes >= minimum:
        return ""
    return _("Buổi sinh hoạt kéo dài %(n)s phút, ít hơn thời lượng tối thiểu %(min)s phút (Hướng dẫn 42-HD/BTCTW).") % {
        "n": minutes, "min": minimum}


def materials_deadline(meeting):
    """The last day to post materials: the rule's days before the meeting (HD 42-HD/BTCTW, DOMAIN §4.5)."""
    days = rule_or_none("meeting.materials_days_before", meeting_date(meeting), meeting.organization)
    return None if days is None else meeting_date(meeting) - timedelta(days=days)


def materials_warning(meeting, materials, *, today):
    deadline = materials_deadline(meeting)
    if deadline is None or meeting.state in (Meeting.State.CANCELLED, Meeting.State.HELD):
        return ""
    if not materials:
        if today >= deadline:
            return _("Chưa đăng tài liệu; phải đăng chậm nhất ngày %(d)s (Hướng dẫn 42-HD/BTCTW).") % {
                "d": format_date(deadline)}
        return ""
    first = min(timezone.localdate(m.published_at) for m in materials)
    if first > deadline:
        return _("Tài liệu đăng ngày %(p)s, muộn hơn hạn %(d)s (Hướng dẫn 42-HD/BTCTW).") % {
            "p": format_date(first), "d": format_date(deadline)}
    return ""


def quorum_warning(summary):
    """DOMAIN §4.10: no attendance quorum for ordinary meetings, so warn only, when no resolution could pass."""
    base = summary.base
    if base.base and base.voters * 2 <= base.base:
        return _("Số đảng viên chính thức có mặt biểu quyết được (%(v)s) không quá một nửa số tính (%(b)s): "
                 "không nghị quyết nào có thể được thông qua.") % {"v": base.voters, "b": base.base}
    return ""


@dataclass
class Step:
    label: str
    done: bool
    detail: str = ""


def preparation_steps(meeting, materials):
    """The HD 42-HD/BTCTW preparation steps (DOMAIN §4.5) and whether each is done."""
    m = meeting
    drafters = ""
    if m.content_drafter_id or m.resolution_drafter_id:
        drafters = _("Nội dung: %(a)s; nghị quyết: %(b)s") % {
            "a": m.content_drafter or "—", "b": m.resolution_drafter or "—"}
    return [
        Step(_("Phân công dự thảo nội dung và nghị quyết"), bool(m.content_drafter_id and m.resolution_drafter_id),
             drafters),
        Step(_("Chi ủy (bí thư) thống nhất nội dung"), bool(m.committee_agreed_on),
             format_date(m.committee_agreed_on)),
        Step(_("Thông báo thời gian, địa điểm, nội dung đến đảng viên và cấp ủy viên phụ trách"), bool(m.notified_at),
             timezone.localtime(m.notified_at).strftime("%H:%M %d/%m/%Y") if m.notified_at else ""),
        Step(_("Đăng tài liệu cho đảng viên"), bool(materials),
             _("%(n)s tài liệu") % {"n": len(materials)} if materials else ""),
    ]


# ---------------------------------------------------------------- who is told, who sees what

def following_leaders(meeting):
    """Committee members assigned to follow the cell on the meeting's date (VisitAssignment)."""
    on = meeting_date(meeting)
    return [a.leader for a in VisitAssignment.objects.filter(cell=meeting.organization, starts_on__lte=on)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)).select_related("leader")]


def upcoming_for(user, *, today, recent_days=7):
    """Meetings a person was notified of: their own cell's, a cell they are attached to, cells they follow.

    Upcoming ones and those of the last ``recent_days`` days, with materials and
    the person's own attendance row; a fixed number of queries.
    """
    member = own_member(user)
    cells_q = Q(pk__in=[])
    if member is not None:
        cells_q |= Q(organization=member.organization_id) | Q(attendance__member=member)
        attached = Transfer.objects.filter(
            kind=Transfer.Kind.TEMPORARY, member=member, state=Transfer.State.COMPLETED, to_organization__isnull=False,
        ).values("to_organization")
        cells_q |= Q(organization__in=attached)
    followed = VisitAssignment.objects.filter(leader=user, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)).values("cell")
    cells_q |= Q(organization__in=followed)
    since = timezone.make_aware(datetime.combine(today - timedelta(days=recent_days), datetime.min.time()))
    meetings = list(
        Meeting.objects.filter(cells_q, notified_at__isnull=False, scheduled_at__gte=since)
        .exclude(state=Meeting.State.CANCELLED).select_related("organization")
        .prefetch_related("materials").distinct().order_by("scheduled_at", "pk")
    )
    mine = {}
    if member is not None:
        mine = {a.meeting_id: a for a in
                Attendance.objects.filter(member=member, meeting__in=[m.pk for m in meetings]).order_by()}
    for m in meetings:
        m.my_attendance = mine.get(m.pk)
    return meetings


def cell_members(cell):
    """Members on the cell's roll, for choosing drafters, chair and minute-taker."""
    return Member.objects.on_roll().filter(organization=cell).order_by("search_key", "pk")


# ---------------------------------------------------------------- the minutes

def minutes_context(meeting, minutes):
    """Everything the minutes record (DOMAIN §4.6–4.7), for the minutes tab and the PDF alike.

    Time and place; chair, minute-taker, guests; members present out of the total,
    split by kind; absentees by name with reasons; late arrivals and early
    leavers; each agenda item with its speakers by name, the chair's conclusion
    and the vote results; the closing; corrections made after locking.
    """
    rows = roster(meeting)
    summary = attendance_summary(meeting, rows)
    items = list(meeting.agenda.prefetch_related("speeches", "votes"))
    return {
        "meeting": meeting,
        "minutes": minutes,
        "day": meeting_date(meeting),
        "started": timezone.localtime(meeting.started_at) if meeting.started_at else None,
        "ended": timezone.localtime(meeting.ended_at) if meeting.ended_at else None,
        "summary": summary,
        "away": [r for r in summary.excused if r.member_id in summary.away_ids],
        "items": items,
        "corrections": list(minutes.corrections.all()) if minutes else [],
    }

"""Leaders attending cells (KH 82 model): assignments, visits, collected opinions, coverage.

A committee assigns its members (cấp ủy viên) to follow cells for a period; they
attend the cells' meetings (HD 42-HD/BTCTW 2025: the time, place and content are
notified to the superior committee member following the cell, DOMAIN §4.5), and
the opinions and recommendations they collect are kept for the feedback work.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.lib.dates import format_date
from dangbo.lib.vntext import nfc
from dangbo.meetings.models import CollectedOpinion, Meeting, MeetingVisit, VisitAssignment
from dangbo.meetings.stats import cells_in
from dangbo.members.models import Member
from dangbo.organizations import access
from dangbo.organizations.models import Organization

# The committee's elected members (cấp ủy viên) are the ones who follow cells.
LEADER_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER)
# KH 82 model: each committee member follows 2–3 cells. A local plan, not a
# regulation, so more is allowed with a warning, never blocked.
MAX_CELLS_PER_LEADER = 3


def _in_force_q(on, prefix=""):
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def _overlapping_q(starts_on, ends_on):
    """Assignments whose period meets [starts_on, ends_on] (an open end runs forever)."""
    q = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    if ends_on is not None:
        q &= Q(starts_on__lte=ends_on)
    return q


def assigned_leaders(cell, on):
    """Leaders assigned to follow ``cell`` on ``on``: HD 42-HD/BTCTW 2025 (DOMAIN §4.5) has the
    meeting's time, place and content notified to them."""
    return (
        User.objects.filter(visit_assignments__in=VisitAssignment.objects.filter(_in_force_q(on), cell=cell))
        .distinct()
        .order_by("full_name", "username")
    )


def committee_leaders(committee, on):
    """Users holding a leader role on ``committee`` itself on ``on``."""
    return (
        User.objects.filter(
            role_assignments__in=RoleAssignment.objects.in_force(on).filter(
                organization=committee, role__in=LEADER_ROLES
            )
        )
        .distinct()
        .order_by("full_name", "username")
    )


def is_leader_of(user, cell, on):
    """Whether ``user`` may attend ``cell``'s meetings as a leader on ``on``.

    Either assigned to the cell then, or holding a leader role on a committee above it.
    """
    if not user.is_authenticated:
        return False
    if VisitAssignment.objects.filter(_in_force_q(on), leader=user, cell=cell).exists():
        return True
    ancestors = [pk for pk in cell.ancestor_ids() if pk != cell.pk]
    return RoleAssignment.objects.in_force(on).filter(
        user=user, organization_id__in=ancestors, role__in=LEADER_ROLES
    ).exists()


def meeting_date(meeting):
    """The meeting's day in Vietnam's time, by which its rules and assignments are read."""
    return timezone.localdate(meeting.scheduled_at)


def eligible_leaders(meeting):
    """Leaders who may attend ``meeting``: assigned to the cell then, or leaders of a committee above."""
    on = meeting_date(meeting)
    cell = meeting.organization
    ancestors = [pk for pk in cell.ancestor_ids() if pk != cell.pk]
    roles = RoleAssignment.objects.in_force(on).filter(organization_id__in=ancestors, role__in=LEADER_ROLES)
    assigned = VisitAssignment.objects.filter(_in_force_q(on), cell=cell)
    return (
        User.objects.filter(Q(visit_assignments__in=assigned) | Q(role_assignments__in=roles))
        .distinct()
        .order_by("full_name", "username")
    )


def visitors(meeting):
    """Leaders recorded as attending ``meeting``: those who may have collected opinions there."""
    return User.objects.filter(
        pk__in=MeetingVisit.objects.filter(meeting=meeting, attended=True).values("leader")
    ).order_by("full_name", "username")


def can_record_visit(user, meeting):
    """A writer of the cell records any leader's visit; a leader records their own."""
    return access.can(user, meeting.organization, access.WRITE) or is_leader_of(
        user, meeting.organization, meeting_date(meeting)
    )


def leader_load(leader, *, starts_on, ends_on=None):
    """How many distinct cells ``leader`` follows at some time in the period."""
    qs = VisitAssignment.objects.filter(_overlapping_q(starts_on, ends_on), leader=leader)
    return qs.order_by().values("cell").distinct().count()


# ---------------------------------------------------------------- assignments

@transaction.atomic
def assign_leader(committee, *, leader, cell, starts_on, ends_on=None, by):
    """Assign a committee member to follow ``cell`` from ``starts_on`` (to ``ends_on``).

    Returns the assignment, with ``warnings`` (a list of messages) when the leader
    follows more cells than the KH 82 model suggests.
    """
    if not access.can(by, committee, access.MANAGE):
        raise PermissionDenied(_("Chỉ văn phòng, bí thư, phó bí thư đảng ủy phân công cấp ủy viên dự sinh hoạt."))
    if committee.kind != Organization.Kind.COMMITTEE:
        raise ValidationError(_("Chỉ đảng bộ mới phân công cấp ủy viên dự sinh hoạt chi bộ."))
    if not cell.is_cell or not cell.is_within(committee):
        raise ValidationError({"cell": _("%(cell)s không phải chi bộ trực thuộc %(committee)s.")
                               % {"cell": cell.name, "committee": committee.name}})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    if not committee_leaders(committee, starts_on).filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _(
            "%(name)s không phải cấp ủy viên của %(committee)s vào ngày %(on)s."
        ) % {"name": leader, "committee": committee.name, "on": format_date(starts_on)}})
    clash = VisitAssignment.objects.filter(_overlapping_q(starts_on, ends_on), leader=leader, cell=cell).first()
    if clash:
        raise ValidationError(_("%(name)s đã được phân công theo dõi %(cell)s từ %(start)s.")
                              % {"name": leader, "cell": cell.name, "start": format_date(clash.starts_on)})
    assignment = VisitAssignment.objects.create(
        committee=committee, leader=leader, cell=cell, starts_on=starts_on, ends_on=ends_on
    )
    assignment.warnings = []
    load = leader_load(leader, starts_on=starts_on, ends_on=ends_on)
    if load > MAX_CELLS_PER_LEADER:
        assignment.warnings.append(_(
            "%(name)s đang theo dõi %(count)d chi bộ, nhiều hơn %(max)d chi bộ theo mô hình KH 82."
        ) % {"name": leader, "count": load, "max": MAX_CELLS_PER_LEADER})
    return assignment


@transaction.atomic
def end_assignment(assignment, *, ends_on, by):
    """End an assignment on ``ends_on`` (the history keeps the earlier end, if any)."""
    if not access.can(by, assignment.committee, access.MANAGE):
        raise PermissionDenied(_("Chỉ văn phòng, bí thư, phó bí thư đảng ủy phân công cấp ủy viên dự sinh hoạt."))
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải từ ngày bắt đầu (%(start)s) trở đi.")
                               % {"start": format_date(assignment.starts_on)}})
    assignment.ends_on = ends_on
    assignment.save()
    return assignment


# ---------------------------------------------------------------- visits and opinions

@transaction.atomic
def record_visit(meeting, *, leader, attended=True, note=None, by):
    """Record whether ``leader`` attended ``meeting``; recording again corrects it.

    ``note=None`` keeps the note already recorded (the quick buttons send none).
    """
    if by.pk != leader.pk and not access.can(by, meeting.organization, access.WRITE):
        raise PermissionDenied(_("Chỉ cấp ủy viên dự họp hoặc chi bộ ghi việc dự sinh hoạt."))
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("Buổi sinh hoạt đã hủy."))
    on = meeting_date(meeting)
    if not is_leader_of(leader, meeting.organization, on):
        raise ValidationError({"leader": _(
            "%(name)s không được phân công theo dõi %(cell)s và không phải cấp ủy viên cấp trên vào ngày %(on)s."
        ) % {"name": leader, "cell": meeting.organization.name, "on": format_date(on)}})
    values = {"attended": attended}
    if note is not None:
        values["note"] = nfc(note).strip()
    visit, _created = MeetingVisit.objects.update_or_create(meeting=meeting, leader=leader, defaults=values)
    return visit


@transaction.atomic
def record_opinion(meeting, *, collected_by, raised_by_member=None, raised_by_name="", content, by):
    """Record an opinion or recommendation raised at ``meeting``, to be handled as feedback.

    It hangs on a leader's visit: the collector must have attended the meeting.
    """
    if by.pk != collected_by.pk and not access.can(by, meeting.organization, access.WRITE):
        raise PermissionDenied(_("Chỉ cấp ủy viên dự họp hoặc chi bộ ghi ý kiến, kiến nghị."))
    if not MeetingVisit.objects.filter(meeting=meeting, leader=collected_by, attended=True).exists():
        raise ValidationError(_("Hãy ghi việc %(name)s dự buổi sinh hoạt trước khi ghi ý kiến thu được.")
                              % {"name": collected_by})
    content = nfc(content or "").strip()
    if not content:
        raise ValidationError({"content": _("Hãy ghi nội dung ý kiến, kiến nghị.")})
    if raised_by_member is not None and raised_by_member.organization_id != meeting.organization_id:
        raise ValidationError({"raised_by_member": _("%(name)s không sinh hoạt ở %(cell)s.")
                               % {"name": raised_by_member.full_name, "cell": meeting.organization.name}})
    name = nfc(raised_by_name or "").strip() or (raised_by_member.full_name if raised_by_member else "")
    if not name:
        raise ValidationError({"raised_by_name": _("Hãy ghi tên người nêu ý kiến.")})
    return CollectedOpinion.objects.create(
        meeting=meeting, collected_by=collected_by, raised_by_member=raised_by_member,
        raised_by_name=name, content=content,
    )


# ---------------------------------------------------------------- reading

def assignments_in(organization):
    """Assignments to cells in ``organization``'s subtree, newest periods first within a cell."""
    return (
        VisitAssignment.objects.filter(cell__path__startswith=organization.path)
        .select_related("leader", "cell", "committee")
        .order_by("cell__path", "-starts_on", "pk")
    )


def loads(assignments, on):
    """{leader id: number of cells followed on ``on``}, counted from the given rows."""
    cells = defaultdict(set)
    for a in assignments:
        if a.starts_on <= on and (a.ends_on is None or a.ends_on >= on):
            cells[a.leader_id].add(a.cell_id)
    return {leader_id: len(ids) for leader_id, ids in cells.items()}


@dataclass
class CellCard:
    """A cell a leader follows, with its meetings near today and the leader's visits."""

    cell: Organization
    assignment: VisitAssignment
    upcoming: list = field(default_factory=list)
    recent: list = field(default_factory=list)


def my_cells(user, *, today, recent=3, upcoming=2):
    """The cells ``user`` follows today, each with its next and last meetings.

    Three queries whatever the number of cells: assignments, meetings, the user's visits.
    """
    assignments = list(
        VisitAssignment.objects.filter(_in_force_q(today), leader=user).select_related("cell").order_by("cell__path")
    )
    cards = {}
    for a in assignments:
        cards.setdefault(a.cell_id, CellCard(cell=a.cell, assignment=a))
    if not cards:
        return []
    meetings = list(
        Meeting.objects.filter(organization_id__in=cards.keys(), year__in=(today.year - 1, today.year, today.year + 1))
        .exclude(state=Meeting.State.CANCELLED)
        .annotate(opinion_count=Count("opinions", filter=Q(opinions__collected_by=user)))
        .order_by("scheduled_at")
    )
    visits = {
        v.meeting_id: v for v in MeetingVisit.objects.filter(leader=user, meeting__in=[m.pk for m in meetings])
    }
    for m in meetings:
        m.my_visit = visits.get(m.pk)
        m.recordable = meeting_date(m) <= today
        card = cards[m.organization_id]
        if meeting_date(m) >= today and m.state != Meeting.State.HELD:
            card.upcoming.append(m)
        else:
            card.recent.append(m)
    for card in cards.values():
        card.upcoming = card.upcoming[:upcoming]
        card.recent = card.recent[::-1][:recent]
    return list(cards.values())


def opinions_in(organization):
    """Opinions collected at meetings of the subtree, not yet handled first."""
    return (
        CollectedOpinion.objects.filter(meeting__organization__path__startswith=organization.path)
        .select_related("meeting", "meeting__organization", "collected_by", "raised_by_member")
        .order_by("handled", "-created_at", "-pk")
    )


def members_of(cell):
    return Member.objects.on_roll().filter(organization=cell).order_by("search_key", "pk")


@dataclass
class Coverage:
    """Cells × 12 months: ✓ a leader attended a held meeting, — held without a leader, blank: none."""

    year: int
    rows: list
    held: list
    visited: list

    @property
    def months(self):
        return range(1, 13)

    @property
    def totals(self):
        """(cells with a leader present, cells that held a meeting) per month."""
        return list(zip(self.visited, self.held, strict=True))


VISITED, UNVISITED = "visited", "unvisited"


def coverage(organization, *, year):
    """The coverage table of ``organization``'s cells in ``year``: two queries, whatever the size."""
    cells = cells_in(organization, year=year)
    grid = defaultdict(dict)
    rows = (
        Meeting.objects.filter(organization__path__startswith=organization.path, year=year, state=Meeting.State.HELD)
        .values("organization_id", "month")
        .annotate(visited=Count("visits", filter=Q(visits__attended=True)))
        .order_by()
    )
    # One row per (cell, month): with two meetings in a month, a leader at either covers it.
    for row in rows:
        grid[row["organization_id"]][row["month"]] = VISITED if row["visited"] else UNVISITED
    table, held, visited = [], [0] * 12, [0] * 12
    for cell in cells:
        marks = [grid[cell.pk].get(month, "") for month in range(1, 13)]
        for i, mark in enumerate(marks):
            held[i] += mark != ""
            visited[i] += mark == VISITED
        table.append({"cell": cell, "marks": marks, "visited": marks.count(VISITED),
                      "held": sum(1 for mark in marks if mark)})
    return Coverage(year=year, rows=table, held=held, visited=visited)

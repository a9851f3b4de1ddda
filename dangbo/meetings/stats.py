"""Meeting statistics: planned vs held, thematic meetings per quarter, attendance rates.

Every figure comes from a few grouped queries over the subtree
(``organization__path__startswith``), then is rolled up in Python: the number of
queries does not grow with the number of cells or members.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from dangbo.meetings.models import Attendance, Meeting
from dangbo.members.models import Member
from dangbo.organizations.models import Organization
from dangbo.rules.lookup import RuleMissing, rule

THEMATIC_KINDS = (Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED)
QUARTERS = (1, 2, 3, 4)
QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def quarter_of(month):
    return (month - 1) // 3 + 1


def active_in_year_q(year):
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (Q(active_from__isnull=True) | Q(active_from__lte=end)) & (Q(active_to__isnull=True) | Q(active_to__gte=start))


def cells_in(organization, *, year):
    """Cells of the subtree active at some time in ``year``, in tree order (one query)."""
    return list(Organization.objects.cells().within(organization).filter(active_in_year_q(year)).order_by("path"))


@dataclass
class Rate:
    """Attendance: present / (present + excused + unexcused); not yet marked is left out."""

    present: int = 0
    excused: int = 0
    unexcused: int = 0

    def add(self, row):
        self.present += row["present"]
        self.excused += row["excused"]
        self.unexcused += row["unexcused"]

    @property
    def total(self):
        return self.present + self.excused + self.unexcused

    @property
    def percent(self):
        """Whole percent, or None when nobody was marked."""
        return round(100 * self.present / self.total) if self.total else None


@dataclass
class Quarter:
    """Thematic meetings held in a quarter, and how many cells reached the rule's minimum."""

    quarter: int
    held: int = 0
    cells: int = 0
    cells_met: int = 0
    minimums: set = field(default_factory=set)

    @property
    def minimum(self):
        """The rule's minimum when every cell counted has the same one (a CFG rule may differ)."""
        return next(iter(self.minimums)) if len(self.minimums) == 1 else None

    @property
    def met(self):
        return self.cells > 0 and self.cells_met == self.cells


@dataclass
class Line:
    """One row of a table: a month, a cell or a sub-committee, or the total."""

    label: object = None
    planned: int = 0
    held: int = 0
    cells: int = 0
    cells_held: int = 0
    thematic: int = 0
    attendance: Rate = field(default_factory=Rate)
    quarters: dict = field(default_factory=lambda: {q: Quarter(q) for q in QUARTERS})

    @property
    def held_percent(self):
        """Held meetings as a whole percent of planned ones, or None when none was planned."""
        return round(100 * self.held / self.planned) if self.planned else None

    @property
    def quarter_list(self):
        return [self.quarters[q] for q in QUARTERS]

    def add_meetings(self, row):
        self.planned += row["planned"]
        self.held += row["held"]
        self.thematic += row["thematic"]


@dataclass
class Stats:
    organization: Organization
    year: int
    months: list
    children: list
    total: Line
    members: list = field(default_factory=list)

    @property
    def quarters(self):
        return [self.total.quarters[q] for q in QUARTERS]


def meeting_rows(organization, *, year):
    """Meetings of the subtree grouped by (organization, month): planned, held, thematic held."""
    held = Q(state=Meeting.State.HELD)
    return list(
        Meeting.objects.filter(organization__path__startswith=organization.path, year=year)
        .values("organization_id", "month")
        .annotate(
            planned=Count("pk", filter=Q(planned=True)),
            held=Count("pk", filter=held),
            thematic=Count("pk", filter=held & Q(kind__in=THEMATIC_KINDS)),
        )
        .order_by()
    )


def _attendance_counts():
    return {
        "present": Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        "excused": Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
        "unexcused": Count("pk", filter=Q(status=Attendance.Status.UNEXCUSED)),
    }


def attendance_rows(organization, *, year, by=("meeting__organization_id", "meeting__month")):
    """Attendance at held meetings of the subtree, grouped by ``by``."""
    return list(
        Attendance.objects.filter(
            meeting__organization__path__startswith=organization.path, meeting__year=year,
            meeting__state=Meeting.State.HELD,
        )
        .values(*by)
        .annotate(**_attendance_counts())
        .order_by()
    )


def thematic_minimum(cell, year, quarter):
    """meeting.thematic_per_quarter_min on the quarter's last day (HD 12-HD/BTCTW 2018, DOMAIN §4.3)."""
    month, day = QUARTER_ENDS[quarter]
    try:
        return rule("meeting.thematic_per_quarter_min", date(year, month, day), cell)
    except RuleMissing:
        return None


def _child_key(organization, path):
    """The id of ``organization``'s direct child that contains ``path`` (None for the organization itself)."""
    rest = path[len(organization.path):]
    return int(rest.split("/", 1)[0]) if rest else None


def organization_stats(organization, *, year, with_members=False):
    """The statistics of ``organization`` in ``year``: per month, per quarter, per child, rolled up.

    For a committee, ``children`` holds one line per direct child (cell or
    sub-committee) rolled up over its subtree. For a cell with ``with_members``,
    ``members`` holds each member's attendance at the cell's held meetings.
    """
    subtree = list(Organization.objects.within(organization).order_by("path"))
    by_id = {org.pk: org for org in subtree}
    child_of = {org.pk: _child_key(organization, org.path) for org in subtree}
    start, end = date(year, 1, 1), date(year, 12, 31)
    active = {
        org.pk for org in subtree
        if org.is_cell and (org.active_from is None or org.active_from <= end)
        and (org.active_to is None or org.active_to >= start)
    }

    months = {m: Line(label=m, cells=len(active)) for m in range(1, 13)}
    children = {
        org.pk: Line(label=org) for org in subtree if org.parent_id == organization.pk
    }
    total = Line(label=organization, cells=len(active))
    for cell_id in active:
        key = child_of[cell_id]
        if key in children:
            children[key].cells += 1

    held_months = defaultdict(set)  # cell id → months with a held meeting
    thematic = defaultdict(lambda: defaultdict(int))  # cell id → quarter → thematic meetings held
    for row in meeting_rows(organization, year=year):
        org_id, month = row["organization_id"], row["month"]
        for line in (months.get(month), children.get(child_of.get(org_id)), total):
            if line is not None:
                line.add_meetings(row)
        if row["held"]:
            held_months[org_id].add(month)
        if row["thematic"]:
            thematic[org_id][quarter_of(month)] += row["thematic"]

    for cell_id, held in held_months.items():
        if cell_id in active:
            for month in held:
                months[month].cells_held += 1

    for cell_id in active:
        cell, key = by_id[cell_id], child_of[cell_id]
        for q in QUARTERS:
            minimum = thematic_minimum(cell, year, q)
            count = thematic[cell_id][q]
            met = minimum is not None and count >= minimum
            for line in (children.get(key), total):
                if line is None:
                    continue
                quarter = line.quarters[q]
                quarter.held += count
                quarter.cells += 1
                quarter.cells_met += met
                if minimum is not None:
                    quarter.minimums.add(minimum)
        for line in (children.get(key), total):
            if line is not None:
                line.cells_held += bool(held_months[cell_id])

    for row in attendance_rows(organization, year=year):
        org_id, month = row["meeting__organization_id"], row["meeting__month"]
        for line in (months.get(month), children.get(child_of.get(org_id)), total):
            if line is not None:
                line.attendance.add(row)

    stats = Stats(organization=organization, year=year, months=[months[m] for m in range(1, 13)],
                  children=list(children.values()), total=total)
    if with_members:
        stats.members = member_stats(organization, year=year)
    return stats


@dataclass
class MemberLine:
    member_id: int
    full_name: str
    on_roll: bool
    attendance: Rate = field(default_factory=Rate)


def member_stats(cell, *, year):
    """Each member's attendance at ``cell``'s held meetings in ``year`` (two queries).

    Members on the roll come first, then people who attended while on it and left since.
    """
    lines = {
        pk: MemberLine(pk, name, True)
        for pk, name in Member.objects.on_roll().filter(organization=cell)
        .order_by("search_key", "pk").values_list("pk", "full_name")
    }
    rows = (
        Attendance.objects.filter(meeting__organization=cell, meeting__year=year, meeting__state=Meeting.State.HELD)
        .values("member_id", "member__full_name", "member__search_key")
        .annotate(**_attendance_counts())
        .order_by("member__search_key", "member_id")
    )
    for row in rows:
        line = lines.get(row["member_id"])
        if line is None:
            line = lines[row["member_id"]] = MemberLine(row["member_id"], row["member__full_name"], False)
        line.attendance.add(row)
    return sorted(lines.values(), key=lambda line: not line.on_roll)

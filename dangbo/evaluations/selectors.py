"""Read side of the yearly review: the committee's overview per unit, a cell's sheet, the export rows."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from dangbo.evaluations import classification
from dangbo.evaluations.models import ClassificationRun, Grade, MemberEvaluation
from dangbo.members.models import Member
from dangbo.organizations.models import PATH_DIGITS, Organization

GRADES = list(Grade)
SCORED = Q(general_points__isnull=False, task_points__isnull=False)
AT_LEAST_GOOD = Q(proposed_grade__in=[Grade.EXCELLENT, Grade.GOOD])


def default_year(today):
    """The year whose review is current: it is held in December (DOMAIN §5), so before then, last year's."""
    return today.year if today.month == 12 else today.year - 1


@dataclass
class Line:
    """One unit's figures: members on the roll, rows, scored, counts by grade, the cap on excellent."""

    unit: Organization | None = None
    members: int = 0
    rows: int = 0
    scored: int = 0
    approved: int = 0
    reduced: int = 0
    base: int = 0
    grades: dict = field(default_factory=dict)
    cap_percent: float | None = None

    @property
    def grade_list(self):
        return [self.grades.get(g.value, 0) for g in GRADES]

    @property
    def allowed_excellent(self):
        """Excellent places the cap gives this cell: cap_percent % of those at least good, rounded down."""
        if self.cap_percent is None:
            return None
        return int(self.base * self.cap_percent // 100)

    @property
    def fully_approved(self):
        return self.rows > 0 and self.approved == self.rows

    def add(self, other):
        for name in ("members", "rows", "scored", "approved", "reduced", "base"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for grade, n in other.grades.items():
            self.grades[grade] = self.grades.get(grade, 0) + n


def _unit_prefix(org):
    """The path of the child of ``org`` a row's cell lies in: one more level of the path."""
    return Substr("organization__path", 1, len(org.path) + PATH_DIGITS + 1)


def overview(org, year):
    """The figures of each unit directly under ``org`` (a cell, or a committee counting its cells), and the total."""
    limits = classification.thresholds(org, year)
    units = list(Organization.objects.filter(parent=org).order_by("path"))
    lines = {u.path: Line(unit=u, cap_percent=limits.cap_for(u) if u.is_cell else None) for u in units}
    counts = (MemberEvaluation.objects.filter(year=year, organization__path__startswith=org.path)
              .annotate(prefix=_unit_prefix(org)).values("prefix")
              .annotate(rows=Count("id"), scored=Count("id", filter=SCORED),
                        approved=Count("id", filter=Q(approved_on__isnull=False)),
                        reduced=Count("id", filter=Q(quota_reduced=True)), base=Count("id", filter=AT_LEAST_GOOD),
                        **{g.value: Count("id", filter=Q(grade=g.value)) for g in GRADES}))
    for row in counts:
        line = lines.get(row["prefix"])
        if line is not None:
            for name in ("rows", "scored", "approved", "reduced", "base"):
                setattr(line, name, row[name])
            line.grades = {g.value: row[g.value] for g in GRADES}
    members = (Member.objects.on_roll().filter(organization__path__startswith=org.path)
               .annotate(prefix=_unit_prefix(org)).values("prefix").annotate(n=Count("id")))
    for row in members:
        if row["prefix"] in lines:
            lines[row["prefix"]].members = row["n"]
    total = Line(unit=org)
    for line in lines.values():
        total.add(line)
    return {"lines": list(lines.values()), "total": total, "limits": limits}


def last_run(org, year):
    return (ClassificationRun.objects.filter(organization=org, year=year).select_related("requested_by")
            .order_by("-requested_at", "-pk").first())


def sheet(cell, year):
    """A cell's sheet: its rows (members by name), the members on the roll without one, its figures."""
    rows = list(MemberEvaluation.objects.filter(organization=cell, year=year).select_related("member")
                .order_by("member__search_key", "pk"))
    missing = list(Member.objects.on_roll().filter(organization=cell).exclude(evaluations__year=year)
                   .order_by("search_key", "pk").values_list("full_name", flat=True))
    limits = classification.thresholds(cell, year)
    line = Line(unit=cell, cap_percent=limits.cap_for(cell), members=len(rows) + len(missing), rows=len(rows))
    for row in rows:
        line.scored += row.is_scored
        line.approved += row.is_approved
        line.reduced += row.quota_reduced
        line.base += row.proposed_grade in (Grade.EXCELLENT, Grade.GOOD)
        if row.grade:
            line.grades[row.grade] = line.grades.get(row.grade, 0) + 1
    return {"rows": rows, "missing": missing, "line": line}


EXPORT_HEADERS = ["STT", "Họ và tên", "Chi bộ", "Điểm tiêu chí chung", "Điểm thực hiện nhiệm vụ", "Tổng điểm",
                  "Nhiệm vụ được giao", "Đúng hạn", "Vượt yêu cầu", "Khắc phục hạn chế kỳ trước", "Bị kỷ luật",
                  "Tự phát hiện, khắc phục", "Buổi sinh hoạt", "Có mặt", "Vắng không lý do", "Xếp loại theo điểm",
                  "Xếp loại", "Hạ do tỷ lệ", "Cấp ủy duyệt ngày"]


def export_rows(org, year):
    """The rows of ``org``'s subtree for the workbook, in the tree's order then by name: one query."""
    labels = dict(Grade.choices)
    yes = {True: "Có", False: ""}
    values = (MemberEvaluation.objects.filter(year=year, organization__path__startswith=org.path)
              .order_by("organization__path", "member__search_key", "pk")
              .values_list("member__full_name", "organization__name", "general_points", "task_points",
                           "tasks_assigned", "tasks_on_time", "tasks_exceeding", "shortcomings_fixed", "disciplined",
                           "self_corrected", "meetings_held", "meetings_attended", "meetings_absent_unexcused",
                           "proposed_grade", "grade", "quota_reduced", "approved_on"))
    for n, (name, unit, general, task, assigned, on_time, exceeding, fixed, disciplined, corrected, held, attended,
            unexcused, proposed, grade, reduced, approved_on) in enumerate(values.iterator(chunk_size=2000), start=1):
        total = general + task if general is not None and task is not None else None
        yield [n, name, unit, general, task, total, assigned, on_time, exceeding, yes[fixed], yes[disciplined],
               yes[corrected], held, attended, unexcused, str(labels.get(proposed, "")), str(labels.get(grade, "")),
               yes[reduced], approved_on]

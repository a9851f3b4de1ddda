"""Warnings the cell acts on: members absent without valid reason (a removal ground), short meetings.

A flag is a proposal the cell decides on. Removal (xóa tên) stays a separate
status event recorded by the competent committee (DOMAIN §2): nothing here
changes a member's status.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangbo.lib.vntext import nfc
from dangbo.meetings.models import AbsenceFlag, Attendance, Meeting
from dangbo.meetings.selectors import meeting_date, minimum_minutes
from dangbo.members.choices import ON_ROLL
from dangbo.organizations import access
from dangbo.rules.lookup import RuleMissing, citation, rule

ABSENT_MONTHS = "removal.unexcused_absent_months_per_year"
COUNTING = "removal.month_counting"
CONSECUTIVE = "consecutive"


def rule_date(year, on):
    """The date the removal rules are read on: ``on``, but never after the year it judges.

    A year computed late (2025 judged in 2026) keeps the rules of that year.
    """
    return min(on, date(year, 12, 31))


def longest_run(months):
    """The longest run of consecutive calendar months in ``months`` (within one year)."""
    best = run = 0
    previous = None
    for month in sorted(set(months)):
        run = run + 1 if previous is not None and month == previous + 1 else 1
        best = max(best, run)
        previous = month
    return best


def counted_months(months, counting):
    """How many of ``months`` count towards the ground under the counting rule."""
    return longest_run(months) if counting == CONSECUTIVE else len(set(months))


def unexcused_months(organization, *, year):
    """{member id: (cell id, sorted months)} of on-roll members of the subtree absent without reason.

    One query. A month counts when the member was marked "vắng không lý do" at
    a meeting of that month that was not cancelled. Exempted members (miễn sinh
    hoạt) are not counted: the exemption is their valid reason.
    """
    rows = (
        Attendance.objects.filter(
            member__organization__path__startswith=organization.path, member__status__in=ON_ROLL,
            meeting__year=year, status=Attendance.Status.UNEXCUSED,
        )
        .exclude(meeting__state=Meeting.State.CANCELLED)
        .exclude(kind=Attendance.Kind.EXEMPT)
        .values_list("member_id", "member__organization_id", "meeting__month")
        .order_by()
        .distinct()
    )
    found = defaultdict(lambda: [None, set()])
    for member_id, cell_id, month in rows:
        found[member_id][0] = cell_id
        found[member_id][1].add(month)
    return {member_id: (cell_id, sorted(months)) for member_id, (cell_id, months) in found.items()}


@dataclass
class FlagReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    reopened: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)

    def counts(self):
        return {name: len(getattr(self, name)) for name in ("created", "updated", "reopened", "withdrawn")}


class _Rules:
    """The removal rules per cell on one date, looked up once per cell (CFG rules take overrides)."""

    def __init__(self, on, cells):
        self.on = on
        self.cells = cells
        self._cache = {}

    def __call__(self, cell_id):
        if cell_id not in self._cache:
            cell = self.cells[cell_id]
            self._cache[cell_id] = (rule(ABSENT_MONTHS, self.on, cell), rule(COUNTING, self.on, cell))
        return self._cache[cell_id]


@transaction.atomic
def compute_absence_flags(organization, *, year, on):
    """Flag on-roll members of ``organization``'s subtree who reached the removal ground in ``year``.

    Quy định 294-QĐ/TW §8.1 (before it 24-QĐ/TW, 232-QĐ/TW): a member who misses
    party activities for the rule's number of months in a year without valid
    reason is considered for removal; the cell proposes, the competent committee
    decides. The months are counted cumulatively or consecutively as the CFG rule
    ``removal.month_counting`` says, read on ``rule_date(year, on)``.

    Idempotent: running it again changes nothing unless attendance changed. A
    pending flag follows the months; a flag the cell dismissed opens again when
    new months of absence come after the decision; a pending flag that no
    longer reaches the number (attendance corrected) is withdrawn (deleted, the
    history keeps it). The member's status is never touched.
    """
    from dangbo.organizations.models import Organization

    as_of = rule_date(year, on)
    absent = unexcused_months(organization, year=year)
    existing = {
        f.member_id: f for f in AbsenceFlag.objects.select_for_update(of=("self",)).filter(
            year=year, member__organization__path__startswith=organization.path
        )
    }
    cell_ids = {cell_id for cell_id, _months in absent.values()} | {f.organization_id for f in existing.values()}
    rules = _Rules(as_of, Organization.objects.in_bulk(cell_ids))
    report = FlagReport()
    for member_id, (cell_id, months) in absent.items():
        needed, counting = rules(cell_id)
        flag = existing.pop(member_id, None)
        if counted_months(months, counting) < needed:
            if flag is not None:
                existing[member_id] = flag  # judged below with the withdrawn ones
            continue
        if flag is None:
            try:
                with transaction.atomic():
                    flag = AbsenceFlag.objects.create(
                        member_id=member_id, organization_id=cell_id, year=year, months=months, raised_on=on,
                    )
            except IntegrityError:
                continue  # a concurrent run created it just now; the next run brings it up to date
            report.created.append(flag)
            continue
        if flag.months == months and flag.organization_id == cell_id:
            continue
        new_months = set(months) - set(flag.months)
        flag.organization_id = cell_id
        flag.months = months
        if flag.decision == AbsenceFlag.Decision.DISMISSED and new_months:
            flag.decision, flag.decided_on = AbsenceFlag.Decision.PENDING, None
            flag.note = _("Mở lại: có thêm tháng vắng không lý do sau khi chi bộ đã xem xét.")
            report.reopened.append(flag)
        else:
            report.updated.append(flag)
        flag.save()
    for member_id, flag in existing.items():
        if flag.decision != AbsenceFlag.Decision.PENDING:
            continue
        cell_id, months = absent.get(member_id, (flag.organization_id, []))
        needed, counting = rules(cell_id)
        if counted_months(months, counting) < needed:
            report.withdrawn.append(flag)
            flag.delete()
    return report


def ground_text(flag):
    """'Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng — căn cứ …' for ``flag``."""
    on = rule_date(flag.year, flag.raised_on)
    try:
        needed = rule(ABSENT_MONTHS, on, flag.organization)
        source = citation(ABSENT_MONTHS, on)
    except RuleMissing:
        return _("Bỏ sinh hoạt đảng trong năm không có lý do chính đáng")
    return _("Bỏ sinh hoạt đảng %(n)d tháng trong năm không có lý do chính đáng — căn cứ %(source)s") % {
        "n": needed, "source": source,
    }


def months_text(flag):
    """'tháng 2, 3, 5/2026'."""
    return _("tháng %(months)s/%(year)d") % {"months": ", ".join(str(m) for m in flag.months), "year": flag.year}


@transaction.atomic
def decide_absence_flag(flag, *, decision, decided_on, note="", by):
    """Record the cell's decision on a flag: propose removal, or not.

    A proposal only records the decision. The removal itself is a status event
    the competent committee records on its own decision (DOMAIN §2), so the
    member's status is left as it is.
    """
    if not access.can(by, flag.organization, access.WRITE):
        raise PermissionDenied(_("Chỉ chi bộ của đảng viên ghi quyết định."))
    if decision not in (AbsenceFlag.Decision.PROPOSED, AbsenceFlag.Decision.DISMISSED):
        raise ValidationError({"decision": _("Hãy chọn đề nghị xóa tên hoặc không đề nghị.")})
    if flag.decision != AbsenceFlag.Decision.PENDING:
        raise ValidationError(_("Chi bộ đã ghi quyết định về trường hợp này."))
    if decided_on < flag.raised_on:
        raise ValidationError({"decided_on": _("Ngày xem xét không được trước ngày phát hiện.")})
    note = nfc(note or "").strip()
    if decision == AbsenceFlag.Decision.DISMISSED and not note:
        raise ValidationError({"note": _("Hãy ghi lý do chi bộ không đề nghị xóa tên.")})
    flag.decision, flag.decided_on, flag.note = decision, decided_on, note
    flag.save()
    return flag


def flags_in(organization, *, year):
    return (
        AbsenceFlag.objects.filter(organization__path__startswith=organization.path, year=year)
        .select_related("member", "organization")
        .order_by("organization__path", "member__search_key", "pk")
    )


@dataclass
class ShortMeeting:
    meeting: Meeting
    minutes: int
    minimum: int


def short_meetings(organization, *, year):
    """Held meetings of the subtree in ``year`` shorter than the minimum in force on their date."""
    meetings = (
        Meeting.objects.filter(
            organization__path__startswith=organization.path, year=year, state=Meeting.State.HELD,
            started_at__isnull=False, ended_at__isnull=False,
        )
        .select_related("organization")
        .order_by("scheduled_at", "pk")
    )
    found = []
    for meeting in meetings:
        # Applied by the meeting's day, as every rule about a meeting (selectors.meeting_date).
        minimum = minimum_minutes(meeting, meeting_date(meeting))
        if minimum is not None and meeting.duration_minutes < minimum:
            found.append(ShortMeeting(meeting, meeting.duration_minutes, minimum))
    return found

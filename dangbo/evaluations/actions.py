"""Changes to the yearly review: the cell scores a member, the classification runs, the committee approves.

Rules are looked up by 31/12 of the evaluated year (``classification.rule_date``),
never today. Each action raises ValidationError with a Vietnamese message naming
the field when the input breaks a rule, and saves nothing then.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.evaluations import classification
from dangbo.evaluations.models import ClassificationRun, MemberEvaluation
from dangbo.lib.dates import format_date
from dangbo.members.choices import ON_ROLL
from dangbo.members.models import Member
from dangbo.rules.lookup import rule

FIRST_YEAR = 2000
# What the cell enters; everything else is computed.
SCORE_FIELDS = ("general_points", "task_points", "tasks_assigned", "tasks_on_time", "tasks_exceeding",
                "shortcomings_fixed", "disciplined", "self_corrected")
COUNT_FIELDS = ("tasks_assigned", "tasks_on_time", "tasks_exceeding")
FLAG_FIELDS = ("shortcomings_fixed", "disciplined", "self_corrected")


def _stamp(obj, by):
    """Tell django-simple-history who made the change when no request is around."""
    obj._history_user = by
    return obj


def _check_year(year, field="year"):
    today = timezone.localdate()
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise ValidationError({field: _("Năm đánh giá phải từ %(first)s đến %(last)s.") % {
            "first": FIRST_YEAR, "last": today.year}})


def _label(field):
    return str(MemberEvaluation._meta.get_field(field).verbose_name).capitalize()


def _score_problems(values, *, organization, year):
    """{field: message} for scores that break the limits; ``values`` holds every score field."""
    errors = {}
    on = classification.rule_date(year)
    # Quy định 366-QĐ/TW: general criteria 30 points, task results 70 (DOMAIN §5), by the year's rules.
    for field, key in (("general_points", classification.GENERAL_MAX), ("task_points", classification.TASK_MAX)):
        value, top = values[field], rule(key, on, org=organization)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top):
            errors[field] = _("%(label)s phải là số nguyên từ 0 đến %(top)s.") % {"label": _label(field), "top": top}
    for field in COUNT_FIELDS:
        value = values[field]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[field] = _("%(label)s phải là số nguyên không âm.") % {"label": _label(field)}
    if not errors.keys() & set(COUNT_FIELDS):
        for field in ("tasks_on_time", "tasks_exceeding"):
            if values[field] > values["tasks_assigned"]:
                errors[field] = _("%(label)s không được lớn hơn số nhiệm vụ được giao (%(n)s).") % {
                    "label": _label(field), "n": values["tasks_assigned"]}
    for field in FLAG_FIELDS:
        if not isinstance(values[field], bool):
            errors[field] = _("%(label)s phải là có hoặc không.") % {"label": _label(field)}
    if values["self_corrected"] is True and values["disciplined"] is False:
        errors["self_corrected"] = _("Chỉ đánh dấu “tự phát hiện và khắc phục” khi đảng viên bị kỷ luật trong năm.")
    return errors


def _locked_row(target, year):
    """The member's row for ``year``, locked for the change; created (in the member's cell) when missing."""
    if isinstance(target, MemberEvaluation):
        return MemberEvaluation.objects.select_for_update().select_related("organization", "member").get(pk=target.pk)
    member = target
    if not isinstance(member, Member):
        raise TypeError("score_member needs a MemberEvaluation or a Member")
    _check_year(year)
    row = (MemberEvaluation.objects.select_for_update().select_related("organization", "member")
           .filter(year=year, member=member).first())
    if row is not None:
        return row
    if member.status not in ON_ROLL:
        raise ValidationError({"member": _("Đảng viên %(name)s không còn trong danh sách sinh hoạt của chi bộ.") % {
            "name": member.full_name}})
    return MemberEvaluation(year=year, member=member, organization=member.organization)


def _refuse_approved(row):
    if row.is_approved:
        raise ValidationError(_("Bảng xếp loại năm %(year)s của %(org)s đã được cấp ủy duyệt ngày %(day)s; "
                                "không sửa được.") % {"year": row.year, "org": row.organization.name,
                                                      "day": format_date(row.approved_on)})


@transaction.atomic
def score_member(target, year=None, *, by, **scores):
    """Record the cell's scores for a member (a MemberEvaluation, or a Member and the year).

    Only the fields given change (with a history record). The cell's grades are then
    recomputed at once, so the sheet always shows the grade and the cap that the points
    give (the classification's statements on the cell: its few dozen members).
    """
    unknown = set(scores) - set(SCORE_FIELDS)
    if unknown:
        raise TypeError(f"score_member got unknown fields {sorted(unknown)}")
    row = _locked_row(target, year)
    _refuse_approved(row)
    values = {field: scores.get(field, getattr(row, field)) for field in SCORE_FIELDS}
    if not values["disciplined"] and "self_corrected" not in scores:
        values["self_corrected"] = False
    errors = _score_problems(values, organization=row.organization, year=row.year)
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(row, field, value)
    _stamp(row, by).save()
    classification.run(row.organization, row.year, now=timezone.now())
    row.refresh_from_db()
    return row


def classify_year(organization, year, *, by, run=None):
    """Classify every member on the roll in ``organization``'s subtree (a committee or a cell) for ``year``.

    Set-based (see ``classification``): a province's 500,000 members take a few statements.
    Approved sheets are left as they are. One transaction; records the run (who, when,
    the scope, the counts) in ``ClassificationRun`` — ``run`` when the worker fills a queued
    one — which stands for the history of the values it computed (the rows it changed
    carry its ``started_at`` in ``classified_at``). Returns the counts by grade.
    """
    _check_year(year)
    with transaction.atomic():
        started = timezone.now()
        counts = classification.run(organization, year, now=started)
        if run is None:
            run = ClassificationRun(organization=organization, year=year, requested_by=by)
        run.started_at = started
        run.state = ClassificationRun.State.DONE
        run.counts = counts
        run.finished_at = timezone.now()
        run.error = ""
        run.save()
    return counts


def queue_classification(organization, year, *, by):
    """Record a run for the worker and enqueue it (a large committee: seconds to minutes of work)."""
    from dangbo.evaluations import tasks

    _check_year(year)
    run = ClassificationRun.objects.create(organization=organization, year=year, requested_by=by)
    transaction.on_commit(lambda: tasks.classify_year_task.enqueue(run.pk))
    return run


@transaction.atomic
def approve_year(cell, year, *, by, on=None):
    """The committee approves a cell's sheet for ``year``: every row gets its final grade and is locked.

    The grades are recomputed first, so what is approved is what the rules give today
    for the scores entered. Refused while a member on the sheet has no score.
    """
    _check_year(year)
    if not cell.is_cell:
        raise ValidationError({"organization": _("Chỉ duyệt bảng xếp loại của từng chi bộ.")})
    on = on or timezone.localdate()
    rows = MemberEvaluation.objects.select_for_update().filter(organization=cell, year=year)
    if rows.filter(approved_on__isnull=False).exists() and not rows.filter(approved_on__isnull=True).exists():
        raise ValidationError(_("Bảng xếp loại năm %(year)s của %(org)s đã được duyệt.") % {
            "year": year, "org": cell.name})
    classification.run(cell, year, now=timezone.now())
    pending = rows.filter(approved_on__isnull=True)
    unscored = pending.filter(grade__isnull=True).count()
    if unscored:
        raise ValidationError(_("Còn %(n)s đảng viên chưa chấm đủ điểm; chấm xong mới duyệt được.") % {"n": unscored})
    if not pending.exists():
        raise ValidationError(_("Chi bộ chưa có đảng viên nào trong bảng xếp loại năm %(year)s.") % {"year": year})
    approved = []
    for row in pending:
        row.approved_on = on
        row.approved_by = by
        _stamp(row, by)
        approved.append(row)
    # A cell holds a few dozen members: saving each keeps its history record the usual way.
    for row in approved:
        row.save(update_fields=["approved_on", "approved_by"])
    return len(approved)

"""Read-side queries of the registry: scoped member lists, filters, statistics."""

from datetime import date

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dangbo.members.choices import ON_ROLL, Degree, Sex, Status, TheoryLevel
from dangbo.members.models import Member
from dangbo.organizations import access


def _years_before(on, years):
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29/02 in a non-leap year
        return on.replace(year=on.year - years, day=28)


AGE_BANDS = ("lt30", "30-45", "45-60", "gt60")


def age_band_q(band, on):
    """Q for an age band on a date: <30, 30–<45, 45–60, >60 (the offices' usual bands)."""
    born_30, born_45, born_60, born_61 = (_years_before(on, y) for y in (30, 45, 60, 61))
    return {
        "lt30": Q(date_of_birth__gt=born_30),
        "30-45": Q(date_of_birth__lte=born_30, date_of_birth__gt=born_45),
        "45-60": Q(date_of_birth__lte=born_45, date_of_birth__gt=born_61),
        "gt60": Q(date_of_birth__lte=born_61),
    }[band]


def members_in(user, organization):
    """Members on the roll (any status) of ``organization``'s subtree, as the user may see them."""
    return (
        Member.objects.filter(access.scope_q(user, capability=access.STAFF))
        .filter(organization__path__startswith=organization.path)
        .select_related("organization")
    )


def filter_members(queryset, data, on):
    """Apply the list filters (already cleaned by MemberFilterForm)."""
    status = data.get("status")
    if status == "all":
        pass
    elif status:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=ON_ROLL)
    if data.get("sex"):
        queryset = queryset.filter(sex=data["sex"])
    if data.get("age"):
        queryset = queryset.filter(age_band_q(data["age"], on))
    for key, field in (("theory", "theory_level"), ("degree", "professional_degree")):
        value = data.get(key)
        if value == "none":
            queryset = queryset.filter(**{field: ""})
        elif value:
            queryset = queryset.filter(**{field: value})
    if data.get("category"):
        queryset = queryset.filter(organization__category=data["category"])
    if data.get("q"):
        queryset = queryset.search(data["q"])
    return queryset


def _rows(total, counted, labels):
    rows = []
    for key, label in labels:
        n = counted.get(key, 0)
        rows.append({"label": label, "count": n, "percent": round(100 * n / total, 1) if total else 0})
    return rows


def statistics(queryset, on: date, organization=None):
    """Totals by status, sex, age band, ethnicity, theory level and degree, with percentages.

    Status counts every record; the other breakdowns count members on the roll.
    Each breakdown is one grouped query, so the cost does not grow with members.
    For a large committee whose whole subtree ``queryset`` is, pass ``organization``:
    the counts come from the morning's rollup (dangbo.dashboards) when it was made for
    ``on``, and ``as_of`` says when; a province counted live takes most of a second.
    """
    rollup = _rollup(organization, on)
    if rollup is not None:
        by_status, bands, as_of = rollup.get("status", {}), rollup.get("age", {}), rollup["computed_at"]

        def grouped(field):
            return rollup.get(field, {})
    else:
        by_status = dict(queryset.values_list("status").annotate(n=Count("pk")))
        roll = queryset.filter(status__in=ON_ROLL)
        as_of = None

        def grouped(field):
            return dict(roll.values_list(field).annotate(n=Count("pk")))

        counted = roll.aggregate(**{f"b{i}": Count("pk", filter=age_band_q(band, on)) for i, band in enumerate(AGE_BANDS)})
        bands = {band: counted[f"b{i}"] for i, band in enumerate(AGE_BANDS)}
    total = sum(n for s, n in by_status.items() if s in ON_ROLL)
    ethnicities = grouped("ethnicity")
    return {
        "total": total,
        "all_records": sum(by_status.values()),
        "sections": [
            (_("Tình trạng"), _rows(sum(by_status.values()), by_status, Status.choices)),
            (_("Giới tính"), _rows(total, grouped("sex"), Sex.choices)),
            (_("Độ tuổi"), _rows(total, bands,
                                  [("lt30", _("Dưới 30")), ("30-45", _("30 – dưới 45")), ("45-60", _("45 – 60")),
                                   ("gt60", _("Trên 60"))])),
            (_("Dân tộc"), _rows(total, ethnicities, sorted(((e, e) for e in ethnicities), key=lambda x: -ethnicities[x[0]]))),
            (_("Lý luận chính trị"), _rows(total, grouped("theory_level"), TheoryLevel.choices)),
            (_("Chuyên môn"), _rows(total, grouped("professional_degree"), Degree.choices)),
        ],
        "as_of": as_of,
    }


def _rollup(organization, on):
    if organization is None or not apps.is_installed("dangbo.dashboards"):
        return None
    from dangbo.dashboards.rollups import counts

    return counts(organization, on)

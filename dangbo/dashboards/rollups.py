"""Member statistics of large committees, counted set-based once a day instead of per request.

A province's dashboard counted live groups 500,000 member rows six times (≈0.65 s on
the benchmark machine, bench/RESULTS.md); the nation's, 5.6 M. ``refresh`` counts every
breakdown per cell with one GROUP BY each and adds the cells up into each committee
that has at least ``MIN_MEMBERS`` records, in the database. ``counts`` returns a
committee's figures when they were computed for the date asked, else None, and the
caller counts live.
"""

from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from dangbo.dashboards.models import MemberRollup
from dangbo.members.choices import ON_ROLL

# Below this many member records a live count takes a few milliseconds (a ward has at most ~2,000).
MIN_MEMBERS = 20_000
AGE_BANDS = ("lt30", "30-45", "45-60", "gt60")
# (dimension, SQL expression of the key, counts every record rather than the roll)
_DIMENSIONS = [
    ("status", "m.status", True),
    ("sex", "m.sex", False),
    ("ethnicity", "m.ethnicity", False),
    ("theory_level", "m.theory_level", False),
    ("professional_degree", "m.professional_degree", False),
    ("age", "CASE WHEN m.date_of_birth > %(born_30)s THEN 'lt30' WHEN m.date_of_birth > %(born_45)s THEN '30-45' "
            "WHEN m.date_of_birth > %(born_61)s THEN '45-60' ELSE 'gt60' END", False),
]


def _targets(min_members):
    """Committees whose subtree holds at least ``min_members`` member records."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT o.path, count(*) FROM members_member m JOIN organizations_organization o "
            "ON o.id = m.organization_id GROUP BY o.path"
        )
        per_path = cursor.fetchall()
    totals = Counter()
    for path, n in per_path:
        for pk in path.strip("/").split("/"):
            totals[int(pk)] += n
    return [pk for pk, n in totals.items() if n >= min_members]


@transaction.atomic
def refresh(on=None, *, min_members=MIN_MEMBERS):
    """Recount the rollups of every large committee for ``on`` (today); returns how many committees."""
    from dangbo.members.selectors import _years_before

    on = on or timezone.localdate()
    now = timezone.now()
    targets = _targets(min_members)
    MemberRollup.objects.all().delete()
    if not targets:
        return 0
    params = {"on": on, "now": now, "born_30": _years_before(on, 30), "born_45": _years_before(on, 45),
              "born_61": _years_before(on, 61)}
    roll = "(" + ", ".join(f"'{s}'" for s in ON_ROLL) + ")"
    marks = ", ".join(str(int(pk)) for pk in targets)
    with connection.cursor() as cursor:
        for dimension, expression, every_record in _DIMENSIONS:
            where = "" if every_record else f"WHERE m.status IN {roll}"
            # Count per cell first (one pass over the members), then add the cells up per committee.
            cursor.execute(
                f"""
                INSERT INTO dashboards_memberrollup (organization_id, computed_on, computed_at, dimension, key, count)
                SELECT t.id, %(on)s, %(now)s, '{dimension}', x.k, sum(x.n)
                FROM (SELECT m.organization_id AS org, {expression} AS k, count(*) AS n
                      FROM members_member m {where} GROUP BY m.organization_id, {expression}) x
                JOIN organizations_organization c ON c.id = x.org
                JOIN organizations_organization t ON c.path LIKE (t.path || '%%')
                WHERE t.id IN ({marks})
                GROUP BY t.id, x.k
                """,
                params,
            )
    return len(targets)


def counts(organization, on):
    """{dimension: {key: n}} of ``organization`` as counted for ``on``, or None if there is no such rollup."""
    rows = list(MemberRollup.objects.filter(organization=organization, computed_on=on)
                .values_list("dimension", "key", "count", "computed_at"))
    if not rows:
        return None
    result = {"computed_at": rows[0][3]}
    for dimension, key, n, _at in rows:
        result.setdefault(dimension, {})[key] = n
    return result

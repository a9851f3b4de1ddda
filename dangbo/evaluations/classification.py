"""The yearly classification as set-based SQL: a handful of statements whatever the number of members.

A province has 500,000 members and the nation 5.6 M (DOMAIN §0), so ``run`` never loops
over rows in Python. It runs, inside the caller's transaction and on SQLite and
PostgreSQL alike:

1. one INSERT…SELECT creating the missing rows of the members on the roll;
2. one UPDATE setting the evidence from a grouped aggregate of the year's held
   meetings, the grade from the points with a CASE whose thresholds are parameters,
   and the cap on "excellent" with window functions over each cell;
Statement 2 only writes rows whose values change, so running it again costs reads,
not writes. Approved rows are never written.

History: what people enter and decide (the scores, the approval) gets a history record
per row from django-simple-history, as everywhere else. What a run computes (evidence,
grades) is recorded by the run instead (``ClassificationRun``: who, when, the scope, the
counts), and each row it changed carries the run's time in ``classified_at``. A history
record per changed row, written set-based, cost a third of a province's run on the
benchmark (10 s of 31 s for 475,000 rows, bench/run.py), which put it past its budget
of three times one INSERT…SELECT; the computed values follow from the recorded inputs
and the rules in force on 31/12 of the year.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection

from dangbo.evaluations.models import Grade, MemberEvaluation
from dangbo.members.choices import ON_ROLL
from dangbo.rules.lookup import rule
from dangbo.rules.models import RuleOverride

LOCK_KEY = 7401
TABLE = MemberEvaluation._meta.db_table

# For this transaction only: the attendance aggregate and the per-cell sort of a province
# fit in memory instead of spilling to disk, and no JIT compilation (seconds of it) for
# statements that run once. bench/run.py gives its hand-written limit the same settings.
PG_SETTINGS = ("SET LOCAL work_mem = '256MB'", "SET LOCAL jit = off")

# Rule keys (dangbo/rules/catalog.py, DOMAIN §5).
GENERAL_MAX = "evaluation.general_max_points"
TASK_MAX = "evaluation.task_max_points"
EXCELLENT_MIN = "evaluation.excellent_min_points"
GOOD_MIN = "evaluation.good_min_points"
COMPLETED_MIN = "evaluation.completed_min_points"
EXCEEDING_PERCENT = "evaluation.excellent_min_exceeding_task_percent"
CAP_PERCENT = "evaluation.excellent_cap_percent"


def rule_date(year):
    """The date a year's review is judged by: its last day (the review is held in December, DOMAIN §5)."""
    return date(year, 12, 31)


@dataclass(frozen=True)
class Thresholds:
    """The rule values of one classification, read once for the date of the evaluated year.

    ``cap_by_path`` lists (path, percent) of the organizations inside the scope that set
    their own cap (a CFG rule), deepest first; a cell takes the first whose path is a
    prefix of its own, else ``cap_percent`` (the scope's own value, which already
    counts the overrides of the scope's ancestors).
    """

    general_max: float
    task_max: float
    excellent_min: float
    good_min: float
    completed_min: float
    exceeding_percent: float
    cap_percent: float
    cap_by_path: tuple = ()

    def cap_for(self, organization):
        for path, value in self.cap_by_path:
            if organization.path.startswith(path):
                return value
        return self.cap_percent


def thresholds(organization, year):
    """Look the rules up by 31/12 of ``year`` (never today), the cap per organization as rule() resolves it."""
    on = rule_date(year)
    inside = (RuleOverride.objects.filter(key=CAP_PERCENT, organization__path__startswith=organization.path)
              .exclude(organization=organization).select_related("organization"))
    orgs = sorted({o.organization for o in inside}, key=lambda o: (-o.depth, o.path))
    return Thresholds(
        general_max=rule(GENERAL_MAX, on, org=organization),
        task_max=rule(TASK_MAX, on, org=organization),
        excellent_min=rule(EXCELLENT_MIN, on, org=organization),
        good_min=rule(GOOD_MIN, on, org=organization),
        completed_min=rule(COMPLETED_MIN, on, org=organization),
        exceeding_percent=rule(EXCEEDING_PERCENT, on, org=organization),
        cap_percent=rule(CAP_PERCENT, on, org=organization),
        # rule() applies the deepest override in force on the date, as for one cell.
        cap_by_path=tuple((o.path, rule(CAP_PERCENT, on, org=o)) for o in orgs),
    )


def grade_case(alias="e"):
    """The grade the points earn, as SQL over the row ``alias``; thresholds come as named parameters.

    Quy định 366-QĐ/TW (DOMAIN §5), total = general (30) + task results (70):
    - excellent: ≥ excellent_min points, 100 % of tasks on time, ≥ exceeding_percent % of
      them exceeding requirements, the previous review's shortcomings 100 % fixed;
      at least one task must have been assigned, since none could be exceeded otherwise;
    - good: ≥ good_min points and 100 % of tasks on time (a member above the
      excellent line who misses one of its other conditions is good);
    - completed: ≥ completed_min points; otherwise not completed.
    Quy định 124-QĐ/TW Art.12.4.3d: disciplined during the year → not completed, unless
    the member found and fixed the fault themselves. No points yet → no grade.
    """
    e = alias
    return f"""CASE
        WHEN {e}.general_points IS NULL OR {e}.task_points IS NULL THEN NULL
        WHEN {e}.disciplined AND NOT {e}.self_corrected THEN '{Grade.NOT_COMPLETED}'
        WHEN {e}.general_points + {e}.task_points >= %(excellent_min)s
             AND {e}.tasks_assigned > 0 AND {e}.tasks_on_time = {e}.tasks_assigned
             AND {e}.tasks_exceeding * 100 >= %(exceeding_percent)s * {e}.tasks_assigned
             AND {e}.shortcomings_fixed THEN '{Grade.EXCELLENT}'
        WHEN {e}.general_points + {e}.task_points >= %(good_min)s
             AND {e}.tasks_on_time = {e}.tasks_assigned THEN '{Grade.GOOD}'
        WHEN {e}.general_points + {e}.task_points >= %(completed_min)s THEN '{Grade.COMPLETED}'
        ELSE '{Grade.NOT_COMPLETED}' END"""


def cap_case(limits, alias="o"):
    """The cap percent of a cell as SQL over its organization row ``alias``, with its parameters."""
    params = {"cap_percent": limits.cap_percent}
    if not limits.cap_by_path:
        return "%(cap_percent)s", params
    whens = []
    for i, (path, value) in enumerate(limits.cap_by_path):
        params[f"cap_path_{i}"] = path + "%"
        params[f"cap_value_{i}"] = value
        whens.append(f"WHEN {alias}.path LIKE %(cap_path_{i})s THEN %(cap_value_{i})s")
    return f"CASE {' '.join(whens)} ELSE %(cap_percent)s END", params


def _scope(alias="e", org_alias="o"):
    return (f"{alias}.year = %(year)s AND {org_alias}.path LIKE %(prefix)s")


def _on_roll():
    return "(" + ", ".join(f"'{status}'" for status in ON_ROLL) + ")"


def create_missing_sql():
    """Rows for the members on the roll of the scope's cells who have none for the year."""
    return f"""
    INSERT INTO {TABLE} (year, member_id, organization_id, tasks_assigned, tasks_on_time, tasks_exceeding,
        shortcomings_fixed, disciplined, self_corrected, meetings_held, meetings_attended,
        meetings_absent_unexcused, quota_reduced, created_at)
    SELECT %(year)s, m.id, m.organization_id, 0, 0, 0, %(true)s, %(false)s, %(false)s, 0, 0, 0, %(false)s, %(now)s
    FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id
    WHERE o.path LIKE %(prefix)s AND m.status IN {_on_roll()}
      AND NOT EXISTS (SELECT 1 FROM {TABLE} x WHERE x.member_id = m.id AND x.year = %(year)s)"""


def _attendance_sql():
    """Attendance at the year's held meetings per member of the scope, wherever they attended (a member
    who moved cells during the year brings their record along). Unmarked rows are not counted,
    as in the meetings' statistics."""
    return f"""
        SELECT a.member_id, count(*) AS held,
               sum(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) AS attended,
               sum(CASE WHEN a.status = 'unexcused' THEN 1 ELSE 0 END) AS unexcused
        FROM meetings_attendance a
        JOIN meetings_meeting mt ON mt.id = a.meeting_id
        WHERE mt.year = %(year)s AND mt.state = 'held' AND a.status <> 'unknown'
          AND a.member_id IN (SELECT e2.member_id FROM {TABLE} e2
                              JOIN organizations_organization o2 ON o2.id = e2.organization_id
                              WHERE {_scope('e2', 'o2')})
        GROUP BY a.member_id"""


def classify_sql(cap_sql):
    """The evidence, the grades from the points and the cap on "excellent" within each cell, in one UPDATE.

    One statement rather than one for the evidence and one for the grades: the grades do
    not depend on the evidence, and each row is then written once (on PostgreSQL in place,
    see migration 0002), which halves the cost of a province.

    Quy định 124-QĐ/TW Art.12 (kept by 366-QĐ/TW, DOMAIN §5, CFG): at most cap_percent %
    of the members graded at least good may be excellent. The base is the cell's members
    whose points earn excellent or good: excellent members are chosen from among the good
    ones, so the base counts both, and a cell of fewer than 100 / cap_percent such members
    has no room (the count rounds down). Candidates beyond the cap, the lowest total first
    (ties: fewer tasks exceeding, then the larger id), become good with ``quota_reduced``.
    Approved rows keep their evidence and grades and hold their places in the count.
    """
    excellent, good = Grade.EXCELLENT.value, Grade.GOOD.value
    return f"""
    UPDATE {TABLE} AS t
    SET meetings_held = n.held, meetings_attended = n.attended, meetings_absent_unexcused = n.unexcused,
        proposed_grade = n.proposed, grade = n.final, quota_reduced = n.reduced, classified_at = %(now)s
    FROM (
        SELECT r.id, r.held, r.attended, r.unexcused, r.proposed,
               CASE WHEN r.candidate = 1 AND r.place * 100 > r.base * r.cap THEN '{good}'
                    ELSE r.proposed END AS final,
               CASE WHEN r.candidate = 1 AND r.place * 100 > r.base * r.cap THEN %(true)s
                    ELSE %(false)s END AS reduced
        FROM (
            SELECT c.*,
                   ROW_NUMBER() OVER (PARTITION BY c.organization_id, c.candidate
                                      ORDER BY c.approved DESC, c.total DESC, c.tasks_exceeding DESC, c.id) AS place,
                   sum(CASE WHEN c.proposed IN ('{excellent}', '{good}') THEN 1 ELSE 0 END)
                       OVER (PARTITION BY c.organization_id) AS base
            FROM (
                SELECT g.*, CASE WHEN (CASE WHEN g.approved = 1 THEN g.old_grade ELSE g.proposed END)
                                      = '{excellent}' THEN 1 ELSE 0 END AS candidate
                FROM (
                    SELECT e.id, e.organization_id, e.tasks_exceeding, e.grade AS old_grade,
                           e.general_points + e.task_points AS total,
                           CASE WHEN e.approved_on IS NOT NULL THEN 1 ELSE 0 END AS approved,
                           CASE WHEN e.approved_on IS NOT NULL THEN e.proposed_grade ELSE {grade_case()} END AS proposed,
                           coalesce(s.held, 0) AS held, coalesce(s.attended, 0) AS attended,
                           coalesce(s.unexcused, 0) AS unexcused,
                           {cap_sql} AS cap
                    FROM {TABLE} e
                    JOIN organizations_organization o ON o.id = e.organization_id
                    LEFT JOIN ({_attendance_sql()}) s ON s.member_id = e.member_id
                    WHERE {_scope()}
                ) g
            ) c
        ) r
        WHERE r.approved = 0
    ) n
    WHERE t.id = n.id AND (t.meetings_held <> n.held OR t.meetings_attended <> n.attended
                           OR t.meetings_absent_unexcused <> n.unexcused
                           OR t.proposed_grade IS DISTINCT FROM n.proposed OR t.grade IS DISTINCT FROM n.final
                           OR t.quota_reduced <> n.reduced)"""


COUNTS_SQL = f"""
    SELECT e.grade, count(*), sum(CASE WHEN e.quota_reduced THEN 1 ELSE 0 END)
    FROM {TABLE} e JOIN organizations_organization o ON o.id = e.organization_id
    WHERE e.year = %(year)s AND o.path LIKE %(prefix)s
    GROUP BY e.grade"""


def run(organization, year, *, now):
    """Classify every member of ``organization``'s subtree for ``year``; the caller holds the transaction.

    Returns the counts: rows created and changed, members by final grade, "unscored"
    (no grade yet) and "quota_reduced".
    """
    limits = thresholds(organization, year)
    cap_sql, cap_params = cap_case(limits)
    ops = connection.ops
    params = {
        "year": year, "prefix": organization.path + "%", "now": ops.adapt_datetimefield_value(now),
        "true": True, "false": False,
        "excellent_min": limits.excellent_min, "good_min": limits.good_min,
        "completed_min": limits.completed_min, "exceeding_percent": limits.exceeding_percent, **cap_params,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Runs of one year take turns (SQLite's IMMEDIATE transactions already do): two at
            # once would both insert the same missing rows. A cell's run takes milliseconds.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, year])
            for statement in PG_SETTINGS:
                cursor.execute(statement)
        cursor.execute(create_missing_sql(), params)
        created = cursor.rowcount
        cursor.execute(classify_sql(cap_sql), params)
        changed = cursor.rowcount
        cursor.execute(COUNTS_SQL, params)
        rows = cursor.fetchall()
    counts = {"created": created, "changed": changed, "unscored": 0, "quota_reduced": 0,
              **{grade: 0 for grade in Grade.values}}
    for grade, n, reduced in rows:
        counts[grade or "unscored"] += n
        counts["quota_reduced"] += reduced or 0
    return counts

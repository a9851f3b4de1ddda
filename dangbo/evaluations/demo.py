"""Demo review: last year's scores for every member of the ward, classified, the first cells approved."""

import random
from datetime import date

from django.utils import timezone

from dangbo.evaluations import actions
from dangbo.evaluations.models import MemberEvaluation

APPROVED_CELLS = 4


def _scores(rnd):
    """Points as cells give them: most 70–89, about one in seven 90 or more, a few below 70."""
    r = rnd.random()
    total = rnd.randint(90, 99) if r < 0.15 else rnd.randint(70, 89) if r < 0.95 else rnd.randint(45, 69)
    general = min(30, max(total - 70, round(total * 0.3) + rnd.randint(-2, 2)))
    assigned = rnd.randint(4, 10)
    on_time = assigned if total >= 70 and rnd.random() < 0.96 else max(0, assigned - rnd.randint(1, 2))
    exceeding = min(on_time, -(-3 * assigned // 10) + rnd.randint(0, 2)) if total >= 90 else rnd.randint(0, assigned // 3)
    disciplined = rnd.random() < 0.01
    return {"general_points": general, "task_points": total - general, "tasks_assigned": assigned,
            "tasks_on_time": on_time, "tasks_exceeding": exceeding, "shortcomings_fixed": rnd.random() < 0.97,
            "disciplined": disciplined, "self_corrected": disciplined and rnd.random() < 0.3}


def seed_evaluations(ward, *, by, seed=2026):
    year = timezone.localdate().year - 1
    rnd = random.Random(seed)
    actions.classify_year(ward, year, by=by)  # a row for every member on the roll
    rows = list(MemberEvaluation.objects.filter(organization__path__startswith=ward.path, year=year).order_by("pk"))
    for row in rows:
        for name, value in _scores(rnd).items():
            setattr(row, name, value)
    # Demo data as seed_demo loads members: in bulk, without a history record per row.
    MemberEvaluation.objects.bulk_update(rows, list(actions.SCORE_FIELDS), batch_size=500)
    actions.classify_year(ward, year, by=by)
    for cell in ward.descendants().cells().order_by("code")[:APPROVED_CELLS]:
        actions.approve_year(cell, year, by=by, on=date(year, 12, 28))

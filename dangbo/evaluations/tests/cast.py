"""The evaluations' test helpers: members on a cell's roll with scores; it holds no tests."""

from itertools import count

from dangbo.evaluations.models import MemberEvaluation
from dangbo.members.tests.test_transfers import make_member

YEAR = 2025
_serial = count(1)


def scored(cell, total=None, *, general=None, task=None, year=YEAR, assigned=10, on_time=None, exceeding=0,
           name=None, **fields):
    """A new member of ``cell`` and their row for ``year``: ``total`` points split 30/rest unless given."""
    member = make_member(cell, name=name or f"Đảng viên Xếp loại {next(_serial):03d}")
    if total is not None:
        general = min(total, 30) if general is None else general
        task = total - general if task is None else task
    return MemberEvaluation.objects.create(
        year=year, member=member, organization=cell, general_points=general, task_points=task,
        tasks_assigned=assigned, tasks_on_time=assigned if on_time is None else on_time,
        tasks_exceeding=exceeding, **fields)


def grades(*rows):
    """(proposed, final, reduced) of each row, read again."""
    out = []
    for row in rows:
        row.refresh_from_db()
        out.append((row.proposed_grade, row.grade, row.quota_reduced))
    return out

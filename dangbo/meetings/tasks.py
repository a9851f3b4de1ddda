"""Background work of the meetings app: the monthly refresh of absence flags.

django-tasks has no scheduler: a monthly cron entry (or systemd timer) enqueues
``refresh_absence_flags`` and the ``db_worker`` runs it, e.g.
``manage.py shell -c "from dangbo.meetings.tasks import refresh_absence_flags; refresh_absence_flags.enqueue()"``.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from dangbo.meetings.triggers import compute_absence_flags
from dangbo.organizations.models import Organization

logger = logging.getLogger(__name__)


def years_to_refresh(today):
    """The current year; in January also the last one, whose December was just marked."""
    last_month = today.replace(day=1) - timedelta(days=1)
    return sorted({last_month.year, today.year})


@task()
def refresh_absence_flags():
    """Compute absence flags for every active cell; returns the counts of what changed."""
    today = timezone.localdate()
    totals = {"cells": 0, "created": 0, "updated": 0, "reopened": 0, "withdrawn": 0}
    for cell in Organization.objects.cells().active(today).order_by("path"):
        for year in years_to_refresh(today):
            report = compute_absence_flags(cell, year=year, on=today)
            for name, count in report.counts().items():
                totals[name] += count
        totals["cells"] += 1
    logger.info("absence flags refreshed: %s", totals)
    return totals

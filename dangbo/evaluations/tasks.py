"""Background work of the evaluations app: classifying a large committee's year."""

import logging

from django_tasks import task

from dangbo.evaluations import actions
from dangbo.evaluations.models import ClassificationRun

logger = logging.getLogger(__name__)


@task()
def classify_year_task(run_id):
    """Run a queued classification; the run row says queued, done or failed, for the overview page."""
    run = ClassificationRun.objects.select_related("organization", "requested_by").get(pk=run_id)
    try:
        counts = actions.classify_year(run.organization, run.year, by=run.requested_by, run=run)
    except Exception as error:
        ClassificationRun.objects.filter(pk=run_id).update(state=ClassificationRun.State.FAILED,
                                                           error=str(error)[:300])
        logger.exception("classification run %s failed", run_id)
        raise
    logger.info("classification run %s: %s", run_id, counts)
    return counts

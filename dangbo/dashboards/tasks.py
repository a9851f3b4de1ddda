"""Background work of the dashboards: the morning recount of large committees' statistics."""

import logging

from django_tasks import task

from dangbo.dashboards import rollups

logger = logging.getLogger(__name__)


@task()
def refresh_member_rollups():
    """Recount the member statistics of every large committee for today; returns how many committees."""
    committees = rollups.refresh()
    logger.info("member rollups refreshed for %s committees", committees)
    return committees

"""Read-only statistics built from the other apps: member counts rolled up per large committee."""

from django.db import models


class MemberRollup(models.Model):
    """How many members of a committee's subtree fall under one value of one breakdown, on a date.

    Kept only for committees too large to count live in a page request (a province,
    the nation): ``dangbo.dashboards.rollups.refresh`` rewrites them set-based each
    morning. Wards and cells are always counted live, so their figures are exact.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    computed_on = models.DateField()
    computed_at = models.DateTimeField()
    dimension = models.CharField(max_length=24)
    key = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "dimension", "key"], name="member_rollup_unique"),
        ]

"""Member counts for organizations, summed over subtrees in one query."""

from collections import Counter

from django.apps import apps
from django.db.models import Count


def member_counts(organizations, root_path=None):
    """Map organization id -> number of members in its subtree (cell or committee).

    Members arrive with the registry; until it is installed every count is 0.
    Temporarily attached members are not counted (294-QĐ/TW §6: đảng số stays
    at the home organization); the registry's ``counted_in_totals`` says which.
    """
    organizations = list(organizations)
    if not organizations or not apps.is_installed("dangbo.members") or not _has_member_model():
        return {org.pk: 0 for org in organizations}
    Member = apps.get_model("members", "Member")
    prefix = root_path or _common_prefix([o.path for o in organizations])
    per_org = Counter(
        dict(
            Member.objects.counted_in_totals()
            .filter(organization__path__startswith=prefix)
            .values("organization__path")
            .annotate(n=Count("pk"))
            .values_list("organization__path", "n")
        )
    )
    result = {}
    for org in organizations:
        result[org.pk] = sum(n for path, n in per_org.items() if path.startswith(org.path))
    return result


def _common_prefix(paths):
    if not paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    common = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common) + "/" if common else ""


def _has_member_model():
    try:
        apps.get_model("members", "Member")
    except LookupError:
        return False
    return True

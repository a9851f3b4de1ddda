"""Bring the Rule table in line with catalog.py: used by the data migration and by load_rules.

It adds keys and versions and updates what the catalog says of each version
(value, title, source, dates). It deletes nothing, and never touches the
organizations' overrides: a version that left the catalog is reported as stale.
"""

from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.db import transaction

from dangbo.rules.catalog import RULES, CatalogError, check_catalog
from dangbo.rules.models import ranges_overlap


@dataclass
class SyncReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    stale: list = field(default_factory=list)


def _overlaps(rows):
    """Pairs of versions of one key that overlap, as readable strings."""
    by_key = {}
    problems = []
    for row in sorted(rows, key=lambda r: (r.key, r.valid_from)):
        for other in by_key.get(row.key, []):
            if ranges_overlap(row.valid_from, row.valid_to, other.valid_from, other.valid_to):
                problems.append(f"{row.key}: {other.valid_from:%d/%m/%Y} và {row.valid_from:%d/%m/%Y}")
        by_key.setdefault(row.key, []).append(row)
    return problems


def sync_catalog(rule_model=None, entries=None):
    """Create or update one Rule row per catalog entry; return a SyncReport.

    ``rule_model`` is the migration's historical model when called from a
    migration, so only plain ORM calls are used here and fields the model does
    not have yet are skipped.
    """
    rule_model = rule_model or global_apps.get_model("rules", "Rule")
    entries = check_catalog(RULES if entries is None else entries)
    known = {f.name for f in rule_model._meta.concrete_fields}
    report = SyncReport()
    with transaction.atomic():
        existing = {(r.key, r.valid_from): r for r in rule_model.objects.all()}
        for e in entries:
            values = {name: v for name, v in e.items() if name in known and name not in ("key", "valid_from")}
            row = existing.pop((e["key"], e["valid_from"]), None)
            label = f"{e['key']} ({e['valid_from']:%d/%m/%Y})"
            if row is None:
                rule_model.objects.create(key=e["key"], valid_from=e["valid_from"], **values)
                report.created.append(label)
                continue
            changed = [name for name, v in values.items() if getattr(row, name) != v]
            if changed:
                for name in changed:
                    setattr(row, name, values[name])
                row.save()
                report.updated.append(f"{label}: {', '.join(changed)}")
            else:
                report.unchanged += 1
        report.stale = sorted(f"{key} ({valid_from:%d/%m/%Y})" for key, valid_from in existing)
        problems = _overlaps(rule_model.objects.all())
        if problems:
            raise CatalogError("Các phiên bản trùng thời gian áp dụng: " + "; ".join(problems))
    return report

"""rule(key, on, org): the value of a rule in force on the date of an event.

Usage, citing the regulation where the rule is applied::

    from dangbo.rules.lookup import rule
    # Quy định 294-QĐ/TW §1.1: 216–720 completed months of age on the day the cell considers it
    on = meeting.held_on
    months = completed_months(candidate.date_of_birth, on)
    eligible = rule("admission.min_age_months", on) <= months <= rule("admission.max_age_months", on)

The date is required: a rule applies by the event's date, never by today's.

The whole table (a few hundred rows) is read at once and kept per process.
Saving or deleting a Rule or RuleOverride clears it at once (signals wired in
apps.py; queryset.update() sends none, so call clear_cache() after one);
another process sees the change within CACHE_SECONDS. While a change is
uncommitted (inside a transaction, e.g. a TestCase), lookups read the database
instead of filling the cache, so a rolled-back change can never stay cached;
caching resumes once that transaction has ended.
"""

import copy
import threading
import time
from collections import namedtuple
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from dangbo.lib.dates import format_date
from dangbo.rules.models import Rule, RuleOverride, as_fraction

CACHE_SECONDS = 300

_Version = namedtuple("_Version", "valid_from valid_to value configurable source_document source_section")
_Override = namedtuple("_Override", "organization_id valid_from valid_to value")
_Snapshot = namedtuple("_Snapshot", "loaded_at rules overrides")

_lock = threading.Lock()
_cache = None
# (database alias, outermost atomic block) of a change not yet committed, or None.
_pending = None


class RuleMissing(LookupError):
    """No version of ``key`` is in force on ``on``."""

    def __init__(self, key, on):
        self.key = key
        self.on = on
        super().__init__(f"Không có quy định {key} áp dụng ngày {format_date(on)}.")


def clear_cache():
    global _cache
    with _lock:
        _cache = None


def _committed():
    global _pending
    _pending = None
    clear_cache()


def rules_changed(sender=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """Signal receiver: a Rule or RuleOverride was saved or deleted."""
    global _pending
    clear_cache()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        _pending = (using, connection.atomic_blocks[0])
        transaction.on_commit(_committed, using=using)


def _uncommitted_changes():
    """Whether a rule change may still be uncommitted (its transaction has not ended)."""
    global _pending
    pending = _pending
    if pending is None:
        return False
    using, block = pending
    blocks = transaction.get_connection(using).atomic_blocks
    if blocks and blocks[0] is block:
        return True
    # That transaction is over: committed (then _committed ran) or rolled back.
    _pending = None
    return False


def _load():
    rules = {}
    for key, *fields in Rule.objects.order_by("key", "valid_from").values_list(
        "key", "valid_from", "valid_to", "value", "configurable", "source_document", "source_section"
    ):
        rules.setdefault(key, []).append(_Version(*fields))
    overrides = {}
    for key, *fields in RuleOverride.objects.values_list(
        "key", "organization_id", "valid_from", "valid_to", "value"
    ):
        overrides.setdefault(key, []).append(_Override(*fields))
    return _Snapshot(time.monotonic(), rules, overrides)


def _snapshot():
    global _cache
    cached = _cache
    if cached is not None and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
        return cached
    fresh = _load()
    if not _uncommitted_changes():
        with _lock:
            _cache = fresh
    return fresh


def _as_date(on):
    if isinstance(on, datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    if on is None:
        raise TypeError("rule() cần ngày của sự việc (on=...), không mặc định là hôm nay.")
    return on


def _in_force(rows, on):
    for row in rows:
        if row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
            return row
    return None


def _version(key, on):
    on = _as_date(on)
    snapshot = _snapshot()
    version = _in_force(snapshot.rules.get(key, ()), on)
    if version is None:
        raise RuleMissing(key, on)
    return on, snapshot, version


def rule(key, on, org=None):
    """The value of ``key`` in force on ``on``; for ``org``, its nearest override if the rule allows one.

    Only rules marked CFG (``configurable``) take overrides. The override on
    the deepest of ``org`` and its ancestors wins; between two on one
    organization, the later start wins. Raises RuleMissing when nothing is in force.
    """
    on, snapshot, version = _version(key, on)
    value = version.value
    if org is not None and version.configurable:
        depth = {pk: i for i, pk in enumerate(org.ancestor_ids())}
        best = None
        for override in snapshot.overrides.get(key, ()):
            if override.organization_id not in depth:
                continue
            if override.valid_from <= on and (override.valid_to is None or on <= override.valid_to):
                rank = (depth[override.organization_id], override.valid_from)
                if best is None or rank > best[0]:
                    best = (rank, override.value)
        if best is not None:
            value = best[1]
    return copy.deepcopy(value) if isinstance(value, (dict, list)) else value


def rule_or_none(key, on, org=None):
    """A rule's value, or None for a date no version covers (an old record): no deadline then."""
    try:
        return rule(key, on, org)
    except RuleMissing:
        return None


def fraction(key, on, org=None):
    """The rule's value as a fractions.Fraction ("2/3" → Fraction(2, 3), 0.5 → Fraction(1, 2))."""
    return as_fraction(rule(key, on, org))


def citation(key, on):
    """'Quy định 294-QĐ/TW ngày 26/5/2025 §1.1': the source of the version in force, for messages."""
    _, _, version = _version(key, on)
    return " ".join(filter(None, [version.source_document, version.source_section]))

"""Change history (django-simple-history) as people read it: field labels, dd/mm/yyyy, old → new."""

from datetime import date

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dangbo.lib.dates import format_date

LIMIT = 200


def shown(field, value):
    """A history value as a person reads it: the choice's label, dd/mm/yyyy, "—" for nothing."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return value


def changes(model, record, previous):
    """What ``record`` changed since ``previous`` (both historical rows of one object)."""
    rows = []
    for change in record.diff_against(previous).changes:
        field = model._meta.get_field(change.field)
        label = capfirst(field.verbose_name)
        if field.is_relation:
            rows.append({"field": label, "relation": True})
        else:
            rows.append({"field": label, "old": shown(field, change.old), "new": shown(field, change.new)})
    return rows


def history_rows(model, records, *, what="", summary=None, limit=LIMIT):
    """Rows of a history tab, oldest compared with the one before, returned newest first.

    Compares consecutive rows in Python, so the page costs one query however long
    the history is (``prev_record`` would cost one per row).
    """
    records = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    records.reverse()
    previous, rows = {}, []
    for record in records:
        before = previous.get(record.id)
        rows.append({
            "record": record, "what": what,
            "changes": changes(model, record, before) if before is not None and record.history_type == "~" else [],
            "summary": summary(record) if summary and record.history_type == "+" else "",
        })
        previous[record.id] = record
    rows.reverse()
    return rows


def merged(*row_lists):
    """Several objects' rows in one list, newest first."""
    rows = [row for row_list in row_lists for row in row_list]
    return sorted(rows, key=lambda r: (r["record"].history_date, r["record"].history_id), reverse=True)

"""Writing an import's new members: COPY on PostgreSQL, bulk_create elsewhere, the same rows either way.

Each new member gets its row, a history row ('+', the importing user, the import's
reason) and a first status event, as ``actions.create_members_bulk`` writes them.
Rows come as compact tuples (row number, values in ``fields`` order with None for the
model default, cell id, status), so an import of 50,000 rows never holds 50,000 models.
Callers run these inside their transaction and check the values first.
"""

from unicodedata import normalize

from django.conf import settings
from django.db import connection
from django.db.models import CharField
from django.utils import timezone

from dangbo.lib import copy
from dangbo.lib.vntext import nfc, search_key
from dangbo.members.actions import create_members_bulk
from dangbo.members.models import Member, StatusEvent


def _member(values, fields, organization_id, status):
    given = {name: value for name, value in zip(fields, values) if value is not None}
    return Member(organization_id=organization_id, status=status, **given)


def create_members_orm(rows, *, fields, by, reason, batch_size=500):
    """bulk_create the rows' members, a batch at a time; yields how many each batch saved."""
    for start in range(0, len(rows), batch_size):
        members = [_member(values, fields, organization_id, status)
                   for _row, values, organization_id, status in rows[start:start + batch_size]]
        create_members_bulk(members, by=by, reason=reason, batch_size=batch_size)
        yield len(members)


def create_members_copy(rows, *, fields, by, reason, batch_size=None):  # noqa: ARG001 (as create_members_orm)
    """COPY the rows' members, then write their history rows and first status events
    set-based from the members just written (PostgreSQL).

    Ids are taken from the members' sequence first, so nothing is read back row by row.
    One timestamp stands for the whole import (created_at, history_date, recorded_at).
    Yields how many rows each step saved.
    """
    if not rows:
        return
    now = timezone.now()
    by_id = by.pk if by is not None else None
    ids = copy.reserve_ids(connection, Member, len(rows))
    member = copy.Columns(Member, ["id", *fields, "organization_id", "status", "search_key"], now=now)
    copy.copy_lines(connection, member, _member_lines(rows, ids, fields, member.suffix))
    yield len(rows) // 2

    table = Member._meta.db_table
    # The new members, read back by id: a range when the sequence gave consecutive ids (the usual case).
    if ids[-1] - ids[0] + 1 == len(ids):
        new_members, key = '"id" BETWEEN %s AND %s', [ids[0], ids[-1]]
    else:
        new_members, key = '"id" = ANY(%s)', [ids]
    with connection.cursor() as cursor:
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history = Member.history.model
            columns = [f.column for f in history.tracked_fields]
            names = ", ".join(f'"{c}"' for c in columns)
            extra = [history._meta.get_field(name).column for name in
                     ("history_date", "history_change_reason", "history_type", "history_user_id")]
            cursor.execute(
                f'INSERT INTO "{history._meta.db_table}" ({names}, {", ".join(extra)}) '
                f'SELECT {names}, %s, %s, %s, %s FROM "{table}" WHERE {new_members} ORDER BY "id"',
                [now, reason, "+", by_id, *key],
            )
        event = StatusEvent._meta
        cursor.execute(
            f'INSERT INTO "{event.db_table}" (member_id, status, effective_on, reason, decision_reference, '
            f'recorded_by_id, recorded_at) '
            f'SELECT "id", "status", COALESCE("official_date", "admission_date"), %s, %s, %s, %s '
            f'FROM "{table}" WHERE {new_members} ORDER BY "id"',
            [reason, "", by_id, now, *key],
        )
    yield len(rows) - len(rows) // 2


def _member_lines(rows, ids, fields, suffix):
    """COPY text lines of the members: id, the fields (model default for None), cell, status, search key."""
    meta = Member._meta
    # Per field: is it text, and its default as COPY text.
    kinds = [(isinstance(meta.get_field(name), CharField), copy.text(meta.get_field(name).get_default()))
             for name in fields]
    card, name_at = fields.index("card_number"), fields.index("full_name")
    escapes = copy.ESCAPES
    for (_row, values, organization_id, status), pk in zip(rows, ids):
        if values[card] == "":
            values = values[:card] + (None,) + values[card + 1:]
        # Stored text is NFC (as create_members_bulk makes it); ASCII is NFC already.
        parts = [
            default if value is None
            else (value if value.isascii() else normalize("NFC", value)).translate(escapes) if is_text
            else value.isoformat()
            for value, (is_text, default) in zip(values, kinds)
        ]
        yield (f"{pk}\t" + "\t".join(parts)
               + f"\t{organization_id}\t{status}\t{search_key(nfc(values[name_at])).translate(escapes)}{suffix}")

"""Writing an import's new members: COPY on PostgreSQL, bulk_create elsewhere, the same rows either way.

Each new member gets its row, a history row ('+', the importing user, the import's
reason) and a first status event, as ``actions.create_members_bulk`` writes them.
Rows come as compact tuples (row number, values in ``fields`` order with None for the
model default, cell id, status), so an import of 50,000 rows never holds 50,000 models.
Callers run these inside their transaction and check the values first. ``MemberCopy``
takes the rows one at a time, so the importer can hand each row over as soon as it is
checked and PostgreSQL writes while the rest of the file is read.
"""

from unicodedata import is_normalized, normalize

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
    """COPY the rows' members with their history rows and first status events (PostgreSQL),
    through ``MemberCopy``; yields how many rows each batch handed to it."""
    with MemberCopy(fields=fields, by=by, reason=reason) as writer:
        for start in range(0, len(rows), MemberCopy.BATCH):
            batch = rows[start:start + MemberCopy.BATCH]
            for row in batch:
                writer.add(row)
            yield len(batch)
        writer.close()


class MemberCopy:
    """New members written while more are being read and checked (PostgreSQL).

    ``add(row)`` renders a row as a COPY line here; every BATCH rows a worker thread
    (lib/copy.Worker) takes ids from the members' sequence, COPYs the batch and writes
    its history rows and first status events set-based from the members just written
    (``INSERT … SELECT``: cheaper for the server than a second COPY of the same values,
    measured). PostgreSQL does that in its own process while this one reads on.
    One timestamp stands for the whole import (created_at, history_date, recorded_at).

    Used as a context manager inside the caller's transaction: ``close()`` waits for the
    last batch and raises a database error (IntegrityError...) of any; leaving the block
    without ``close()`` drops the batches not written yet, and the caller rolls back.
    """

    BATCH = 2500

    def __init__(self, *, fields, by, reason):
        self.now = timezone.now()
        self.by_id = by.pk if by is not None else None
        self.reason = reason
        self.columns = copy.Columns(Member, ["id", *fields, "organization_id", "status", "search_key"], now=self.now)
        self.render = _line_renderer(fields, self.columns.suffix)
        self.lines = []
        self.worker = None
        table = Member._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, Member._meta.pk.column])
            self.sequence = cursor.fetchone()[0]
        self.history_sql = None
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history = Member.history.model
            names = ", ".join(f'"{f.column}"' for f in history.tracked_fields)
            extra = ", ".join(history._meta.get_field(name).column for name in
                              ("history_date", "history_change_reason", "history_type", "history_user_id"))
            self.history_sql = (f'INSERT INTO "{history._meta.db_table}" ({names}, {extra}) '
                                f'SELECT {names}, %s, %s, %s, %s FROM "{table}" WHERE {{new}} ORDER BY "id"')
        self.event_sql = (
            f'INSERT INTO "{StatusEvent._meta.db_table}" (member_id, status, effective_on, reason, decision_reference, '
            f'recorded_by_id, recorded_at) '
            f'SELECT "id", "status", COALESCE("official_date", "admission_date"), %s, %s, %s, %s '
            f'FROM "{table}" WHERE {{new}} ORDER BY "id"'
        )

    def __enter__(self):
        self.worker = copy.Worker(connection)
        return self

    def __exit__(self, *exc):
        self.worker.abort()

    @property
    def failed(self):
        """A batch failed already (the rest of the file need not be read to know the save fails)."""
        return self.worker.failed

    def add(self, row):
        self.lines.append(self.render(row))
        if len(self.lines) >= self.BATCH:
            self._flush()

    def _flush(self):
        lines, self.lines = self.lines, []
        if lines:
            self.worker.submit(lambda cursor: self._write(cursor, lines))

    def close(self):
        """Write what is left and wait for every batch; raise the first database error."""
        self._flush()
        self.worker.close()

    def _write(self, cursor, lines):
        """One batch, in the worker thread: ids, the members, their history rows and status events."""
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [self.sequence, len(lines)])
        ids = sorted(row[0] for row in cursor.fetchall())
        with cursor.copy(self.columns.sql()) as stream:
            stream.write("".join([f"{pk}{line}" for pk, line in zip(ids, lines)]))
        # The batch's members: a range when the sequence gave consecutive ids (the usual case).
        if ids[-1] - ids[0] + 1 == len(ids):
            new, key = '"id" BETWEEN %s AND %s', [ids[0], ids[-1]]
        else:
            new, key = '"id" = ANY(%s)', [ids]
        if self.history_sql:
            cursor.execute(self.history_sql.format(new=new), [self.now, self.reason, "+", self.by_id, *key])
        cursor.execute(self.event_sql.format(new=new), [self.reason, "", self.by_id, self.now, *key])


def _line_renderer(fields, suffix):
    """A function of one compact row to its COPY line without the id (the writer puts it first):
    the fields (model default for None), cell, status, search key."""
    meta = Member._meta
    # Per field: is it text, and its default as COPY text.
    kinds = [(isinstance(meta.get_field(name), CharField), copy.text(meta.get_field(name).get_default()))
             for name in fields]
    card, name_at = fields.index("card_number"), fields.index("full_name")
    escapes = copy.ESCAPES
    # A ward's names repeat: their search keys are made once per import.
    keys = {}

    def render(row):
        _row, values, organization_id, status = row
        if values[card] == "":
            values = values[:card] + (None,) + values[card + 1:]
        texts = [value for value in values if value.__class__ is str]
        probe = "\t".join(texts)
        if (probe.count("\t") == len(texts) - 1 and "\\" not in probe and "\n" not in probe and "\r" not in probe
                and is_normalized("NFC", probe)):
            # The usual row: no text to escape for COPY, all of it NFC already.
            parts = [default if value is None else value if is_text else value.isoformat()
                     for value, (is_text, default) in zip(values, kinds)]
        else:
            # Stored text is NFC (as create_members_bulk makes it).
            parts = [default if value is None else normalize("NFC", value).translate(escapes) if is_text
                     else value.isoformat() for value, (is_text, default) in zip(values, kinds)]
        name = values[name_at]
        key = keys.get(name)
        if key is None:
            key = keys[name] = search_key(nfc(name)).translate(escapes)
        return "\t" + "\t".join(parts) + f"\t{organization_id}\t{status}\t{key}{suffix}"
    return render

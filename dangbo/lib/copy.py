"""PostgreSQL COPY of model rows: the column list of a model, the defaults of the columns not given, text lines.

Bulk loads (the member import) write tens of thousands of rows at once; COPY takes them
in one stream instead of INSERT statements the ORM would compile batch by batch. Rows
are written as lines of COPY's text format, which the caller renders itself (cheaper than
adapting value by value); constant and default columns are rendered once per load.
"""

from datetime import date, datetime

# COPY text format: backslash escapes, \N is NULL (PostgreSQL docs, COPY, "Text Format").
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"
_TEXT_TYPES = ("CharField", "TextField", "EmailField", "SlugField")


def text(value):
    """One value as a field of COPY's text format."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return value.translate(ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


class Columns:
    """The COPY column list of ``model``: the fields given, in that order, then the ``fixed``
    ones (one value for every row), then every other concrete field with its model default
    (``now`` for auto_now(_add) fields). A line is the given values, then ``suffix``.

    An auto-increment primary key not given is left to the database. A field that is
    required, has no default and is not given is a programming error.
    """

    def __init__(self, model, given, *, now, fixed=None):
        fixed = dict(fixed or {})
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = (set(given) | set(fixed)) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.table = model._meta.db_table
        self.given = list(given)
        rest, defaults = list(fixed), list(fixed.values())
        for name, f in fields.items():
            if name in given or name in fixed:
                continue
            if f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"):
                continue
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                value = now
            elif f.has_default() or f.null or f.get_internal_type() in _TEXT_TYPES:
                value = f.get_default()
            else:
                raise ValueError(f"{model.__name__}.{name} is required and has no default")
            if value is None and not f.null:
                raise ValueError(f"{model.__name__}.{name} is required and has no default")
            rest.append(name)
            defaults.append(value)
        self.defaults = tuple(defaults)
        self.columns = [fields[n].column for n in self.given + rest]
        # The defaults as the end of a line: "\t<default>..." then the newline.
        self.suffix = "".join("\t" + text(v) for v in defaults) + "\n"

    def sql(self):
        columns = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.table}" ({columns}) FROM STDIN'


def copy_lines(connection, columns, lines):
    """COPY ``lines`` (text-format lines, each ending with ``columns.suffix``) into the table.

    Database errors come out as Django's (IntegrityError, DataError), as from the ORM.
    """
    from psycopg.copy import QueuedLibpqWriter

    with connection.wrap_database_errors, connection.cursor() as cursor:
        # A worker thread sends the data while this one renders the next lines.
        with cursor.cursor.copy(columns.sql(), writer=QueuedLibpqWriter(cursor.cursor)) as copy:
            batch = []
            for line in lines:
                batch.append(line)
                if len(batch) >= 2000:
                    copy.write("".join(batch))
                    batch.clear()
            if batch:
                copy.write("".join(batch))


def reserve_ids(connection, model, count):
    """``count`` new primary keys of ``model`` taken from its sequence in one query, ascending."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
        return sorted(row[0] for row in cursor.fetchall())

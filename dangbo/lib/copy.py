"""PostgreSQL COPY of model rows: the column list of a model, the defaults of the columns not given, text lines.

Bulk loads (the member import) write tens of thousands of rows at once; COPY takes them
in one stream instead of INSERT statements the ORM would compile batch by batch. Rows
are written as lines of COPY's text format, which the caller renders itself (cheaper than
adapting value by value); constant and default columns are rendered once per load.
``Worker`` runs such writes in a thread on the caller's connection, so the database
works on one batch while Python prepares the next.
"""

import queue
import sys
import threading
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


class Worker:
    """Database work on ``connection`` (Django's, PostgreSQL), run in order by a thread.

    ``submit(job)`` queues ``job(cursor)`` and returns at once, unless ``depth`` jobs
    are already waiting: the caller reads and renders the next batch while PostgreSQL,
    in its own process, writes this one. The jobs run in the caller's transaction (the
    same connection); the caller must not use the connection until ``close()`` or
    ``abort()`` has returned. After a job fails the rest are skipped, and ``close()``
    raises the failure as Django's error (IntegrityError, DataError...).

    While it runs, the interpreter hands the GIL over every millisecond instead of every
    5 ms (sys.setswitchinterval): each time PostgreSQL has taken what was sent, the thread
    needs the GIL back from the busy caller to send more, and waiting 5 ms for it each
    time left the server idle half the time (a 50,000-row import: 5.5 s → 3.5 s).
    """

    SWITCH_INTERVAL = 0.001

    def __init__(self, connection, *, depth=4):
        connection.ensure_connection()
        self._connection = connection
        self._raw = connection.connection
        self._queue = queue.Queue(maxsize=depth)
        self._error = None
        self._stopped = False
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, self.SWITCH_INTERVAL))
        self._thread = threading.Thread(target=self._run, name="copy-worker", daemon=True)
        self._thread.start()

    def _run(self):
        while (job := self._queue.get()) is not None:
            if self._error is not None or self._stopped:
                continue
            try:
                with self._raw.cursor() as cursor:
                    job(cursor)
            except BaseException as error:  # handed to the caller by close()
                self._error = error

    @property
    def failed(self):
        return self._error is not None

    def submit(self, job):
        if self._thread is None:
            raise RuntimeError("the worker is closed")
        self._queue.put(job)

    def _join(self):
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
            sys.setswitchinterval(self._switch_interval)

    def close(self):
        """Wait for every job; raise the first failure."""
        self._join()
        if self._error is not None:
            error, self._error = self._error, None
            with self._connection.wrap_database_errors:
                raise error

    def abort(self):
        """Skip the jobs not started yet and wait for the running one; the caller rolls back."""
        self._stopped = True
        self._join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.abort()

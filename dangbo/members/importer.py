"""Importing member lists from .xlsx and .csv: tolerant headers and values, a checked plan, one save.

``analyse`` reads a file row by row into a ``Report``: every bad row with its row number,
column and a Vietnamese message, the members to create, the members whose profile changes
(with the diff) and those left unchanged. The report counts every row but keeps only a
sample of the new and unchanged ones for the preview, and each new member as a compact
tuple, so its memory does not grow with Member objects. ``import_file`` saves a clean
report in one transaction (COPY on PostgreSQL, see importer_save); on PostgreSQL it first
tries to save a file while reading it, which a file of clean new members (the big
imports) allows. The web page, the background task and ``manage.py import_members`` all
go through these two functions.

Columns and cell values are read in importer_columns, files in importer_files.
"""

import gc
import re
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.lib.dates import format_date
from dangbo.lib.vntext import nfc
from dangbo.members.actions import update_profile
from dangbo.members.choices import Status
from dangbo.members.importer_columns import (  # noqa: F401 (the importer's public names)
    _HEADER_TABLE, _QUIET_HEADERS, COLUMN_BY_FIELD, COLUMNS, DATE_FIELDS, PLAIN_DIGITS, _BadValue, _blank, _header_key,
    _key, _text, display, parse_cell, parse_value, repair_cell, repair_row, row_encoding,
)
from dangbo.members.importer_files import (  # noqa: F401 (the importer's public names)
    HEADER_SEARCH_ROWS, MAX_ROWS, FileProblem, count_rows, decode_csv, file_kind, iter_rows, read_rows,
)
from dangbo.members.importer_save import MemberCopy, create_members_copy, create_members_orm
from dangbo.members.models import Member, profile_problems
from dangbo.members.validators import validate_citizen_id
from dangbo.organizations.models import Organization

# Above this many rows the web page checks and saves in a background task.
BACKGROUND_ROWS = 3000
# The report keeps this many new and unchanged rows for the preview, and counts the rest.
SAMPLE_ROWS = 1000
_PROGRESS_EVERY = 250
_BATCH = 500
# SQLite caps the variables of one statement; IN lists are sent in slices.
_IN_CHUNK = 900
# Parsed values of a column are remembered per file ("Nam", "Kinh", a date...), up to this many.
_CACHE_SIZE = 20000


# --- the report -----------------------------------------------------------------------------------

@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Planned:
    row: int
    member: Member
    cell: Organization
    changes: dict = field(default_factory=dict)
    old: dict = field(default_factory=dict)

    def diff(self):
        return [
            {"field": self.column_label(name), "old": display(name, self.old[name]), "new": display(name, value)}
            for name, value in self.changes.items()
        ]

    @staticmethod
    def column_label(name):
        return COLUMN_BY_FIELD[name].header


# The member fields a file can fill, in the order of a saved row's values.
MEMBER_FIELDS = [c.field for c in COLUMNS if c.kind != "cell"]


@dataclass
class Report:
    """What a file would do. Long lists are kept in part: ``new`` and ``unchanged`` hold the
    first SAMPLE_ROWS rows for the preview and ``counts`` says how many there are;
    ``updated`` holds every changed member, as saving needs them. ``rows`` keeps each new
    member as a compact tuple (row, values in MEMBER_FIELDS order, cell id, status) to save."""

    organization: Organization
    filename: str = ""
    total_rows: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    new_count: int = 0
    unchanged_count: int = 0
    saved: bool = False
    rows: list = field(default_factory=list, repr=False)
    _error_keys: set = field(default_factory=set, repr=False)

    @property
    def ok(self):
        return not self.errors

    @property
    def error_rows(self):
        return len({e.row for e in self.errors})

    @property
    def counts(self):
        return {"new": self.new_count, "updated": len(self.updated), "unchanged": self.unchanged_count,
                "errors": len(self.errors), "error_rows": self.error_rows}

    def error(self, row, column, message):
        item = RowError(row, column, str(message))
        key = (item.row, item.column, item.message)
        if key not in self._error_keys:
            self._error_keys.add(key)
            self.errors.append(item)

    def clear_errors(self):
        self.errors.clear()
        self._error_keys.clear()

    def add_new(self, row, fields, cell, status):
        self.new_count += 1
        self.rows.append((row, tuple(map(fields.get, MEMBER_FIELDS)), cell.pk, status))
        if len(self.new) < SAMPLE_ROWS:
            self.new.append(Planned(row, Member(organization=cell, status=status, **fields), cell))

    def add_unchanged(self, planned):
        self.unchanged_count += 1
        if len(self.unchanged) < SAMPLE_ROWS:
            self.unchanged.append(planned)

    def to_dict(self, limit=1000):
        """The report as JSON-able data for the job file and the page (long lists cut at ``limit``)."""
        return {
            "organization": {"id": self.organization.pk, "name": self.organization.name,
                             "code": self.organization.code},
            "filename": self.filename,
            "total_rows": self.total_rows,
            "counts": self.counts,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "warnings": list(self.warnings),
            "new": [{"row": p.row, "full_name": p.member.full_name, "cell": p.cell.name,
                     "card_number": p.member.card_number or ""} for p in self.new[:limit]],
            "updated": [{"row": p.row, "member_id": p.member.pk, "full_name": p.member.full_name,
                         "cell": p.cell.name, "changes": p.diff()} for p in self.updated[:limit]],
            "unchanged": [{"row": p.row, "member_id": p.member.pk, "full_name": p.member.full_name}
                          for p in self.unchanged[:limit]],
            "saved": self.saved,
        }


# --- analysis -------------------------------------------------------------------------------------

def _find_header(rows):
    """(index in rows, {column index: Column}, {column index: header text}, unknown headers)."""
    best = None
    for index, (_number, raw) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        repaired = repair_row(raw)
        columns, texts = {}, {}
        for position, (value, typed) in enumerate(zip(repaired, raw)):
            if _blank(value):
                continue
            for text in (value, typed):
                column = _HEADER_TABLE.get(_header_key(text))
                if column is not None:
                    columns[position], texts[position] = column, _text(text)
                    break
            else:
                texts[position] = _text(value)
        if len(columns) >= 2 and (best is None or len(columns) > len(best[1])):
            best = (index, columns, texts)
        if len(columns) >= 4:
            break
    if best is None:
        return None
    index, columns, texts = best
    unknown = [text for position, text in texts.items()
               if position not in columns and _header_key(text) not in _QUIET_HEADERS]
    return index, columns, texts, unknown


def _cell_index(organization):
    """Cells of the subtree by code and by accent-free name (with or without 'Chi bộ')."""
    index = {}
    cells = list(Organization.objects.filter(path__startswith=organization.path, kind=Organization.Kind.CELL))
    for cell in cells:
        keys = {cell.code.casefold(), _key(cell.name)}
        short = _key(cell.name)
        if short.startswith("chi bo "):
            keys.add(short[len("chi bo "):])
        for key in keys:
            index.setdefault(key, []).append(cell)
    return index


def _resolve_cell(texts, index, organization):
    text = texts[0]
    matches = []
    for candidate in texts:
        matches = index.get(candidate.strip().casefold()) or index.get(_key(candidate)) or []
        if matches:
            break
    matches = list({c.pk: c for c in matches}.values())
    if not matches:
        raise _BadValue(_("Không có chi bộ «%(v)s» trong %(org)s.") % {"v": text, "org": organization.name})
    if len(matches) > 1:
        raise _BadValue(_("Có nhiều chi bộ tên «%(v)s»; hãy ghi mã chi bộ.") % {"v": text})
    cell = matches[0]
    if not cell.is_active:
        raise _BadValue(_("Chi bộ «%(v)s» đã giải thể.") % {"v": cell.name})
    return cell


def _load_existing(cards, citizen_ids):
    """Members holding any of these card numbers or CCCD numbers, in a few queries."""
    found = {}
    if connection.vendor == "postgresql":
        # One array parameter per column, however long the file: an index scan with = ANY.
        ids = set()
        with connection.cursor() as cursor:
            for name, values in (("card_number", cards), ("citizen_id", citizen_ids)):
                if values:
                    column = Member._meta.get_field(name).column
                    cursor.execute(f'SELECT "id" FROM "{Member._meta.db_table}" WHERE "{column}" = ANY(%s::text[])',
                                   [sorted(values)])
                    ids.update(row[0] for row in cursor.fetchall())
        lookups = [("pk", sorted(ids))]
    else:
        lookups = [("card_number", sorted(cards)), ("citizen_id", sorted(citizen_ids))]
    for name, values in lookups:
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start:start + _IN_CHUNK]
            for member in Member.objects.filter(**{f"{name}__in": chunk}).select_related("organization"):
                found.setdefault(member.pk, member)
    by_card = {m.card_number: m for m in found.values() if m.card_number}
    by_cccd = {m.citizen_id: m for m in found.values() if m.citizen_id}
    return by_card, by_cccd


def _validation_messages(error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                yield name, " ".join(item.messages)
    else:
        for message in error.messages:
            yield NON_FIELD_ERRORS, message


def _blank_row(values):
    try:
        return not "".join(values).strip()
    except TypeError:  # numbers, dates and empty cells of a spreadsheet
        return all(_blank(value) for value in values)


@contextmanager
def _without_gc():
    """Pause the cycle collector: a file makes hundreds of thousands of small objects without
    cycles, and each full collection would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyse(path, organization, *, filename=None, progress=None):
    """Read ``path`` and plan the import into ``organization``'s subtree, saving nothing.

    The file is read row by row: each row is parsed and checked on its own, then the
    numbers of the whole file are looked up in a few queries and each row is planned.
    """
    with _without_gc():
        return _analyse(path, organization, filename=filename, progress=progress)


def _open(report, path, organization):
    """Find and check the header of ``path``: (the data rows, the header's row number,
    {field: header text}, [(position, Column, value cache)]), or None when the file
    cannot be read at all (the report says why). Header problems go to the report."""
    if not organization.is_active:
        report.error(1, "", _("%(org)s đã giải thể; không nhập được.") % {"org": organization.name})
        return None
    try:
        rows = iter_rows(path, report.filename)
        head = list(islice(rows, HEADER_SEARCH_ROWS))
    except FileProblem as problem:
        report.error(1, "", str(problem))
        return None
    found = _find_header(head)
    if found is None:
        report.error(1, "", _("Không tìm thấy dòng tiêu đề (Họ và tên, Ngày sinh, …) trong %(n)d dòng đầu. "
                              "Hãy dùng tệp mẫu.") % {"n": HEADER_SEARCH_ROWS})
        return None
    header_index, mapping, header_texts, unknown = found
    header_row = head[header_index][0]
    headers = {c.field: header_texts[i] for i, c in mapping.items()}
    if unknown:
        report.warnings.append(_("Bỏ qua các cột không thuộc mẫu: %(cols)s.") % {"cols": ", ".join(unknown)})
    seen = {}
    for position, column in mapping.items():
        if column.field in seen:
            report.error(header_row, headers[column.field],
                         _("Có hai cột cùng là «%(c)s»; hãy xóa một cột.") % {"c": column.header})
        seen[column.field] = position
    required = [c for c in COLUMNS if c.required]
    if not organization.is_cell:
        required.append(COLUMN_BY_FIELD["organization"])
    for column in required:
        if column.field not in seen:
            report.error(header_row, column.header, _("Thiếu cột bắt buộc «%(c)s».") % {"c": column.header})
    columns = [(position, column, {} if column.kind not in _UNCACHED_KINDS else None)
               for position, column in mapping.items()]
    return chain(head[header_index + 1:], rows), header_row, headers, columns


def _analyse(path, organization, *, filename=None, progress=None):
    report = Report(organization=organization, filename=filename or Path(path).name)
    opened = _open(report, path, organization)
    if opened is None:
        return report
    data, header_row, headers, columns = opened
    checked_header = report.ok

    parsed_rows = []
    cards, cccds = set(), set()
    estimate = 2 * count_rows(path, report.filename) if progress else 0
    try:
        for number, typed in data:
            if _blank_row(typed):
                continue
            report.total_rows += 1
            if not checked_header or report.total_rows > MAX_ROWS:
                continue  # only counted
            if progress and report.total_rows % _PROGRESS_EVERY == 0:
                progress("analyse", report.total_rows, max(estimate, 2 * report.total_rows))
            parsed, bad = _parse_row(report, number, typed, columns, headers)
            if parsed.get("card_number"):
                cards.add(parsed["card_number"])
            if parsed.get("citizen_id"):
                cccds.add(parsed["citizen_id"])
            parsed_rows.append((number, parsed, bad))
    except FileProblem as problem:
        report.clear_errors()
        report.error(1, "", str(problem))
        return report
    if report.total_rows > MAX_ROWS:
        report.clear_errors()
        report.error(header_row, "", _("Tệp có %(n)s dòng, quá %(max)s dòng; hãy chia thành nhiều tệp.")
                     % {"n": report.total_rows, "max": MAX_ROWS})
    if not checked_header or report.total_rows > MAX_ROWS:
        return report
    if not parsed_rows:
        report.error(header_row + 1, "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
        return report

    by_card, by_cccd = _load_existing(cards, cccds)
    plan = _Plan(report, headers, organization, by_card, by_cccd)
    n = len(parsed_rows)
    total = 2 * n
    for done, (number, parsed, bad) in enumerate(parsed_rows, start=n + 1):
        if progress and done % _PROGRESS_EVERY == 0:
            progress("analyse", done, total)
        plan.row(number, parsed, bad)
    if progress:
        progress("analyse", total, total)
    order = {column_header(c.field, headers): i for i, c in enumerate(COLUMNS)}
    report.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return report


# Columns whose values are mostly unique: remembering them would only take memory.
# (Names are remembered: a ward's list repeats them, 50,000 rows hold about 10,000.)
_UNCACHED_KINDS = frozenset({"cccd", "card", "phone"})
# What _parse_cell says of a cell that is blank once repaired.
_BLANK = object()


def _parse_one(column, value, raw):
    """(True, field value) or (False, message) for one non-blank cell."""
    try:
        if column.kind == "cell":
            # Cell names are looked up as repaired, then as typed.
            return True, (_text(value), _text(nfc(raw) if isinstance(raw, str) else raw))
        return True, parse_cell(column, value, raw)
    except _BadValue as problem:
        return False, str(problem)


def _parse_cell(column, raw, encoding):
    """_parse_one of a cell as typed, in a row whose legacy text is in ``encoding``; _BLANK for a blank cell."""
    plain = PLAIN_DIGITS.get(column.kind)
    if plain is not None and raw.__class__ is str and raw.isascii() and raw.isdigit():
        # An identifier typed as digits, as nearly all are: nothing to repair, the same value, faster.
        try:
            return True, plain(raw)
        except _BadValue as problem:
            return False, str(problem)
    value = repair_cell(raw, encoding)
    if value is None or (isinstance(value, str) and not value.strip()):
        return _BLANK
    return _parse_one(column, value, raw)


def _parse_row(report, number, typed, columns, headers):
    """({field: value}, {fields that failed}) of one row; its errors go to the report.

    A cell's value depends on the cell as typed and on the row's legacy encoding
    (row_encoding) only, so a column remembers it by the typed cell: text as it is
    (the usual row, converted from no legacy encoding), anything else with its type
    and the encoding (1 == 1.0 == True, but they are not the same cell).
    """
    encoding = row_encoding(typed)
    width = len(typed)
    parsed, bad = {}, set()
    for position, column, cache in columns:
        if position >= width:
            continue
        raw = typed[position]
        if cache is None:
            known = _parse_cell(column, raw, encoding)
        else:
            key = raw if encoding is None and raw.__class__ is str else (raw, raw.__class__, encoding)
            known = cache.get(key)
            if known is None:
                known = _parse_cell(column, raw, encoding)
                if len(cache) < _CACHE_SIZE:
                    cache[key] = known
        if known is _BLANK:
            continue
        ok, result = known
        if ok:
            parsed[column.field] = result
        else:
            report.error(number, headers[column.field], result)
            bad.add(column.field)
    return parsed, bad


_REQUIRED_FIELDS = [c.field for c in COLUMNS if c.required]


class _Plan:
    """Files each parsed row of one file under new, updated or unchanged, or its errors."""

    def __init__(self, report, headers, organization, by_card, by_cccd):
        self.report, self.headers, self.organization = report, headers, organization
        self.by_card, self.by_cccd = by_card, by_cccd
        self.cell_index = _cell_index(organization)
        self.cells = {}
        self.first_row_of = {"card_number": {}, "citizen_id": {}, "member": {}}
        self.today = timezone.localdate()

    def cell(self, texts):
        """The cell named by a row (resolved once per distinct text), or _BadValue."""
        found = self.cells.get(texts)
        if found is None:
            try:
                found = _resolve_cell(texts, self.cell_index, self.organization)
            except _BadValue as problem:
                found = problem
            self.cells[texts] = found
        if isinstance(found, _BadValue):
            raise found
        return found

    def row(self, number, parsed, bad):
        report, organization = self.report, self.organization
        failed = bool(bad)

        def error(name, message):
            nonlocal failed
            failed = True
            report.error(number, column_header(name, self.headers), message)

        missing = set()
        for name in _REQUIRED_FIELDS:
            if name not in parsed and name not in bad:
                error(name, _("Chưa ghi %(c)s.") % {"c": COLUMN_BY_FIELD[name].header.lower()})
                missing.add(name)
        for name in DATE_FIELDS:
            if name in parsed and parsed[name] > self.today:
                error(name, _("Ngày %(d)s chưa đến.") % {"d": format_date(parsed[name])})
                bad.add(name)

        cell = None
        cell_text = parsed.pop("organization", ())
        if "organization" in bad:
            pass
        elif cell_text:
            try:
                cell = self.cell(cell_text)
            except _BadValue as problem:
                error("organization", problem)
        elif organization.is_cell:
            cell = organization
        else:
            error("organization", _("Chưa ghi chi bộ."))

        for name in ("card_number", "citizen_id"):
            value = parsed.get(name)
            if value and name not in bad:
                first = self.first_row_of[name].setdefault(value, number)
                if first != number:
                    label = _("Số thẻ đảng viên") if name == "card_number" else _("Số CCCD")
                    error(name, _("%(what)s trùng với dòng %(row)d.") % {"what": label, "row": first})
                    bad.add(name)

        target = self.by_card.get(parsed["card_number"]) if parsed.get("card_number") else None
        if target is None and parsed.get("citizen_id"):
            target = self.by_cccd.get(parsed["citizen_id"])
        matched_by = "card_number" if target is not None and target.card_number == parsed.get("card_number") \
            else "citizen_id"
        if target is not None and not target.organization.is_within(organization):
            error(matched_by, _("Đảng viên có số này đang sinh hoạt ở tổ chức khác, ngoài %(org)s.")
                  % {"org": organization.name})
            return
        if target is not None:
            first = self.first_row_of["member"].setdefault(target.pk, number)
            if first != number:
                error(matched_by, _("Dòng này và dòng %(row)d cùng là đảng viên %(name)s.")
                      % {"row": first, "name": target.full_name})
                return
        for name, holders in (("card_number", self.by_card), ("citizen_id", self.by_cccd)):
            holder = holders.get(parsed.get(name)) if parsed.get(name) else None
            if holder is not None and holder != target and name not in bad:
                who = (holder.full_name if holder.organization.is_within(organization)
                       else _("một đảng viên ở tổ chức khác"))
                error(name, _("Số này đã là của %(who)s.") % {"who": who})
                bad.add(name)
        if target is not None and cell is not None and target.organization_id != cell.pk:
            error("organization", _("Đảng viên này đang sinh hoạt ở %(cell)s; chuyển chi bộ phải làm thủ tục "
                                    "chuyển sinh hoạt đảng.") % {"cell": target.organization.name})
        if failed:
            # The row is already reported; the model's checks may name its other problems too.
            if target is None:
                fields = {name: value for name, value in parsed.items() if name not in bad}
                _full_clean(Member(organization=cell, **fields) if cell else Member(**fields), bad | missing, error)
            return

        if target is None:
            fields = dict(parsed)
            fields.setdefault("ethnicity", "Kinh")
            fields.setdefault("religion", "Không")
            status = Status.OFFICIAL if fields.get("official_date") else Status.PROBATIONARY
            # The explicit checks pass nearly every row; the model's own full_clean names the problems of the rest.
            if _valid_new(fields) or _full_clean(Member(organization=cell, status=status, **fields), set(), error):
                report.add_new(number, fields, cell, status)
            return
        self.update(number, parsed, target, error)

    def update(self, number, parsed, target, error):
        report = self.report
        old = {name: getattr(target, name) for name in parsed}
        changes = {name: value for name, value in parsed.items() if old[name] != value}
        planned = Planned(number, target, target.organization, changes=changes, old=old)
        if not changes:
            report.add_unchanged(planned)
            return
        for name, value in changes.items():
            setattr(target, name, value)
        if _full_clean(target, set(), error):
            report.updated.append(planned)
            if changes.get("official_date") and target.status == Status.PROBATIONARY:
                # Recognition is a decision with its own record (actions.record_status), not a profile edit.
                report.warnings.append(_("Dòng %(row)d: %(name)s đang là đảng viên dự bị; nhập tệp chỉ ghi ngày "
                                         "chính thức, không đổi tình trạng. Hãy ghi nhận công nhận chính thức "
                                         "trong hồ sơ.") % {"row": number, "name": target.full_name})
        else:
            for name, value in old.items():
                setattr(target, name, value)


def column_header(name, headers=None):
    """The column a field's error belongs to: the file's own header text when it has one."""
    if headers and name in headers:
        return headers[name]
    if name in COLUMN_BY_FIELD:
        return COLUMN_BY_FIELD[name].header
    try:
        return str(Member._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return ""


def _full_clean(member, skip, error):
    """The model's own rules (CCCD, dates, lengths); uniqueness was checked in bulk."""
    exclude = {"user", "organization", "status"} | set(skip)
    try:
        member.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as problem:
        for name, message in _validation_messages(problem):
            if name in skip:
                continue
            error(name, message)
        return False
    return True


def _validator_check(validator):
    """A fast predicate for one field validator: RegexValidator's pattern is compiled here
    once (Django keeps it lazy); others are called and must not raise."""
    if isinstance(validator, RegexValidator):
        regex = re.compile(validator.regex.pattern, validator.regex.flags)
        inverse = validator.inverse_match
        return lambda value: (regex.search(str(value)) is None) == inverse

    def check(value):
        try:
            validator(value)
        except ValidationError:
            return False
        return True
    return check


def _field_rules():
    """Per member field: (max length, may be blank, allowed choices, is a date, other checks)."""
    rules = {}
    for name in MEMBER_FIELDS:
        f = Member._meta.get_field(name)
        choices = frozenset(str(value) for value, _label in f.flatchoices) if f.choices else None
        # The CCCD's own validator is the first half of Member.clean's check, run below.
        checks = tuple(_validator_check(v) for v in f.validators
                       if not isinstance(v, MaxLengthValidator) and v is not validate_citizen_id)
        rules[name] = (f.max_length, f.blank, choices, f.get_internal_type() == "DateField", checks)
    return rules


_FIELD_RULES = _field_rules()
# The fields Member.clean checks together (profile_problems).
_CLEAN_FIELDS = ("citizen_id", "sex", "date_of_birth", "admission_date", "official_date")


def _valid_new(fields):
    """True when Member.full_clean would pass these fields of a new member: the same checks
    (lengths, blanks, choices, validators, Member.clean), without building the model.

    False may also mean "not sure": the caller then runs full_clean for its messages.
    """
    for name, value in fields.items():
        max_length, blank, choices, is_date, checks = _FIELD_RULES[name]
        if value == "":
            if blank:
                continue
            return False
        if is_date:
            if value.__class__ is not date:
                return False
            continue
        if value.__class__ is not str or (max_length is not None and len(value) > max_length):
            return False
        if choices is not None and value not in choices:
            return False
        for check in checks:
            if not check(value):
                return False
    return not profile_problems(**{name: fields.get(name) for name in _CLEAN_FIELDS})


# --- saving ---------------------------------------------------------------------------------------

class _Rollback(Exception):
    pass


def _change_reason(filename):
    reason = _("Nhập hồ sơ từ tệp %(f)s") % {"f": filename}
    longest = Member.history.model._meta.get_field("history_change_reason").max_length
    return reason if len(reason) <= longest else reason[:longest - 1] + "…"


def save(report, *, by, progress=None):
    """Save a clean report in one transaction: new members with their first status event
    and history, changed profiles through ``update_profile``. Any failure saves nothing.

    New members go in with COPY on PostgreSQL and with bulk_create elsewhere; both write
    the same rows (importer_save)."""
    if not report.ok:
        raise ValueError("a report with errors is not saved")
    total = len(report.rows) + len(report.updated)
    done = 0
    reason = _change_reason(report.filename)
    create = create_members_copy if connection.vendor == "postgresql" else create_members_orm
    try:
        with _without_gc(), transaction.atomic():
            # closing: a writer still running (COPY's worker) stops before the rollback.
            with closing(create(report.rows, fields=MEMBER_FIELDS, by=by, reason=reason, batch_size=_BATCH)) as writes:
                for count in writes:
                    done += count
                    if progress:
                        progress("save", done, total)
            for planned in report.updated:
                try:
                    update_profile(planned.member, by=by, **planned.changes)
                except ValidationError as problem:
                    for name, message in _validation_messages(problem):
                        report.error(planned.row, column_header(name), message)
                done += 1
                if progress and done % _PROGRESS_EVERY == 0:
                    progress("save", done, total)
            if report.errors:
                raise _Rollback
    except _Rollback:
        return report
    except IntegrityError:
        report.error(1, "", _("Dữ liệu vừa bị người khác thay đổi trong lúc nhập (trùng số thẻ hoặc CCCD). "
                              "Không lưu gì; hãy kiểm tra lại tệp."))
        return report
    report.saved = True
    if progress:
        progress("save", total, total)
    return report


def import_file(path, organization, *, by, dry_run=False, filename=None, progress=None):
    """Check a file and, when it is clean and this is not a dry run, save it all.

    On PostgreSQL a file is first saved while it is read (``_save_while_reading``); a file
    that turns out not to be all new, clean members is rolled back and goes the usual
    way, analyse then save, so its report is the same either way.
    """
    if not dry_run and STREAM_SAVE and connection.vendor == "postgresql":
        report = _save_while_reading(path, organization, by=by, filename=filename, progress=progress)
        if report is not None:
            return report
    report = analyse(path, organization, filename=filename, progress=progress)
    if report.ok and not dry_run and (report.rows or report.updated):
        save(report, by=by, progress=progress)
    return report


# import_file saves a file while reading it, where the database allows (PostgreSQL).
STREAM_SAVE = True


class _NotAllNew(Exception):
    """The file is not only clean new members: it goes through analyse and save instead."""


def _save_while_reading(path, organization, *, by, filename=None, progress=None):
    """Read, check and save a file of new members in one pass: the saved report, or None.

    Each row is checked as ``analyse`` checks it, assuming no member holds its card or
    CCCD number yet, and handed to the COPY writer at once, so PostgreSQL writes while
    Python reads on. The assumption is checked by the unique constraints themselves: a
    number already held makes the COPY fail. At the first error, held number or any
    other surprise (an update, too many rows, an unreadable file) everything written is
    rolled back and None returned. A clean file of new members gets the report
    ``analyse`` would have made, and no member is matched, so none is updated.
    """
    report = Report(organization=organization, filename=filename or Path(path).name)
    try:
        with _without_gc(), transaction.atomic():
            opened = _open(report, path, organization)
            if opened is None or not report.ok:
                raise _NotAllNew
            data, _header_row, headers, columns = opened
            estimate = count_rows(path, report.filename) if progress else 0
            plan = _Plan(report, headers, organization, {}, {})
            with MemberCopy(fields=MEMBER_FIELDS, by=by, reason=_change_reason(report.filename)) as writer:
                for number, typed in data:
                    if _blank_row(typed):
                        continue
                    report.total_rows += 1
                    if report.total_rows > MAX_ROWS:
                        raise _NotAllNew
                    if progress and report.total_rows % _PROGRESS_EVERY == 0:
                        progress("save", report.total_rows, max(estimate, report.total_rows))
                    parsed, bad = _parse_row(report, number, typed, columns, headers)
                    new = report.new_count
                    plan.row(number, parsed, bad)
                    if report.errors or report.new_count == new or writer.failed:
                        raise _NotAllNew
                    writer.add(report.rows[-1])
                if not report.rows:
                    raise _NotAllNew
                writer.close()
    except (_NotAllNew, FileProblem, DatabaseError):
        return None
    report.saved = True
    if progress:
        progress("save", report.total_rows, report.total_rows)
    return report

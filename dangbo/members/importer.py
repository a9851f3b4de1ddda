"""Importing member lists from .xlsx and .csv: tolerant headers and values, a checked plan, one save.

``analyse`` reads a file into a ``Report``: every bad row with its row number, column
and a Vietnamese message, the members to create, the members whose profile changes
(with the diff) and those left unchanged. ``import_file`` saves a clean report in one
transaction. The web page, the background task and ``manage.py import_members`` all
go through these two functions.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import normalize_phone
from dangbo.lib.dates import excel_serial_to_date, format_date, parse_date
from dangbo.lib.vntext import (
    detect_encoding, is_vietnamese_syllable, nfc, repair, search_key, tcvn3_to_unicode, vni_to_unicode,
)
from dangbo.members.actions import create_members_bulk, update_profile
from dangbo.members.choices import (
    ETHNICITIES, RELIGIONS, Degree, Sex, StateManagementLevel, Status, TheoryLevel,
)
from dangbo.members.models import Member
from dangbo.organizations.models import Organization

# Above this many rows the web page checks and saves in a background task.
BACKGROUND_ROWS = 3000
MAX_ROWS = 50000
# The header row may sit under a title ("DANH SÁCH ĐẢNG VIÊN ..."): look this far down.
HEADER_SEARCH_ROWS = 10
_PROGRESS_EVERY = 250
_BATCH = 500
# SQLite caps the variables of one statement; IN lists are sent in slices.
_IN_CHUNK = 900


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str
    aliases: tuple = ()
    required: bool = False


# The template's columns, in its order. Aliases are matched by their accent-free key,
# so "Ho ten", "HỌ TÊN" and "Họ tên" are one header.
COLUMNS = [
    Column("full_name", "Họ và tên", "name", ("Họ tên", "Họ và tên đảng viên", "Họ tên đảng viên",
                                               "Tên đảng viên", "Họ và tên khai sinh", "Họ và tên đang dùng"), True),
    Column("other_name", "Tên gọi khác", "name", ("Tên khác", "Bí danh")),
    Column("sex", "Giới tính", "sex", ("Nam/Nữ", "Nam, nữ", "Giới", "Phái"), True),
    Column("date_of_birth", "Ngày sinh", "date", ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày",
                                                  "NTNS"), True),
    Column("birthplace_text", "Nơi sinh", "text"),
    Column("hometown_text", "Quê quán", "text", ("Quê", "Nguyên quán")),
    Column("ethnicity", "Dân tộc", "ethnicity"),
    Column("religion", "Tôn giáo", "religion"),
    Column("citizen_id", "Số CCCD", "cccd", ("CCCD", "CMND/CCCD", "CCCD/CMND", "Số CMND/CCCD", "Số CCCD/CMND",
                                              "Số định danh", "Số định danh cá nhân", "Căn cước công dân",
                                              "Số căn cước", "Số căn cước công dân", "Căn cước", "CMND", "Số CMND")),
    Column("phone", "Điện thoại", "phone", ("SĐT", "Số điện thoại", "Điện thoại di động", "Di động", "ĐT",
                                             "Số ĐT", "Điện thoại liên hệ")),
    Column("email", "Email", "email", ("E-mail", "Thư điện tử", "Địa chỉ email")),
    Column("residence_address", "Nơi ở hiện nay", "text", ("Nơi ở", "Chỗ ở hiện nay", "Địa chỉ", "Nơi cư trú",
                                                           "Địa chỉ thường trú", "Thường trú", "Địa chỉ cư trú")),
    Column("occupation", "Nghề nghiệp", "text", ("Nghề nghiệp hiện nay", "Công việc", "Công việc hiện nay")),
    Column("workplace", "Nơi làm việc", "text", ("Đơn vị công tác", "Cơ quan công tác", "Nơi công tác",
                                                 "Cơ quan, đơn vị công tác")),
    Column("general_education", "Giáo dục phổ thông", "education", ("GDPT", "Trình độ học vấn", "Học vấn",
                                                                   "Trình độ văn hóa", "Văn hóa", "Trình độ GDPT")),
    Column("professional_degree", "Chuyên môn", "degree", ("Chuyên môn nghiệp vụ", "Trình độ chuyên môn",
                                                           "CMNV", "Trình độ CMNV", "Trình độ chuyên môn nghiệp vụ")),
    Column("theory_level", "Lý luận chính trị", "theory", ("Trình độ LLCT", "LLCT", "Trình độ lý luận chính trị",
                                                           "Lý luận", "Trình độ lý luận")),
    Column("state_management_level", "Quản lý nhà nước", "state", ("QLNN", "Trình độ QLNN",
                                                                   "Trình độ quản lý nhà nước")),
    Column("admission_date", "Ngày vào Đảng", "date", ("Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày kết nạp đảng viên",
                                                       "Vào Đảng", "Ngày vào Đảng dự bị",
                                                       "Ngày vào Đảng lần đầu"), True),
    Column("official_date", "Ngày chính thức", "date", ("Ngày vào Đảng chính thức", "Ngày công nhận chính thức",
                                                        "Ngày được công nhận chính thức", "Chính thức",
                                                        "Ngày chuyển chính thức")),
    Column("card_number", "Số thẻ đảng viên", "card", ("Số thẻ", "Số thẻ Đảng", "Số thẻ ĐV", "Thẻ đảng viên",
                                                       "Số thẻ Đảng viên")),
    Column("card_issued_on", "Ngày cấp thẻ", "date", ("Ngày cấp thẻ đảng viên", "Ngày cấp thẻ Đảng",
                                                     "Ngày phát thẻ")),
    Column("organization", "Chi bộ", "cell", ("Chi bộ sinh hoạt", "Tên chi bộ", "Mã chi bộ", "Chi bộ đang sinh hoạt")),
]
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
DATE_FIELDS = [c.field for c in COLUMNS if c.kind == "date"]
# Columns a list often carries that the import has no use for: dropped without a word.
_QUIET_HEADERS = {"stt", "tt", "so tt", "so thu tu"}


def _key(text):
    """Accent-free, punctuation-free key: 'CMND/CCCD' -> 'cmnd cccd', 'Ê-đê' -> 'e de'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", search_key(text)).split())


def _header_key(text):
    # "Ngày sinh (dd/mm/yyyy)", "Họ và tên (*)": the notes in brackets are not the name.
    return _key(re.sub(r"\(.*?\)|\*", " ", nfc(str(text))))


_HEADER_TABLE = {}
for _column in COLUMNS:
    for _alias in (_column.header, *_column.aliases):
        _HEADER_TABLE[_header_key(_alias)] = _column


def _choice_table(pairs):
    return {_key(alias): str(value) for alias, value in pairs}


_SEX = _choice_table([("Nam", Sex.MALE), ("Nữ", Sex.FEMALE), ("male", Sex.MALE), ("female", Sex.FEMALE)])
_NONE_WORDS = [("Không", ""), ("Chưa", ""), ("Chưa qua đào tạo", ""), ("Chưa đào tạo", ""), ("Chưa học", "")]
_DEGREE = _choice_table([(str(label), value) for value, label in Degree.choices] + _NONE_WORDS + [
    ("ĐH", Degree.BACHELOR), ("Cử nhân", Degree.BACHELOR), ("Kỹ sư", Degree.BACHELOR), ("Kĩ sư", Degree.BACHELOR),
    ("Bác sĩ", Degree.BACHELOR), ("Dược sĩ", Degree.BACHELOR), ("Kiến trúc sư", Degree.BACHELOR),
    ("CĐ", Degree.COLLEGE), ("TC", Degree.INTERMEDIATE), ("Trung học chuyên nghiệp", Degree.INTERMEDIATE),
    ("THCN", Degree.INTERMEDIATE), ("Sơ cấp", Degree.VOCATIONAL), ("Thạc sỹ", Degree.MASTER),
    ("ThS", Degree.MASTER), ("Tiến sỹ", Degree.DOCTOR), ("TS", Degree.DOCTOR),
])
_THEORY = _choice_table([(str(label), value) for value, label in TheoryLevel.choices] + _NONE_WORDS + [
    ("SC", TheoryLevel.ELEMENTARY), ("TC", TheoryLevel.INTERMEDIATE), ("CC", TheoryLevel.ADVANCED),
    ("CN", TheoryLevel.BACHELOR), ("Cao cấp chính trị", TheoryLevel.ADVANCED),
])
_STATE = _choice_table([(str(label), value) for value, label in StateManagementLevel.choices] + _NONE_WORDS + [
    ("CV", StateManagementLevel.OFFICER), ("CVC", StateManagementLevel.PRINCIPAL),
    ("CVCC", StateManagementLevel.SENIOR), ("Chuyên viên cao cấp", StateManagementLevel.SENIOR),
])
# Ethnic names are compared without spaces or hyphens: 'Ê Đê', 'Ê-đê', 'Ede'.
_ETHNICITY = {_key(name).replace(" ", ""): name for name in ETHNICITIES}
_ETHNICITY.update({
    "viet": "Kinh", "kinhviet": "Kinh", "hmong": "Mông", "hmông": "Mông", "meo": "Mông", "khome": "Khmer",
    "khmer": "Khmer", "jrai": "Gia Rai", "bahnar": "Ba Na", "vankieu": "Bru - Vân Kiều", "bru": "Bru - Vân Kiều",
    "katu": "Cơ Tu", "xodang": "Xơ Đăng", "sedang": "Xơ Đăng", "muong": "Mường", "tay": "Tày", "thai": "Thái",
})
_RELIGION = _choice_table([(name, name) for name in RELIGIONS] + [
    ("Không có", "Không"), ("Phật", "Phật giáo"), ("Đạo Phật", "Phật giáo"), ("Thiên Chúa", "Công giáo"),
    ("Thiên Chúa giáo", "Công giáo"), ("Đạo Thiên Chúa", "Công giáo"), ("Công giáo La Mã", "Công giáo"),
    ("Tin lành", "Tin lành"), ("Đạo Tin lành", "Tin lành"), ("Hòa Hảo", "Phật giáo Hòa Hảo"),
    ("Hoà Hảo", "Phật giáo Hòa Hảo"), ("Đạo Cao Đài", "Cao Đài"), ("Islam", "Hồi giáo"), ("Đạo Hồi", "Hồi giáo"),
])
_CHOICE_TABLES = {"degree": _DEGREE, "theory": _THEORY, "state": _STATE}
_CHOICE_LABELS = {
    "professional_degree": dict(Degree.choices), "theory_level": dict(TheoryLevel.choices),
    "state_management_level": dict(StateManagementLevel.choices), "sex": dict(Sex.choices),
}


class _BadValue(Exception):
    pass


# --- reading files -------------------------------------------------------------------------------

def _read_xlsx(path):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(_("Không đọc được tệp Excel. Hãy mở tệp và lưu lại dưới dạng .xlsx.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise FileProblem(_("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp.") % {"n": f"{MAX_ROWS:,}"})
        return rows
    finally:
        workbook.close()


def _plausible_vietnamese(text):
    words = [w for w in re.findall(r"[^\W\d_]+", text[:65536]) if not w.isascii()]
    if not words:
        return True
    good = sum(1 for w in words if is_vietnamese_syllable(w))
    return good >= 0.8 * len(words)


def decode_csv(data):
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1258,
    or the 8-bit TCVN3/VNI of old fonts (left as look-alikes for ``repair`` to convert).

    Anything else is refused: guessing wrong would store garbled names.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    latin = data.decode("latin-1")
    if detect_encoding(latin[:65536]) in ("tcvn3", "vni"):
        return latin
    try:
        text = nfc(data.decode("cp1258"))
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_vietnamese(text):
        return text
    raise FileProblem(_("Không nhận ra bảng mã của tệp CSV. Hãy lưu lại bằng Excel với kiểu "
                        "«CSV UTF-8 (Comma delimited)», hoặc gửi tệp .xlsx."))


def _read_csv(path):
    text = decode_csv(Path(path).read_bytes())
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        rows.append((number, values))
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise FileProblem(_("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp.") % {"n": f"{MAX_ROWS:,}"})
    return rows


def file_kind(filename):
    """'xlsx' or 'csv' from a file name, else FileProblem."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    if suffix == ".xls":
        raise FileProblem(_("Tệp .xls (Excel 97–2003) chưa đọc được. Hãy mở bằng Excel và lưu lại dưới dạng .xlsx."))
    raise FileProblem(_("Chỉ nhận tệp .xlsx hoặc .csv."))


def read_rows(path, filename=None):
    """[(row number as the spreadsheet shows it, [values])] of the first sheet."""
    kind = file_kind(filename or str(path))
    return _read_xlsx(path) if kind == "xlsx" else _read_csv(path)


def count_rows(path, filename=None):
    """Roughly how many data rows a file has, cheaply: to choose a background run."""
    kind = file_kind(filename or str(path))
    if kind == "csv":
        return max(Path(path).read_bytes().count(b"\n") - 1, 0)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # an unreadable file is reported by the real read
        return 0
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.max_row
        if rows is None or rows <= 1:
            # No dimension recorded (some writers omit it): count the rows themselves.
            rows = sum(1 for _row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    return max(rows - 1, 0)


# --- values ---------------------------------------------------------------------------------------

def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _is_surely_unicode(text):
    # Legacy look-alike text is made of Latin-1 characters only (see lib/vntext).
    return any(ord(ch) > 0xFF or unicodedata.combining(ch) for ch in text)


def repair_row(values):
    """Repair the text cells of one row to NFC Unicode, deciding TCVN3/VNI for the row as a whole.

    One cell alone can be ambiguous (TCVN3 'Chi bé' is 'Chi bộ' but also reads as
    Vietnamese), while a row is typed in one font: its cells together tell.
    """
    texts = [v for v in values if isinstance(v, str) and not v.isascii()]
    legacy = [t for t in texts if not _is_surely_unicode(t)]
    encoding = detect_encoding(" | ".join(legacy)) if legacy else "unicode"
    convert = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}.get(encoding)
    repaired = []
    for value in values:
        if isinstance(value, str) and not value.isascii():
            if _is_surely_unicode(value):
                value = nfc(value)
            elif convert is not None:
                value = nfc(convert(value))
            else:
                value = repair(value)
        repaired.append(value)
    return repaired


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_date(value)
    # Rows went through repair_row already; nfc() is idempotent on repaired text.
    text = " ".join(nfc(str(value)).split())
    # A cell our own export neutralised ('=..., see lib/xlsx.safe_cell) comes back as it was.
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


_PERSONAL_NAME = re.compile(r"[^\W\d_]+(?:['’\- ]+[^\W\d_]+)*")


def _name_case(text):
    """'NGUYỄN VĂN HÙNG', 'nguyễn văn hùng' and TCVN3's 'NGUYễN' all become 'Nguyễn Văn Hùng'.

    Only text made of letters is a name to recase; anything else is kept as typed.
    """
    if not _PERSONAL_NAME.fullmatch(text):
        return text

    def word(w):
        return "'".join(part[:1].upper() + part[1:].lower() for part in w.split("'"))
    return " ".join(word(w) for w in text.split())


def _digits(value):
    """Digits of an identifier typed as a number or as text with spaces or dots."""
    if isinstance(value, float):
        if not value.is_integer():
            raise _BadValue(_("Phải là một dãy chữ số."))
        value = int(value)
    if isinstance(value, int):
        return str(value), True
    text = re.sub(r"[\s.\-]", "", nfc(str(value)).strip())
    if text.startswith("'"):
        text = text[1:]
    return text, False


def _choice(value, table, column):
    key = _key(_text(value))
    if key in table:
        return table[key]
    # "Đại học Luật", "Cao cấp LLCT", "ThS. Kinh tế": the level first, then its subject.
    words = key.split()
    for size in range(len(words) - 1, 0, -1):
        prefix = " ".join(words[:size])
        if prefix in table and table[prefix] != "":
            return table[prefix]
    raise _BadValue(_("«%(v)s» không có trong danh sách %(c)s.") % {"v": _text(value), "c": column.header.lower()})


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value)
    # '05/09/1975 00:00:00' from tools that write datetimes.
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", _text(value))
    if text.isdigit() and len(text) <= 5:
        return _serial(int(text))
    try:
        parsed = parse_date(text)
    except ValueError:
        raise _BadValue(_("Ngày «%(v)s» không hợp lệ; hãy ghi ngày/tháng/năm, ví dụ 05/09/1975.")
                        % {"v": text}) from None
    # Every date of a profile is in the past: '1/1/65' is 1965, not 2065.
    if re.search(r"[/.\-]\d{2}$", text) and parsed > timezone.localdate():
        parsed = parsed.replace(year=parsed.year - 100)
    return parsed


def _serial(number):
    if 1900 <= number <= 2100 and int(number) == number:
        raise _BadValue(_("Chỉ có năm «%(v)s»; hãy ghi đủ ngày/tháng/năm.") % {"v": int(number)})
    if not 1 <= number < 2958466:
        raise _BadValue(_("Số «%(v)s» không phải một ngày.") % {"v": number})
    try:
        return excel_serial_to_date(number)
    except ValueError:
        raise _BadValue(_("Số «%(v)s» không phải một ngày.") % {"v": number}) from None


# Columns whose values come from a list: a cell that matches nothing as repaired is
# tried as it was typed too ("Không" stays "Không" in a row repaired from TCVN3).
_LISTED = frozenset({"sex", "degree", "theory", "state", "ethnicity", "religion"})


def parse_cell(column, value, raw):
    """``parse_value`` of the repaired cell, falling back to the cell as typed for listed values."""
    try:
        return parse_value(column, value)
    except _BadValue:
        if column.kind not in _LISTED or not isinstance(raw, str) or nfc(raw) == value:
            raise
        try:
            return parse_value(column, nfc(raw))
        except _BadValue:
            pass
        raise


def parse_value(column, value):
    """The field value of one non-blank cell, or _BadValue with a Vietnamese message."""
    kind = column.kind
    if kind == "name":
        return _name_case(_text(value))
    if kind in ("text", "cell"):
        return _text(value)
    if kind == "email":
        text = _text(value)
        try:
            EmailValidator()(text)
        except ValidationError:
            raise _BadValue(_("Email «%(v)s» không đúng dạng ten@ten-mien.vn.") % {"v": text}) from None
        return text
    if kind == "date":
        return _date(value)
    if kind == "sex":
        key = _key(_text(value))
        if key not in _SEX:
            raise _BadValue(_("Giới tính ghi «Nam» hoặc «Nữ», không phải «%(v)s».") % {"v": _text(value)})
        return _SEX[key]
    if kind in _CHOICE_TABLES:
        return _choice(value, _CHOICE_TABLES[kind], column)
    if kind == "ethnicity":
        key = _key(_text(value)).replace(" ", "")
        if key not in _ETHNICITY:
            raise _BadValue(_("Dân tộc «%(v)s» không có trong danh sách 54 dân tộc.") % {"v": _text(value)})
        return _ETHNICITY[key]
    if kind == "religion":
        return _choice(value, _RELIGION, column)
    if kind == "cccd":
        digits, numeric = _digits(value)
        # CCCD numbers start with the province code 0xx; a spreadsheet that took them
        # for numbers dropped the zeros.
        if digits.isdigit() and 10 <= len(digits) < 12:
            digits = digits.zfill(12)
        elif digits.isdigit() and len(digits) == 9:
            raise _BadValue(_("Đây là số CMND 9 số cũ; hãy ghi số CCCD 12 chữ số."))
        return digits
    if kind == "card":
        return _digits(value)[0]
    if kind == "phone":
        text = _text(value)
        if re.search(r"[,;/]|\s-\s", text):
            raise _BadValue(_("Chỉ ghi một số điện thoại."))
        digits = normalize_phone(text)
        if digits and not digits.startswith("0") and len(digits) in (9, 10):
            digits = "0" + digits
        return digits
    if kind == "education":
        if isinstance(value, (datetime, date)):
            # Excel turns '12/12' into 12 December; the grade system reads day/month.
            return f"{value.day}/{value.month}"
        return _text(value)
    raise AssertionError(kind)


def display(field_name, value):
    """A value as the preview shows it."""
    labels = _CHOICE_LABELS.get(field_name)
    if labels is not None and value in labels:
        return str(labels[value])
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return format_date(value)
    return str(value)


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


@dataclass
class Report:
    organization: Organization
    filename: str = ""
    total_rows: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def error_rows(self):
        return len({e.row for e in self.errors})

    def error(self, row, column, message):
        item = RowError(row, column, str(message))
        if item not in self.errors:
            self.errors.append(item)

    def to_dict(self, limit=1000):
        """The report as JSON-able data for the job file and the page (long lists cut at ``limit``)."""
        return {
            "organization": {"id": self.organization.pk, "name": self.organization.name,
                             "code": self.organization.code},
            "filename": self.filename,
            "total_rows": self.total_rows,
            "counts": {"new": len(self.new), "updated": len(self.updated), "unchanged": len(self.unchanged),
                       "errors": len(self.errors), "error_rows": self.error_rows},
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
    for name, values in (("card_number", sorted(cards)), ("citizen_id", sorted(citizen_ids))):
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


def analyse(path, organization, *, filename=None, progress=None):
    """Read ``path`` and plan the import into ``organization``'s subtree, saving nothing."""
    report = Report(organization=organization, filename=filename or Path(path).name)
    if not organization.is_active:
        report.error(1, "", _("%(org)s đã giải thể; không nhập được.") % {"org": organization.name})
        return report
    try:
        rows = read_rows(path, report.filename)
    except FileProblem as problem:
        report.error(1, "", str(problem))
        return report
    found = _find_header(rows)
    if found is None:
        report.error(1, "", _("Không tìm thấy dòng tiêu đề (Họ và tên, Ngày sinh, …) trong %(n)d dòng đầu. "
                              "Hãy dùng tệp mẫu.") % {"n": HEADER_SEARCH_ROWS})
        return report
    header_index, mapping, header_texts, unknown = found
    header_row = rows[header_index][0]
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
    data = [(n, v) for n, v in rows[header_index + 1:] if any(not _blank(x) for x in v)]
    report.total_rows = len(data)
    if len(data) > MAX_ROWS:
        report.error(header_row, "", _("Tệp có %(n)s dòng, quá %(max)s dòng; hãy chia thành nhiều tệp.")
                     % {"n": len(data), "max": MAX_ROWS})
    if report.errors:
        return report
    if not data:
        report.error(header_row + 1, "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
        return report

    parsed_rows = []
    cards, cccds = set(), set()
    total = 2 * len(data)
    for done, (number, typed) in enumerate(data, start=1):
        if progress and done % _PROGRESS_EVERY == 0:
            progress("analyse", done, total)
        repaired = repair_row(typed)
        parsed, bad = {}, set()
        for position, column in mapping.items():
            value = repaired[position] if position < len(repaired) else None
            if _blank(value):
                continue
            raw = typed[position]
            try:
                if column.kind == "cell":
                    # Cell names are looked up as repaired, then as typed.
                    parsed[column.field] = (_text(value), _text(nfc(raw) if isinstance(raw, str) else raw))
                else:
                    parsed[column.field] = parse_cell(column, value, raw)
            except _BadValue as problem:
                report.error(number, headers[column.field], problem)
                bad.add(column.field)
        if parsed.get("card_number"):
            cards.add(parsed["card_number"])
        if parsed.get("citizen_id"):
            cccds.add(parsed["citizen_id"])
        parsed_rows.append((number, parsed, bad))

    by_card, by_cccd = _load_existing(cards, cccds)
    cell_index = _cell_index(organization)
    first_row_of = {"card_number": {}, "citizen_id": {}, "member": {}}
    today = timezone.localdate()
    for done, (number, parsed, bad) in enumerate(parsed_rows, start=len(parsed_rows) + 1):
        if progress and done % _PROGRESS_EVERY == 0:
            progress("analyse", done, total)
        _plan_row(report, number, parsed, bad, headers, organization, cell_index, by_card, by_cccd,
                  first_row_of, today)
    if progress:
        progress("analyse", total, total)
    order = {column_header(c.field, headers): i for i, c in enumerate(COLUMNS)}
    report.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return report


def _plan_row(report, number, parsed, bad, headers, organization, cell_index, by_card, by_cccd,
              first_row_of, today):
    """Check one parsed row and file it under new, updated or unchanged, or its errors."""
    failed = bool(bad)

    def error(name, message):
        nonlocal failed
        failed = True
        report.error(number, column_header(name, headers), message)

    missing = set()
    for column in COLUMNS:
        if column.required and column.field not in parsed and column.field not in bad:
            error(column.field, _("Chưa ghi %(c)s.") % {"c": column.header.lower()})
            missing.add(column.field)
    for name in DATE_FIELDS:
        if isinstance(parsed.get(name), date) and parsed[name] > today:
            error(name, _("Ngày %(d)s chưa đến.") % {"d": format_date(parsed[name])})
            bad.add(name)

    cell = None
    cell_text = parsed.pop("organization", ())
    if "organization" in bad:
        pass
    elif cell_text:
        try:
            cell = _resolve_cell(cell_text, cell_index, organization)
        except _BadValue as problem:
            error("organization", problem)
    elif organization.is_cell:
        cell = organization
    else:
        error("organization", _("Chưa ghi chi bộ."))

    for name, label in (("card_number", _("Số thẻ đảng viên")), ("citizen_id", _("Số CCCD"))):
        value = parsed.get(name)
        if value and name not in bad:
            first = first_row_of[name].setdefault(value, number)
            if first != number:
                error(name, _("%(what)s trùng với dòng %(row)d.") % {"what": label, "row": first})
                bad.add(name)

    target = by_card.get(parsed["card_number"]) if parsed.get("card_number") else None
    if target is None and parsed.get("citizen_id"):
        target = by_cccd.get(parsed["citizen_id"])
    matched_by = "card_number" if target is not None and target.card_number == parsed.get("card_number") \
        else "citizen_id"
    if target is not None and not target.organization.is_within(organization):
        error(matched_by, _("Đảng viên có số này đang sinh hoạt ở tổ chức khác, ngoài %(org)s.")
              % {"org": organization.name})
        return
    if target is not None:
        first = first_row_of["member"].setdefault(target.pk, number)
        if first != number:
            error(matched_by, _("Dòng này và dòng %(row)d cùng là đảng viên %(name)s.")
                  % {"row": first, "name": target.full_name})
            return
    for name, holders in (("card_number", by_card), ("citizen_id", by_cccd)):
        holder = holders.get(parsed.get(name)) if parsed.get(name) else None
        if holder is not None and holder != target and name not in bad:
            who = holder.full_name if holder.organization.is_within(organization) else _("một đảng viên ở tổ chức khác")
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
        member = Member(organization=cell, **fields)
        member.status = Status.OFFICIAL if member.official_date else Status.PROBATIONARY
        if _full_clean(member, set(), error):
            report.new.append(Planned(number, member, cell))
        return
    old = {name: getattr(target, name) for name in parsed}
    changes = {name: value for name, value in parsed.items() if old[name] != value}
    planned = Planned(number, target, target.organization, changes=changes, old=old)
    if not changes:
        report.unchanged.append(planned)
        return
    for name, value in changes.items():
        setattr(target, name, value)
    if _full_clean(target, set(), error):
        report.updated.append(planned)
        if changes.get("official_date") and target.status == Status.PROBATIONARY:
            # Recognition is a decision with its own record (actions.record_status), not a profile edit.
            report.warnings.append(_("Dòng %(row)d: %(name)s đang là đảng viên dự bị; nhập tệp chỉ ghi ngày chính "
                                     "thức, không đổi tình trạng. Hãy ghi nhận công nhận chính thức trong hồ sơ.")
                                   % {"row": number, "name": target.full_name})
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


# --- saving ---------------------------------------------------------------------------------------

class _Rollback(Exception):
    pass


def save(report, *, by, progress=None):
    """Save a clean report in one transaction: new members with their first status event
    and history, changed profiles through ``update_profile``. Any failure saves nothing."""
    if not report.ok:
        raise ValueError("a report with errors is not saved")
    total = len(report.new) + len(report.updated)
    done = 0
    reason = _("Nhập hồ sơ từ tệp %(f)s") % {"f": report.filename}
    try:
        with transaction.atomic():
            for start in range(0, len(report.new), _BATCH):
                batch = report.new[start:start + _BATCH]
                create_members_bulk([planned.member for planned in batch], by=by, reason=reason,
                                    batch_size=_BATCH)
                done += len(batch)
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
        _forget_new_keys(report)
        return report
    except IntegrityError:
        _forget_new_keys(report)
        report.error(1, "", _("Dữ liệu vừa bị người khác thay đổi trong lúc nhập (trùng số thẻ hoặc CCCD). "
                              "Không lưu gì; hãy kiểm tra lại tệp."))
        return report
    report.saved = True
    if progress:
        progress("save", total, total)
    return report


def _forget_new_keys(report):
    for planned in report.new:
        planned.member.pk = None
        planned.member._state.adding = True


def import_file(path, organization, *, by, dry_run=False, filename=None, progress=None):
    """Check a file and, when it is clean and this is not a dry run, save it all."""
    report = analyse(path, organization, filename=filename, progress=progress)
    if report.ok and not dry_run and (report.new or report.updated):
        save(report, by=by, progress=progress)
    return report

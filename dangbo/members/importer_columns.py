"""The columns of a member list and how one cell becomes a field value: tolerant headers,
legacy encodings (TCVN3/VNI) repaired, dates, choices, identifiers."""

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import normalize_phone
from dangbo.lib.dates import excel_serial_to_date, format_date, parse_date
from dangbo.lib.vntext import detect_encoding, nfc, repair, search_key, tcvn3_to_unicode, vni_to_unicode
# detect_encoding's own word split and per-word test, for its shortcut in _row_encoding.
from dangbo.lib.vntext import WORD, reads_as_unicode
from dangbo.members.choices import (
    ETHNICITIES, RELIGIONS, Degree, Sex, StateManagementLevel, TheoryLevel,
)


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


# --- values ---------------------------------------------------------------------------------------

def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


_BEYOND_LATIN1 = re.compile("[^\x00-\xff]")


def _is_surely_unicode(text):
    # Legacy look-alike text is made of Latin-1 characters only (see lib/vntext); a letter
    # beyond Latin-1 or a combining mark (both above U+00FF) proves Unicode.
    return _BEYOND_LATIN1.search(text) is not None


@functools.lru_cache(maxsize=65536)
def _word_reads_as_unicode(word):
    return reads_as_unicode(word)


@functools.lru_cache(maxsize=4096)
def _row_encoding(legacy):
    """detect_encoding of a row's Latin-1-only cells, once per distinct text ("Không | Giáo viên").

    When every word already reads as a Vietnamese syllable ("Không", "Thái"), no
    conversion can repair a word and detect_encoding would say "unicode": that is
    known from a per-word cache without scoring the conversions.
    """
    words = [w for w in WORD.findall(legacy) if len(w) > 1 and not w.isdigit()]
    if all(_word_reads_as_unicode(w) for w in words):
        return "unicode"
    return detect_encoding(legacy)


@functools.lru_cache(maxsize=4096)
def _repaired(text):
    return repair(text)


_CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


def row_encoding(values):
    """The legacy encoding ('tcvn3' or 'vni') a row's possibly-legacy text is converted from, or None.

    One cell alone can be ambiguous (TCVN3 'Chi bé' is 'Chi bộ' but also reads as
    Vietnamese), while a row is typed in one font: its cells together tell. Only cells
    made of Latin-1 characters can be legacy text; the guess is made on them.
    """
    legacy = [value for value in values
              if isinstance(value, str) and not value.isascii() and not _is_surely_unicode(value)]
    if not legacy:
        return None
    encoding = _row_encoding(" | ".join(legacy))
    return encoding if encoding in _CONVERTERS else None


def repair_cell(value, encoding):
    """One cell as NFC Unicode, in a row whose legacy text is in ``encoding`` (row_encoding).

    A cell that is surely Unicode is only normalised; without a row encoding, a
    Latin-1 cell is repaired on its own (lib/vntext.repair).
    """
    if not isinstance(value, str) or value.isascii():
        return value
    if _is_surely_unicode(value):
        return nfc(value)
    if encoding is not None:
        return nfc(_CONVERTERS[encoding](value))
    return _repaired(value)


def repair_row(values):
    """Repair the text cells of one row to NFC Unicode, deciding TCVN3/VNI for the row as a whole."""
    encoding = row_encoding(values)
    return [repair_cell(value, encoding) for value in values]


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
        if "'" not in w:
            return w[:1].upper() + w[1:].lower()
        return "'".join(part[:1].upper() + part[1:].lower() for part in w.split("'"))
    return " ".join([word(w) for w in text.split()])


def _digits(value):
    """Digits of an identifier typed as a number or as text with spaces or dots."""
    if isinstance(value, float):
        if not value.is_integer():
            raise _BadValue(_("Phải là một dãy chữ số."))
        value = int(value)
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value, False  # already plain digits: the usual cell
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


_DD_MM_YYYY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def _date(value):
    if isinstance(value, str):
        # The usual form, read directly; anything else (and a day that does not exist) below.
        match = _DD_MM_YYYY.fullmatch(value)
        if match:
            try:
                return date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                pass
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


def _cccd(digits):
    # CCCD numbers start with the province code 0xx; a spreadsheet that took them
    # for numbers dropped the zeros.
    if 10 <= len(digits) < 12:
        return digits.zfill(12)
    if len(digits) == 9:
        raise _BadValue(_("Đây là số CMND 9 số cũ; hãy ghi số CCCD 12 chữ số."))
    return digits


def _phone(digits):
    # A leading zero a spreadsheet dropped.
    if digits and not digits.startswith("0") and len(digits) in (9, 10):
        return "0" + digits
    return digits


def _plain_phone(digits):
    # normalize_phone changes plain digits only when they start with the country code.
    return _phone(normalize_phone(digits) if digits.startswith("84") else digits)


# Per kind, parse_value of a cell typed as plain ASCII digits (the usual identifier cell), called directly.
PLAIN_DIGITS = {"cccd": _cccd, "card": str, "phone": _plain_phone}


def parse_value(column, value):
    """The field value of one non-blank cell, or _BadValue with a Vietnamese message."""
    kind = column.kind
    # The columns read for every row, whose values do not repeat, come first.
    if kind == "cccd":
        digits, _numeric = _digits(value)
        return _cccd(digits) if digits.isdigit() else digits
    if kind == "card":
        return _digits(value)[0]
    if kind == "phone":
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return _plain_phone(value)  # nothing of _text or the checks applies
        text = _text(value)
        if re.search(r"[,;/]|\s-\s", text):
            raise _BadValue(_("Chỉ ghi một số điện thoại."))
        return _phone(normalize_phone(text))
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

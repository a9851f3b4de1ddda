"""Reading member lists row by row from .xlsx and .csv, without holding the whole file in memory."""

import codecs
import csv
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from dangbo.lib.vntext import detect_encoding, is_vietnamese_syllable, nfc

MAX_ROWS = 50000
# The header row may sit under a title ("DANH SÁCH ĐẢNG VIÊN ..."): look this far down.
HEADER_SEARCH_ROWS = 10
_CHUNK = 1 << 20


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def _too_many_rows():
    return FileProblem(_("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp.") % {"n": f"{MAX_ROWS:,}"})


def _iter_xlsx(path):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(_("Không đọc được tệp Excel. Hãy mở tệp và lưu lại dưới dạng .xlsx.")) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows()
            yield number, list(values)
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


def _stream_encoding(path):
    """The codec to stream a CSV file with, when it is UTF-8 or UTF-16; None for the 8-bit encodings."""
    with open(path, "rb") as raw:
        head = raw.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        raw.seek(0)
        # Check the whole file decodes before reading a row: a bad byte on the last line
        # means the file is not UTF-8 at all.
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := raw.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return "utf-8"


def _iter_csv(path):
    encoding = _stream_encoding(path)
    if encoding is None:
        import io

        # 8-bit files are rare and come from old tools: decoded whole, as they need the whole text to guess.
        stream = io.StringIO(decode_csv(Path(path).read_bytes()))
    else:
        stream = open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed below)
    try:
        sample = stream.read(8192)
        stream.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        for number, values in enumerate(csv.reader(stream, dialect), start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows()
            yield number, values
    finally:
        stream.close()


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


def iter_rows(path, filename=None):
    """(row number as the spreadsheet shows it, [values]) of the first sheet, one at a time.

    FileProblem comes for a file of another kind, on the first row for a file that
    cannot be read, or on the row past the limit.
    """
    kind = file_kind(filename or str(path))
    return _iter_xlsx(path) if kind == "xlsx" else _iter_csv(path)


def read_rows(path, filename=None):
    """[(row number, [values])] of the first sheet, all at once (small files, tests)."""
    return list(iter_rows(path, filename))


def count_rows(path, filename=None):
    """Roughly how many data rows a file has, cheaply: to choose a background run."""
    kind = file_kind(filename or str(path))
    if kind == "csv":
        lines = 0
        with open(path, "rb") as raw:
            while chunk := raw.read(_CHUNK):
                lines += chunk.count(b"\n")
        return max(lines - 1, 0)
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

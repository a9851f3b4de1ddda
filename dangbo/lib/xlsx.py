"""Writing .xlsx exports that are safe to open in Excel or LibreOffice."""

import datetime
import re
from io import BytesIO

# A cell starting with one of these is read as a formula by spreadsheet programs
# (OWASP "CSV/formula injection"); tab and carriage return start one in some.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60


def safe_cell(value):
    """Return ``value`` as it should go into a cell: text that could run as a formula gets a leading quote.

    Numbers, dates and None pass unchanged; "-5" as text becomes "'-5".
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _excel_value(value):
    """Excel has no time zones: an aware datetime is written as local wall-clock time."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return safe_cell(value)


def sheet_title(title):
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", title or "").strip()
    return cleaned[:31] or "Sheet1"


def write_workbook(headers, rows, title):
    """One sheet with a bold, frozen header row, then ``rows``; returns the .xlsx as bytes.

    Dates are real date cells shown dd/mm/yyyy; every text cell goes through ``safe_cell``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append([safe_cell(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in rows:
        values = [_excel_value(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            if isinstance(value, datetime.datetime):
                sheet.cell(sheet.max_row, index + 1).number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(value, datetime.date):
                sheet.cell(sheet.max_row, index + 1).number_format = "DD/MM/YYYY"
            length = 10 if isinstance(value, datetime.date) else len(str(value or ""))
            if index < len(widths):
                widths[index] = max(widths[index], length)
            else:
                widths.append(length)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

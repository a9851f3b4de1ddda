"""Dates as the Party writes them (dd/mm/yyyy), month arithmetic and Vietnam's working days."""

import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Day first, one separator used twice: 05/02/2026, 5-2-2026, 5.2.26.
_DAY_FIRST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
# ISO, as <input type="date"> and spreadsheets exported by machines send it.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# Excel's 1900 date system counts 1 = 01/01/1900 and, copying a Lotus 1-2-3 bug,
# has a 29/02/1900 (serial 60) that never existed; serials after it are one day off.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60


def format_date(d):
    """'05/02/2026' for date(2026, 2, 5); an empty string for None."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _invalid(text):
    return ValueError(f"Ngày không hợp lệ: {text}, hãy nhập theo dạng dd/mm/yyyy")


def parse_date(text):
    """Read a date typed day first: dd/mm/yyyy, d/m/yyyy or d/m/yy, with '/', '-' or '.'.

    Two-digit years 00–69 are 2000–2069 and 70–99 are 1970–1999 (as spreadsheets
    read them). yyyy-mm-dd is accepted too. Anything else, or a day that does not
    exist (31/02/2024), raises ValueError with a message the user can read.
    """
    raw = "" if text is None else str(text)
    stripped = raw.strip()
    match = _DAY_FIRST.fullmatch(stripped)
    if match:
        day, month, year = int(match[1]), int(match[3]), match[4]
        if len(year) == 2:
            year = int(year) + (2000 if int(year) < 70 else 1900)
        else:
            year = int(year)
    else:
        match = _ISO.fullmatch(stripped)
        if not match:
            raise _invalid(raw)
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return date(year, month, day)
    except ValueError:
        raise _invalid(raw) from None


def excel_serial_to_date(n):
    """The date of an Excel serial number in the 1900 system (a time fraction is dropped).

    Serial 60 is Excel's 29/02/1900, a day that did not exist: it raises ValueError.
    """
    serial = int(n)
    if serial < 1:
        raise ValueError(f"Số ngày Excel không hợp lệ: {n}")
    if serial == _EXCEL_FAKE_LEAP_DAY:
        raise ValueError("Ngày 29/02/1900 của Excel không có thật")
    if serial < _EXCEL_FAKE_LEAP_DAY:
        serial += 1
    return _EXCEL_EPOCH + timedelta(days=serial)


def _days_in_month(year, month):
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def add_months(d, n):
    """``d`` moved by ``n`` months; a day the target month lacks becomes its last day.

    31/01 + 1 month = 28/02 (29/02 in a leap year), as the Civil Code counts a
    period in months that ends in a month without the corresponding day.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def completed_months(born, on):
    """Age (or any elapsed time) in completed months: the largest m with born + m months <= on.

    Quy định 294-QĐ/TW §1.1 counts an applicant's age in months on the day the
    cell considers the case: 216 on the 18th birthday, 215 the day before.
    """
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if add_months(born, months) > on:
        months -= 1
    return months


@lru_cache(maxsize=None)
def _calendar(year):
    """Days off and swapped working Saturdays of one year, computed once per process.

    holidays.VN follows the Labour Code 2019 Art.112 (lunar Tết and Hùng Kings'
    day from the lunisolar calendar) and the government's yearly day-off swaps,
    where a Saturday is worked to bridge a holiday to a weekend.
    """
    vn = holidays.VN(years=year)
    days_off = frozenset(d for d in vn if d.year == year)
    working_weekend_days = frozenset(d for d in vn.weekend_workdays if d.year == year)
    return days_off, working_weekend_days


def is_working_day(d):
    """Monday–Friday that is not a public holiday, or a Saturday/Sunday swapped to a working day."""
    days_off, working_weekend_days = _calendar(d.year)
    if d in days_off:
        return False
    if d in working_weekend_days:
        return True
    return d.weekday() < 5


def add_working_days(start, n):
    """The date ``n`` working days after ``start``; ``start`` itself does not count.

    "Within 30 working days after receiving" ends on add_working_days(received, 30).
    A negative ``n`` counts back: the day ``-n`` working days before ``start``.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

    The inverse of add_working_days: working_days_between(s, add_working_days(s, n)) == n.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count

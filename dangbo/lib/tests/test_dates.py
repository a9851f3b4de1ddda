"""Tests for dd/mm/yyyy dates, month arithmetic and Vietnam's working days."""

from datetime import date

import pytest

from dangbo.lib.dates import (
    add_months,
    add_working_days,
    completed_months,
    excel_serial_to_date,
    format_date,
    is_working_day,
    parse_date,
    working_days_between,
)


def test_it_formats_day_first_with_leading_zeros():
    assert format_date(date(2026, 2, 5)) == "05/02/2026"
    assert format_date(None) == ""


@pytest.mark.parametrize("text, expected", [
    ("05/02/2026", date(2026, 2, 5)),
    ("5/2/2026", date(2026, 2, 5)),
    ("5-2-2026", date(2026, 2, 5)),
    ("5.2.2026", date(2026, 2, 5)),
    (" 17/02/2026 ", date(2026, 2, 17)),
    ("5/2/26", date(2026, 2, 5)),
    ("1/1/00", date(2000, 1, 1)),
    ("31/12/69", date(2069, 12, 31)),
    ("1/1/70", date(1970, 1, 1)),
    ("15/8/99", date(1999, 8, 15)),
    ("29/02/2024", date(2024, 2, 29)),
    ("2026-02-05", date(2026, 2, 5)),
])
def test_it_parses_day_first_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "31/02/2024", "29/02/2025", "00/01/2024", "1/13/2024", "32/1/2024",
    "5/2/202", "5/2-2026", "05022026", "", "ngày mai", "2026/02/05", None,
])
def test_it_rejects_bad_dates_in_vietnamese(text):
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert "Ngày không hợp lệ" in str(error.value)
    assert "dd/mm/yyyy" in str(error.value)


def test_it_names_the_bad_input():
    with pytest.raises(ValueError, match="31/02/2024"):
        parse_date("31/02/2024")


def test_it_reads_excel_serials_in_the_1900_system():
    assert excel_serial_to_date(1) == date(1900, 1, 1)
    assert excel_serial_to_date(59) == date(1900, 2, 28)
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    assert excel_serial_to_date(25569) == date(1970, 1, 1)
    assert excel_serial_to_date(46070) == date(2026, 2, 17)
    assert excel_serial_to_date(46070.75) == date(2026, 2, 17)


def test_it_refuses_excels_fake_leap_day_and_non_positive_serials():
    with pytest.raises(ValueError):
        excel_serial_to_date(60)
    with pytest.raises(ValueError):
        excel_serial_to_date(0)


@pytest.mark.parametrize("start, n, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2025, 3, 31), -1, date(2025, 2, 28)),
    (date(2025, 11, 15), 2, date(2026, 1, 15)),
    (date(2026, 1, 15), -13, date(2024, 12, 15)),
    (date(2025, 7, 1), 12, date(2026, 7, 1)),
    (date(2025, 7, 1), 0, date(2025, 7, 1)),
])
def test_it_adds_months_clamping_to_the_month_end(start, n, expected):
    assert add_months(start, n) == expected


def test_it_counts_216_completed_months_on_the_18th_birthday():
    born = date(2008, 3, 15)
    assert completed_months(born, date(2026, 3, 15)) == 216
    assert completed_months(born, date(2026, 3, 14)) == 215
    assert completed_months(born, date(2026, 4, 14)) == 216
    assert completed_months(born, date(2026, 4, 15)) == 217


def test_it_counts_720_months_on_the_60th_birthday():
    born = date(1966, 7, 1)
    assert completed_months(born, date(2026, 7, 1)) == 720
    assert completed_months(born, date(2026, 6, 30)) == 719


def test_it_counts_months_from_a_month_end():
    assert completed_months(date(2008, 1, 31), date(2008, 2, 29)) == 1
    assert completed_months(date(2008, 1, 31), date(2008, 2, 28)) == 0
    # Born on 29/02: in a year without it the month ends on 28/02.
    assert completed_months(date(2008, 2, 29), date(2026, 2, 28)) == 216
    assert completed_months(date(2008, 2, 29), date(2026, 2, 27)) == 215


def test_it_knows_tet_2026_is_off():
    # Tết Bính Ngọ: 17/02/2026; the government gave 16–20/02/2026 off.
    for day in range(16, 21):
        assert not is_working_day(date(2026, 2, day)), day
    assert not is_working_day(date(2026, 2, 18))
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 23))


def test_it_knows_the_fixed_holidays():
    assert not is_working_day(date(2026, 1, 1))
    assert not is_working_day(date(2026, 4, 30))
    assert not is_working_day(date(2026, 5, 1))
    assert not is_working_day(date(2026, 9, 2))
    assert not is_working_day(date(2025, 9, 2))
    assert is_working_day(date(2026, 4, 29))


def test_it_treats_weekends_as_days_off():
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert is_working_day(date(2026, 3, 9))


def test_it_honours_a_swapped_working_saturday():
    # 02/05/2025 was given off in exchange for working Saturday 26/04/2025.
    assert not is_working_day(date(2025, 5, 2))
    assert is_working_day(date(2025, 4, 26))


def test_it_does_not_count_the_start_day():
    assert add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
    # Friday + 1 working day is Monday.
    assert add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)


def test_it_skips_tet_2026():
    # Friday 13/02/2026, then the weekend, Tết 16–20/02 and another weekend.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_it_counts_30_working_days_across_tet_2027():
    received = date(2027, 1, 25)
    deadline = add_working_days(received, 30)
    # Five weeks of weekdays would end on 08/03/2027; Tết 04–10/02/2027 takes
    # five weekdays (04, 05, 08, 09, 10/02), so the deadline moves a week.
    assert deadline == date(2027, 3, 15)
    assert working_days_between(received, deadline) == 30
    assert not is_working_day(date(2027, 2, 8))
    assert is_working_day(date(2027, 2, 11))


def test_it_skips_30_4_and_1_5_and_2_9():
    # Wednesday 29/04/2026 + 1 working day: 30/04 and 01/05 are off, then a weekend.
    assert add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)
    # 31/08 (swapped), 01/09 and 02/09/2026 are off.
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_it_counts_back_with_a_negative_number():
    assert add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert working_days_between(date(2026, 2, 23), date(2026, 2, 13)) == -1


def test_it_inverts_add_working_days():
    start = date(2025, 12, 20)
    for n in (0, 1, 5, 30, 60):
        assert working_days_between(start, add_working_days(start, n)) == n

"""The 10,000-row import: mixed NFC/NFD/TCVN3 text and date forms, 20 bad rows, then the fixed file twice.

Slow by nature (about 25 s on SQLite): leave it out of a quick run with ``pytest -k "not large"``.
"""

import shutil
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from dangbo.members import importer
from dangbo.members.models import Member, StatusEvent
from dangbo.members.tests import test_import as helpers
from dangbo.test import BaseTestCase

ROWS = 10000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Quang", "Minh", "Công"]
MIDDLE_FEMALE = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Hồng", "Thị Thanh", "Thị Kim"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Thắng", "Sơn", "Bình", "Lộc", "Phước", "Nghĩa", "Trường", "Quyết",
              "Khải", "Thịnh", "Toản", "Ước", "Ánh", "Hiếu", "Đạt", "Kiên", "Lực"]
GIVEN_FEMALE = ["Hoa", "Lan", "Hương", "Hường", "Nhung", "Yến", "Thủy", "Tuyết", "Ánh", "Ngân", "Hằng", "Duyên",
                "Trang", "Oanh", "Nguyệt", "Liên", "Phượng", "Ơn", "Ý", "Thảo"]
CELLS = ["NA.VH.CB01", "Chi bộ Khối 1", "chi bo truong tieu hoc hung binh", "Khối 1", "na.vh.cb02"]
DEGREES = ["Đại học", "ĐH", "dai hoc", "Thạc sĩ", "", "Cao đẳng", "Trung cấp"]
THEORY = ["Sơ cấp", "TC", "cao cap", "", "Cử nhân", "Trung cấp"]
ETHNICITIES = ["Kinh", "kinh", "Thái", "", "Mường", "Tày"]
RELIGIONS = ["Không", "Phật giáo", "", "Công giáo"]
EXCEL_EPOCH = date(1899, 12, 30)


def name_of(i):
    male = i % 2 == 0
    family = FAMILY[i % len(FAMILY)]
    middle = (MIDDLE_MALE if male else MIDDLE_FEMALE)[(i // 12) % 6]
    given = (GIVEN_MALE if male else GIVEN_FEMALE)[(i // 72) % 20]
    return f"{family} {middle} {given}"


def in_form(d, i):
    """A date in one of the forms offices' files hold: a date cell, dd/mm/yyyy, d/m/yy, or an Excel serial."""
    form = (i // 3) % 4
    if form == 0:
        return datetime(d.year, d.month, d.day)
    if form == 1:
        return d.strftime("%d/%m/%Y")
    if form == 2:
        return f"{d.day}/{d.month}/{d.year % 100:02d}"
    return (d - EXCEL_EPOCH).days


def row_of(i):
    """Row ``i`` as NFC values, and the encoding its text will be written in."""
    male = i % 2 == 0
    born = date(1945 + i % 50, 1 + i % 12, 1 + (i * 5) % 28)
    admitted = born + timedelta(days=365 * 22 + (i * 37) % 2000)
    official = admitted + timedelta(days=366) if i % 5 else None
    row = {
        "Họ và tên": name_of(i),
        "Giới tính": "Nam" if male else "Nữ",
        "Ngày sinh": born,
        "Nơi sinh": "Xã Hưng Lộc, tỉnh Nghệ An" if i % 2 else "Phường Trường Thi, Thành phố Vinh",
        "Quê quán": "Xã Nam Đàn, tỉnh Nghệ An",
        "Dân tộc": ETHNICITIES[i % len(ETHNICITIES)],
        "Tôn giáo": RELIGIONS[i % len(RELIGIONS)],
        "Số CCCD": helpers.cccd(i, born, "male" if male else "female", province=("040", "001", "079")[i % 3]),
        "Điện thoại": f"09{i:08d}" if i % 7 else None,
        "Nơi ở hiện nay": f"Số {i % 200 + 1}, đường Lê Lợi, phường Vinh Hưng",
        "Nghề nghiệp": "Hưu trí" if i % 3 else "Cán bộ, công chức",
        "Giáo dục phổ thông": "12/12" if i % 4 else "10/10",
        "Chuyên môn": DEGREES[i % len(DEGREES)],
        "Lý luận chính trị": THEORY[i % len(THEORY)],
        "Ngày vào Đảng": admitted,
        "Ngày chính thức": official,
        "Số thẻ đảng viên": f"{20000000 + i}",
        "Ngày cấp thẻ": official + timedelta(days=100) if official and i % 3 == 0 else None,
        "Chi bộ": CELLS[i % len(CELLS)],
    }
    return row


def encode(row, i):
    """NFC, NFD or TCVN3 for every text cell of the row, and the date forms."""
    encoding = i % 3
    out = {}
    for header, value in row.items():
        if isinstance(value, date):
            value = in_form(value, i)
        elif isinstance(value, str):
            value = (value, helpers.nfd(value), helpers.tcvn3(value))[encoding]
        out[header] = value
    return out


def bad_rows(rows):
    """20 rows spoilt in 20 ways: {index: (header, bad value)}."""
    def born(i):
        return rows[i]["Ngày sinh"]

    def admitted(i):
        return rows[i]["Ngày vào Đảng"]

    def flipped_sex(i):
        number = rows[i]["Số CCCD"]
        return number[:3] + str(int(number[3]) ^ 1) + number[4:]

    def wrong_year(i):
        number = rows[i]["Số CCCD"]
        return number[:4] + f"{(int(number[4:6]) + 1) % 100:02d}" + number[6:]

    return {
        17: ("Số CCCD", "12345"),
        503: ("Số CCCD", "999" + rows[503]["Số CCCD"][3:]),
        1234: ("Số CCCD", flipped_sex(1234)),
        1500: ("Số CCCD", wrong_year(1500)),
        2001: ("Ngày sinh", "31/02/1980"),
        2502: ("Ngày vào Đảng", "hôm qua"),
        3003: ("Lý luận chính trị", "Siêu cấp"),
        3504: ("Số thẻ đảng viên", rows[3000]["Số thẻ đảng viên"]),
        4005: ("Số CCCD", rows[4000]["Số CCCD"]),
        4506: ("Họ và tên", None),
        5007: ("Giới tính", None),
        5508: ("Giới tính", "Khác"),
        6009: ("Ngày vào Đảng", date(born(6009).year - 1, 6, 1)),
        6511: ("Ngày chính thức", admitted(6511) - timedelta(days=1)),
        7011: ("Số thẻ đảng viên", "123"),
        7512: ("Chi bộ", "Chi bộ Khối 99"),
        8013: ("Dân tộc", "Xyz"),
        8514: ("Chuyên môn", "Siêu học"),
        9015: ("Điện thoại", "12345"),
        9516: ("Email", "abc@"),
    }


def write(path, rows):
    headers = helpers.HEADERS
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(headers)
    for i, row in enumerate(rows):
        encoded = encode(row, i)
        sheet.append([encoded.get(h) for h in headers])
    workbook.save(path)
    return path


class LargeImportTests(BaseTestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def test_it_reports_exactly_the_bad_rows_then_saves_the_fixed_file_once(self):
        rows = [row_of(i) for i in range(ROWS)]
        spoilt = bad_rows(rows)
        bad = [dict(row) for row in rows]
        for i, (header, value) in spoilt.items():
            bad[i][header] = value
        bad_path = write(self.dir / "bad.xlsx", bad)
        fixed_path = write(self.dir / "fixed.xlsx", rows)

        started = time.perf_counter()
        report = importer.import_file(bad_path, self.ward, by=self.office)
        checked = time.perf_counter() - started
        expected = {(i + 2, header) for i, (header, _value) in spoilt.items()}
        found = [(e.row, e.column) for e in report.errors]
        self.assertEqual(set(found), expected, [e for e in report.errors if (e.row, e.column) not in expected])
        self.assertEqual(len(found), 20)
        self.assertEqual(report.total_rows, ROWS)
        self.assertFalse(report.saved)
        self.assertEqual(Member.objects.count(), 0)
        self.assertEqual(Member.history.count(), 0)

        started = time.perf_counter()
        report = importer.import_file(fixed_path, self.ward, by=self.office)
        saved = time.perf_counter() - started
        self.assertEqual(report.errors, [])
        self.assertTrue(report.saved)
        self.assertEqual(Member.objects.count(), ROWS)
        self.assertEqual(StatusEvent.objects.count(), ROWS)
        self.assertEqual(Member.history.count(), ROWS)
        self.assertEqual(set(Member.objects.values_list("full_name", flat=True)), {name_of(i) for i in range(ROWS)})
        self.assertEqual(Member.objects.filter(organization=self.school_cell).count(), 4000)
        self.assertEqual(Member.objects.filter(status="official").count(), 8000)
        # Row 2 was written in TCVN3 with its birth date as d/m/yy.
        sample = Member.objects.get(card_number="20000002")
        self.assertEqual((sample.full_name, sample.date_of_birth, sample.professional_degree, sample.theory_level,
                          sample.organization, sample.birthplace_text),
                         (name_of(2), rows[2]["Ngày sinh"], "bachelor", "advanced", self.school_cell,
                          "Phường Trường Thi, Thành phố Vinh"))

        history = Member.history.count()
        started = time.perf_counter()
        report = importer.import_file(fixed_path, self.ward, by=self.office)
        again = time.perf_counter() - started
        self.assertEqual(report.errors, [])
        counts = report.counts
        self.assertEqual((counts["new"], counts["updated"], counts["unchanged"]), (0, 0, ROWS))
        # The report keeps a sample of the unchanged rows for the preview, not all of them.
        self.assertEqual(len(report.unchanged), importer.SAMPLE_ROWS)
        self.assertEqual(Member.history.count(), history)
        self.assertEqual(StatusEvent.objects.count(), ROWS)
        print(f"\n10,000 rows: check with 20 errors {checked:.1f} s, import {saved:.1f} s, re-import {again:.1f} s")
        self.assertLess(saved, 120)

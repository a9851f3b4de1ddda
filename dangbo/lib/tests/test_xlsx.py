"""dangbo.lib.xlsx, tested here while dangbo/lib/tests belongs to the whole team."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase
from openpyxl import load_workbook

from dangbo.lib.xlsx import safe_cell, sheet_title, write_workbook


class SafeCellTest(SimpleTestCase):
    def test_it_neutralises_formula_starts(self):
        for value in ("=1+2", "+84912", "-5", "@SUM(A1)", "\t=x"):
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), "'" + value)

    def test_it_keeps_everything_else(self):
        for value in ("Nghị quyết", "09-NQ/ĐU", "", None, -5, 3.5, date(2026, 2, 20)):
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), value)


class WriteWorkbookTest(SimpleTestCase):
    def test_it_writes_a_safe_sheet(self):
        aware = datetime(2026, 2, 20, 1, 30, tzinfo=ZoneInfo("UTC"))
        data = write_workbook(["Số", "Ngày", "Trích yếu", "Lúc"],
                              [["01-NQ/ĐU", date(2026, 2, 20), "=cmd|' /C calc'!A0", aware]], "Sổ văn bản: 2026")
        sheet = load_workbook(BytesIO(data)).active
        self.assertEqual(sheet.title, "Sổ văn bản  2026")
        self.assertEqual(sheet["A1"].value, "Số")
        self.assertTrue(sheet["A1"].font.bold)
        self.assertEqual(sheet["B2"].value.date(), date(2026, 2, 20))
        self.assertEqual(sheet["B2"].number_format, "DD/MM/YYYY")
        self.assertEqual(sheet["C2"].value, "'=cmd|' /C calc'!A0")
        self.assertEqual(sheet["C2"].data_type, "s")
        self.assertEqual(sheet["D2"].value, datetime(2026, 2, 20, 8, 30))
        self.assertEqual(sheet.freeze_panes, "A2")

    def test_it_makes_a_valid_sheet_title(self):
        self.assertEqual(sheet_title("a/b[c]"), "a b c")
        self.assertEqual(len(sheet_title("x" * 40)), 31)
        self.assertEqual(sheet_title(""), "Sheet1")

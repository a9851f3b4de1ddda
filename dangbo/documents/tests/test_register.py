from datetime import date
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangbo.documents import actions
from dangbo.documents.tests.base import DocumentsTestCase, doc_type, make_draft, make_issued


class RegisterTest(DocumentsTestCase):
    url = reverse("documents:register")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_issued(cls.ward, cls.secretary, "NQ", summary="về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026")
        make_issued(cls.ward, cls.secretary, "KH", summary="triển khai học tập Nghị quyết", on=date(2026, 3, 1))
        make_issued(cls.cell, cls.cell_secretary, "BC", summary="báo cáo sinh hoạt chi bộ quý I")
        make_draft(cls.ward, cls.secretary, "TB", summary="dự thảo thông báo kết luận")
        actions.register_received(
            organization=cls.ward, doc_type=doc_type("KH"), reference="82-KH/TU", issued_on=date(2025, 12, 29),
            sender="Tỉnh ủy Nghệ An", received_on=date(2026, 1, 3), summary="=HYPERLINK(\"http://x\")",
            by=cls.office,
        )
        make_issued(cls.other_ward, cls.outsider, "NQ", summary="nghị quyết của phường khác")

    def get(self, user, **params):
        self.login(user)
        return self.client.get(self.url, params)

    def test_it_lists_the_register_of_the_ward(self):
        r = self.get(self.office)
        self.assertContains(r, "01-NQ/ĐU")
        self.assertContains(r, "01-BC/CB")
        self.assertContains(r, "82-KH/TU")
        self.assertContains(r, "dự thảo thông báo kết luận")
        self.assertContains(r, "20/02/2026")
        self.assertNotContains(r, "phường khác")
        self.assertContains(r, reverse("documents:draft_create", args=[self.ward.pk]))

    def test_it_searches_the_summary_without_accents(self):
        r = self.get(self.office, q="nhiem vu chinh tri")
        self.assertContains(r, "về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026")
        self.assertNotContains(r, "triển khai học tập")
        r = self.get(self.office, q="NHIỆM VỤ")
        self.assertContains(r, "nhiệm vụ chính trị")

    def test_it_searches_the_symbol(self):
        r = self.get(self.office, q="01-kh/du")
        self.assertContains(r, "triển khai học tập")
        self.assertNotContains(r, "nhiệm vụ chính trị")
        r = self.get(self.office, q="82-KH/TU")
        self.assertContains(r, "HYPERLINK")

    def test_it_filters_by_type_year_issuer_and_book(self):
        r = self.get(self.office, doc_type=doc_type("KH").pk)
        self.assertContains(r, "triển khai học tập")
        self.assertNotContains(r, "nhiệm vụ chính trị")
        r = self.get(self.office, year=2025)
        self.assertContains(r, "82-KH/TU")
        self.assertNotContains(r, "01-NQ/ĐU")
        r = self.get(self.office, organization=self.cell.pk)
        self.assertContains(r, "báo cáo sinh hoạt")
        self.assertNotContains(r, "01-NQ/ĐU")
        r = self.get(self.office, direction="incoming")
        self.assertContains(r, "82-KH/TU")
        self.assertNotContains(r, "01-NQ/ĐU")

    def test_it_ignores_an_organization_outside_the_scope(self):
        r = self.get(self.office, organization=self.other_ward.pk)
        self.assertNotContains(r, "phường khác")
        self.assertContains(r, "Đơn vị: ")

    def test_it_shows_a_member_only_what_was_sent(self):
        r = self.get(self.member)
        self.assertContains(r, "Không có văn bản nào.")
        self.assertNotContains(r, reverse("documents:draft_create", args=[self.cell.pk]))

    def test_it_keeps_the_query_count_flat(self):
        self.login(self.office)

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            return len(queries)

        actions.distribute(self.ward.documents.filter(status="issued").first(), organizations=[self.cell],
                           by=self.secretary)
        few = count()
        for i in range(30):
            make_issued(self.ward, self.secretary, "TB", summary=f"thông báo số {i}", on=date(2026, 4, 1))
        self.assertEqual(count(), few)


class ExportTest(DocumentsTestCase):
    url = reverse("documents:export")

    def test_it_exports_the_searched_register(self):
        make_issued(self.ward, self.secretary, "NQ", summary="về lãnh đạo nhiệm vụ năm 2026")
        actions.register_received(
            organization=self.ward, doc_type=doc_type("CV"), reference="15-CV/TU", issued_on=date(2026, 1, 2),
            sender="Tỉnh ủy", received_on=date(2026, 1, 3), summary="=1+2", by=self.office,
        )
        make_issued(self.other_ward, self.outsider, summary="không được xuất")
        self.login(self.office)
        r = self.client.get(self.url)
        self.assertEqual(r["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        sheet = load_workbook(BytesIO(r.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("Số, ký hiệu", "Ngày văn bản", "Loại", "Trích yếu"))
        summaries = {row[3] for row in rows[1:]}
        self.assertEqual(summaries, {"về lãnh đạo nhiệm vụ năm 2026", "'=1+2"})
        issued = next(row for row in rows[1:] if row[0] == "01-NQ/ĐU")
        self.assertEqual(issued[1].date(), date(2026, 2, 20))
        r = self.client.get(self.url, {"q": "lanh dao"})
        rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2)


class RegisterHtmxTest(DocumentsTestCase):
    def test_it_answers_htmx_with_the_table_only(self):
        make_issued(self.ward, self.secretary, summary="về lãnh đạo nhiệm vụ năm 2026")
        self.login(self.office)
        r = self.client.get(reverse("documents:register"), {"q": "lanh dao"}, headers={"HX-Request": "true"})
        self.assertContains(r, "về lãnh đạo nhiệm vụ năm 2026")
        self.assertNotContains(r, "<html")
        self.assertNotContains(r, "Soạn văn bản")

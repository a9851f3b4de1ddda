"""The PDF in the Party's format: its text, extracted with pdftotext, reads as HD 36 lays it out."""

import shutil
import subprocess
import unittest

from django.urls import reverse

from dangbo.documents.printing import paragraphs
from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(data, layout=True):
    args = [PDFTOTEXT] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode("utf-8")


@unittest.skipIf(PDFTOTEXT is None, "pdftotext (poppler-utils) is not installed")
class PdfTest(DocumentsTestCase):
    def get_pdf(self, document, user=None):
        self.login(user or self.office)
        r = self.client.get(reverse("documents:pdf", args=[document.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        return r

    def test_it_prints_a_resolution_in_the_party_format(self):
        document = make_issued(
            self.ward, self.secretary, "NQ", summary="về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026",
            body="- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;\nQUYẾT NGHỊ:\nI- MỤC TIÊU\n"
                 "Xây dựng Đảng bộ trong sạch, vững mạnh.",
            recipients_text="- Ban Thường vụ Tỉnh ủy,\n- Các chi bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy.",
        )
        r = self.get_pdf(document)
        self.assertIn('filename="01-nq-du.pdf"', r["Content-Disposition"])
        lines = [line.strip() for line in pdf_text(r.content).splitlines() if line.strip()]
        # Two-column header: superior | title, issuer, "*" | date, number.
        self.assertRegex(lines[0], r"^ĐẢNG BỘ TỈNH NGHỆ AN\s+ĐẢNG CỘNG SẢN VIỆT NAM$")
        self.assertEqual(lines[1], "ĐẢNG ỦY PHƯỜNG VINH HƯNG")
        self.assertRegex(lines[2], r"^\*\s+Vinh Hưng, ngày 20 tháng 02 năm 2026$")
        self.assertEqual(lines[3], "Số 01-NQ/ĐU")
        self.assertEqual(lines[4:7], ["NGHỊ QUYẾT", "về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026", "-----"])
        self.assertIn("QUYẾT NGHỊ:", lines)
        # Signature block: recipients bottom left, authority, position and name right.
        start = next(i for i, line in enumerate(lines) if line.startswith("Nơi nhận:"))
        self.assertRegex(lines[start], r"^Nơi nhận:\s+T/M ĐẢNG ỦY$")
        self.assertRegex(lines[start + 1], r"^- Ban Thường vụ Tỉnh ủy,\s+BÍ THƯ$")
        self.assertEqual(lines[start + 2:], ["- Các chi bộ trực thuộc,", "- Lưu Văn phòng Đảng ủy.", "Nguyễn Văn Hùng"])

    def test_it_prints_a_draft_without_a_number(self):
        draft = make_draft(self.ward, self.secretary, "KH", summary="học tập nghị quyết")
        text = pdf_text(self.get_pdf(draft).content, layout=False)
        self.assertIn("DỰ THẢO", text)
        self.assertIn("-KH/ĐU", text)
        self.assertNotIn("01-KH", text)
        self.assertIn("KẾ HOẠCH", text)

    def test_it_prints_a_dispatch_with_its_summary_under_the_number(self):
        document = make_issued(self.ward, self.secretary, "CV", summary="chuẩn bị sinh hoạt chi bộ tháng 3",
                               addressees="Các chi bộ trực thuộc")
        lines = [line.strip() for line in pdf_text(self.get_pdf(document).content).splitlines() if line.strip()]
        self.assertEqual(lines[3], "Số 01-CV/ĐU")
        self.assertEqual(lines[4], "V/v chuẩn bị sinh hoạt chi bộ tháng 3")
        self.assertEqual(lines[5], "Kính gửi: Các chi bộ trực thuộc")
        self.assertNotIn("CÔNG VĂN", lines)

    def test_it_prints_minutes_with_two_signatures(self):
        draft = make_draft(self.cell, self.cell_secretary, "BB", summary="sinh hoạt chi bộ tháng 02 năm 2026",
                           signer_name="Lê Văn Nam", second_signer_name="Phạm Thị Hoa")
        text = pdf_text(self.get_pdf(draft, self.cell_secretary).content)
        self.assertIn("BIÊN BẢN", text)
        self.assertRegex(text, r"THƯ KÝ\s+CHỦ TRÌ")
        self.assertRegex(text, r"Phạm Thị Hoa\s+Lê Văn Nam")
        self.assertNotIn("Số", text.split("BIÊN BẢN")[0])

    def test_it_prints_each_layout(self):
        for code, title in [("QĐ", "QUYẾT ĐỊNH"), ("TB", "THÔNG BÁO"), ("KH", "KẾ HOẠCH"), ("BC", "BÁO CÁO"),
                            ("HD", "HƯỚNG DẪN")]:
            with self.subTest(code=code):
                document = make_issued(self.ward, self.secretary, code)
                text = pdf_text(self.get_pdf(document).content)
                self.assertIn(title, text)
                self.assertIn(f"Số 01-{code}/ĐU", text)

    def test_it_hides_other_wards(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("documents:pdf", args=[document.pk])).status_code, 404)


class ParagraphsTest(DocumentsTestCase):
    def test_it_marks_headings(self):
        result = paragraphs("QUYẾT NGHỊ:\nI- MỤC TIÊU\nNội dung thường\n\n")
        self.assertEqual([(p["heading"], p["centered"]) for p in result], [(True, True), (True, False), (False, False)])

import shutil
import subprocess
import unittest

from dangbo.documents.demo import seed_documents
from dangbo.documents.models import Delivery, Document, Task
from dangbo.documents.printing import document_pdf
from dangbo.documents.tests.base import DocumentsTestCase


class SeedDocumentsTest(DocumentsTestCase):
    def test_it_seeds_a_resolution_a_plan_with_tasks_and_a_sent_notice(self):
        resolution, plan, notice = seed_documents(self.ward, by=self.office)
        self.assertEqual((resolution.reference, plan.reference, notice.reference),
                         ("01-NQ/ĐU", "01-KH/ĐU", "01-TB/ĐU"))
        self.assertEqual(Task.objects.filter(document=plan).count(), 6)
        self.assertEqual(set(Delivery.objects.filter(document=notice).values_list("organization", flat=True)),
                         {self.cell.pk, self.school_cell.pk})
        self.assertEqual(len(seed_documents(self.ward, by=self.office)), 3)
        self.assertEqual(Document.objects.count(), 3)

    @unittest.skipIf(shutil.which("pdftotext") is None, "pdftotext (poppler-utils) is not installed")
    def test_it_prints_the_demo_resolution(self):
        resolution = seed_documents(self.ward, by=self.office)[0]
        text = subprocess.run(["pdftotext", "-", "-"], input=document_pdf(resolution), capture_output=True,
                              check=True).stdout.decode()
        self.assertIn("Vinh Hưng, ngày 15 tháng 01 năm 2026", text)
        self.assertIn("về lãnh đạo thực hiện nhiệm vụ chính trị năm 2026", text)

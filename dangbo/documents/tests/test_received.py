from datetime import date

from django.urls import reverse

from dangbo.documents import actions
from dangbo.documents.models import Document
from dangbo.documents.tests.base import DocumentsTestCase, doc_type


class ReceivedCreateTest(DocumentsTestCase):
    def url(self, org):
        return reverse("documents:received_create", args=[org.pk])

    def payload(self, **overrides):
        data = {"doc_type": doc_type("KH").pk, "reference": " 82-KH/TU ", "issued_on": "05/01/2026",
                "sender": "Tỉnh ủy Nghệ An", "received_on": "07/01/2026",
                "summary": "thực hiện Nghị quyết Đại hội Đảng bộ tỉnh", "confidentiality": "normal"}
        return {**data, **overrides}

    def test_it_registers_a_received_document(self):
        self.login(self.office)
        r = self.client.post(self.url(self.ward), self.payload())
        document = Document.objects.get()
        self.assertRedirects(r, document.get_absolute_url())
        self.assertEqual((document.reference, document.direction, document.status), ("82-KH/TU", "incoming", "issued"))
        self.assertEqual(document.received_on, date(2026, 1, 7))

    def test_it_names_the_missing_fields(self):
        self.login(self.office)
        r = self.client.post(self.url(self.ward), self.payload(reference="", sender="", received_on="32/01/2026"))
        self.assertContains(r, "Hãy nhập số, ký hiệu.")
        self.assertContains(r, "Hãy nhập cơ quan ban hành.")
        self.assertContains(r, "Ngày đến không đúng dạng")
        self.assertFalse(Document.objects.exists())

    def test_it_refuses_an_arrival_before_the_document(self):
        self.login(self.office)
        r = self.client.post(self.url(self.ward), self.payload(received_on="04/01/2026"))
        self.assertContains(r, "Ngày đến 04/01/2026 trước ngày văn bản 05/01/2026.")
        self.assertFalse(Document.objects.exists())

    def test_it_corrects_an_entry(self):
        document = actions.register_received(
            organization=self.ward, doc_type=doc_type("KH"), reference="82-KH/TU", issued_on=date(2026, 1, 5),
            sender="Tỉnh ủy", received_on=date(2026, 1, 7), summary="cũ", by=self.office)
        self.login(self.office)
        self.client.post(reverse("documents:edit", args=[document.pk]), self.payload(reference="83-KH/TU"))
        document.refresh_from_db()
        self.assertEqual(document.reference, "83-KH/TU")
        self.assertEqual(document.search_key.split()[0], "83-kh/tu")

    def test_it_requires_write_access(self):
        self.login(self.readonly)
        self.assertEqual(self.client.post(self.url(self.ward), self.payload()).status_code, 403)

    def test_it_hides_other_wards(self):
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(self.ward), self.payload()).status_code, 404)

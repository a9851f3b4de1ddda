from django.core.exceptions import ValidationError
from django.urls import reverse

from dangbo.documents import actions
from dangbo.documents.models import ReadReceipt
from dangbo.documents.tests.base import DocumentsTestCase, make_issued


class MarkReadTest(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.document = make_issued(cls.ward, cls.secretary, "TB")
        actions.distribute(cls.document, organizations=[cls.cell], by=cls.secretary)

    def url(self):
        return reverse("documents:mark_read", args=[self.document.pk])

    def test_it_records_one_receipt_per_user(self):
        self.login(self.member)
        self.client.post(self.url())
        self.client.post(self.url())
        self.assertEqual(ReadReceipt.objects.filter(user=self.member).count(), 1)

    def test_it_answers_htmx_with_the_partial(self):
        self.login(self.member)
        r = self.client.post(self.url(), headers={"HX-Request": "true"})
        self.assertContains(r, "Bạn đã xác nhận đọc lúc")
        self.assertNotContains(r, "<html")

    def test_it_refuses_a_user_it_was_not_sent_to(self):
        # The ward office sees the register but was not sent the notice.
        with self.assertRaisesMessage(ValidationError, "Văn bản này không gửi đến bạn."):
            actions.mark_read(self.document, self.office)
        self.assertFalse(ReadReceipt.objects.exists())

    def test_it_lists_who_has_not_read(self):
        from dangbo.documents.selectors import expected_readers

        actions.mark_read(self.document, self.member)
        unread = [str(row["user"]) for row in expected_readers(self.document) if row["read_at"] is None]
        self.assertEqual(unread, ["Lê Văn Nam"])

    def test_it_hides_other_wards(self):
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url()).status_code, 404)
        self.assertFalse(ReadReceipt.objects.exists())

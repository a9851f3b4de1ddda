from django.urls import reverse

from dangbo.documents import actions
from dangbo.documents.models import Attachment
from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued, upload


class AttachmentTest(DocumentsTestCase):
    def test_it_attaches_and_serves_through_the_scoped_view(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(reverse("documents:attachment_add", args=[document.pk]),
                             {"file": upload("Nghị quyết 01.pdf", b"%PDF-1.4 signed")}, follow=True)
        self.assertContains(r, "Đã đính kèm tệp.")
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.name, "Nghị quyết 01.pdf")
        self.assertNotIn("Nghị", attachment.file.name)
        r = self.client.get(reverse("documents:attachment", args=[document.pk, attachment.pk]))
        self.assertEqual(b"".join(r.streaming_content), b"%PDF-1.4 signed")
        self.assertIn("attachment;", r["Content-Disposition"])

    def test_it_refuses_other_file_types(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(reverse("documents:attachment_add", args=[document.pk]),
                             {"file": upload("virus.exe", b"MZ")}, follow=True)
        self.assertContains(r, "Tệp virus.exe không thuộc loại được nhận")
        self.assertFalse(Attachment.objects.exists())

    def test_it_removes_only_from_a_draft(self):
        draft = make_draft(self.ward, self.secretary)
        attachment = actions.add_attachment(draft, file=upload(), by=self.secretary)
        self.login(self.office)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("documents:attachment_remove", args=[draft.pk, attachment.pk]))
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(attachment.file.storage.exists(attachment.file.name))

    def test_it_requires_write_access(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.readonly)
        r = self.client.post(reverse("documents:attachment_add", args=[document.pk]), {"file": upload()})
        self.assertEqual(r.status_code, 403)

    def test_it_hides_other_wards(self):
        document = make_issued(self.ward, self.secretary)
        attachment = actions.add_attachment(document, file=upload(), by=self.secretary)
        self.login(self.outsider)
        r = self.client.get(reverse("documents:attachment", args=[document.pk, attachment.pk]))
        self.assertEqual(r.status_code, 404)
        other = make_issued(self.other_ward, self.outsider)
        # An attachment is found only through its own document.
        r = self.client.get(reverse("documents:attachment", args=[other.pk, attachment.pk]))
        self.assertEqual(r.status_code, 404)

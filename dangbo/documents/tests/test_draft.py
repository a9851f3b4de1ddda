from django.urls import reverse

from dangbo.documents.models import Document
from dangbo.documents.tests.base import DocumentsTestCase, doc_type, make_draft, make_issued


class DraftCreateTest(DocumentsTestCase):
    def url(self, org):
        return reverse("documents:draft_create", args=[org.pk])

    def payload(self, **overrides):
        data = {"doc_type": doc_type("NQ").pk, "summary": "về công tác phát triển đảng viên năm 2026",
                "body": "- Căn cứ Điều lệ Đảng;\nQUYẾT NGHỊ:", "confidentiality": "normal"}
        return {**data, **overrides}

    def test_it_saves_a_draft_with_defaults(self):
        self.login(self.cell_secretary)
        r = self.client.post(self.url(self.cell), self.payload())
        document = Document.objects.get()
        self.assertRedirects(r, document.get_absolute_url())
        self.assertEqual(document.status, "draft")
        self.assertIsNone(document.number)
        self.assertEqual(document.header_name, "CHI BỘ KHỐI 1")
        self.assertEqual(document.signer_name, "Lê Văn Nam")
        self.assertEqual(document.created_by, self.cell_secretary)

    def test_it_names_the_missing_field(self):
        self.login(self.office)
        r = self.client.post(self.url(self.ward), self.payload(summary="", doc_type=""))
        self.assertContains(r, "Hãy nhập trích yếu.")
        self.assertContains(r, "Hãy chọn loại văn bản.")
        self.assertFalse(Document.objects.exists())

    def test_it_normalizes_decomposed_text(self):
        self.login(self.office)
        decomposed = "ve\u0302\u0300 co\u0302ng ta\u0301c"  # "về công tác" typed in NFD
        self.client.post(self.url(self.ward), self.payload(summary=decomposed))
        self.assertEqual(Document.objects.get().summary, "về công tác")

    def test_it_requires_write_access(self):
        self.login(self.readonly)
        self.assertEqual(self.client.post(self.url(self.ward), self.payload()).status_code, 403)
        self.login(self.member)
        self.assertEqual(self.client.get(self.url(self.cell)).status_code, 403)

    def test_it_hides_other_wards(self):
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(self.ward), self.payload()).status_code, 404)
        self.assertFalse(Document.objects.exists())


class DraftEditTest(DocumentsTestCase):
    def test_it_edits_a_draft(self):
        draft = make_draft(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(reverse("documents:edit", args=[draft.pk]), {
            "doc_type": doc_type("TB").pk, "summary": "kết luận của Ban Thường vụ", "confidentiality": "normal",
            "signer_name": "Trần Thị Lan", "signer_position": "PHÓ BÍ THƯ",
        })
        self.assertRedirects(r, draft.get_absolute_url())
        draft.refresh_from_db()
        self.assertEqual((draft.doc_type.code, draft.summary, draft.signer_position),
                         ("TB", "kết luận của Ban Thường vụ", "PHÓ BÍ THƯ"))
        self.assertEqual(draft.history.first().history_user, self.office)

    def test_it_refuses_to_edit_an_issued_document(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(reverse("documents:edit", args=[document.pk]), {"summary": "khác"}, follow=True)
        self.assertContains(r, "không sửa được nữa")
        document.refresh_from_db()
        self.assertNotEqual(document.summary, "khác")

    def test_it_requires_write_access(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.readonly)
        self.assertEqual(self.client.get(reverse("documents:edit", args=[document.pk])).status_code, 403)

    def test_it_hides_other_wards(self):
        draft = make_draft(self.ward, self.secretary)
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("documents:edit", args=[draft.pk])).status_code, 404)


class DraftDeleteTest(DocumentsTestCase):
    def test_it_deletes_a_draft(self):
        draft = make_draft(self.cell, self.cell_secretary)
        self.login(self.cell_secretary)
        r = self.client.post(reverse("documents:delete", args=[draft.pk]))
        self.assertRedirects(r, reverse("documents:register"))
        self.assertFalse(Document.objects.filter(pk=draft.pk).exists())

    def test_it_keeps_an_issued_document(self):
        document = make_issued(self.cell, self.cell_secretary)
        self.login(self.cell_secretary)
        r = self.client.post(reverse("documents:delete", args=[document.pk]), follow=True)
        self.assertContains(r, "Chỉ xóa được dự thảo.")
        self.assertTrue(Document.objects.filter(pk=document.pk).exists())

    def test_it_requires_write_access(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.readonly)
        self.assertEqual(self.client.post(reverse("documents:delete", args=[document.pk])).status_code, 403)

    def test_it_hides_other_wards(self):
        draft = make_draft(self.ward, self.secretary)
        self.login(self.outsider)
        self.assertEqual(self.client.post(reverse("documents:delete", args=[draft.pk])).status_code, 404)
        self.assertTrue(Document.objects.filter(pk=draft.pk).exists())

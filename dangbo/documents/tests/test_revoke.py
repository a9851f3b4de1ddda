from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse

from dangbo.documents import actions
from dangbo.documents.tests.base import DocumentsTestCase, make_issued


class RevokeTest(DocumentsTestCase):
    def url(self, document):
        return reverse("documents:revoke", args=[document.pk])

    def test_it_marks_a_document_replaced_with_a_link(self):
        old = make_issued(self.ward, self.secretary, summary="quy chế cũ")
        new = make_issued(self.ward, self.secretary, summary="quy chế mới", on=date(2026, 3, 1))
        self.login(self.office)
        r = self.client.post(self.url(old), {"on": "01/03/2026", "reason": "Ban hành quy chế mới",
                                             "replaced_by": new.pk}, follow=True)
        self.assertContains(r, "Được thay thế bởi")
        self.assertContains(r, "Số 02-NQ/ĐU")
        old.refresh_from_db()
        self.assertEqual((old.status, old.replaced_by, old.revoked_on), ("replaced", new, date(2026, 3, 1)))
        self.assertEqual(list(new.replaces.all()), [old])

    def test_it_revokes_without_a_replacement(self):
        document = make_issued(self.ward, self.secretary)
        actions.revoke_document(document, on=date(2026, 3, 1), reason="Sai thẩm quyền", by=self.office)
        document.refresh_from_db()
        self.assertEqual(document.status, "revoked")
        with self.assertRaisesMessage(ValidationError, "Chỉ thu hồi được văn bản đang có hiệu lực."):
            actions.revoke_document(document, on=date(2026, 3, 1), reason="lần hai", by=self.office)

    def test_it_refuses_a_date_before_the_document(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(self.url(document), {"on": "01/01/2026", "reason": "x"})
        self.assertContains(r, "Ngày thu hồi trước ngày văn bản (20/02/2026).")
        r = self.client.post(self.url(document), {"on": "01/03/2026", "reason": ""})
        self.assertContains(r, "Hãy nhập lý do.")

    def test_it_requires_write_access(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.readonly)
        self.assertEqual(self.client.post(self.url(document), {"on": "01/03/2026", "reason": "x"}).status_code, 403)

    def test_it_hides_other_wards(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url(document)).status_code, 404)

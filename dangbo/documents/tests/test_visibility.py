"""Who sees which document (selectors.visible_documents and access_document)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangbo.accounts.models import Role, RoleAssignment
from dangbo.documents import actions
from dangbo.documents.selectors import access_document, visible_documents
from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued
from dangbo.organizations import access
from dangbo.test import make_user


class VisibilityTest(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ward_draft = make_draft(cls.ward, cls.secretary, summary="dự thảo của phường")
        cls.ward_doc = make_issued(cls.ward, cls.secretary, summary="nghị quyết của phường")
        cls.cell_draft = make_draft(cls.cell, cls.cell_secretary, summary="dự thảo của Khối 1")
        cls.cell_doc = make_issued(cls.cell, cls.cell_secretary, summary="nghị quyết của Khối 1")
        cls.school_draft = make_draft(cls.school_cell, cls.secretary, summary="dự thảo của trường")
        cls.school_doc = make_issued(cls.school_cell, cls.secretary, summary="nghị quyết của trường")
        cls.other_doc = make_issued(cls.other_ward, cls.outsider, summary="nghị quyết phường khác")
        cls.school_secretary = make_user("bithutruong", "Đinh Thị Thu", (cls.school_cell, Role.CELL_SECRETARY))

    def seen(self, user):
        return set(visible_documents(user).values_list("summary", flat=True))

    def test_it_shows_the_ward_office_everything_in_the_ward(self):
        self.assertEqual(self.seen(self.office), {
            "dự thảo của phường", "nghị quyết của phường", "dự thảo của Khối 1", "nghị quyết của Khối 1",
            "dự thảo của trường", "nghị quyết của trường",
        })

    def test_it_hides_another_cells_drafts(self):
        self.assertEqual(self.seen(self.cell_secretary), {"dự thảo của Khối 1", "nghị quyết của Khối 1"})
        self.assertEqual(self.seen(self.school_secretary), {"dự thảo của trường", "nghị quyết của trường"})
        with self.assertRaises(Http404):
            access_document(self.cell_secretary, self.school_draft.pk)

    def test_it_shows_a_member_only_what_was_sent(self):
        self.assertEqual(self.seen(self.member), set())
        actions.distribute(self.ward_doc, organizations=[self.cell], by=self.secretary)
        personal = make_issued(self.ward, self.secretary, summary="gửi đích danh")
        actions.distribute(personal, users=[self.member], by=self.secretary)
        self.assertEqual(self.seen(self.member), {"nghị quyết của phường", "gửi đích danh"})
        # Sent to the other cell only: the member of Khối 1 does not see it.
        actions.distribute(self.cell_doc, organizations=[self.cell], by=self.cell_secretary)
        other = make_issued(self.ward, self.secretary, summary="chỉ gửi trường")
        actions.distribute(other, organizations=[self.school_cell], by=self.secretary)
        self.assertNotIn("chỉ gửi trường", self.seen(self.member))
        self.assertIn("chỉ gửi trường", self.seen(self.school_secretary))

    def test_it_reaches_the_cells_when_sent_to_the_ward(self):
        actions.distribute(self.ward_doc, organizations=[self.ward], by=self.secretary)
        self.assertIn("nghị quyết của phường", self.seen(self.member))
        self.assertIn("nghị quyết của phường", self.seen(self.school_secretary))

    def test_it_never_shows_a_draft_to_a_recipient(self):
        self.assertNotIn("dự thảo của Khối 1", self.seen(self.member))

    def test_it_shows_the_superior_issued_documents_but_not_drafts(self):
        seen = self.seen(self.readonly)
        self.assertIn("nghị quyết của phường", seen)
        self.assertIn("nghị quyết phường khác", seen)
        self.assertNotIn("dự thảo của phường", seen)

    def test_it_shows_outsiders_and_citizens_nothing_of_ours(self):
        self.assertEqual(self.seen(self.outsider), {"nghị quyết phường khác"})
        self.assertEqual(self.seen(self.citizen), set())
        with self.assertRaises(Http404):
            access_document(self.outsider, self.ward_doc.pk)

    def test_it_gives_403_to_read_only_asking_to_write(self):
        self.assertEqual(access_document(self.readonly, self.ward_doc.pk), self.ward_doc)
        with self.assertRaises(PermissionDenied):
            access_document(self.readonly, self.ward_doc.pk, capability=access.WRITE)

    def test_it_gives_403_to_a_recipient_asking_to_write(self):
        actions.distribute(self.ward_doc, organizations=[self.cell], by=self.secretary)
        with self.assertRaises(PermissionDenied):
            access_document(self.cell_secretary, self.ward_doc.pk, capability=access.WRITE)

    def test_it_ignores_expired_roles(self):
        RoleAssignment.objects.filter(user=self.office).update(valid_to="2020-01-01")
        self.office.refresh_from_db()
        self.assertEqual(self.seen(self.office), set())

    def test_it_shows_a_superuser_everything(self):
        self.citizen.is_superuser = True
        self.assertEqual(len(self.seen(self.citizen)), 7)

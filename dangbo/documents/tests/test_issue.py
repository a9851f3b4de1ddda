from django.urls import reverse

from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued


class IssueViewTest(DocumentsTestCase):
    def url(self, document):
        return reverse("documents:issue", args=[document.pk])

    def test_it_issues_with_the_next_number(self):
        make_issued(self.cell, self.cell_secretary)
        draft = make_draft(self.cell, self.cell_secretary)
        self.login(self.cell_secretary)
        r = self.client.post(self.url(draft), {"issued_on": "21/02/2026"}, follow=True)
        self.assertContains(r, "Đã ban hành Số 02-NQ/CB.")
        draft.refresh_from_db()
        self.assertEqual((draft.number, draft.status, draft.issued_by), (2, "issued", self.cell_secretary))

    def test_it_shows_a_clear_error_for_a_bad_date(self):
        draft = make_draft(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(self.url(draft), {"issued_on": "31/02/2026"})
        self.assertContains(r, "Ngày ban hành không đúng dạng ngày/tháng/năm (dd/mm/yyyy).")
        r = self.client.post(self.url(draft), {"issued_on": ""})
        self.assertContains(r, "Hãy nhập ngày ban hành.")
        draft.refresh_from_db()
        self.assertTrue(draft.is_draft)

    def test_it_shows_the_action_error(self):
        self.ward.terms.all().delete()
        draft = make_draft(self.ward, self.secretary)
        self.login(self.office)
        r = self.client.post(self.url(draft), {"issued_on": "20/02/2026"})
        self.assertContains(r, "chưa có nhiệm kỳ nào bắt đầu trước ngày 20/02/2026")

    def test_it_requires_write_access(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.readonly)
        self.assertEqual(self.client.post(self.url(document), {"issued_on": "20/02/2026"}).status_code, 403)

    def test_it_hides_other_wards(self):
        draft = make_draft(self.ward, self.secretary)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(draft), {"issued_on": "20/02/2026"}).status_code, 404)
        draft.refresh_from_db()
        self.assertTrue(draft.is_draft)

    def test_it_hides_another_cells_drafts(self):
        draft = make_draft(self.school_cell, self.secretary)
        self.login(self.cell_secretary)
        self.assertEqual(self.client.get(self.url(draft)).status_code, 404)

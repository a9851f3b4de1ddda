from datetime import date

from django.urls import reverse

from dangbo.documents import actions
from dangbo.documents.tests.base import DocumentsTestCase, make_draft, make_issued


class DetailTest(DocumentsTestCase):
    def url(self, document):
        return reverse("documents:detail", args=[document.pk])

    def test_it_shows_a_draft_to_its_writer(self):
        draft = make_draft(self.cell, self.cell_secretary, body="Nội dung dự thảo")
        self.login(self.cell_secretary)
        r = self.client.get(self.url(draft))
        self.assertContains(r, "Dự thảo")
        self.assertContains(r, "Ban hành và lấy số")
        self.assertContains(r, "Nội dung dự thảo")

    def test_it_shows_the_issuer_who_has_not_read(self):
        document = make_issued(self.ward, self.secretary)
        actions.distribute(document, organizations=[self.cell], by=self.secretary)
        actions.mark_read(document, self.member)
        self.login(self.office)
        r = self.client.get(self.url(document))
        self.assertContains(r, "Đã đọc 1/2 người nhận.")
        readers = r.context["readers"]
        self.assertEqual([str(row["user"]) for row in readers], ["Lê Văn Nam", "Phạm Thị Hoa"])
        self.assertIsNone(readers[0]["read_at"])
        self.assertEqual(readers[0]["via"], "Chi bộ Khối 1")

    def test_it_offers_the_read_button_to_a_recipient(self):
        document = make_issued(self.ward, self.secretary)
        actions.distribute(document, users=[self.member], by=self.secretary)
        self.login(self.member)
        r = self.client.get(self.url(document))
        self.assertContains(r, "Xác nhận đã đọc")
        self.assertNotContains(r, "Gửi đến chi bộ")
        self.assertIsNone(r.context["readers"])

    def test_it_shows_the_tasks_state(self):
        plan = make_issued(self.ward, self.secretary, "KH")
        actions.add_task(plan, content="Học tập nghị quyết", responsible_organization=self.cell,
                         deadline=date(2026, 3, 1), by=self.secretary)
        self.login(self.office)
        r = self.client.get(self.url(plan))
        self.assertContains(r, "Học tập nghị quyết")
        self.assertContains(r, "Quá hạn")
        self.assertContains(r, "01/03/2026")

    def test_it_hides_other_wards(self):
        document = make_issued(self.ward, self.secretary)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url(document)).status_code, 404)

"""Exemption pages: the cell records and decides, the superior committee sees what it was told."""

from datetime import date

from dangbo.members.choices import Status
from dangbo.members.models import ExemptionRequest
from dangbo.members.tests.test_exemption import EXEMPT, TEMPORARY, ask, decide
from dangbo.members.tests.test_transfer_views import count_queries
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase


class ExemptionListTest(BaseTestCase):
    def setUp(self):
        self.elder = make_member(self.cell, name="Cụ Trần Thị Hiền")
        self.request = ask(self.elder, self.cell_secretary)
        self.url = f"/members/exemptions/?org={self.ward.pk}&year=2026"

    def test_it_shows_the_superior_what_is_pending_decided_and_informed(self):
        self.client.force_login(self.secretary)
        r = self.client.get(self.url)
        self.assertContains(r, "Đơn chờ chi bộ xem xét")
        self.assertContains(r, f"/members/exemptions/{self.request.pk}/decide/")
        decide(self.request, self.cell_secretary)
        r = self.client.get(self.url)
        self.assertContains(r, f"/members/exemptions/{self.request.pk}/inform/")
        self.assertContains(r, "miễn sinh hoạt")  # the badge in the list of exempt members
        r = self.client.post(f"/members/exemptions/{self.request.pk}/inform/", {"on": "12/03/2026"})
        self.assertRedirects(r, f"/members/exemptions/?org={self.cell.pk}", fetch_redirect_response=False)
        r = self.client.get(self.url)
        self.assertContains(r, "12/03/2026")
        self.assertNotContains(r, f"/members/exemptions/{self.request.pk}/inform/")

    def test_it_shows_the_end_of_a_temporary_exemption(self):
        away = make_member(self.cell, name="Người Đi Xa")
        decide(ask(away, self.cell_secretary, TEMPORARY, reason="Đi làm ăn xa", until=date(2026, 4, 1)),
               self.cell_secretary)
        self.client.force_login(self.secretary)
        r = self.client.get(self.url)
        self.assertContains(r, "01/04/2026")
        self.assertContains(r, "hết hạn tạm miễn")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_lets_the_province_read_without_acting(self):
        decide(self.request, self.cell_secretary)
        self.client.force_login(self.readonly)
        r = self.client.get(self.url)
        self.assertContains(r, "Cụ Trần Thị Hiền")
        self.assertNotContains(r, "/inform/")

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/members/exemptions/?org={self.cell.pk}").status_code, 403)

    def test_its_queries_do_not_grow_with_rows(self):
        self.client.force_login(self.secretary)
        self.client.get(self.url)
        decide(ask(make_member(self.school_cell), self.secretary), self.secretary)
        few = count_queries(self.client, self.url)
        for i in range(10):
            request = ask(make_member(self.school_cell if i % 2 else self.cell), self.secretary,
                          TEMPORARY if i % 3 else EXEMPT, until=date(2026, 12, 1) if i % 3 else None)
            if i % 2:
                decide(request, self.secretary, approve=bool(i % 4))
        self.assertEqual(ExemptionRequest.objects.count(), 12)
        self.assertEqual(count_queries(self.client, self.url), few)


class ExemptionWriteViewsTest(BaseTestCase):
    def setUp(self):
        self.elder = make_member(self.cell, name="Cụ Lê Văn Cao")

    def test_the_cell_records_a_request_and_decides(self):
        self.client.force_login(self.cell_secretary)
        url = f"/members/exemptions/new/{self.elder.pk}/"
        self.assertContains(self.client.get(url), "Cụ Lê Văn Cao")
        r = self.client.post(url, {"kind": "temporary", "reason": "Đi làm ăn xa", "requested_on": "02/03/2026"})
        self.assertContains(r, "Tạm miễn sinh hoạt phải ghi thời hạn (đến ngày).")
        r = self.client.post(url, {"kind": "exempt", "reason": "Tuổi cao", "requested_on": "02/03/2026"})
        self.assertRedirects(r, f"/members/exemptions/?org={self.cell.pk}", fetch_redirect_response=False)
        request = ExemptionRequest.objects.get()
        r = self.client.post(f"/members/exemptions/{request.pk}/decide/",
                             {"approve": "yes", "decided_on": "10/03/2026", "decision_reference": "NQ 05"})
        self.assertEqual(r.status_code, 302)
        self.elder.refresh_from_db()
        self.assertEqual(self.elder.status, Status.EXEMPT)

    def test_it_requires_write_access(self):
        request = ask(self.elder, self.cell_secretary)
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.post(f"/members/exemptions/new/{self.elder.pk}/", {}).status_code, 403)
            self.assertEqual(self.client.post(f"/members/exemptions/{request.pk}/decide/", {}).status_code, 403)
            self.assertEqual(self.client.post(f"/members/exemptions/{request.pk}/inform/", {}).status_code, 403)
        request.refresh_from_db()
        self.assertEqual(request.decision, ExemptionRequest.Decision.PENDING)

    def test_it_hides_other_wards(self):
        request = ask(self.elder, self.cell_secretary)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(f"/members/exemptions/new/{self.elder.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/members/exemptions/{request.pk}/decide/").status_code, 404)
        self.assertEqual(self.client.post(f"/members/exemptions/{request.pk}/inform/", {}).status_code, 404)

    def test_inform_shows_the_action_message(self):
        request = ask(self.elder, self.cell_secretary)
        self.client.force_login(self.cell_secretary)
        r = self.client.post(f"/members/exemptions/{request.pk}/inform/", {"on": "12/03/2026"}, follow=True)
        self.assertContains(r, "Chi bộ chưa xem xét đơn này.")

"""Partials others include: the status badge and the member detail tabs."""

from datetime import date

from django.template.loader import render_to_string

from dangbo.members.choices import Status
from dangbo.members.models import Transfer
from dangbo.members.tests.test_exemption import ask, decide
from dangbo.members.tests.test_transfers import make_member, start
from dangbo.test import BaseTestCase


class StatusBadgeTest(BaseTestCase):
    def render(self, member):
        return render_to_string("members/_partials/status_badge.html", {"member": member})

    def test_it_marks_exempt_members(self):
        html = self.render(make_member(self.cell, status=Status.EXEMPT))
        self.assertIn("miễn sinh hoạt", html)
        self.assertIn("status-exempt", html)

    def test_it_shows_other_statuses(self):
        self.assertIn("dự bị", self.render(make_member(self.cell, status=Status.PROBATIONARY)))
        html = self.render(make_member(self.cell, status=Status.TRANSFERRED_OUT))
        self.assertIn("đã chuyển đi", html)
        self.assertIn("closed", html)


class MemberTabsTest(BaseTestCase):
    def test_the_transfers_tab_lists_transfers_and_exemption_requests(self):
        person = make_member(self.cell, name="Đỗ Thị Tab")
        transfer = start(person, self.cell_secretary, kind=Transfer.Kind.TEMPORARY, to_organization=self.other_cell,
                         ends_on=date(2026, 9, 1))
        request = decide(ask(person, self.cell_secretary), self.cell_secretary)
        person.refresh_from_db()
        html = render_to_string("members/_partials/tab_transfers.html", {"member": person, "can_write": True})
        self.assertIn(f"/members/transfers/{transfer.pk}/", html)
        self.assertIn("Chi bộ Khối 9", html)
        self.assertIn("Chi bộ đồng ý", html)
        self.assertIn(f"/members/exemptions/new/{person.pk}/", html)
        self.assertIn("Ghi đơn trở lại sinh hoạt", html)
        self.assertNotIn(f"/members/exemptions/{request.pk}/decide/", html)
        read_only = render_to_string("members/_partials/tab_transfers.html", {"member": person, "can_write": False})
        self.assertNotIn(f"/members/transfers/start/{person.pk}/", read_only)
        self.assertIn(f"/members/transfers/start/{person.pk}/", html)

    def test_the_residence_tab_offers_a_link_when_there_is_none(self):
        person = make_member(self.school_cell)
        html = render_to_string("members/_partials/tab_residence.html", {"member": person, "can_write": True})
        self.assertIn("Chưa giới thiệu về sinh hoạt nơi cư trú.", html)
        self.assertIn(f"/members/residence/link/{person.pk}/", html)

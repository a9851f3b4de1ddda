"""Transfer pages: scope (outsider 404, read-only and plain member 403 on writes), forms, list queries."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangbo.members import movements
from dangbo.members.choices import Status
from dangbo.members.models import Member, Transfer
from dangbo.members.tests.test_transfers import make_member, start
from dangbo.test import BaseTestCase


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


class TransferListTest(BaseTestCase):
    def setUp(self):
        self.person = make_member(self.cell, name="Đặng Văn Tâm")
        today = timezone.localdate()
        self.pending = start(self.person, self.cell_secretary, to_organization=self.other_cell,
                             moved_on=today - timedelta(days=3), letter_date=today - timedelta(days=2))
        self.url = f"/members/transfers/?org={self.ward.pk}"

    def test_it_lists_pending_transfers_with_their_deadlines(self):
        self.client.force_login(self.secretary)
        r = self.client.get(self.url)
        self.assertContains(r, "Đặng Văn Tâm")
        self.assertContains(r, "Đang làm thủ tục")
        self.assertContains(r, "Trình giấy giới thiệu: còn hạn đến")

    def test_it_shows_overdue(self):
        other = make_member(self.cell, name="Phan Thị Lụa")
        start(other, self.cell_secretary, to_text="Đảng bộ xã Nghi Xuân", moved_on=date(2025, 9, 1),
              letter_date=date(2025, 9, 3))
        self.client.force_login(self.secretary)
        self.assertContains(self.client.get(self.url), "quá hạn (hạn 15/10/2025)")

    def test_it_shows_the_receiving_side_too(self):
        self.client.force_login(self.outsider)
        r = self.client.get(f"/members/transfers/?org={self.other_ward.pk}")
        self.assertContains(r, "Đặng Văn Tâm")

    def test_it_lists_temporarily_attached_members(self):
        guest = make_member(self.other_cell, name="Khách Tạm Thời")
        transfer = start(guest, self.outsider, kind=Transfer.Kind.TEMPORARY, to_organization=self.cell,
                         ends_on=date(2026, 11, 30))
        movements.receive_transfer(transfer, presented_on=date(2026, 3, 10), by=self.cell_secretary)
        self.client.force_login(self.cell_secretary)
        r = self.client.get(f"/members/transfers/?org={self.cell.pk}")
        self.assertContains(r, "sinh hoạt tạm thời")
        self.assertContains(r, "Khách Tạm Thời")

    def test_it_defaults_to_the_top_of_the_scope(self):
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get("/members/transfers/"), "Chi bộ Khối 1")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_lets_the_province_read(self):
        self.client.force_login(self.readonly)
        self.assertContains(self.client.get(self.url), "Đặng Văn Tâm")

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/members/transfers/?org={self.cell.pk}").status_code, 403)

    def test_it_asks_for_login(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_its_queries_do_not_grow_with_rows(self):
        self.client.force_login(self.secretary)
        self.client.get(self.url)  # warm the rules cache and the session
        today = timezone.localdate()
        for i in range(1, 3):
            start(make_member(self.school_cell), self.secretary, to_text=f"Đảng bộ xã {i}",
                  moved_on=today, letter_date=today)
        few = count_queries(self.client, self.url)
        for i in range(3, 13):
            m = make_member(self.school_cell, status=Status.EXEMPT if i % 2 else Status.OFFICIAL)
            t = start(m, self.secretary, kind=Transfer.Kind.TEMPORARY if i % 3 else Transfer.Kind.PERMANENT,
                      to_organization=self.cell, moved_on=today, letter_date=today, ends_on=today + timedelta(days=150))
            if i % 4 == 0:
                movements.receive_transfer(t, presented_on=today, by=self.secretary)
        self.assertEqual(count_queries(self.client, self.url), few)


class TransferStartViewTest(BaseTestCase):
    def setUp(self):
        self.person = make_member(self.cell, name="Vương Đình Huệ")
        self.url = f"/members/transfers/start/{self.person.pk}/"
        self.data = {"kind": "permanent", "to_organization": self.other_cell.pk, "moved_on": "02/03/2026",
                     "letter_number": "15-GGT/ĐU", "letter_date": "05/03/2026", "reason": "Chuyển nơi ở"}

    def test_it_starts_a_transfer(self):
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get(self.url), "Chuyển sinh hoạt đảng: Vương Đình Huệ")
        r = self.client.post(self.url, self.data)
        transfer = Transfer.objects.get()
        self.assertRedirects(r, f"/members/transfers/{transfer.pk}/")
        self.assertEqual(transfer.to_organization, self.other_cell)
        self.assertEqual(transfer.letter_date, date(2026, 3, 5))

    def test_it_shows_the_action_message(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.post(self.url, {**self.data, "to_organization": self.cell.pk})
        self.assertContains(r, "Đảng viên đang sinh hoạt ở chi bộ này.")
        r = self.client.post(self.url, {**self.data, "letter_date": "31/02/2026"})
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Transfer.objects.exists())

    def test_it_requires_write_access(self):
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, self.data).status_code, 403)
        self.assertFalse(Transfer.objects.exists())

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(self.url, self.data).status_code, 404)


class TransferReceiveViewTest(BaseTestCase):
    def setUp(self):
        self.person = make_member(self.cell, name="Lý Thường Kiệt")
        self.transfer = start(self.person, self.cell_secretary, to_organization=self.school_cell,
                              letter_date=date(2026, 3, 5))
        self.url = f"/members/transfers/{self.transfer.pk}/receive/"

    def test_it_receives(self):
        self.client.force_login(self.office)
        r = self.client.post(self.url, {"presented_on": "10/03/2026"})
        self.assertRedirects(r, f"/members/transfers/{self.transfer.pk}/")
        self.person.refresh_from_db()
        self.assertEqual(self.person.organization, self.school_cell)

    def test_it_asks_for_the_late_reason(self):
        self.client.force_login(self.office)
        r = self.client.post(self.url, {"presented_on": "30/04/2026"})
        self.assertContains(r, "hãy ghi lý do chậm")

    def test_it_requires_write_access_on_the_receiving_cell(self):
        # The sending cell's secretary sees the transfer but cannot receive it.
        for user in (self.cell_secretary, self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.url, {"presented_on": "10/03/2026"}).status_code, 403)
        self.person.refresh_from_db()
        self.assertEqual(self.person.organization, self.cell)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)


class TransferDetailAndOtherViewsTest(BaseTestCase):
    def setUp(self):
        self.person = make_member(self.cell, name="Trịnh Công Sơn")
        self.transfer = start(self.person, self.cell_secretary, to_organization=self.other_cell)

    def test_it_shows_the_transfer_to_both_sides(self):
        for user in (self.cell_secretary, self.outsider, self.readonly):
            self.client.force_login(user)
            self.assertContains(self.client.get(f"/members/transfers/{self.transfer.pk}/"), "Trịnh Công Sơn")

    def test_it_shows_a_member_only_their_own(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/members/transfers/{self.transfer.pk}/").status_code, 404)
        Member.objects.filter(pk=self.person.pk).update(user=self.member)
        self.assertEqual(self.client.get(f"/members/transfers/{self.transfer.pk}/").status_code, 200)

    def test_it_hides_it_from_a_third_ward(self):
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(f"/members/transfers/{self.transfer.pk}/").status_code, 404)

    def test_it_cancels_from_the_sending_side_only(self):
        url = f"/members/transfers/{self.transfer.pk}/cancel/"
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.member)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.cell_secretary)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(self.client.post(url), f"/members/transfers/{self.transfer.pk}/")
        self.transfer.refresh_from_db()
        self.assertEqual(self.transfer.state, Transfer.State.CANCELLED)

    def test_it_records_the_letter(self):
        pending = start(make_member(self.cell), self.cell_secretary, to_text="Đảng bộ xã Yên Thành",
                        letter_number="", letter_date=None)
        url = f"/members/transfers/{pending.pk}/letter/"
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.post(url, {}).status_code, 403)
        self.client.force_login(self.cell_secretary)
        r = self.client.post(url, {"letter_number": "40-GGT/ĐU", "letter_date": "09/03/2026"})
        self.assertRedirects(r, f"/members/transfers/{pending.pk}/")
        pending.refresh_from_db()
        self.assertEqual(pending.letter_number, "40-GGT/ĐU")

    def test_it_ends_a_temporary_transfer_from_either_side(self):
        guest = make_member(self.other_cell)
        transfer = start(guest, self.outsider, kind=Transfer.Kind.TEMPORARY, to_organization=self.cell,
                         ends_on=date(2026, 11, 30))
        movements.receive_transfer(transfer, presented_on=date(2026, 3, 10), by=self.cell_secretary)
        url = f"/members/transfers/{transfer.pk}/end/"
        self.client.force_login(self.member)
        self.assertEqual(self.client.post(url, {"on": "01/10/2026"}).status_code, 403)
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.post(url, {"on": "01/10/2026"}).status_code, 403)
        self.client.force_login(self.cell_secretary)
        self.assertRedirects(self.client.post(url, {"on": "01/10/2026"}), f"/members/transfers/{transfer.pk}/")
        transfer.refresh_from_db()
        self.assertEqual(transfer.state, Transfer.State.ENDED)


class ReceiveFromOutsideViewTest(BaseTestCase):
    data = {
        "full_name": "Cao Bá Quát", "sex": "male", "date_of_birth": "01/06/1975", "admission_date": "03/02/2000",
        "official_date": "03/02/2001", "status": "official", "from_text": "Đảng bộ xã Hưng Nguyên",
        "letter_number": "31-GGT/ĐU", "letter_date": "02/03/2026", "presented_on": "09/03/2026",
        "ethnicity": "Kinh", "religion": "Không",
    }

    def url(self, cell=None):
        return f"/members/transfers/arrive/{(cell or self.cell).pk}/"

    def test_it_receives_a_member_from_outside(self):
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get(self.url()), "Tiếp nhận đảng viên từ ngoài hệ thống")
        r = self.client.post(self.url(), self.data)
        transfer = Transfer.objects.get()
        self.assertRedirects(r, f"/members/transfers/{transfer.pk}/")
        self.assertEqual(transfer.member.full_name, "Cao Bá Quát")
        self.assertEqual(transfer.member.organization, self.cell)

    def test_it_shows_model_errors_on_the_form(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.post(self.url(), {**self.data, "admission_date": "01/01/1970"})
        self.assertContains(r, "Ngày vào Đảng phải sau ngày sinh.")
        self.assertFalse(Member.objects.exists())

    def test_it_requires_write_access(self):
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.url(), self.data).status_code, 403)
        self.assertFalse(Member.objects.exists())

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(self.url(), self.data).status_code, 404)

    def test_it_needs_a_cell(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(self.url(self.ward)).status_code, 404)

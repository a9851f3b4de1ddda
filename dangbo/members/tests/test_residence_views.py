"""Residence contact pages: the residential cell writes, the workplace side reads its members' comments."""

from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from dangbo.members import movements
from dangbo.members.models import ResidenceComment, ResidenceContact, ResidenceMeeting
from dangbo.members.tests.test_residence import link
from dangbo.members.tests.test_transfer_views import count_queries
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase, make_org


class ResidenceCase(BaseTestCase):
    """A police officer working in the other ward lives in Khối 1 of this ward."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.police = make_org("Chi bộ Công an phường Thành Vinh", "NA.TV.CA", cls.other_ward, category="police")
        cls.officer = make_member(cls.police, name="Thái Văn Công")
        cls.contact = link(cls.officer, cls.cell, cls.outsider)


class ResidenceCellPageTest(ResidenceCase):
    def url(self, cell=None):
        return f"/members/residence/{(cell or self.cell).pk}/"

    def test_it_lists_working_members_and_flags_overdue_meetings(self):
        today = timezone.localdate()
        teacher = make_member(self.school_cell, name="Giáo Viên Miễn")
        link(teacher, self.cell, self.secretary, exempt_from_activity=True, exemption_reason="Học tập trung")
        ResidenceContact.objects.filter(pk=self.contact.pk).update(introduced_on=today - timedelta(days=400))
        ResidenceContact.objects.filter(member=teacher).update(introduced_on=today - timedelta(days=400))
        self.client.force_login(self.cell_secretary)
        r = self.client.get(self.url())
        self.assertContains(r, "Thái Văn Công")
        self.assertContains(r, "Chi bộ Công an phường Thành Vinh")
        self.assertContains(r, "Giáo Viên Miễn")
        self.assertContains(r, "miễn sinh hoạt nơi cư trú")
        self.assertContains(r, "quá hạn họp", count=1)  # the exempt member is listed, not flagged
        meeting = ResidenceMeeting.objects.create(residential_cell=self.cell, held_on=today - timedelta(days=10),
                                                  content="Họp")
        meeting.attendees.add(self.contact)
        r = self.client.get(self.url())
        self.assertNotContains(r, "quá hạn họp")
        self.assertContains(r, (today - timedelta(days=10)).strftime("%d/%m/%Y"))

    def test_it_shows_whether_this_years_comment_is_done(self):
        year = timezone.localdate().year
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get(self.url()), "chưa nhận xét")
        ResidenceComment.objects.create(contact=self.contact, year=year, comment="Tốt", commented_on=date(year, 1, 2))
        self.assertContains(self.client.get(self.url()), "đã nhận xét, chưa gửi")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)  # the workplace side reads comments elsewhere, not this page
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url()).status_code, 403)

    def test_it_lets_the_province_read(self):
        self.client.force_login(self.readonly)
        self.assertContains(self.client.get(self.url()), "Thái Văn Công")

    def test_it_is_for_residential_cells(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(self.url(self.school_cell)).status_code, 404)

    def test_its_queries_do_not_grow_with_rows(self):
        self.client.force_login(self.secretary)
        self.client.get(self.url())
        make_contacts(self, 1)
        few = count_queries(self.client, self.url())
        make_contacts(self, 10)
        self.assertEqual(ResidenceContact.objects.filter(residential_cell=self.cell).count(), 12)
        self.assertEqual(count_queries(self.client, self.url()), few)


def make_contacts(case, n):
    year = timezone.localdate().year
    for i in range(n):
        contact = link(make_member(case.school_cell), case.cell, case.secretary,
                       exempt_from_activity=bool(i % 2), exemption_reason="Đi học")
        meeting = ResidenceMeeting.objects.create(residential_cell=case.cell, held_on=date(2020, 1, 1) + timedelta(
            days=ResidenceMeeting.objects.count()), content="Họp")
        meeting.attendees.add(contact)
        if i % 3 == 0:
            ResidenceComment.objects.create(contact=contact, year=year, comment="Tốt", commented_on=date(year, 1, 2),
                                            sent_on=date(year, 1, 3) if i % 2 else None)


class ResidenceCommentsPageTest(ResidenceCase):
    def setUp(self):
        self.comment = ResidenceComment.objects.create(contact=self.contact, year=2026, comment="Gương mẫu ở khu phố",
                                                       commented_on=date(2026, 12, 1))
        self.url = f"/members/residence/comments/?org={self.other_ward.pk}&year=2026"

    def test_it_shows_the_workplace_its_members_sent_comments(self):
        self.client.force_login(self.outsider)
        r = self.client.get(self.url)
        self.assertContains(r, "Thái Văn Công")
        self.assertContains(r, "Chi bộ Khối 1")  # the residential cell, under another ward
        self.assertNotContains(r, "Gương mẫu ở khu phố")  # not sent yet
        movements.send_comment(self.comment, on=date(2026, 12, 5), by=self.cell_secretary)
        self.assertContains(self.client.get(self.url), "Gương mẫu ở khu phố")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.cell_secretary)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_keeps_plain_members_out(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/members/residence/comments/?org={self.cell.pk}").status_code, 403)

    def test_it_shows_the_comment_on_the_members_tab(self):
        movements.send_comment(self.comment, on=date(2026, 12, 5), by=self.cell_secretary)
        html = render_to_string("members/_partials/tab_residence.html", {"member": self.officer, "can_write": True})
        self.assertIn("Gương mẫu ở khu phố", html)
        self.assertIn("Chi bộ Khối 1", html)
        self.assertIn(f"/members/residence/contacts/{self.contact.pk}/end/", html)

    def test_its_queries_do_not_grow_with_rows(self):
        self.client.force_login(self.outsider)
        self.client.get(self.url)
        movements.send_comment(self.comment, on=date(2026, 12, 5), by=self.cell_secretary)
        few = count_queries(self.client, self.url)
        for i in range(10):
            officer = make_member(self.police)
            contact = link(officer, self.cell if i % 2 else self.other_cell, self.outsider)
            ResidenceComment.objects.create(contact=contact, year=2026, comment="Tốt", commented_on=date(2026, 12, 1),
                                            sent_on=date(2026, 12, 2))
        self.assertEqual(count_queries(self.client, self.url), few)


class ResidenceWriteViewsTest(ResidenceCase):
    def test_the_workplace_links_its_member(self):
        officer = make_member(self.police, name="Công An Mới")
        url = f"/members/residence/link/{officer.pk}/"
        self.client.force_login(self.outsider)
        self.assertContains(self.client.get(url), "Chi bộ Khối 1 (NA.VH.CB01)")
        r = self.client.post(url, {"residential_cell": self.cell.pk, "address": "Khối 1", "introduced_on": "05/01/2026"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(officer.residence_contacts.get().residential_cell, self.cell)

    def test_link_requires_write_access(self):
        neighbour = make_member(self.cell)
        url = f"/members/residence/link/{neighbour.pk}/"
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, {"residential_cell": self.other_cell.pk}).status_code, 403)
        self.client.force_login(self.cell_secretary)
        r = self.client.post(url, {"residential_cell": self.other_cell.pk, "introduced_on": "05/01/2026"})
        self.assertContains(r, "không thuộc diện giữ mối liên hệ nơi cư trú")

    def test_link_hides_other_wards(self):
        self.client.force_login(self.cell_secretary)
        self.assertEqual(self.client.get(f"/members/residence/link/{self.officer.pk}/").status_code, 404)

    def test_the_residential_cell_records_a_meeting(self):
        url = f"/members/residence/{self.cell.pk}/meetings/new/"
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get(url), "Thái Văn Công")
        r = self.client.post(url, {"held_on": "20/06/2026", "content": "Sơ kết", "attendees": [self.contact.pk]})
        self.assertRedirects(r, f"/members/residence/{self.cell.pk}/")
        self.assertEqual(list(ResidenceMeeting.objects.get().attendees.all()), [self.contact])

    def test_meeting_requires_write_access(self):
        url = f"/members/residence/{self.cell.pk}/meetings/new/"
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, {"held_on": "20/06/2026", "content": "x"}).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(url, {"held_on": "20/06/2026", "content": "x"}).status_code, 404)
        self.assertFalse(ResidenceMeeting.objects.exists())

    def test_the_residential_cell_comments_and_sends(self):
        url = f"/members/residence/contacts/{self.contact.pk}/comment/?year=2026"
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get(url), "Nhận xét đảng viên nơi cư trú: Thái Văn Công")
        r = self.client.post(url, {"year": "2026", "comment": "Tốt", "commented_on": "10/12/2026"})
        self.assertRedirects(r, f"/members/residence/{self.cell.pk}/")
        comment = ResidenceComment.objects.get()
        r = self.client.post(f"/members/residence/comments/{comment.pk}/send/", {"on": "09/12/2026"})
        self.assertRedirects(r, f"/members/residence/{self.cell.pk}/", fetch_redirect_response=False)
        self.assertContains(self.client.get(f"/members/residence/{self.cell.pk}/?year=2026"),
                            "không được trước ngày nhận xét")
        self.client.post(f"/members/residence/comments/{comment.pk}/send/", {"on": "15/12/2026"})
        comment.refresh_from_db()
        self.assertEqual(comment.sent_on, date(2026, 12, 15))

    def test_comment_and_send_require_write_on_the_residential_cell(self):
        comment = ResidenceComment.objects.create(contact=self.contact, year=2026, comment="Tốt",
                                                  commented_on=date(2026, 12, 1))
        comment_url = f"/members/residence/contacts/{self.contact.pk}/comment/"
        send_url = f"/members/residence/comments/{comment.pk}/send/"
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.post(comment_url, {}).status_code, 403)
            self.assertEqual(self.client.post(send_url, {"on": "05/12/2026"}).status_code, 403)
        # The workplace side reads comments but does not write them.
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(comment_url, {}).status_code, 404)
        self.assertEqual(self.client.post(send_url, {"on": "05/12/2026"}).status_code, 404)
        comment.refresh_from_db()
        self.assertIsNone(comment.sent_on)

    def test_either_side_ends_the_link(self):
        url = f"/members/residence/contacts/{self.contact.pk}/end/"
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, {"on": "30/06/2026"}).status_code, 403)
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.post(url, {"on": "30/06/2026"}).status_code, 404)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(url, {"on": "30/06/2026"}).status_code, 302)
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.ended_on, date(2026, 6, 30))

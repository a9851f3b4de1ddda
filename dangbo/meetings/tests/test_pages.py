"""Scope on every meeting page and action: outsiders 404, read-only 403 on writes, plain members read and check in."""

from datetime import timedelta

from dangbo.meetings import actions
from dangbo.meetings.models import AgendaItem, Material
from dangbo.meetings.tests.cast import MeetingCase, make_meeting, make_member, today


class ScopeTest(MeetingCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.meeting = make_meeting(cls.cell, cls.cell_secretary, hour=0, minute=1)
        actions.notify_meeting(cls.meeting, by=cls.cell_secretary)
        cls.meeting.refresh_from_db()
        cls.item = AgendaItem.objects.create(meeting=cls.meeting, title="Nghị quyết tháng", kind="resolution")
        cls.material = Material.objects.create(meeting=cls.meeting, title="Dự thảo", text="Nội dung dự thảo")
        cls.far_meeting = make_meeting(cls.other_cell, cls.outsider, day=today() + timedelta(days=2))

    def read_urls(self, m=None):
        m = m or self.meeting
        return [
            f"/meetings/?org={m.organization_id}", f"/meetings/{m.pk}/", f"/meetings/{m.pk}/attendance/",
            f"/meetings/{m.pk}/agenda/", f"/meetings/{m.pk}/minutes/", f"/meetings/{m.pk}/minutes.pdf",
        ]

    def write_requests(self, m=None):
        m = m or self.meeting
        item = self.item.pk
        return [
            ("post", f"/meetings/plan/{m.organization_id}/generate/"), ("get", f"/meetings/new/{m.organization_id}/"),
            ("post", f"/meetings/new/{m.organization_id}/"), ("get", f"/meetings/{m.pk}/edit/"),
            ("post", f"/meetings/{m.pk}/edit/"), ("get", f"/meetings/{m.pk}/cancel/"), ("post", f"/meetings/{m.pk}/cancel/"),
            ("post", f"/meetings/{m.pk}/drafters/"), ("post", f"/meetings/{m.pk}/agreement/"),
            ("post", f"/meetings/{m.pk}/notify/"), ("post", f"/meetings/{m.pk}/materials/"),
            ("post", f"/meetings/{m.pk}/attendance/open/"), ("post", f"/meetings/{m.pk}/attendance/{self.me.pk}/"),
            ("get", f"/meetings/{m.pk}/qr.svg"), ("post", f"/meetings/{m.pk}/start/"), ("post", f"/meetings/{m.pk}/end/"),
            ("post", f"/meetings/{m.pk}/agenda/add/"), ("post", f"/meetings/{m.pk}/agenda/{item}/speech/"),
            ("post", f"/meetings/{m.pk}/agenda/{item}/conclusion/"), ("post", f"/meetings/{m.pk}/agenda/{item}/vote/"),
            ("post", f"/meetings/{m.pk}/minutes/save/"), ("post", f"/meetings/{m.pk}/minutes/lock/"),
            ("post", f"/meetings/{m.pk}/minutes/correct/"), ("post", f"/meetings/{m.pk}/resolution/"),
        ]

    def assert_status(self, requests, status):
        for method, url in requests:
            with self.subTest(method=method, url=url):
                self.assertEqual(getattr(self.client, method)(url).status_code, status)

    def test_it_hides_other_wards(self):
        self.login(self.outsider)
        self.assert_status([("get", u) for u in self.read_urls()], 404)
        self.assert_status(self.write_requests(), 404)
        self.assert_status([("get", f"/meetings/{self.meeting.pk}/materials/{self.material.pk}/"),
                            ("get", f"/meetings/checkin/{self.meeting.checkin_token}/"),
                            ("post", f"/meetings/checkin/{self.meeting.checkin_token}/")], 404)

    def test_a_cell_secretary_sees_nothing_of_another_cell(self):
        self.login(self.cell_secretary)
        self.assert_status([("get", u) for u in self.read_urls(self.far_meeting)], 404)
        self.assert_status(self.write_requests(self.far_meeting), 404)
        self.assert_status([("get", f"/meetings/?org={self.school_cell.pk}")], 404)

    def test_a_person_without_a_role_sees_nothing(self):
        self.login(self.citizen)
        self.assert_status([("get", u) for u in self.read_urls()], 404)
        self.assert_status(self.write_requests(), 404)
        self.assert_status([("get", "/meetings/")], 404)

    def test_it_requires_write_access(self):
        self.login(self.readonly)
        self.assert_status([("get", u) for u in self.read_urls()], 200)
        self.assert_status(self.write_requests(), 403)

    def test_a_plain_member_reads_their_cell_and_checks_in_but_does_no_secretary_work(self):
        self.login(self.member)
        self.assert_status([("get", u) for u in self.read_urls()], 200)
        self.assert_status([("get", f"/meetings/{self.meeting.pk}/materials/{self.material.pk}/"),
                            ("get", "/meetings/mine/"), ("get", f"/meetings/checkin/{self.meeting.checkin_token}/")], 200)
        self.assert_status(self.write_requests(), 403)
        r = self.client.post(f"/meetings/checkin/{self.meeting.checkin_token}/")
        self.assertContains(r, "đã điểm danh: có mặt")
        self.assert_status([("get", u) for u in self.read_urls(self.far_meeting)], 404)

    def test_a_member_attached_from_another_cell_reads_the_meetings_they_are_summoned_to(self):
        guest = make_member(self.school_cell, "Khách Tạm Thời", user=self.citizen)
        actions.mark_attendance(self.meeting, self.me, status="present", by=self.cell_secretary)
        from dangbo.meetings.models import Attendance

        Attendance.objects.create(meeting=self.meeting, member=guest, kind="temporary")
        self.login(self.citizen)
        self.assert_status([("get", f"/meetings/{self.meeting.pk}/"), ("get", f"/meetings/{self.meeting.pk}/minutes/"),
                            ("get", f"/meetings/checkin/{self.meeting.checkin_token}/")], 200)
        self.assert_status(self.write_requests(), 404)

    def test_the_secretary_reaches_every_page(self):
        self.login(self.cell_secretary)
        self.assert_status([("get", u) for u in self.read_urls()], 200)
        self.assert_status([("get", f"/meetings/{self.meeting.pk}/qr.svg"), ("get", f"/meetings/new/{self.cell.pk}/"),
                            ("get", f"/meetings/{self.meeting.pk}/edit/"), ("get", f"/meetings/{self.meeting.pk}/cancel/")],
                           200)
        self.login(self.secretary)
        self.assert_status([("get", u) for u in self.read_urls()] + [("get", f"/meetings/?org={self.ward.pk}")], 200)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for method, url in [("get", u) for u in self.read_urls()] + self.write_requests() + [("get", "/meetings/mine/")]:
            with self.subTest(url=url):
                r = getattr(self.client, method)(url)
                self.assertEqual(r.status_code, 302)
                self.assertIn("/accounts/login/", r["Location"])

    def test_unknown_ids_are_404(self):
        self.login(self.secretary)
        self.assert_status([("get", "/meetings/999999/"), ("get", "/meetings/?org=999999"),
                            ("get", f"/meetings/{self.meeting.pk}/materials/999999/"),
                            ("post", f"/meetings/{self.meeting.pk}/agenda/999999/vote/"),
                            ("post", f"/meetings/{self.meeting.pk}/attendance/999999/"),
                            ("get", "/meetings/?year=abc")], 404)

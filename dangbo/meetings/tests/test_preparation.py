"""HD 42-HD/BTCTW preparation: drafters, the committee's agreement, the notice, materials; a member's phone page."""

import shutil
import tempfile
from datetime import date, timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test import override_settings
from django.utils import timezone

from dangbo.meetings import actions, selectors
from dangbo.meetings.models import Attendance, Material, VisitAssignment
from dangbo.meetings.tests.cast import MeetingCase, make_meeting, make_member, today
from dangbo.members.choices import Status


class PreparationTest(MeetingCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.an = make_member(cls.cell, "Nguyễn Văn An", email="an@example.org")
        cls.far = make_member(cls.other_cell, "Nguyễn Văn Xa")

    def setUp(self):
        self.meeting = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=5))

    def test_it_assigns_drafters_from_the_cell_only(self):
        with self.assertRaisesMessage(ValidationError, "Nguyễn Văn Xa không sinh hoạt ở Chi bộ Khối 1"):
            actions.assign_drafters(self.meeting, content_drafter=self.an, resolution_drafter=self.far,
                                    by=self.cell_secretary)
        meeting = actions.assign_drafters(self.meeting, content_drafter=self.an, resolution_drafter=self.me,
                                          by=self.cell_secretary)
        self.assertEqual(meeting.state, "preparing")
        self.assertEqual(meeting.resolution_drafter, self.me)

    def test_the_committee_agrees_after_the_drafters_and_before_the_meeting(self):
        with self.assertRaisesMessage(ValidationError, "phân công người dự thảo"):
            actions.record_committee_agreement(self.meeting, on=today(), by=self.cell_secretary)
        actions.assign_drafters(self.meeting, content_drafter=self.an, resolution_drafter=self.an, by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "trước buổi sinh hoạt"):
            actions.record_committee_agreement(self.meeting, on=today() + timedelta(days=6), by=self.cell_secretary)
        meeting = actions.record_committee_agreement(self.meeting, on=today(), by=self.cell_secretary)
        self.assertEqual(meeting.committee_agreed_on, today())

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def test_the_notice_opens_the_roster_and_tells_members_and_the_following_leader(self):
        self.secretary.email = "hung@example.org"
        self.secretary.save()
        VisitAssignment.objects.create(committee=self.ward, leader=self.secretary, cell=self.cell,
                                       starts_on=today() - timedelta(days=30))
        with self.captureOnCommitCallbacks(execute=True):
            meeting = actions.notify_meeting(self.meeting, by=self.cell_secretary)
        self.assertEqual(meeting.state, "notified")
        self.assertIsNotNone(meeting.notified_at)
        self.assertEqual(set(Attendance.objects.filter(meeting=meeting).values_list("member__full_name", flat=True)),
                         {"Nguyễn Văn An", "Phạm Thị Hoa"})
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["an@example.org", "hung@example.org"])
        self.assertIn("Nhà văn hóa Khối 1", mail.outbox[0].body)
        self.assertEqual([m.pk for m in selectors.upcoming_for(self.member, today=today())], [meeting.pk])
        self.assertEqual([m.pk for m in selectors.upcoming_for(self.secretary, today=today())], [meeting.pk])
        self.assertEqual(selectors.upcoming_for(self.outsider, today=today()), [])

    def test_the_notice_needs_a_place(self):
        self.meeting.place = ""
        self.meeting.save()
        with self.assertRaisesMessage(ValidationError, "địa điểm"):
            actions.notify_meeting(self.meeting, by=self.cell_secretary)

    def test_the_steps_page_shows_what_is_done(self):
        actions.assign_drafters(self.meeting, content_drafter=self.an, resolution_drafter=self.me, by=self.cell_secretary)
        self.login(self.cell_secretary)
        r = self.client.get(f"/meetings/{self.meeting.pk}/")
        self.assertContains(r, "Phân công dự thảo nội dung và nghị quyết")
        self.assertContains(r, "Nội dung: Nguyễn Văn An; nghị quyết: Phạm Thị Hoa")
        self.assertContains(r, "Thông báo đến đảng viên")
        r = self.client.post(f"/meetings/{self.meeting.pk}/notify/", follow=True)
        self.assertContains(r, "Đã thông báo đến 2 đảng viên và 0 cấp ủy viên phụ trách.")
        r = self.client.post(f"/meetings/{self.meeting.pk}/agreement/", {"on": "31/02/2026"})
        self.assertContains(r, "Ngày không đúng dạng dd/mm/yyyy", status_code=400)
        r = self.client.post(f"/meetings/{self.meeting.pk}/agreement/", {"on": today().strftime("%d/%m/%Y")})
        self.assertRedirects(r, f"/meetings/{self.meeting.pk}/")


class MaterialsTest(MeetingCase):
    @classmethod
    def setUpClass(cls):
        cls._media = tempfile.mkdtemp(prefix="dangbo-meetings-")
        cls._media_override = override_settings(MEDIA_ROOT=cls._media)
        cls._media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media_override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)

    def test_materials_are_due_the_rules_days_before(self):
        # Hướng dẫn 42-HD/BTCTW: at least 1 day before the meeting.
        meeting = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=1))
        self.assertEqual(selectors.materials_deadline(meeting), today())
        self.assertIn("Chưa đăng tài liệu", selectors.materials_warning(meeting, [], today=today()))
        material = actions.add_material(meeting, title="Dự thảo nghị quyết tháng", text="Nội dung", by=self.cell_secretary)
        self.assertEqual(selectors.materials_warning(meeting, [material], today=today()), "")
        material.published_at = timezone.now() + timedelta(days=1)
        self.assertIn("muộn hơn hạn", selectors.materials_warning(meeting, [material], today=today()))

    def test_it_takes_office_files_only(self):
        meeting = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=3))
        with self.assertRaisesMessage(ValidationError, "không thuộc loại được nhận"):
            actions.add_material(meeting, title="x", file=SimpleUploadedFile("a.exe", b"MZ"), by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "Chọn tệp hoặc nhập nội dung"):
            actions.add_material(meeting, title="x", by=self.cell_secretary)

    def test_a_member_reads_the_materials_on_the_phone_page(self):
        meeting = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=3))
        self.login(self.cell_secretary)
        r = self.client.post(f"/meetings/{meeting.pk}/materials/", {
            "title": "Báo cáo tình hình tháng", "file": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 x")})
        self.assertRedirects(r, f"/meetings/{meeting.pk}/")
        actions.add_material(meeting, title="Dự thảo nghị quyết", text="Chi bộ quyết nghị ...", by=self.cell_secretary)
        self.login(self.member)
        self.assertNotContains(self.client.get("/meetings/mine/"), "Báo cáo tình hình tháng")
        actions.notify_meeting(meeting, by=self.cell_secretary)
        r = self.client.get("/meetings/mine/")
        self.assertContains(r, "Báo cáo tình hình tháng")
        self.assertContains(r, "Nhà văn hóa Khối 1")
        file_material, text_material = Material.objects.filter(meeting=meeting).order_by("pk")
        r = self.client.get(f"/meetings/{meeting.pk}/materials/{file_material.pk}/")
        self.assertEqual(b"".join(r.streaming_content), b"%PDF-1.4 x")
        self.assertContains(self.client.get(f"/meetings/{meeting.pk}/materials/{text_material.pk}/"), "Chi bộ quyết nghị")
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/meetings/{meeting.pk}/materials/{file_material.pk}/").status_code, 404)

    def test_the_phone_page_keeps_its_query_count_flat(self):
        self.login(self.member)
        first = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=3))
        actions.add_material(first, title="Tài liệu 1", text="x", by=self.cell_secretary)
        actions.notify_meeting(first, by=self.cell_secretary)
        self.client.get("/meetings/mine/")
        with CaptureQueriesContext(connection) as small:
            self.client.get("/meetings/mine/")
        self.assertLessEqual(len(small.captured_queries), 11)
        for i in range(5):
            m = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=4 + i))
            actions.add_material(m, title=f"Tài liệu {i + 2}", text="x", by=self.cell_secretary)
            actions.notify_meeting(m, by=self.cell_secretary)
        with self.assertNumQueries(len(small.captured_queries)):
            r = self.client.get("/meetings/mine/")
        self.assertContains(r, "Tài liệu 6")


class SummonedTest(MeetingCase):
    def test_an_exempt_member_is_summoned_and_a_removed_one_is_not(self):
        make_member(self.cell, "Lê Thị Miễn", status=Status.EXEMPT)
        gone = make_member(self.cell, "Trần Văn Đi")
        gone.status = Status.TRANSFERRED_OUT
        gone.save()
        meeting = make_meeting(self.cell, self.cell_secretary, day=date(2027, 1, 5))
        actions.open_roster(meeting)
        names = dict(Attendance.objects.filter(meeting=meeting).values_list("member__full_name", "kind"))
        self.assertEqual(names, {"Phạm Thị Hoa": "official", "Lê Thị Miễn": "exempt"})

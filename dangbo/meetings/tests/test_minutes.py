"""Minutes: start and end, read back and locked, corrections after, the PDF, the numbered resolution."""

import shutil
import subprocess
import unittest
from datetime import time, timedelta

from django.core.exceptions import ValidationError

from dangbo.documents.models import Document
from dangbo.meetings import actions, selectors
from dangbo.meetings.models import Attendance, Minutes
from dangbo.meetings.tests.cast import MeetingCase, at, held_meeting, make_meeting, make_member, today
from dangbo.members.choices import Status


def pdf_text(content):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


class MinutesCase(MeetingCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.an = make_member(cls.cell, "Nguyễn Văn An")
        cls.binh = make_member(cls.cell, "Trần Thị Bình", sex="female")
        cls.cuong = make_member(cls.cell, "Lê Văn Cường")
        cls.du = make_member(cls.cell, "Hoàng Văn Dũng", status=Status.PROBATIONARY)

    def setUp(self):
        self.meeting, self.end = held_meeting(self.cell, self.cell_secretary, chair=self.an)
        day = selectors.meeting_date(self.meeting)
        for member in (self.me, self.an, self.du):
            actions.mark_attendance(self.meeting, member, status="present", by=self.cell_secretary)
        actions.mark_attendance(self.meeting, self.binh, status="present", arrived_at=time(19, 45), by=self.cell_secretary)
        actions.mark_attendance(self.meeting, self.cuong, status="excused", reason="Đi công tác Hà Nội",
                                by=self.cell_secretary)
        self.item = actions.add_agenda_item(self.meeting, title="Đánh giá công tác tháng, nhiệm vụ tháng tới",
                                            kind="resolution", presenter="Đồng chí Bí thư", by=self.cell_secretary)
        actions.record_speech(self.item, member=self.binh, opinion="Đề nghị tăng cường vệ sinh môi trường.",
                              by=self.cell_secretary)
        actions.record_speech(self.item, speaker_name="Nguyễn Văn Hùng (Bí thư Đảng ủy)",
                              opinion="Chi bộ cần chú ý công tác phát triển đảng viên.", by=self.cell_secretary)
        actions.record_conclusion(self.item, conclusion="Thống nhất các nhiệm vụ trọng tâm tháng tới.",
                                  by=self.cell_secretary)
        self.passed = actions.record_vote(self.item, question="Thông qua nghị quyết tháng", yes=3, no=0, abstain=0,
                                          rule="majority", by=self.cell_secretary)
        self.failed = actions.record_vote(self.item, question="Mua sắm loa đài", yes=2, no=1, abstain=0,
                                          rule="majority", by=self.cell_secretary)
        self.day = day


class LockTest(MinutesCase):
    def test_the_base_and_results(self):
        self.assertEqual(self.passed.base, 4)
        self.assertTrue(self.passed.passed)
        self.assertFalse(self.failed.passed)
        self.assertIn("Tán thành 2/4 (50,0%) không quá 1/2 số tính 4", self.failed.explanation)

    def test_it_locks_only_a_held_meeting_read_back_with_chair_and_minute_taker(self):
        with self.assertRaisesMessage(ValidationError, "Kết thúc buổi sinh hoạt trước"):
            actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)
        self.end()
        with self.assertRaisesMessage(ValidationError, "đọc lại trước chi bộ"):
            actions.lock_minutes(self.meeting, by=self.cell_secretary)
        minutes = actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)
        self.assertTrue(minutes.read_back)
        self.assertIsNotNone(minutes.locked_at)
        with self.assertRaisesMessage(ValidationError, "Biên bản đã khóa"):
            actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)

    def test_it_needs_a_chair_and_everyone_marked(self):
        type(self.meeting).objects.filter(pk=self.meeting.pk).update(chair=None)
        self.end()
        with self.assertRaisesMessage(ValidationError, "Ghi người chủ trì và thư ký"):
            actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)

    def test_after_locking_only_corrections(self):
        self.end()
        with self.assertRaisesMessage(ValidationError, "Biên bản chưa khóa"):
            actions.correct_minutes(self.meeting, text="x", reason="y", by=self.cell_secretary)
        actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)
        for attempt in (
            lambda: actions.mark_attendance(self.meeting, self.cuong, status="present", by=self.cell_secretary),
            lambda: actions.record_vote(self.item, question="q", yes=1, no=0, abstain=0, rule="majority",
                                        by=self.cell_secretary),
            lambda: actions.record_speech(self.item, member=self.an, opinion="o", by=self.cell_secretary),
            lambda: actions.save_minutes(self.meeting, opening="sửa", by=self.cell_secretary),
            lambda: actions.add_agenda_item(self.meeting, title="t", by=self.cell_secretary),
        ):
            with self.assertRaisesMessage(ValidationError, "chỉ ghi được đính chính"):
                attempt()
        correction = actions.correct_minutes(self.meeting, text="Đồng chí Cường vắng vì ốm, không phải đi công tác.",
                                             reason="Ghi nhầm lý do", by=self.cell_secretary)
        self.assertEqual(Minutes.objects.get(meeting=self.meeting).corrections.get(), correction)

    def test_a_short_meeting_gets_a_warning_not_a_block(self):
        meeting, end = held_meeting(self.cell, self.cell_secretary, start=(19, 30), end=(20, 30), kind="combined",
                                    day=today() - timedelta(days=3))
        end()
        meeting.refresh_from_db()
        # Hướng dẫn 42-HD/BTCTW: 120 minutes for a combined meeting.
        self.assertIn("60 phút, ít hơn thời lượng tối thiểu 120 phút", selectors.duration_warning(meeting))
        self.assertEqual(meeting.state, "held")

    def test_end_must_follow_start(self):
        with self.assertRaisesMessage(ValidationError, "phải sau giờ bắt đầu"):
            actions.end_meeting(self.meeting, at=at(self.day, 19, 0), by=self.cell_secretary)

    def test_start_is_on_the_meeting_day(self):
        meeting = make_meeting(self.cell, self.cell_secretary, day=today() - timedelta(days=5))
        with self.assertRaisesMessage(ValidationError, "trong ngày sinh hoạt"):
            actions.start_meeting(meeting, at=at(today() - timedelta(days=4), 19), by=self.cell_secretary)


class MinutesPageTest(MinutesCase):
    def test_the_tab_shows_every_part_of_the_minutes(self):
        self.login(self.cell_secretary)
        r = self.client.post(f"/meetings/{self.meeting.pk}/minutes/save/", {
            "chair": self.an.pk, "minute_taker": self.binh.pk, "guests": "Đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy",
            "opening": "Đồng chí Bí thư tuyên bố lý do, giới thiệu đại biểu.", "closing": "Bế mạc lúc 21 giờ 15."})
        self.assertRedirects(r, f"/meetings/{self.meeting.pk}/minutes/")
        r = self.client.get(f"/meetings/{self.meeting.pk}/minutes/")
        for text in ("Tổng số đảng viên triệu tập: 5 đồng chí; có mặt: 4 đồng chí; vắng: 1 đồng chí.",
                     "Chính thức: có mặt 3/4", "Dự bị: có mặt 1/1", "Lê Văn Cường (Đi công tác Hà Nội)",
                     "Trần Thị Bình (19:45)", "Đồng chí Trần Thị Bình: Đề nghị tăng cường vệ sinh môi trường.",
                     "Nguyễn Văn Hùng (Bí thư Đảng ủy)", "Thống nhất các nhiệm vụ trọng tâm tháng tới.",
                     "Thông qua nghị quyết tháng", "không quá 1/2 số tính 4", "Chủ trì: đồng chí Nguyễn Văn An"):
            self.assertContains(r, text)

    def test_the_secretary_locks_from_the_page_and_then_corrects(self):
        self.end()
        self.login(self.cell_secretary)
        r = self.client.post(f"/meetings/{self.meeting.pk}/minutes/lock/", {})
        self.assertContains(r, "Biên bản phải được đọc lại trước chi bộ trước khi khóa.", status_code=400)
        r = self.client.post(f"/meetings/{self.meeting.pk}/minutes/lock/", {"read_back": "on"}, follow=True)
        self.assertContains(r, "Đã khóa biên bản")
        self.assertNotContains(r, "Lưu biên bản")
        r = self.client.post(f"/meetings/{self.meeting.pk}/minutes/correct/", {"text": "Sửa tên", "reason": "Gõ nhầm"},
                             follow=True)
        self.assertContains(r, "ĐÍNH CHÍNH SAU KHI KHÓA BIÊN BẢN")
        self.assertContains(r, "Gõ nhầm")

    @unittest.skipUnless(shutil.which("pdftotext"), "poppler-utils is not installed")
    def test_the_pdf_is_a_bien_ban_with_names_and_results(self):
        self.end()
        actions.save_minutes(self.meeting, chair=self.an, minute_taker=self.binh, opening="Khai mạc.",
                             by=self.cell_secretary)
        actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)
        self.login(self.member)
        r = self.client.get(f"/meetings/{self.meeting.pk}/minutes.pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        text = " ".join(pdf_text(r.content).split())
        for expected in ("ĐẢNG BỘ PHƯỜNG VINH HƯNG", "CHI BỘ KHỐI 1", "ĐẢNG CỘNG SẢN VIỆT NAM", "BIÊN BẢN",
                         f"Vinh Hưng, ngày {self.day:%d} tháng {self.day:%m} năm {self.day:%Y}",
                         "Lê Văn Cường (Đi công tác Hà Nội)", "Thông qua nghị quyết tháng",
                         "Tán thành 3/4 (75,0%) > 1/2 số tính 4 → thông qua", "Mua sắm loa đài",
                         "Tán thành 2/4 (50,0%) không quá 1/2 số tính 4 → không thông qua", "CHỦ TRÌ", "THƯ KÝ",
                         "Nguyễn Văn An", "Trần Thị Bình", "đọc lại trước chi bộ"):
            self.assertIn(expected, text)
        self.assertNotIn("DỰ THẢO", text)


class ResolutionTest(MinutesCase):
    def test_it_issues_a_numbered_resolution_from_locked_minutes(self):
        with self.assertRaisesMessage(ValidationError, "Khóa biên bản trước"):
            actions.issue_resolution(self.meeting, by=self.cell_secretary)
        self.end()
        actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)
        document = actions.issue_resolution(self.meeting, by=self.cell_secretary)
        self.assertEqual(document.reference, "01-NQ/CB")
        self.assertEqual(document.display_reference, "Số 01-NQ/CB")
        self.assertEqual(document.issued_on, self.day)
        self.assertEqual(document.organization, self.cell)
        self.assertIn("1. Đánh giá công tác tháng, nhiệm vụ tháng tới", document.body)
        self.assertIn("Thông qua nghị quyết tháng: tán thành 3/4 đảng viên.", document.body)
        self.assertNotIn("Mua sắm loa đài", document.body)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.resolution_document, document)
        with self.assertRaisesMessage(ValidationError, "đã có nghị quyết Số 01-NQ/CB"):
            actions.issue_resolution(self.meeting, by=self.cell_secretary)

    def test_a_meeting_without_a_passed_vote_has_no_resolution(self):
        self.passed.delete()
        self.end()
        actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "Không có nội dung biểu quyết nào được thông qua"):
            actions.issue_resolution(self.meeting, by=self.cell_secretary)
        self.assertFalse(Document.objects.filter(organization=self.cell).exists())

    def test_the_button_issues_it(self):
        self.end()
        actions.lock_minutes(self.meeting, read_back=True, by=self.cell_secretary)
        self.login(self.cell_secretary)
        r = self.client.post(f"/meetings/{self.meeting.pk}/resolution/", follow=True)
        self.assertContains(r, "Đã ban hành nghị quyết Số 01-NQ/CB.")
        self.assertEqual(Attendance.objects.filter(meeting=self.meeting).count(), 5)

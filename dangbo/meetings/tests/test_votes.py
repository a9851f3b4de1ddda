"""Votes: the §4.8 base from the roster, more than half, two thirds, only official members vote."""

from datetime import date

from django.core.exceptions import ValidationError

from dangbo.meetings import actions, selectors
from dangbo.meetings.models import AgendaItem, Attendance
from dangbo.meetings.tests.cast import MeetingCase, held_meeting, make_member
from dangbo.members import movements
from dangbo.members.choices import Status
from dangbo.members.models import Transfer


class VoteCase(MeetingCase):
    """A cell of 12 official members (the plain member's record included), 2 probationary, all present."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officials = [cls.me] + [make_member(cls.cell, f"Chính Thức {i:02d}") for i in range(11)]
        cls.probationary = [make_member(cls.cell, f"Dự Bị {i}", status=Status.PROBATIONARY) for i in range(2)]

    def setUp(self):
        self.meeting, self.end = held_meeting(self.cell, self.cell_secretary, chair=self.me)
        self.item = actions.add_agenda_item(self.meeting, title="Nghị quyết tháng", kind="resolution",
                                            by=self.cell_secretary)

    def mark(self, member, status="present", **extra):
        if status == "excused":
            extra.setdefault("reason", "Ốm")
        return actions.mark_attendance(self.meeting, member, status=status, by=self.cell_secretary, **extra)

    def mark_all_present(self):
        for a in Attendance.objects.filter(meeting=self.meeting):
            if a.status == "unknown":
                self.mark(a.member)

    def vote(self, yes, no=0, abstain=0, rule="majority", item=None):
        return actions.record_vote(item or self.item, question="Thông qua nghị quyết", yes=yes, no=no,
                                   abstain=abstain, rule=rule, by=self.cell_secretary)


class MajorityTest(VoteCase):
    def test_more_than_half_of_the_base_passes(self):
        self.mark_all_present()
        vote = self.vote(7, 5)
        self.assertTrue(vote.passed)
        self.assertEqual(vote.base, 12)
        self.assertTrue(vote.explanation.startswith("Tán thành 7/12 (58,3%) > 1/2 số tính 12 → thông qua."))
        self.assertIn("12 = 12 đảng viên chính thức được triệu tập", vote.explanation)

    def test_exactly_half_fails(self):
        self.mark_all_present()
        vote = self.vote(6, 6)
        self.assertFalse(vote.passed)
        self.assertTrue(vote.explanation.startswith("Tán thành 6/12 (50,0%) không quá 1/2 số tính 12 → không thông qua."))

    def test_probationary_members_are_neither_in_the_base_nor_voters(self):
        self.mark_all_present()
        with self.assertRaisesMessage(ValidationError, "Tổng số biểu quyết (13) nhiều hơn số đảng viên chính thức có mặt "
                                                       "được biểu quyết (12)"):
            self.vote(13)

    def test_the_base_leaves_out_the_cases_of_294_section_9_3(self):
        # One away on a temporary transfer, one suspended, one absent with approval, one exempt and absent,
        # one exempt who came; an unexcused absentee stays in the base.
        away, suspended, approved, unexcused = self.officials[1:5]
        transfer = movements.start_transfer(away, kind=Transfer.Kind.TEMPORARY, to_organization=self.school_cell,
                                            moved_on=date(2026, 9, 1), letter_number="1-GGT/ĐU",
                                            letter_date=date(2026, 9, 2), ends_on=date(2027, 3, 1), reason="Đi làm xa",
                                            by=self.office)
        movements.receive_transfer(transfer, presented_on=date(2026, 9, 3), by=self.office)
        exempt_absent = make_member(self.cell, "Miễn Vắng", status=Status.EXEMPT)
        exempt_present = make_member(self.cell, "Miễn Có Mặt", status=Status.EXEMPT)
        actions.open_roster(self.meeting)
        self.mark_all_present()
        self.mark(suspended, suspended=True)
        self.mark(approved, "excused", approved_absence=True)
        self.mark(unexcused, "unexcused")
        self.mark(exempt_absent, "excused", reason="Già yếu")
        self.mark(away, "excused", reason="Đang sinh hoạt tạm thời nơi khác")
        base = selectors.vote_base(self.meeting)
        # 12 officials + 2 exempt officials summoned = 14; minus away, exempt absent, suspended, approved absence.
        self.assertEqual((base.summoned, base.away, base.exempt_absent, base.suspended, base.approved_absent),
                         (14, 1, 1, 1, 1))
        self.assertEqual(base.base, 10)
        # Present officials: 12 - away? (away was marked excused) - approved - unexcused = 9, suspended excluded = 8,
        # plus the exempt member who came = 9.
        self.assertEqual(base.voters, 9)
        self.assertEqual(base.breakdown(), "10 = 14 đảng viên chính thức được triệu tập − 1 chuyển sinh hoạt tạm thời "
                                           "nơi khác − 1 miễn sinh hoạt và vắng − 1 đình chỉ sinh hoạt, bị truy tố, "
                                           "tạm giam − 1 vắng cả buổi được cấp ủy đồng ý")
        self.assertTrue(self.vote(6, 3).passed)
        self.assertFalse(self.vote(5, 4).passed)
        self.assertIsNotNone(exempt_present)

    def test_an_approved_absence_only_counts_for_the_absent(self):
        self.mark_all_present()
        self.mark(self.officials[1], approved_absence=True)
        self.assertEqual(selectors.vote_base(self.meeting).base, 12)

    def test_it_needs_everyone_marked_and_the_meeting_started(self):
        with self.assertRaisesMessage(ValidationError, "Còn 14 đảng viên chưa điểm danh"):
            self.vote(7)

    def test_no_negative_numbers(self):
        self.mark_all_present()
        with self.assertRaisesMessage(ValidationError, "không được âm"):
            self.vote(7, -1)


class TwoThirdsTest(VoteCase):
    def setUp(self):
        super().setUp()
        self.admission = actions.add_agenda_item(self.meeting, title="Xét kết nạp quần chúng Nguyễn Văn Mới",
                                                 kind=AgendaItem.Kind.ADMISSION, by=self.cell_secretary)
        self.mark_all_present()

    def test_admission_needs_two_thirds_computed_exactly(self):
        vote = self.vote(8, 4, rule="two_thirds", item=self.admission)
        self.assertTrue(vote.passed)
        self.assertTrue(vote.explanation.startswith("Tán thành 8/12 (66,7%) ≥ 2/3 số tính 12 → thông qua."))
        vote = self.vote(7, 5, rule="two_thirds", item=self.admission)
        self.assertFalse(vote.passed)
        self.assertTrue(vote.explanation.startswith("Tán thành 7/12 (58,3%) < 2/3 số tính 12 → không thông qua."))

    def test_two_thirds_of_ten_is_seven(self):
        for member in self.officials[10:]:
            self.mark(member, "excused", approved_absence=True)
        self.assertEqual(selectors.vote_base(self.meeting).base, 10)
        self.assertTrue(self.vote(7, rule="two_thirds", item=self.admission).passed)
        self.assertFalse(self.vote(6, rule="two_thirds", item=self.admission).passed)

    def test_admission_cannot_be_voted_by_simple_majority(self):
        with self.assertRaisesMessage(ValidationError, "từ hai phần ba"):
            self.vote(12, rule="majority", item=self.admission)


class VotePageTest(VoteCase):
    def test_the_page_shows_why_a_vote_passed_or_failed(self):
        self.mark_all_present()
        self.login(self.cell_secretary)
        url = f"/meetings/{self.meeting.pk}/agenda/{self.item.pk}/vote/"
        r = self.client.post(url, {"question": "Thông qua nghị quyết tháng", "rule": "majority", "yes": 7, "no": 5,
                                   "abstain": 0}, follow=True)
        self.assertContains(r, "Tán thành 7/12 (58,3%) &gt; 1/2 số tính 12 → thông qua.")
        r = self.client.post(url, {"question": "Bổ sung kinh phí", "rule": "majority", "yes": 6, "no": 6, "abstain": 0},
                             follow=True)
        self.assertContains(r, "không quá 1/2 số tính 12 → không thông qua")
        r = self.client.post(url, {"question": "Quá số", "rule": "majority", "yes": 20, "no": 0, "abstain": 0})
        self.assertContains(r, "nhiều hơn số đảng viên chính thức có mặt", status_code=400)
        r = self.client.get(f"/meetings/{self.meeting.pk}/agenda/")
        self.assertContains(r, "Thông qua")
        self.assertContains(r, "Không thông qua")

"""The year plan: monthly regular meetings, thematic ones each quarter, moving, adding, cancelling, late cells."""

from collections import Counter
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangbo.meetings import actions, selectors
from dangbo.meetings.models import Attendance, Meeting, Minutes
from dangbo.meetings.tests.cast import MeetingCase, at, held_meeting, make_meeting, make_member, today
from dangbo.rules.models import RuleOverride

YEAR = 2027


def kinds(cell, year=YEAR):
    return Counter(Meeting.objects.filter(organization=cell, year=year).values_list("kind", flat=True))


class GeneratePlanTest(MeetingCase):
    def test_it_plans_twelve_months_with_the_thematic_meeting_in_each_quarters_last(self):
        created = actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary, day=5, time=time(19, 30),
                                             place="Nhà văn hóa Khối 1")
        self.assertEqual(len(created), 12)
        self.assertEqual(kinds(self.cell), {"regular": 8, "combined": 4})
        combined = Meeting.objects.filter(organization=self.cell, year=YEAR, kind="combined")
        self.assertEqual(sorted(m.month for m in combined), [3, 6, 9, 12])
        march = combined.get(month=3)
        self.assertEqual(timezone.localtime(march.scheduled_at).strftime("%d/%m/%Y %H:%M"), "05/03/2027 19:30")
        self.assertEqual(march.place, "Nhà văn hóa Khối 1")
        self.assertTrue(march.planned)

    def test_it_never_duplicates_a_month_when_run_again(self):
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary)
        self.assertEqual(actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary), [])
        self.assertEqual(Meeting.objects.filter(organization=self.cell, year=YEAR).count(), 12)

    def test_it_respects_a_cancelled_month_but_adds_the_missing_thematic_meeting(self):
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary)
        march = Meeting.objects.get(organization=self.cell, year=YEAR, month=3)
        actions.cancel_meeting(march, reason="Trùng lịch bầu cử", by=self.cell_secretary)
        created = actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary)
        self.assertEqual([(m.month, m.kind) for m in created], [(3, "thematic")])

    def test_it_plans_separate_thematic_meetings_when_asked(self):
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary, combine_thematic=False, day=31)
        self.assertEqual(kinds(self.cell), {"regular": 12, "thematic": 4})
        feb = Meeting.objects.get(organization=self.cell, year=YEAR, month=2)
        self.assertEqual(timezone.localdate(feb.scheduled_at), date(2027, 2, 28))
        thematic = Meeting.objects.get(organization=self.cell, year=YEAR, month=3, kind="thematic")
        # A week after the quarter's last regular meeting, kept inside the month.
        self.assertEqual(timezone.localdate(thematic.scheduled_at), date(2027, 3, 31))

    def test_it_follows_the_cells_own_thematic_rule(self):
        RuleOverride.objects.create(key="meeting.thematic_per_quarter_min", organization=self.ward, value=2,
                                    valid_from=date(2027, 1, 1), reason="Nghị quyết 05-NQ/ĐU")
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary)
        self.assertEqual(kinds(self.cell), {"regular": 8, "combined": 4, "thematic": 4})
        self.assertEqual(kinds(self.school_cell), {})

    def test_it_starts_from_the_month_asked(self):
        created = actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary, from_month=11)
        self.assertEqual([(m.month, m.kind) for m in created], [(11, "regular"), (12, "combined")])

    def test_it_plans_only_for_a_cell(self):
        with self.assertRaises(ValidationError):
            actions.generate_year_plan(self.ward, year=YEAR, by=self.secretary)


class ScheduleTest(MeetingCase):
    def test_it_refuses_a_second_regular_meeting_in_a_month(self):
        actions.schedule_meeting(self.cell, kind="regular", scheduled_at=at(date(2027, 4, 5), 19), by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "Tháng 4/2027 đã có buổi sinh hoạt thường kỳ"):
            actions.schedule_meeting(self.cell, kind="combined", scheduled_at=at(date(2027, 4, 20), 19), theme="Chuyên đề",
                                     by=self.cell_secretary)
        extra = actions.schedule_meeting(self.cell, kind="extraordinary", scheduled_at=at(date(2027, 4, 20), 19),
                                         by=self.cell_secretary)
        self.assertFalse(extra.planned)
        self.assertEqual((extra.year, extra.month), (2027, 4))

    def test_it_asks_a_theme_for_a_thematic_meeting(self):
        with self.assertRaisesMessage(ValidationError, "phải ghi chủ đề"):
            actions.schedule_meeting(self.cell, kind="thematic", scheduled_at=at(date(2027, 4, 5), 19),
                                     by=self.cell_secretary)

    def test_moving_a_notified_meeting_asks_for_a_new_notice(self):
        meeting = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=3))
        actions.notify_meeting(meeting, by=self.cell_secretary)
        moved = actions.move_meeting(meeting, scheduled_at=at(today() + timedelta(days=4), 8), place="Hội trường",
                                     by=self.cell_secretary)
        self.assertIsNone(moved.notified_at)
        self.assertEqual(moved.state, "preparing")
        self.assertEqual(moved.place, "Hội trường")

    def test_it_cannot_move_or_cancel_a_held_meeting(self):
        meeting, end = held_meeting(self.cell, self.cell_secretary)
        end()
        with self.assertRaisesMessage(ValidationError, "đã diễn ra"):
            actions.move_meeting(meeting, scheduled_at=at(today(), 8), by=self.cell_secretary)
        with self.assertRaisesMessage(ValidationError, "đã diễn ra"):
            actions.cancel_meeting(meeting, reason="x", by=self.cell_secretary)

    def test_cancelling_needs_a_reason_kept_in_history(self):
        meeting = make_meeting(self.cell, self.cell_secretary, day=today() + timedelta(days=3))
        with self.assertRaisesMessage(ValidationError, "Ghi lý do hủy"):
            actions.cancel_meeting(meeting, reason=" ", by=self.cell_secretary)
        actions.cancel_meeting(meeting, reason="Mưa bão", by=self.cell_secretary)
        self.assertEqual(meeting.history.first().history_change_reason, "Mưa bão")


class LateTest(MeetingCase):
    def test_a_past_meeting_not_held_is_late(self):
        meeting = make_meeting(self.cell, self.cell_secretary, day=today() - timedelta(days=2))
        reasons = selectors.late_reasons(meeting, today=today())
        self.assertEqual(len(reasons), 1)
        self.assertIn("chưa ghi nhận đã họp", reasons[0])

    def test_minutes_unlocked_a_week_after_is_late(self):
        meeting, end = held_meeting(self.cell, self.cell_secretary, day=today() - timedelta(days=8))
        end()
        meeting.refresh_from_db()
        self.assertIn("chưa khóa biên bản", selectors.late_reasons(meeting, today=today())[0])
        self.assertEqual(selectors.late_reasons(meeting, today=today() - timedelta(days=1)), [])
        Minutes.objects.filter(meeting=meeting).update(locked_at=timezone.now())
        meeting = Meeting.objects.select_related("minutes").get(pk=meeting.pk)
        self.assertEqual(selectors.late_reasons(meeting, today=today()), [])

    def test_the_overview_names_late_cells_and_cells_without_a_plan(self):
        year = today().year
        make_meeting(self.cell, self.cell_secretary, day=today() - timedelta(days=2))
        cells = {c.cell.pk: c for c in selectors.overview(self.ward, year, today=today())}
        self.assertIn(self.cell.pk, cells)
        self.assertNotIn(self.other_cell.pk, cells)
        self.assertTrue(any("chưa ghi nhận đã họp" in r for r in cells[self.cell.pk].late))
        self.assertIn(f"Chưa lập kế hoạch sinh hoạt năm {year}", cells[self.school_cell.pk].late)

    def test_the_overview_names_months_and_quarters_left_without_meetings(self):
        actions.generate_year_plan(self.cell, year=2026, by=self.cell_secretary, from_month=7)
        Meeting.objects.filter(organization=self.cell, year=2026, month__in=[7, 8]).update(state="cancelled")
        late = selectors.overview(self.ward, 2026, today=date(2026, 10, 15))[0].late
        cell_late = [c for c in selectors.overview(self.ward, 2026, today=date(2026, 10, 15)) if c.cell == self.cell][0]
        self.assertIn("Tháng 7/2026 không có buổi sinh hoạt thường kỳ", cell_late.late)
        self.assertIn("Tháng 8/2026 không có buổi sinh hoạt thường kỳ", cell_late.late)
        self.assertIn("Quý 3/2026 chưa đủ 1 buổi sinh hoạt chuyên đề", cell_late.late)
        self.assertIsNotNone(late)


class PlanPageTest(MeetingCase):
    def test_the_cell_plan_shows_the_year(self):
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary, place="Nhà văn hóa")
        self.login(self.cell_secretary)
        r = self.client.get(f"/meetings/?org={self.cell.pk}&year={YEAR}")
        self.assertContains(r, "Tháng 12")
        self.assertContains(r, "05/03/2027 19:30")
        self.assertContains(r, "Thường kỳ kết hợp chuyên đề")
        self.assertContains(r, "Lập kế hoạch năm theo quy định")

    def test_the_secretary_generates_the_plan_from_the_page(self):
        self.login(self.cell_secretary)
        r = self.client.post(f"/meetings/plan/{self.cell.pk}/generate/", {
            "year": YEAR, "from_month": 1, "day": 10, "time": "08:00", "place": "Nhà văn hóa", "combine_thematic": "on"})
        self.assertRedirects(r, f"/meetings/?org={self.cell.pk}&year={YEAR}")
        self.assertEqual(Meeting.objects.filter(organization=self.cell, year=YEAR).count(), 12)
        r = self.client.post(f"/meetings/plan/{self.cell.pk}/generate/", {
            "year": YEAR, "from_month": 1, "day": 40, "time": "8 giờ"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "Giờ không đúng dạng HH:MM", status_code=400)

    def test_a_plain_member_reads_the_plan_without_the_form(self):
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary)
        self.login(self.member)
        r = self.client.get(f"/meetings/?year={YEAR}")
        self.assertContains(r, "Tháng 12")
        self.assertNotContains(r, "Lập kế hoạch năm theo quy định")

    def test_the_committee_sees_every_cells_plan(self):
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary)
        self.login(self.secretary)
        r = self.client.get(f"/meetings/?year={YEAR}")
        self.assertContains(r, "Chi bộ Khối 1")
        self.assertContains(r, "Chi bộ Trường Tiểu học Hưng Bình")
        self.assertNotContains(r, "Chi bộ Khối 9")

    def test_the_plan_and_overview_keep_their_query_count_flat(self):
        for _ in range(2):
            make_member(self.cell)
        actions.generate_year_plan(self.cell, year=YEAR, by=self.cell_secretary)
        meetings = list(Meeting.objects.filter(organization=self.cell, year=YEAR))
        for m in meetings[:2]:
            actions.open_roster(m)
        self.login(self.secretary)
        plan_url, overview_url = f"/meetings/?org={self.cell.pk}&year={YEAR}", f"/meetings/?org={self.ward.pk}&year={YEAR}"
        self.client.get(plan_url)
        self.client.get(overview_url)
        with CaptureQueriesContext(connection) as small_plan:
            self.client.get(plan_url)
        with CaptureQueriesContext(connection) as small_overview:
            self.client.get(overview_url)
        self.assertLessEqual(len(small_plan.captured_queries), 12)
        self.assertLessEqual(len(small_overview.captured_queries), 11)
        for _ in range(17):
            make_member(self.cell)
        for m in meetings:
            actions.open_roster(m)
        actions.schedule_meeting(self.school_cell, kind="regular", scheduled_at=at(date(YEAR, 1, 8), 8), by=self.office)
        with self.assertNumQueries(len(small_plan.captured_queries)):
            r = self.client.get(plan_url)
        self.assertContains(r, "Có mặt 0/20")
        with self.assertNumQueries(len(small_overview.captured_queries)):
            self.client.get(overview_url)
        self.assertEqual(Attendance.objects.filter(meeting__in=meetings).count(), 12 * 20)

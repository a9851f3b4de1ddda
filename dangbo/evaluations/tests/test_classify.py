"""classify_year: the grades from the points, the cap per cell, the evidence, history and the approved rows."""

from datetime import date

from django.test import TestCase

from dangbo.evaluations import actions, classification
from dangbo.evaluations.models import ClassificationRun, Grade, MemberEvaluation
from dangbo.evaluations.tests.cast import YEAR, grades, scored
from dangbo.meetings.models import Attendance, Meeting
from dangbo.meetings.tests.test_visits import make_meeting, mark
from dangbo.members.choices import Status
from dangbo.members.tests.test_transfers import make_member
from dangbo.rules.actions import set_override
from dangbo.test import BaseTestCase

EX, GOOD, DONE, FAIL = Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED, Grade.NOT_COMPLETED


class GradeRulesTest(BaseTestCase):
    """Quy định 366-QĐ/TW thresholds and 124-QĐ/TW Art.12.4.3d, one row each, in a cell with room for all."""

    def grade_of(self, **kwargs):
        row = scored(self.cell, **kwargs)
        # Enough good members that the cap never bites here (20 % of 30 = 6).
        for _ in range(29 - MemberEvaluation.objects.filter(organization=self.cell, year=YEAR).count() + 1):
            scored(self.cell, 75)
        actions.classify_year(self.cell, YEAR, by=self.secretary)
        row.refresh_from_db()
        return row.proposed_grade

    def test_it_grades_excellent_at_90_with_every_condition(self):
        self.assertEqual(self.grade_of(total=90, exceeding=3), EX)

    def test_it_needs_30_percent_of_tasks_exceeding_for_excellent(self):
        self.assertEqual(self.grade_of(total=95, assigned=10, exceeding=2), GOOD)

    def test_it_needs_every_task_on_time_for_excellent_and_good(self):
        self.assertEqual(self.grade_of(total=95, assigned=10, on_time=9, exceeding=5), DONE)

    def test_it_needs_the_shortcomings_fixed_for_excellent(self):
        self.assertEqual(self.grade_of(total=95, exceeding=5, shortcomings_fixed=False), GOOD)

    def test_it_needs_a_task_to_exceed_for_excellent(self):
        self.assertEqual(self.grade_of(total=100, assigned=0, exceeding=0), GOOD)

    def test_it_grades_good_from_70_to_89(self):
        self.assertEqual(self.grade_of(total=89, exceeding=5), GOOD)
        self.assertEqual(self.grade_of(total=70), GOOD)

    def test_it_grades_completed_from_50_to_69(self):
        self.assertEqual(self.grade_of(total=69), DONE)
        self.assertEqual(self.grade_of(total=50, on_time=3), DONE)

    def test_it_grades_not_completed_below_50(self):
        self.assertEqual(self.grade_of(total=49), FAIL)

    def test_a_disciplined_member_has_not_completed(self):
        self.assertEqual(self.grade_of(total=98, exceeding=6, disciplined=True), FAIL)

    def test_a_member_who_found_and_fixed_it_themselves_is_graded_on_points(self):
        self.assertEqual(self.grade_of(total=98, exceeding=6, disciplined=True, self_corrected=True), EX)

    def test_an_unscored_member_has_no_grade(self):
        self.assertIsNone(self.grade_of(general=25, task=None))


class QuotaTest(BaseTestCase):
    """At most 20 % of the members graded at least good may be excellent, per cell."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 10 good-or-better → 2 excellent places; 4 candidates.
        cls.top = scored(cls.cell, 99, exceeding=5)
        cls.second = scored(cls.cell, 95, exceeding=5)
        cls.tie_more = scored(cls.cell, 92, exceeding=6)
        cls.tie_less = scored(cls.cell, 92, exceeding=4)
        cls.good = [scored(cls.cell, 80) for _ in range(6)]
        cls.completed = scored(cls.cell, 60)

    def test_it_keeps_the_highest_totals_and_reduces_the_rest(self):
        counts = actions.classify_year(self.ward, YEAR, by=self.secretary)
        self.assertEqual(grades(self.top, self.second, self.tie_more, self.tie_less), [
            (EX, EX, False), (EX, EX, False), (EX, GOOD, True), (EX, GOOD, True)])
        self.assertEqual((counts[EX], counts[GOOD], counts[DONE], counts["quota_reduced"]), (2, 8, 1, 2))

    def test_it_breaks_ties_by_tasks_exceeding_then_by_the_earlier_row(self):
        self.second.task_points = 62  # 92, as the tied pair: only one place left for three
        self.second.tasks_exceeding = 6
        self.second.save()
        actions.classify_year(self.cell, YEAR, by=self.secretary)
        self.assertEqual([g[1] for g in grades(self.top, self.second, self.tie_more, self.tie_less)],
                         [EX, EX, GOOD, GOOD])

    def test_it_counts_each_cell_on_its_own(self):
        other = [scored(self.school_cell, 95, exceeding=5) for _ in range(2)] + [
            scored(self.school_cell, 80) for _ in range(3)]
        actions.classify_year(self.ward, YEAR, by=self.secretary)
        # 5 good-or-better → 1 place in the school cell.
        self.assertEqual([g[1] for g in grades(*other[:2])], [EX, GOOD])
        self.assertEqual(grades(self.top)[0][1], EX)

    def test_it_takes_the_cap_a_committee_set_for_its_cells(self):
        set_override(key=classification.CAP_PERCENT, organization=self.ward, value=30,
                     valid_from=date(2025, 9, 1), reason="Nghị quyết của Đảng ủy", by=self.secretary)
        set_override(key=classification.CAP_PERCENT, organization=self.other_ward, value=50,
                     valid_from=date(2025, 9, 1), reason="Nghị quyết của Đảng ủy", by=self.secretary)
        counts = actions.classify_year(self.province, YEAR, by=self.secretary)
        self.assertEqual(counts[EX], 3)
        self.assertEqual([g[1] for g in grades(self.tie_more, self.tie_less)], [EX, GOOD])

    def test_it_looks_the_cap_up_by_the_last_day_of_the_year(self):
        set_override(key=classification.CAP_PERCENT, organization=self.ward, value=40,
                     valid_from=date(2026, 1, 1), reason="Từ năm 2026", by=self.secretary)
        self.assertEqual(actions.classify_year(self.ward, YEAR, by=self.secretary)[EX], 2)
        MemberEvaluation.objects.update(year=2026)
        self.assertEqual(actions.classify_year(self.ward, 2026, by=self.secretary)[EX], 4)

    def test_it_counts_approved_excellent_rows_against_the_cap(self):
        actions.classify_year(self.cell, YEAR, by=self.secretary)
        MemberEvaluation.objects.filter(pk=self.tie_less.pk).update(grade=EX, quota_reduced=False,
                                                                    approved_on=date(2025, 12, 20))
        actions.classify_year(self.cell, YEAR, by=self.secretary)
        self.assertEqual([g[1] for g in grades(self.top, self.second, self.tie_more, self.tie_less)],
                         [EX, GOOD, GOOD, EX])


class EvidenceAndRowsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.present = make_member(cls.cell, name="Nguyễn Văn Có Mặt")
        cls.absent = make_member(cls.cell, name="Trần Văn Vắng")
        cls.gone = make_member(cls.cell, name="Lê Văn Đã Chuyển", status=Status.TRANSFERRED_OUT)
        cls.elsewhere = make_member(cls.other_cell, name="Đỗ Thị Phường Khác")
        P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED
        for month, (a, b) in enumerate([(P, U), (P, U), (P, E), (P, Attendance.Status.UNKNOWN)], start=1):
            meeting = make_meeting(cls.cell, YEAR, month)
            mark(meeting, cls.present, a)
            mark(meeting, cls.absent, b)
        mark(make_meeting(cls.cell, YEAR, 11, state=Meeting.State.PLANNED), cls.absent, U)
        mark(make_meeting(cls.cell, YEAR + 1, 1), cls.absent, U)
        # A meeting of another cell counts too: the member attended it (e.g. before moving).
        mark(make_meeting(cls.school_cell, YEAR, 6), cls.present, P)

    def test_it_creates_a_row_for_each_member_on_the_roll_of_the_scope(self):
        counts = actions.classify_year(self.ward, YEAR, by=self.secretary)
        rows = MemberEvaluation.objects.filter(year=YEAR)
        self.assertEqual(set(rows.values_list("member__full_name", flat=True)),
                         {"Nguyễn Văn Có Mặt", "Trần Văn Vắng"})
        self.assertEqual((counts["created"], counts["unscored"]), (2, 2))
        self.assertEqual(rows.get(member=self.present).organization, self.cell)

    def test_it_counts_the_years_held_meetings(self):
        actions.classify_year(self.cell, YEAR, by=self.secretary)
        present = MemberEvaluation.objects.get(member=self.present)
        absent = MemberEvaluation.objects.get(member=self.absent)
        self.assertEqual((present.meetings_held, present.meetings_attended, present.meetings_absent_unexcused),
                         (5, 5, 0))
        self.assertEqual((absent.meetings_held, absent.meetings_attended, absent.meetings_absent_unexcused),
                         (3, 0, 2))

    def test_it_writes_only_what_changed_and_stamps_it_with_the_run(self):
        actions.classify_year(self.cell, YEAR, by=self.secretary)
        self.assertEqual(actions.classify_year(self.cell, YEAR, by=self.secretary)["changed"], 0)
        mark(make_meeting(self.cell, YEAR, 7), self.absent, Attendance.Status.UNEXCUSED)
        self.assertEqual(actions.classify_year(self.cell, YEAR, by=self.office)["changed"], 1)
        latest = ClassificationRun.objects.first()
        absent = MemberEvaluation.objects.get(member=self.absent)
        self.assertEqual((latest.requested_by, absent.classified_at, absent.meetings_absent_unexcused),
                         (self.office, latest.started_at, 3))
        self.assertLess(MemberEvaluation.objects.get(member=self.present).classified_at, latest.started_at)
        # Computed values are recorded by the runs; the rows' history holds what people enter.
        self.assertFalse(MemberEvaluation.history.exists())

    def test_it_records_the_run(self):
        counts = actions.classify_year(self.ward, YEAR, by=self.secretary)
        run = ClassificationRun.objects.get()
        self.assertEqual((run.organization, run.year, run.requested_by, run.state, run.counts),
                         (self.ward, YEAR, self.secretary, ClassificationRun.State.DONE, counts))

    def test_it_leaves_other_wards_alone(self):
        actions.classify_year(self.other_ward, YEAR, by=self.outsider)
        self.assertEqual(list(MemberEvaluation.objects.values_list("member__full_name", flat=True)),
                         ["Đỗ Thị Phường Khác"])

    def test_it_refuses_a_year_not_yet_come(self):
        with self.assertRaisesMessage(Exception, "Năm đánh giá phải từ 2000 đến"):
            actions.classify_year(self.cell, 2999, by=self.secretary)


class ApprovedRowsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rows = [scored(cls.cell, 95, exceeding=5)] + [scored(cls.cell, 80) for _ in range(4)]

    def test_approval_locks_the_sheet(self):
        n = actions.approve_year(self.cell, YEAR, by=self.secretary, on=date(2025, 12, 20))
        self.assertEqual(n, 5)
        # 5 good-or-better → one place: the 95 keeps excellent.
        self.assertEqual(grades(self.rows[0])[0], (EX, EX, False))
        MemberEvaluation.objects.filter(pk=self.rows[1].pk).update(task_points=0)
        self.assertEqual(actions.classify_year(self.ward, YEAR, by=self.secretary)["changed"], 0)
        self.assertEqual(grades(self.rows[1])[0], (GOOD, GOOD, False))
        with self.assertRaisesMessage(Exception, "đã được cấp ủy duyệt ngày 20/12/2025; không sửa được"):
            actions.score_member(self.rows[1], by=self.cell_secretary, task_points=60)
        with self.assertRaisesMessage(Exception, "đã được duyệt"):
            actions.approve_year(self.cell, YEAR, by=self.secretary)
        record = MemberEvaluation.history.filter(id=self.rows[0].pk).first()
        self.assertEqual((record.approved_on, record.history_user), (date(2025, 12, 20), self.secretary))

    def test_it_refuses_to_approve_while_a_member_is_unscored(self):
        make_member(self.cell, name="Chưa Chấm Điểm")
        with self.assertRaisesMessage(Exception, "Còn 1 đảng viên chưa chấm đủ điểm"):
            actions.approve_year(self.cell, YEAR, by=self.secretary)
        self.assertFalse(MemberEvaluation.objects.filter(approved_on__isnull=False).exists())

    def test_it_approves_cells_only(self):
        with self.assertRaisesMessage(Exception, "Chỉ duyệt bảng xếp loại của từng chi bộ"):
            actions.approve_year(self.ward, YEAR, by=self.secretary)


class QueueTest(TestCase):
    def test_the_worker_runs_a_queued_classification(self):
        from dangbo.test import Cast

        Cast.build(self)
        scored(self.cell, 80)
        with self.captureOnCommitCallbacks(execute=True):
            run = actions.queue_classification(self.ward, YEAR, by=self.secretary)
        run.refresh_from_db()
        self.assertEqual((run.state, run.counts[GOOD]), (ClassificationRun.State.DONE, 1))

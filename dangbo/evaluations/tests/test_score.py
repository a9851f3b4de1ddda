"""score_member: what the cell enters, checked field by field, and the grade recomputed at once."""

from django.core.exceptions import ValidationError

from dangbo.evaluations import actions
from dangbo.evaluations.models import Grade, MemberEvaluation
from dangbo.evaluations.tests.cast import YEAR, scored
from dangbo.members.choices import Status
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase

VALID = {"general_points": 28, "task_points": 60, "tasks_assigned": 8, "tasks_on_time": 8, "tasks_exceeding": 2,
         "shortcomings_fixed": True, "disciplined": False, "self_corrected": False}


class ScoreMemberTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.member_row = make_member(cls.cell, name="Bùi Văn Chấm")

    def errors(self, **changes):
        with self.assertRaises(ValidationError) as caught:
            actions.score_member(self.member_row, YEAR, by=self.cell_secretary, **{**VALID, **changes})
        self.assertFalse(MemberEvaluation.objects.exists())  # nothing half-saved
        return caught.exception.message_dict

    def test_it_creates_the_row_and_grades_it(self):
        row = actions.score_member(self.member_row, YEAR, by=self.cell_secretary, **VALID)
        self.assertEqual((row.organization, row.total_points, row.proposed_grade, row.grade),
                         (self.cell, 88, Grade.GOOD, Grade.GOOD))
        self.assertEqual(row.history.first().history_user, self.cell_secretary)

    def test_it_changes_only_the_fields_given(self):
        row = actions.score_member(self.member_row, YEAR, by=self.cell_secretary, **VALID)
        row = actions.score_member(row, by=self.cell_secretary, task_points=20)
        self.assertEqual((row.general_points, row.task_points, row.tasks_assigned, row.grade),
                         (28, 20, 8, Grade.NOT_COMPLETED))

    def test_it_recomputes_the_cells_cap(self):
        rivals = [scored(self.cell, 95, exceeding=5)] + [scored(self.cell, 80) for _ in range(3)]
        actions.classify_year(self.cell, YEAR, by=self.secretary)
        actions.score_member(self.member_row, YEAR, by=self.cell_secretary,
                             **{**VALID, "task_points": 70, "tasks_exceeding": 8})
        rivals[0].refresh_from_db()
        # 5 good-or-better → one place, taken by the 98 points.
        self.assertEqual((rivals[0].grade, rivals[0].quota_reduced), (Grade.GOOD, True))

    def test_it_names_the_general_points_out_of_range(self):
        self.assertEqual(self.errors(general_points=31)["general_points"],
                         ["Điểm tiêu chí chung phải là số nguyên từ 0 đến 30."])

    def test_it_names_the_task_points_out_of_range(self):
        self.assertEqual(self.errors(task_points=-1)["task_points"],
                         ["Điểm kết quả thực hiện nhiệm vụ phải là số nguyên từ 0 đến 70."])

    def test_it_refuses_more_tasks_on_time_than_assigned(self):
        self.assertEqual(self.errors(tasks_on_time=9)["tasks_on_time"],
                         ["Số nhiệm vụ hoàn thành đúng hạn không được lớn hơn số nhiệm vụ được giao (8)."])

    def test_it_refuses_a_negative_count(self):
        self.assertEqual(self.errors(tasks_exceeding=-2)["tasks_exceeding"],
                         ["Số nhiệm vụ vượt yêu cầu phải là số nguyên không âm."])

    def test_it_refuses_self_correction_without_discipline(self):
        self.assertIn("khi đảng viên bị kỷ luật trong năm", self.errors(self_corrected=True)["self_corrected"][0])

    def test_it_refuses_a_member_no_longer_on_the_roll(self):
        gone = make_member(self.cell, status=Status.TRANSFERRED_OUT)
        with self.assertRaisesMessage(ValidationError, "không còn trong danh sách sinh hoạt"):
            actions.score_member(gone, YEAR, by=self.cell_secretary, **VALID)

    def test_it_refuses_a_year_not_yet_come(self):
        with self.assertRaisesMessage(ValidationError, "Năm đánh giá phải từ 2000"):
            actions.score_member(self.member_row, 2999, by=self.cell_secretary, **VALID)

    def test_clearing_the_points_clears_the_grade(self):
        row = actions.score_member(self.member_row, YEAR, by=self.cell_secretary, **VALID)
        row = actions.score_member(row, by=self.cell_secretary, general_points=None)
        self.assertEqual((row.proposed_grade, row.grade), (None, None))

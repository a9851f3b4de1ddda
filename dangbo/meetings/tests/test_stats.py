"""Meeting statistics: planned vs held, thematic per quarter, attendance rates, rolled up over the tree."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangbo.meetings import stats
from dangbo.meetings.models import Attendance, Meeting
from dangbo.meetings.tests.test_visits import make_meeting, mark
from dangbo.members.tests.test_transfers import make_member
from dangbo.organizations.models import Organization
from dangbo.rules.lookup import clear_cache
from dangbo.rules.models import RuleOverride
from dangbo.test import BaseTestCase, make_org

P, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED
THEMATIC, COMBINED = Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED


class RateTest(BaseTestCase):
    def test_it_leaves_unmarked_members_out(self):
        rate = stats.Rate(present=3, excused=1, unexcused=0)
        self.assertEqual(rate.percent, 75)
        self.assertIsNone(stats.Rate().percent)


class OrganizationStatsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.a, cls.b = make_member(cls.cell, name="An"), make_member(cls.cell, name="Bình")
        cls.c = make_member(cls.school_cell, name="Cúc")
        jan = make_meeting(cls.cell, 2026, 1)
        mark(jan, cls.a, P)
        mark(jan, cls.b, U)
        feb = make_meeting(cls.cell, 2026, 2, kind=THEMATIC)
        mark(feb, cls.a, P)
        mark(feb, cls.b, E)
        make_meeting(cls.cell, 2026, 3, state=Meeting.State.CANCELLED)
        make_meeting(cls.cell, 2026, 4, state=Meeting.State.PLANNED)
        make_meeting(cls.cell, 2026, 5, kind=COMBINED)
        extra = make_meeting(cls.cell, 2026, 5, day=28, kind=Meeting.Kind.EXTRAORDINARY, planned=False)
        mark(extra, cls.a, Attendance.Status.UNKNOWN)
        school = make_meeting(cls.school_cell, 2026, 1)
        mark(school, cls.c, P)
        mark(make_meeting(cls.other_cell, 2026, 1), make_member(cls.other_cell), U)

    def test_a_cell_per_month(self):
        report = stats.organization_stats(self.cell, year=2026, with_members=True)
        months = report.months
        self.assertEqual([(m.planned, m.held) for m in months[:6]], [(1, 1), (1, 1), (1, 0), (1, 0), (1, 2), (0, 0)])
        self.assertEqual(months[0].attendance.percent, 50)
        self.assertEqual(months[1].attendance.percent, 50)
        self.assertIsNone(months[4].attendance.percent)
        self.assertEqual((report.total.planned, report.total.held, report.total.thematic), (5, 4, 2))
        self.assertEqual(report.total.attendance.percent, 50)
        self.assertEqual(report.children, [])

    def test_thematic_per_quarter_against_the_rule(self):
        report = stats.organization_stats(self.cell, year=2026)
        q1, q2, q3, _q4 = report.quarters
        self.assertEqual((q1.held, q1.minimum, q1.met), (1, 1, True))
        self.assertEqual((q2.held, q2.met), (1, True))  # combined counts
        self.assertEqual((q3.held, q3.met), (0, False))

    def test_a_cfg_minimum_of_the_committee_applies(self):
        RuleOverride.objects.create(key="meeting.thematic_per_quarter_min", organization=self.ward, value=2,
                                    valid_from=date(2026, 1, 1), reason="Nghị quyết 03-NQ/ĐU")
        clear_cache()
        q1 = stats.organization_stats(self.cell, year=2026).quarters[0]
        self.assertEqual((q1.minimum, q1.met), (2, False))

    def test_each_members_attendance_in_a_cell(self):
        gone = make_member(self.cell, name="Đã Đi")
        mark(Meeting.objects.get(organization=self.cell, month=1), gone, P)
        gone.organization = self.school_cell
        gone.save()
        lines = stats.member_stats(self.cell, year=2026)
        self.assertEqual([(line.full_name, line.on_roll) for line in lines],
                         [("An", True), ("Bình", True), ("Đã Đi", False)])
        self.assertEqual([line.attendance.percent for line in lines], [100, 0, 100])
        self.assertEqual((lines[1].attendance.excused, lines[1].attendance.unexcused), (1, 1))

    def test_a_committee_rolls_its_cells_up(self):
        report = stats.organization_stats(self.ward, year=2026)
        self.assertEqual([line.label for line in report.children], [self.cell, self.school_cell])
        cell, school = report.children
        self.assertEqual((cell.planned, cell.held), (5, 4))
        self.assertEqual((school.planned, school.held), (1, 1))
        self.assertEqual((report.total.planned, report.total.held), (6, 5))
        self.assertEqual(report.months[0].cells_held, 2)
        self.assertEqual(report.months[0].cells, 2)
        self.assertEqual(report.months[0].attendance.percent, 67)  # 2 present of 3 marked, other ward left out
        q1 = report.quarters[0]
        self.assertEqual((q1.held, q1.cells_met, q1.cells, q1.met), (1, 1, 2, False))

    def test_a_sub_committee_is_one_line_over_its_subtree(self):
        grassroots = make_org("Đảng bộ Công ty Điện lực", "NA.VH.DL", self.ward, kind=Organization.Kind.COMMITTEE)
        unit = make_org("Chi bộ Phân xưởng", "NA.VH.DL.CB1", grassroots)
        make_meeting(unit, 2026, 1, kind=THEMATIC)
        report = stats.organization_stats(self.ward, year=2026)
        line = next(line for line in report.children if line.label == grassroots)
        self.assertEqual((line.cells, line.held, line.quarters[1].cells_met), (1, 1, 1))
        self.assertEqual(report.total.cells, 3)

    def test_a_province_reads_everything_below(self):
        report = stats.organization_stats(self.province, year=2026)
        self.assertEqual(report.total.held, 6)
        self.assertEqual([line.label for line in report.children], [self.ward, self.other_ward])


class StatsQueriesTest(BaseTestCase):
    """Kept apart: a rule override saved in a class's transaction turns the rules cache off for that class."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        meeting = make_meeting(cls.cell, 2026, 1)
        mark(meeting, make_member(cls.cell), P)
        make_meeting(cls.school_cell, 2026, 2, kind=THEMATIC)

    def test_its_queries_do_not_grow_with_cells_or_members(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                stats.organization_stats(self.ward, year=2026)
                stats.organization_stats(self.cell, year=2026, with_members=True)
            return len(queries)

        count()  # rules cache
        few = count()
        for n in range(4):
            cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
            meeting = make_meeting(cell, 2026, n + 1, kind=THEMATIC)
            for _ in range(3):
                mark(meeting, make_member(cell), P)
            mark(Meeting.objects.filter(organization=self.cell).first(), make_member(self.cell), U)
        self.assertEqual(count(), few)

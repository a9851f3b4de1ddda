"""Leaders attending cells (KH 82 model): assignments, visits, collected opinions, coverage."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangbo.accounts.models import Role, RoleAssignment
from dangbo.meetings import visits
from dangbo.meetings.models import Attendance, CollectedOpinion, Meeting, MeetingVisit, VisitAssignment
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase, make_org, make_user

HELD = Meeting.State.HELD


def make_meeting(cell, year, month, *, state=HELD, kind=Meeting.Kind.REGULAR, day=10, minutes=None, planned=True):
    """A meeting of ``cell`` on ``day``/``month``/``year`` at 19:30; ``minutes`` sets its start and end."""
    at = timezone.make_aware(datetime(year, month, day, 19, 30))
    values = {}
    if minutes is not None:
        values = {"started_at": at, "ended_at": at + timedelta(minutes=minutes)}
    return Meeting.objects.create(organization=cell, year=year, month=month, scheduled_at=at, state=state,
                                  kind=kind, planned=planned, **values)


def mark(meeting, member, status, kind=Attendance.Kind.OFFICIAL):
    return Attendance.objects.create(meeting=meeting, member=member, status=status, kind=kind)


def make_leader(username, name, committee, role=Role.COMMITTEE_MEMBER):
    return make_user(username, name, (committee, role))


def messages_of(error):
    return " ".join(error.exception.messages)


class AssignLeaderTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)

    def assign(self, cell=None, leader=None, by=None, **kwargs):
        kwargs.setdefault("starts_on", date(2026, 1, 1))
        return visits.assign_leader(self.ward, leader=leader or self.leader, cell=cell or self.cell,
                                    by=by or self.office, **kwargs)

    def test_it_assigns_a_committee_member_to_a_cell(self):
        assignment = self.assign(ends_on=date(2026, 12, 31))
        self.assertEqual(assignment.committee, self.ward)
        self.assertEqual(assignment.warnings, [])
        self.assertEqual(VisitAssignment.objects.get().cell, self.cell)

    def test_it_accepts_the_secretary_as_leader(self):
        self.assertEqual(self.assign(leader=self.secretary).leader, self.secretary)

    def test_it_requires_manage_on_the_committee(self):
        for user in (self.cell_secretary, self.readonly, self.member, self.outsider, self.leader):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.assign(by=user)

    def test_it_refuses_a_cell_outside_the_committee(self):
        with self.assertRaises(ValidationError) as error:
            self.assign(cell=self.other_cell)
        self.assertIn("không phải chi bộ trực thuộc", messages_of(error))

    def test_it_refuses_someone_without_a_leader_role_on_the_committee(self):
        for user in (self.office, self.cell_secretary, self.member):
            with self.subTest(user=user.username), self.assertRaises(ValidationError) as error:
                self.assign(leader=user)
            self.assertIn("không phải cấp ủy viên", messages_of(error))

    def test_it_refuses_an_overlapping_assignment_to_the_same_cell(self):
        self.assign(ends_on=date(2026, 6, 30))
        with self.assertRaises(ValidationError) as error:
            self.assign(starts_on=date(2026, 6, 1))
        self.assertIn("đã được phân công", messages_of(error))
        self.assign(starts_on=date(2026, 7, 1))  # after the first one ended

    def test_it_refuses_an_end_before_the_start(self):
        with self.assertRaises(ValidationError):
            self.assign(ends_on=date(2025, 12, 31))

    def test_it_warns_without_blocking_past_three_cells(self):
        cells = [self.cell, self.school_cell] + [
            make_org(f"Chi bộ Khối {n}", f"NA.VH.CB1{n}", self.ward) for n in range(2)
        ]
        for cell in cells[:3]:
            self.assertEqual(self.assign(cell=cell).warnings, [])
        fourth = self.assign(cell=cells[3])
        self.assertEqual(VisitAssignment.objects.filter(leader=self.leader).count(), 4)
        self.assertIn("đang theo dõi 4 chi bộ", fourth.warnings[0])

    def test_ended_assignments_do_not_count_towards_the_warning(self):
        cells = [make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward) for n in range(4)]
        self.assign(cell=cells[0], ends_on=date(2025, 12, 31), starts_on=date(2025, 1, 1))
        for cell in cells[1:]:
            self.assertEqual(self.assign(cell=cell).warnings, [])

    def test_it_names_the_leaders_to_notify_of_a_meeting(self):
        self.assign(ends_on=date(2026, 6, 30))
        self.assertEqual(list(visits.assigned_leaders(self.cell, date(2026, 3, 1))), [self.leader])
        self.assertEqual(list(visits.assigned_leaders(self.cell, date(2026, 7, 1))), [])
        self.assertEqual(list(visits.assigned_leaders(self.school_cell, date(2026, 3, 1))), [])

    def test_it_ends_an_assignment(self):
        assignment = self.assign()
        visits.end_assignment(assignment, ends_on=date(2026, 3, 31), by=self.secretary)
        assignment.refresh_from_db()
        self.assertEqual(assignment.ends_on, date(2026, 3, 31))
        with self.assertRaises(ValidationError):
            visits.end_assignment(assignment, ends_on=date(2025, 3, 31), by=self.secretary)
        with self.assertRaises(PermissionDenied):
            visits.end_assignment(assignment, ends_on=date(2026, 4, 30), by=self.cell_secretary)


class RecordVisitTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        cls.stranger = make_leader("capuykhac", "Lý Văn Tài", cls.other_ward)
        VisitAssignment.objects.create(committee=cls.ward, leader=cls.leader, cell=cls.cell,
                                       starts_on=date(2026, 1, 1))
        cls.meeting = make_meeting(cls.cell, 2026, 3)
        cls.person = make_member(cls.cell, name="Bùi Văn Toàn")

    def test_a_leader_records_their_own_visit(self):
        visit = visits.record_visit(self.meeting, leader=self.leader, attended=True, note="Dự cả buổi",
                                    by=self.leader)
        self.assertTrue(visit.attended)
        self.assertEqual(visit.note, "Dự cả buổi")

    def test_recording_again_corrects_the_visit(self):
        visits.record_visit(self.meeting, leader=self.leader, attended=True, note="Dự", by=self.leader)
        visits.record_visit(self.meeting, leader=self.leader, attended=False, by=self.leader)
        visit = MeetingVisit.objects.get()
        self.assertFalse(visit.attended)
        self.assertEqual(visit.note, "Dự")  # no note sent: the earlier one stays

    def test_a_writer_of_the_cell_records_a_leaders_visit(self):
        visits.record_visit(self.meeting, leader=self.leader, by=self.cell_secretary)
        self.assertTrue(MeetingVisit.objects.get(leader=self.leader).attended)

    def test_others_cannot_record_someone_elses_visit(self):
        for user in (self.member, self.readonly, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                visits.record_visit(self.meeting, leader=self.leader, by=user)

    def test_a_leader_of_a_committee_above_may_visit_unassigned(self):
        visits.record_visit(self.meeting, leader=self.secretary, by=self.secretary)
        self.assertEqual(MeetingVisit.objects.get().leader, self.secretary)

    def test_it_refuses_someone_neither_assigned_nor_a_leader_above(self):
        for user in (self.stranger, self.member, self.readonly):
            with self.subTest(user=user.username), self.assertRaises(ValidationError) as error:
                visits.record_visit(self.meeting, leader=user, by=user)
            self.assertIn("không được phân công", messages_of(error))

    def test_it_refuses_a_leader_neither_assigned_nor_elected_on_the_meeting_date(self):
        newcomer = make_user("capuymoi", "Đinh Văn Mới")
        RoleAssignment.objects.create(user=newcomer, organization=self.ward, role=Role.COMMITTEE_MEMBER,
                                      valid_from=date(2026, 1, 1))
        VisitAssignment.objects.create(committee=self.ward, leader=newcomer, cell=self.cell,
                                       starts_on=date(2026, 1, 1))
        with self.assertRaises(ValidationError):
            visits.record_visit(make_meeting(self.cell, 2025, 11), leader=newcomer, by=newcomer)
        visits.record_visit(self.meeting, leader=newcomer, by=newcomer)

    def test_it_refuses_a_cancelled_meeting(self):
        cancelled = make_meeting(self.cell, 2026, 4, state=Meeting.State.CANCELLED)
        with self.assertRaises(ValidationError):
            visits.record_visit(cancelled, leader=self.leader, by=self.leader)

    def test_an_opinion_is_kept_with_who_raised_it(self):
        visits.record_visit(self.meeting, leader=self.leader, by=self.leader)
        opinion = visits.record_opinion(self.meeting, collected_by=self.leader, raised_by_member=self.person,
                                        content="Đề nghị sửa đèn đường ngõ 5", by=self.leader)
        self.assertEqual(opinion.raised_by_name, "Bùi Văn Toàn")
        self.assertFalse(opinion.handled)
        guest = visits.record_opinion(self.meeting, collected_by=self.leader, raised_by_name="Ông Tổ trưởng",
                                      content="Kiến nghị về vệ sinh môi trường", by=self.cell_secretary)
        self.assertIsNone(guest.raised_by_member)
        self.assertEqual(CollectedOpinion.objects.filter(meeting=self.meeting).count(), 2)

    def test_an_opinion_needs_the_collector_at_the_meeting(self):
        with self.assertRaises(ValidationError) as error:
            visits.record_opinion(self.meeting, collected_by=self.leader, raised_by_name="A", content="B",
                                  by=self.leader)
        self.assertIn("trước khi ghi ý kiến", messages_of(error))

    def test_an_opinion_needs_content_and_a_name(self):
        visits.record_visit(self.meeting, leader=self.leader, by=self.leader)
        with self.assertRaises(ValidationError):
            visits.record_opinion(self.meeting, collected_by=self.leader, raised_by_name="A", content="  ",
                                  by=self.leader)
        with self.assertRaises(ValidationError):
            visits.record_opinion(self.meeting, collected_by=self.leader, raised_by_name="", content="Nội dung",
                                  by=self.leader)

    def test_an_opinion_raised_by_a_member_of_another_cell_is_refused(self):
        visits.record_visit(self.meeting, leader=self.leader, by=self.leader)
        elsewhere = make_member(self.school_cell)
        with self.assertRaises(ValidationError):
            visits.record_opinion(self.meeting, collected_by=self.leader, raised_by_member=elsewhere,
                                  content="Nội dung", by=self.leader)

    def test_only_the_collector_or_a_writer_records_an_opinion(self):
        visits.record_visit(self.meeting, leader=self.leader, by=self.leader)
        for user in (self.member, self.readonly, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                visits.record_opinion(self.meeting, collected_by=self.leader, raised_by_name="A", content="B",
                                      by=user)


class MyCellsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        for cell in (cls.cell, cls.school_cell):
            VisitAssignment.objects.create(committee=cls.ward, leader=cls.leader, cell=cell,
                                           starts_on=date(2026, 1, 1))

    def test_it_lists_the_cells_with_next_and_last_meetings(self):
        for month in (1, 2, 3):
            make_meeting(self.cell, 2026, month)
        make_meeting(self.cell, 2026, 4, state=Meeting.State.NOTIFIED)
        make_meeting(self.cell, 2026, 5, state=Meeting.State.PLANNED)
        make_meeting(self.cell, 2026, 6, state=Meeting.State.PLANNED)
        make_meeting(self.school_cell, 2026, 3, state=Meeting.State.CANCELLED)
        cards = visits.my_cells(self.leader, today=date(2026, 4, 1))
        self.assertEqual([c.cell for c in cards], [self.cell, self.school_cell])
        self.assertEqual([m.month for m in cards[0].upcoming], [4, 5])
        self.assertEqual([m.month for m in cards[0].recent], [3, 2, 1])
        self.assertEqual(cards[1].recent, [])

    def test_its_queries_do_not_grow_with_cells(self):
        for month in (1, 2, 3):
            make_meeting(self.cell, 2026, month)
        with CaptureQueriesContext(connection) as few:
            visits.my_cells(self.leader, today=date(2026, 4, 1))
        for n in range(4):
            cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
            VisitAssignment.objects.create(committee=self.ward, leader=self.leader, cell=cell,
                                           starts_on=date(2026, 1, 1))
            make_meeting(cell, 2026, 3)
        with CaptureQueriesContext(connection) as many:
            cards = visits.my_cells(self.leader, today=date(2026, 4, 1))
        self.assertEqual(len(cards), 6)
        self.assertEqual(len(many), len(few))

    def test_it_is_empty_for_someone_not_assigned(self):
        self.assertEqual(visits.my_cells(self.member, today=date(2026, 4, 1)), [])


class CoverageTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)

    def test_it_marks_months_with_and_without_a_leader(self):
        jan = make_meeting(self.cell, 2026, 1)
        MeetingVisit.objects.create(meeting=jan, leader=self.leader)
        make_meeting(self.cell, 2026, 2)
        feb_absent = make_meeting(self.school_cell, 2026, 2)
        MeetingVisit.objects.create(meeting=feb_absent, leader=self.leader, attended=False)
        make_meeting(self.cell, 2026, 3, state=Meeting.State.PLANNED)
        # Two meetings in one month: a leader at either covers the month.
        make_meeting(self.school_cell, 2026, 4, day=3)
        MeetingVisit.objects.create(meeting=make_meeting(self.school_cell, 2026, 4, day=20), leader=self.leader)
        make_meeting(self.other_cell, 2026, 1)  # another ward: not in the table
        table = visits.coverage(self.ward, year=2026)
        rows = {row["cell"]: row["marks"] for row in table.rows}
        self.assertEqual(list(rows), [self.cell, self.school_cell])
        self.assertEqual(rows[self.cell][:4], ["visited", "unvisited", "", ""])
        self.assertEqual(rows[self.school_cell][:4], ["", "unvisited", "", "visited"])
        self.assertEqual(table.held[:4], [1, 2, 0, 1])
        self.assertEqual(table.visited[:4], [1, 0, 0, 1])

    def test_its_queries_do_not_grow_with_cells(self):
        make_meeting(self.cell, 2026, 1)
        with CaptureQueriesContext(connection) as few:
            visits.coverage(self.ward, year=2026)
        for n in range(5):
            cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
            MeetingVisit.objects.create(meeting=make_meeting(cell, 2026, 2), leader=self.leader)
        with CaptureQueriesContext(connection) as many:
            table = visits.coverage(self.ward, year=2026)
        self.assertEqual(len(table.rows), 7)
        self.assertEqual(len(many), len(few))

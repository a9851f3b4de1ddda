"""Actions along the path: votes in meetings, numbered decisions, ceremony deadline, recognition, removal."""

from datetime import date

from django.core.exceptions import ValidationError

from dangbo.admissions import actions
from dangbo.admissions.models import Certificate, Introducer, Step
from dangbo.admissions.tests.factories import (
    complete_dossier, make_member, make_officials, propose, scheduled_meeting, start_with_everyone, vote_in_cell,
)
from dangbo.members.models import Member, StatusEvent
from dangbo.test import BaseTestCase


class ActionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officials = make_officials(cls.cell)

    def setUp(self):
        self.candidate = propose(self.cell, self.cell_secretary)
        complete_dossier(self.candidate, self.cell_secretary, self.officials[:2], on=date(2025, 8, 1))

    def messages(self, context):
        return " ".join(context.exception.messages)

    def admitted(self, *, meeting_on=date(2026, 3, 20), decided_on=date(2026, 4, 8)):
        vote_in_cell(self.candidate, self.cell_secretary, meeting_on, yes=5)
        actions.issue_admission_decision(self.candidate, decided_on=decided_on, by=self.secretary)
        self.candidate.refresh_from_db()
        return self.candidate

    def in_probation(self, ceremony_on=date(2025, 10, 3)):
        self.admitted(meeting_on=date(2025, 9, 5), decided_on=date(2025, 9, 20))
        return actions.record_ceremony(self.candidate, received_on=date(2025, 9, 22), ceremony_on=ceremony_on,
                                       by=self.cell_secretary)


class ProposalTest(ActionTestCase):
    def test_it_refuses_a_committee(self):
        with self.assertRaises(ValidationError) as raised:
            propose(self.ward, self.office, name="Ai Đó")
        self.assertIn("Quần chúng ưu tú do một chi bộ theo dõi", self.messages(raised))

    def test_it_refuses_someone_already_a_member(self):
        make_member(self.cell, "Lý Thị Oanh", sex="female", born=date(1990, 1, 1), citizen_id="040190000123")
        with self.assertRaises(ValidationError) as raised:
            propose(self.cell, self.office, name="Lý Thị Oanh", born=date(1990, 1, 1), citizen_id="040190000123")
        self.assertIn("Số CCCD 040190000123 đã có trong danh sách đảng viên.", self.messages(raised))

    def test_a_certificate_moves_the_candidate_to_the_dossier(self):
        other = propose(self.cell, self.office, name="Đào Văn Long", born=date(1995, 1, 1), sex="male")
        self.assertEqual(other.step, Step.PROPOSED)
        course = actions.create_course(organization=self.ward, title="Lớp I/2026", organizer="Đảng ủy phường",
                                       starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6), by=self.office)
        actions.enrol_course(other, course=course, enrolled_on=date(2026, 3, 1), by=self.cell_secretary)
        other.refresh_from_db()
        self.assertEqual(other.step, Step.COURSE)
        actions.record_certificate(other, number="9/GCN", issued_on=date(2026, 3, 6), issuer="Đảng ủy phường",
                                   course=course, by=self.cell_secretary)
        other.refresh_from_db()
        self.assertEqual(other.step, Step.DOSSIER)

    def test_a_course_of_another_ward_is_refused(self):
        course = actions.create_course(organization=self.other_ward, title="Lớp phường khác", organizer="Đảng ủy",
                                       starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6), by=self.outsider)
        with self.assertRaises(ValidationError) as raised:
            actions.enrol_course(self.candidate, course=course, enrolled_on=date(2026, 3, 1), by=self.office)
        self.assertIn("không phải đảng bộ của chi bộ theo dõi quần chúng", self.messages(raised))

    def test_a_union_introducer_needs_the_unions_name(self):
        with self.assertRaises(ValidationError) as raised:
            actions.add_introducer(self.candidate, kind=Introducer.Kind.YOUTH_UNION, letter_on=date(2026, 2, 1),
                                   by=self.cell_secretary)
        self.assertIn("Ghi tên tổ chức Đoàn, Công đoàn giới thiệu.", self.messages(raised))

    def test_withdrawing_keeps_the_reason(self):
        actions.withdraw_candidate(self.candidate, on=date(2026, 3, 1), reason="Chuyển đi nơi khác", by=self.office)
        self.candidate.refresh_from_db()
        self.assertEqual((self.candidate.step, self.candidate.closed_reason), (Step.WITHDRAWN, "Chuyển đi nơi khác"))


class CellVoteTest(ActionTestCase):
    def test_an_expired_certificate_blocks_putting_it_to_the_cell(self):
        Certificate.objects.filter(candidate=self.candidate).update(issued_on=date(2021, 3, 19))
        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2026, 3, 20))
        with self.assertRaises(ValidationError) as raised:
            actions.put_to_cell_vote(self.candidate, meeting=meeting, by=self.cell_secretary)
        self.assertIn("Chưa đủ điều kiện để chi bộ xét ngày 20/03/2026:", self.messages(raised))
        self.assertIn("đã hết hạn sau ngày 19/03/2026", self.messages(raised))
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.step, Step.DOSSIER)

    def test_it_links_the_agenda_item_to_the_candidate(self):
        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2026, 3, 20))
        item = actions.put_to_cell_vote(self.candidate, meeting=meeting, by=self.cell_secretary)
        self.assertEqual((item.kind, item.subject_type, item.subject_id),
                         ("admission", "admissions.candidate", self.candidate.pk))
        self.assertEqual(self.candidate.admission.cell_meeting_on, date(2026, 3, 20))

    def test_a_meeting_of_another_cell_is_refused(self):
        make_member(self.school_cell, "Giáo Viên Một")
        meeting = scheduled_meeting(self.school_cell, self.office, date(2026, 3, 20))
        with self.assertRaises(ValidationError) as raised:
            actions.put_to_cell_vote(self.candidate, meeting=meeting, by=self.office)
        self.assertIn("Buổi sinh hoạt phải của Chi bộ Khối 1.", self.messages(raised))

    def test_three_of_five_is_short_of_two_thirds(self):
        vote = vote_in_cell(self.candidate, self.cell_secretary, date(2026, 3, 20), yes=3, no=2)
        self.assertFalse(vote.passed)
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.step, Step.DOSSIER)

    def test_four_of_five_passes(self):
        vote = vote_in_cell(self.candidate, self.cell_secretary, date(2026, 3, 20), yes=4, no=1)
        self.assertTrue(vote.passed)
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.step, Step.COMMITTEE_DECISION)
        self.assertEqual(self.candidate.admission.cell_passed_on, date(2026, 3, 20))

    def test_it_takes_a_vote_recorded_on_the_meetings_page(self):
        from dangbo.meetings.actions import record_vote

        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2026, 3, 20))
        item = actions.put_to_cell_vote(self.candidate, meeting=meeting, by=self.cell_secretary)
        start_with_everyone(meeting, self.cell_secretary)
        record_vote(item, question="Kết nạp", yes=5, no=0, abstain=0, rule="two_thirds", by=self.cell_secretary)
        vote = actions.record_cell_result(self.candidate, by=self.cell_secretary)
        self.assertTrue(vote.passed)

    def test_without_a_vote_it_asks_for_the_counts(self):
        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2026, 3, 20))
        actions.put_to_cell_vote(self.candidate, meeting=meeting, by=self.cell_secretary)
        start_with_everyone(meeting, self.cell_secretary)
        with self.assertRaises(ValidationError) as raised:
            actions.record_cell_result(self.candidate, by=self.cell_secretary)
        self.assertIn("Chưa có kết quả biểu quyết; hãy nhập số phiếu.", self.messages(raised))


class AdmissionDecisionTest(ActionTestCase):
    def test_it_issues_a_numbered_decision_and_puts_the_member_on_the_roll(self):
        self.admitted()
        admission = self.candidate.admission
        self.assertEqual(admission.decision.display_reference, "Số 01-QĐ/ĐU")
        self.assertEqual(admission.decision.organization, self.ward)
        member = admission.member
        self.assertEqual((member.status, member.admission_date, member.organization),
                         ("probationary", date(2026, 4, 8), self.cell))
        event = StatusEvent.objects.get(member=member)
        self.assertEqual((event.effective_on, event.decision_reference), (date(2026, 4, 8), "01-QĐ/ĐU ngày 08/04/2026"))
        self.assertEqual(self.candidate.step, Step.CEREMONY)
        self.assertEqual(admission.age_months_at_decision, 333)

    def test_it_cannot_come_before_the_cells_vote(self):
        vote_in_cell(self.candidate, self.cell_secretary, date(2026, 3, 20), yes=5)
        with self.assertRaises(ValidationError) as raised:
            actions.issue_admission_decision(self.candidate, decided_on=date(2026, 3, 19), by=self.secretary)
        self.assertIn("Ngày quyết định trước ngày chi bộ xét (20/03/2026).", self.messages(raised))

    def test_over_60_needs_the_consent_dated_before_the_decision(self):
        self.candidate.date_of_birth = date(1966, 1, 10)
        self.candidate.save()
        vote_in_cell(self.candidate, self.cell_secretary, date(2026, 3, 20), yes=5)
        with self.assertRaises(ValidationError) as raised:
            actions.issue_admission_decision(self.candidate, decided_on=date(2026, 4, 8), by=self.secretary)
        self.assertIn("trên 60 tuổi khi chi bộ xét: cần văn bản đồng ý", self.messages(raised))
        actions.record_over_age_consent(self.candidate, reference="315-CV/TU", on=date(2026, 4, 9), by=self.office)
        with self.assertRaises(ValidationError):
            actions.issue_admission_decision(self.candidate, decided_on=date(2026, 4, 8), by=self.secretary)
        actions.issue_admission_decision(self.candidate, decided_on=date(2026, 4, 9), by=self.secretary)
        self.assertEqual(Member.objects.get(full_name="Nguyễn Thị Hạnh").admission_date, date(2026, 4, 9))


class CeremonyTest(ActionTestCase):
    """24-QĐ/TW §4.1: received Friday 10/04/2026; 27/04, 30/04, 01/05 are off; last day 27/05/2026."""

    def setUp(self):
        super().setUp()
        self.admitted()
        actions.record_decision_received(self.candidate, received_on=date(2026, 4, 10), by=self.cell_secretary)

    def test_the_last_allowed_working_day_needs_no_consent(self):
        admission = actions.record_ceremony(self.candidate, ceremony_on=date(2026, 5, 27), by=self.cell_secretary)
        self.assertEqual(admission.ceremony_consent_reference, "")
        self.assertEqual(admission.probation_ends_on, date(2027, 5, 27))
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.step, Step.PROBATION)

    def test_the_next_day_needs_the_superiors_consent(self):
        with self.assertRaises(ValidationError) as raised:
            actions.record_ceremony(self.candidate, ceremony_on=date(2026, 5, 28), by=self.cell_secretary)
        self.assertIn("Lễ kết nạp ngày 28/05/2026 quá thời hạn 27/05/2026", self.messages(raised))
        admission = actions.record_ceremony(self.candidate, ceremony_on=date(2026, 5, 28), by=self.cell_secretary,
                                            consent_reference="45-CV/ĐU", consent_on=date(2026, 5, 26))
        self.assertEqual(admission.ceremony_consent_reference, "45-CV/ĐU")

    def test_the_consent_comes_before_the_ceremony(self):
        with self.assertRaises(ValidationError) as raised:
            actions.record_ceremony(self.candidate, ceremony_on=date(2026, 5, 28), by=self.cell_secretary,
                                    consent_reference="45-CV/ĐU", consent_on=date(2026, 5, 29))
        self.assertIn("Văn bản đồng ý phải có trước lễ kết nạp.", self.messages(raised))

    def test_it_cannot_be_before_the_decision_arrives(self):
        with self.assertRaises(ValidationError) as raised:
            actions.record_ceremony(self.candidate, ceremony_on=date(2026, 4, 9), by=self.cell_secretary)
        self.assertIn("Lễ kết nạp trước ngày chi bộ nhận quyết định (10/04/2026).", self.messages(raised))


class RecognitionTest(ActionTestCase):
    def test_the_cell_considers_only_after_probation_ends(self):
        self.in_probation()
        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2026, 10, 2))
        with self.assertRaises(ValidationError) as raised:
            actions.put_recognition_to_vote(self.candidate, meeting=meeting, by=self.cell_secretary)
        self.assertIn("sau khi hết 12 tháng dự bị (ngày 03/10/2026)", self.messages(raised))

    def test_a_late_decision_still_makes_the_member_official_from_the_end_of_probation(self):
        self.in_probation()
        vote_in_cell(self.candidate, self.cell_secretary, date(2026, 10, 3), yes=5, recognition=True)
        document = actions.issue_recognition_decision(self.candidate, decided_on=date(2026, 11, 20), by=self.office)
        self.assertEqual(document.display_reference, "Số 02-QĐ/ĐU")
        member = self.candidate.admission.member
        member.refresh_from_db()
        self.assertEqual((member.status, member.official_date), ("official", date(2026, 10, 3)))
        event = member.status_events.order_by("-pk").first()
        self.assertEqual((event.effective_on, event.decision_reference), (date(2026, 10, 3), "02-QĐ/ĐU ngày 20/11/2026"))

    def test_after_three_failed_votes_the_superior_decides(self):
        self.in_probation()
        for day in (date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19)):
            self.assertFalse(vote_in_cell(self.candidate, self.cell_secretary, day, yes=2, no=3, recognition=True).passed)
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.step, Step.PROBATION)
        self.assertTrue(actions.superior_decides(self.candidate))
        actions.issue_recognition_decision(self.candidate, decided_on=date(2026, 11, 2), by=self.office)
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.step, Step.OFFICIAL)

    def test_the_decision_waits_for_the_cell_otherwise(self):
        self.in_probation()
        with self.assertRaises(ValidationError) as raised:
            actions.issue_recognition_decision(self.candidate, decided_on=date(2026, 11, 2), by=self.office)
        self.assertIn("Không thể ra quyết định công nhận", self.messages(raised))

    def test_removal_of_an_unfit_member_is_only_a_proposal(self):
        self.in_probation()
        actions.propose_removal_of_unfit(self.candidate, proposed_on=date(2026, 10, 10), reason="Vi phạm tư cách",
                                         reference="05-NQ/CB", by=self.cell_secretary)
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.step, Step.REMOVAL_PROPOSED)
        self.assertEqual(self.candidate.admission.member.status, "probationary")

    def test_the_helper_is_an_official_member_of_the_cell(self):
        self.in_probation()
        with self.assertRaises(ValidationError) as raised:
            actions.assign_helper(self.candidate, member=self.candidate.admission.member, on=date(2025, 10, 5),
                                  by=self.cell_secretary)
        self.assertIn("không phải đảng viên chính thức ngày 05/10/2025", self.messages(raised))
        stranger = make_member(self.school_cell, "Giáo Viên Hai")
        with self.assertRaises(ValidationError) as raised:
            actions.assign_helper(self.candidate, member=stranger, on=date(2025, 10, 5), by=self.cell_secretary)
        self.assertIn("Giáo Viên Hai không sinh hoạt ở Chi bộ Khối 1.", self.messages(raised))
        actions.assign_helper(self.candidate, member=self.officials[3], on=date(2025, 10, 5), by=self.cell_secretary)
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.helper, self.officials[3])


class DoubleSubmitTest(ActionTestCase):
    def test_the_same_meeting_takes_the_case_once(self):
        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2026, 3, 20))
        actions.put_to_cell_vote(self.candidate, meeting=meeting, by=self.cell_secretary)
        with self.assertRaises(ValidationError) as raised:
            actions.put_to_cell_vote(self.candidate, meeting=meeting, by=self.cell_secretary)
        self.assertIn("đã có trong chương trình buổi sinh hoạt này", " ".join(raised.exception.messages))

    def test_a_decision_is_issued_once(self):
        self.admitted()
        with self.assertRaises(ValidationError):
            actions.issue_admission_decision(self.candidate, decided_on=date(2026, 4, 9), by=self.secretary)
        self.assertEqual(Member.objects.filter(full_name="Nguyễn Thị Hạnh").count(), 1)

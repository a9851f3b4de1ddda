"""One candidate from proposal to official member through the actions (dates of 2025–2026)."""

from datetime import date

from dangbo.admissions import actions
from dangbo.admissions.models import Step
from dangbo.admissions.tests.factories import (
    complete_dossier, make_officials, propose, scheduled_meeting, start_with_everyone,
)
from dangbo.members.models import Member
from dangbo.test import BaseTestCase


class FlowTest(BaseTestCase):
    def test_it_takes_a_candidate_to_official(self):
        officials = make_officials(self.cell)
        candidate = propose(self.cell, self.cell_secretary)
        complete_dossier(candidate, self.cell_secretary, officials[:2])
        meeting = scheduled_meeting(self.cell, self.cell_secretary, date(2025, 9, 5))
        actions.put_to_cell_vote(candidate, meeting=meeting, by=self.cell_secretary)
        start_with_everyone(meeting, self.cell_secretary)
        vote = actions.record_cell_result(candidate, yes=5, no=0, abstain=0, by=self.cell_secretary)
        self.assertTrue(vote.passed)
        candidate.refresh_from_db()
        self.assertEqual(candidate.step, Step.COMMITTEE_DECISION)
        document = actions.issue_admission_decision(candidate, decided_on=date(2025, 9, 20), by=self.secretary)
        self.assertEqual(document.reference, "01-QĐ/ĐU")
        member = Member.objects.get(full_name="Nguyễn Thị Hạnh")
        self.assertEqual(member.status, "probationary")
        self.assertEqual(member.admission_date, date(2025, 9, 20))
        admission = actions.record_ceremony(candidate, received_on=date(2025, 9, 22), ceremony_on=date(2025, 10, 3),
                                            by=self.cell_secretary)
        self.assertEqual(admission.probation_ends_on, date(2026, 10, 3))
        meeting2 = scheduled_meeting(self.cell, self.cell_secretary, date(2026, 10, 10))
        actions.put_recognition_to_vote(candidate, meeting=meeting2, by=self.cell_secretary)
        start_with_everyone(meeting2, self.cell_secretary)
        vote = actions.record_recognition_result(candidate, yes=4, no=1, abstain=0, by=self.cell_secretary)
        self.assertTrue(vote.passed)
        document = actions.issue_recognition_decision(candidate, decided_on=date(2026, 11, 20), by=self.secretary)
        self.assertEqual(document.reference, "02-QĐ/ĐU")
        member.refresh_from_db()
        self.assertEqual(member.status, "official")
        self.assertEqual(member.official_date, date(2026, 10, 3))

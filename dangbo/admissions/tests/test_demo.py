"""The demo data loads on the test ward and puts candidates at several steps."""

from dangbo.admissions.demo import seed_admissions
from dangbo.admissions.models import Candidate, Step
from dangbo.admissions.tests.factories import make_officials
from dangbo.test import BaseTestCase


class DemoTest(BaseTestCase):
    def test_it_seeds_candidates_at_several_steps(self):
        make_officials(self.cell)
        made = seed_admissions(self.ward, by=self.office)
        self.assertEqual(len(made), 6)
        steps = set(Candidate.objects.values_list("step", flat=True))
        self.assertTrue({Step.PROPOSED, Step.COURSE, Step.DOSSIER, Step.PROBATION, Step.CEREMONY} <= steps, steps)

    def test_it_runs_once(self):
        make_officials(self.cell)
        seed_admissions(self.ward, by=self.office)
        self.assertEqual(seed_admissions(self.ward, by=self.office), [])

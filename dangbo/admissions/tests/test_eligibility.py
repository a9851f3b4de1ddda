"""Every boundary of DOMAIN §1 in the pure date functions (no database)."""

from datetime import date

from django.test import SimpleTestCase

from dangbo.admissions import eligibility as el


class AgeTest(SimpleTestCase):
    """Quy định 294-QĐ/TW §1.1: 216 ≤ completed months ≤ 720 on the day the cell considers."""

    def check(self, born, on):
        return el.check_age(born, on, min_months=216, max_months=720)

    def test_it_admits_exactly_18_years_0_months(self):
        age = self.check(date(2008, 3, 10), date(2026, 3, 10))
        self.assertEqual(age.months, 216)
        self.assertFalse(age.too_young)

    def test_it_refuses_215_months(self):
        age = self.check(date(2008, 3, 10), date(2026, 3, 9))
        self.assertEqual(age.months, 215)
        self.assertTrue(age.too_young)

    def test_it_counts_a_29_february_birthday_on_28_february(self):
        self.assertEqual(self.check(date(2008, 2, 29), date(2026, 2, 28)).months, 216)
        self.assertTrue(self.check(date(2008, 2, 29), date(2026, 2, 27)).too_young)

    def test_it_admits_exactly_60_years_0_months_without_consent(self):
        age = self.check(date(1966, 3, 10), date(2026, 3, 10))
        self.assertEqual(age.months, 720)
        self.assertFalse(age.over_limit)

    def test_it_still_admits_60_years_and_a_month_less_a_day(self):
        age = self.check(date(1966, 3, 10), date(2026, 4, 9))
        self.assertEqual(age.months, 720)
        self.assertFalse(age.over_limit)

    def test_it_needs_consent_at_721_months(self):
        age = self.check(date(1966, 3, 10), date(2026, 4, 10))
        self.assertEqual(age.months, 721)
        self.assertTrue(age.over_limit)
        self.assertEqual(age.years_and_months, (60, 1))


class YouthUnionAgeTest(SimpleTestCase):
    def test_it_runs_from_16_years_to_30_years_0_months(self):
        born = date(1996, 5, 20)
        self.assertFalse(el.in_youth_union_age(born, date(2012, 5, 19)))
        self.assertTrue(el.in_youth_union_age(born, date(2012, 5, 20)))
        self.assertTrue(el.in_youth_union_age(born, date(2026, 6, 19)))
        self.assertFalse(el.in_youth_union_age(born, date(2026, 6, 20)))


class CertificateTest(SimpleTestCase):
    """DOMAIN §1.6: valid 60 months; the issue day is not counted (Civil Code Art. 147–148)."""

    issued = date(2021, 3, 10)

    def test_its_last_valid_day_is_the_same_day_60_months_later(self):
        self.assertEqual(el.certificate_valid_until(self.issued, 60), date(2026, 3, 10))

    def test_it_is_valid_one_day_before_expiry(self):
        self.assertTrue(el.certificate_valid_on(self.issued, 60, date(2026, 3, 9)))
        self.assertTrue(el.certificate_valid_on(self.issued, 60, date(2026, 3, 10)))

    def test_it_is_expired_one_day_after(self):
        self.assertFalse(el.certificate_valid_on(self.issued, 60, date(2026, 3, 11)))

    def test_a_certificate_of_29_february_ends_on_28_february(self):
        self.assertEqual(el.certificate_valid_until(date(2024, 2, 29), 60), date(2029, 2, 28))

    def test_it_is_not_valid_before_it_is_issued(self):
        self.assertFalse(el.certificate_valid_on(self.issued, 60, date(2021, 3, 9)))


class IntroducerTest(SimpleTestCase):
    """24-QĐ/TW §3.2.1: 12 months together by the cell's meeting; §3.2.2: not for a replacement."""

    since = date(2025, 3, 10)

    def test_11_months_are_not_enough(self):
        self.assertFalse(el.introducer_months_ok(self.since, date(2026, 3, 9), 12))
        self.assertFalse(el.introducer_months_ok(self.since, date(2026, 2, 10), 12))

    def test_12_months_are(self):
        self.assertTrue(el.introducer_months_ok(self.since, date(2026, 3, 10), 12))

    def test_a_replacement_needs_no_12_months(self):
        self.assertTrue(el.introducer_months_ok(date(2026, 2, 1), date(2026, 3, 1), 12, replacement=True))

    def test_an_unknown_start_is_not_enough(self):
        self.assertFalse(el.introducer_months_ok(None, date(2026, 3, 1), 12))


class CeremonyTest(SimpleTestCase):
    """24-QĐ/TW §4.1: within 30 working days after the cell receives the decision."""

    def test_it_skips_hung_kings_and_30_4_1_5(self):
        # Received Friday 10/04/2026: 27/04 (Hùng Kings, observed), 30/04 and 01/05 are days off,
        # so the 30th working day is Wednesday 27/05/2026, not Friday 22/05.
        self.assertEqual(el.ceremony_deadline(date(2026, 4, 10), 30), date(2026, 5, 27))

    def test_it_skips_tet(self):
        # Received Monday 02/02/2026: Tết takes 16–20/02, the 30th working day is 23/03/2026.
        self.assertEqual(el.ceremony_deadline(date(2026, 2, 2), 30), date(2026, 3, 23))


class ProbationTest(SimpleTestCase):
    def test_it_lasts_12_months_from_the_ceremony(self):
        self.assertEqual(el.probation_ends_on(date(2025, 5, 19), 12), date(2026, 5, 19))
        self.assertEqual(el.probation_ends_on(date(2024, 2, 29), 12), date(2025, 2, 28))

    def test_recognition_is_due_30_working_days_after_the_end(self):
        self.assertEqual(el.recognition_deadline(date(2026, 4, 10), 30), date(2026, 5, 27))


class DossierTest(SimpleTestCase):
    """Hướng dẫn 01-HD/TW (DOMAIN §1.7): more than 12 months after compiling, redo the letters."""

    fixed = [date(2025, 1, 10), date(2025, 2, 1), date(2025, 6, 15)]
    renewable = [date(2025, 1, 5), date(2025, 3, 1)]

    def test_it_is_compiled_when_the_last_fixed_paper_is_in(self):
        self.assertEqual(el.dossier_compiled_on(self.fixed, self.renewable), date(2025, 6, 15))

    def test_it_is_not_compiled_while_a_paper_is_missing(self):
        self.assertIsNone(el.dossier_compiled_on(self.fixed[:2] + [None], self.renewable))
        self.assertIsNone(el.dossier_compiled_on(self.fixed, []))

    def test_it_turns_stale_the_day_after_12_months(self):
        compiled = date(2025, 6, 15)
        self.assertEqual(el.dossier_stale_after(compiled, 12), date(2026, 6, 15))
        self.assertFalse(el.is_stale(compiled, 12, date(2026, 6, 15)))
        self.assertTrue(el.is_stale(compiled, 12, date(2026, 6, 16)))

    def test_redoing_one_letter_of_two_does_not_refresh_it(self):
        compiled = el.dossier_compiled_on(self.fixed, [date(2026, 7, 1), date(2025, 3, 1)])
        self.assertTrue(el.is_stale(compiled, 12, date(2026, 7, 2)))

    def test_redoing_every_letter_and_comment_refreshes_it(self):
        compiled = el.dossier_compiled_on(self.fixed, [date(2026, 7, 1), date(2026, 7, 2)])
        self.assertEqual(compiled, date(2026, 7, 1))
        self.assertFalse(el.is_stale(compiled, 12, date(2027, 7, 1)))
        self.assertTrue(el.is_stale(compiled, 12, date(2027, 7, 2)))

    def test_only_old_papers_need_redoing(self):
        self.assertTrue(el.item_needs_redoing(date(2025, 3, 1), 12, date(2026, 7, 2)))
        self.assertFalse(el.item_needs_redoing(date(2026, 7, 1), 12, date(2026, 7, 2)))


class EducationTest(SimpleTestCase):
    def test_a_diploma_or_a_recorded_exception(self):
        self.assertTrue(el.education_ok(lower_secondary_diploma=True, exception=""))
        self.assertTrue(el.education_ok(lower_secondary_diploma=False, exception="Xã đặc biệt khó khăn, HD 01"))
        self.assertFalse(el.education_ok(lower_secondary_diploma=False, exception="  "))

"""Tests for rule(): versions by date, overrides by subtree, the cache."""

from datetime import date, datetime
from fractions import Fraction

from django.db import transaction

from dangbo.rules import lookup
from dangbo.rules.lookup import RuleMissing, citation, fraction, rule, rule_or_none
from dangbo.rules.models import Rule, RuleOverride
from dangbo.test import BaseTestCase


class VersionTest(BaseTestCase):
    def test_it_switches_regulation_at_both_boundaries(self):
        # 24-QĐ/TW until 19/01/2025, 232-QĐ/TW until 30/06/2025, 294-QĐ/TW from 01/07/2025.
        self.assertIn("24-QĐ/TW", citation("admission.min_age_months", date(2025, 1, 19)))
        self.assertIn("232-QĐ/TW", citation("admission.min_age_months", date(2025, 1, 20)))
        self.assertIn("232-QĐ/TW", citation("admission.min_age_months", date(2025, 6, 30)))
        self.assertIn("294-QĐ/TW", citation("admission.min_age_months", date(2025, 7, 1)))
        for day in (date(2025, 6, 30), date(2025, 7, 1)):
            self.assertEqual(rule("admission.min_age_months", day), 216)
            self.assertEqual(rule("admission.max_age_months", day), 720)

    def test_it_changes_the_value_on_the_day_the_new_version_starts(self):
        key = "fee.other_working_age_rate_percent"
        self.assertEqual(rule(key, date(2026, 2, 1)), 0.3)
        self.assertEqual(rule(key, date(2027, 12, 31)), 0.3)
        self.assertEqual(rule(key, date(2028, 1, 1)), 0.5)
        self.assertEqual(rule("fee.other_retirement_age_rate_percent", date(2027, 12, 31)), 0.2)
        self.assertEqual(rule("fee.other_retirement_age_rate_percent", date(2028, 1, 1)), 0.3)

    def test_it_applies_the_old_fee_regulation_until_31_01_2026(self):
        self.assertIn("342-QĐ/TW", citation("fee.salary_rate_percent", date(2026, 1, 31)))
        self.assertIn("01-QĐ/TW", citation("fee.salary_rate_percent", date(2026, 2, 1)))
        self.assertEqual(rule("fee.pension_rate_percent", date(2026, 1, 31)), 0.5)
        self.assertEqual(rule("fee.other_min_vnd", date(2026, 1, 31)), 2000)
        with self.assertRaises(RuleMissing):
            rule("fee.other_min_vnd", date(2026, 2, 1))
        with self.assertRaises(RuleMissing):
            rule("fee.student_vnd", date(2026, 1, 31))
        self.assertEqual(rule("fee.student_vnd", date(2026, 2, 1)), 5000)

    def test_it_gives_none_where_no_version_covers_the_date(self):
        self.assertIsNone(rule_or_none("fee.student_vnd", date(2026, 1, 31)))
        self.assertEqual(rule_or_none("fee.student_vnd", date(2026, 2, 1)), 5000)

    def test_it_raises_rule_missing_with_key_and_date(self):
        with self.assertRaises(RuleMissing) as caught:
            rule("admission.min_age_months", date(2020, 1, 1))
        self.assertIsInstance(caught.exception, LookupError)
        self.assertEqual(caught.exception.key, "admission.min_age_months")
        self.assertEqual(caught.exception.on, date(2020, 1, 1))
        self.assertIn("01/01/2020", str(caught.exception))
        with self.assertRaises(RuleMissing):
            rule("no.such_rule", date(2026, 1, 1))

    def test_it_requires_the_date_of_the_event(self):
        with self.assertRaises(TypeError):
            rule("admission.min_age_months")  # noqa: the date is required on purpose
        with self.assertRaises(TypeError):
            rule("admission.min_age_months", None)

    def test_it_accepts_a_datetime(self):
        self.assertEqual(rule("admission.probation_months", datetime(2026, 3, 1, 9, 30)), 12)

    def test_it_returns_fractions(self):
        self.assertEqual(fraction("admission.vote_min_fraction", date(2026, 1, 1)), Fraction(2, 3))
        self.assertEqual(fraction("meeting.resolution_above_fraction", date(2026, 1, 1)), Fraction(1, 2))
        self.assertEqual(fraction("fee.pension_rate_percent", date(2026, 3, 1)), Fraction(1, 2))


class OverrideLookupTest(BaseTestCase):
    KEY = "removal.month_counting"  # CFG
    ON = date(2026, 3, 1)

    def override(self, org, value, key=None, valid_from=date(2026, 1, 1), valid_to=None):
        return RuleOverride.objects.create(key=key or self.KEY, organization=org, value=value,
                                           valid_from=valid_from, valid_to=valid_to, reason="Nghị quyết thử")

    def test_it_applies_an_override_to_its_subtree_only(self):
        self.override(self.ward, "consecutive")
        self.assertEqual(rule(self.KEY, self.ON, org=self.ward), "consecutive")
        self.assertEqual(rule(self.KEY, self.ON, org=self.cell), "consecutive")
        self.assertEqual(rule(self.KEY, self.ON, org=self.school_cell), "consecutive")
        self.assertEqual(rule(self.KEY, self.ON, org=self.other_cell), "cumulative")
        self.assertEqual(rule(self.KEY, self.ON, org=self.province), "cumulative")
        self.assertEqual(rule(self.KEY, self.ON), "cumulative")

    def test_it_ignores_an_override_outside_its_dates(self):
        self.override(self.ward, "consecutive", valid_from=date(2026, 2, 1), valid_to=date(2026, 2, 28))
        self.assertEqual(rule(self.KEY, date(2026, 1, 31), org=self.cell), "cumulative")
        self.assertEqual(rule(self.KEY, date(2026, 2, 1), org=self.cell), "consecutive")
        self.assertEqual(rule(self.KEY, date(2026, 2, 28), org=self.cell), "consecutive")
        self.assertEqual(rule(self.KEY, date(2026, 3, 1), org=self.cell), "cumulative")

    def test_it_ignores_overrides_of_rules_that_are_not_configurable(self):
        self.override(self.ward, 200, key="admission.min_age_months")
        self.assertEqual(rule("admission.min_age_months", self.ON, org=self.cell), 216)

    def test_it_lets_the_nearest_override_win(self):
        key = "discipline.statute_reprimand_months"
        self.override(self.province, 72, key=key)
        self.override(self.ward, 48, key=key)
        self.assertEqual(rule(key, self.ON, org=self.cell), 48)
        self.assertEqual(rule(key, self.ON, org=self.ward), 48)
        self.assertEqual(rule(key, self.ON, org=self.other_cell), 72)
        self.assertEqual(rule(key, self.ON, org=self.province), 72)
        self.assertEqual(rule(key, self.ON), 60)


class CacheTest(BaseTestCase):
    def setUp(self):
        # Nothing in this class has changed a rule yet, so the database holds only
        # committed rows and the cache may be filled.
        lookup._pending = None
        lookup.clear_cache()

    def test_it_serves_repeated_lookups_from_memory(self):
        rule("admission.probation_months", date(2026, 1, 1))
        with self.assertNumQueries(0):
            for _ in range(20):
                rule("admission.probation_months", date(2026, 1, 1))
                rule("removal.month_counting", date(2026, 1, 1), org=self.cell)

    def test_it_sees_a_change_at_once(self):
        key = "evaluation.excellent_cap_percent"
        self.assertEqual(rule(key, date(2026, 1, 1), org=self.cell), 20)
        override = RuleOverride.objects.create(key=key, organization=self.ward, value=15,
                                               valid_from=date(2025, 12, 1), reason="Nghị quyết thử")
        self.assertEqual(rule(key, date(2026, 1, 1), org=self.cell), 15)
        override.value = 10
        override.save()
        self.assertEqual(rule(key, date(2026, 1, 1), org=self.cell), 10)
        override.delete()
        self.assertEqual(rule(key, date(2026, 1, 1), org=self.cell), 20)

    def test_it_sees_a_new_version(self):
        Rule.objects.filter(key="meeting.min_minutes").update(valid_to=date(2026, 12, 31))
        lookup.clear_cache()  # update() sends no signal
        Rule.objects.create(key="meeting.min_minutes", value=100, unit="minutes", title="Thử",
                            source_document="Hướng dẫn thử", mark="V", valid_from=date(2027, 1, 1))
        self.assertEqual(rule("meeting.min_minutes", date(2026, 12, 31)), 90)
        self.assertEqual(rule("meeting.min_minutes", date(2027, 1, 1)), 100)

    def test_it_forgets_a_rolled_back_change(self):
        key = "evaluation.excellent_cap_percent"
        try:
            with transaction.atomic():
                RuleOverride.objects.create(key=key, organization=self.ward, value=15,
                                            valid_from=date(2025, 12, 1), reason="Nghị quyết thử")
                self.assertEqual(rule(key, date(2026, 1, 1), org=self.cell), 15)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        self.assertEqual(rule(key, date(2026, 1, 1), org=self.cell), 20)

    def test_it_caches_again_once_the_changing_transaction_is_over(self):
        lookup._pending = ("default", object())  # a block no longer on the stack
        rule("admission.probation_months", date(2026, 1, 1))
        self.assertIsNone(lookup._pending)
        with self.assertNumQueries(0):
            rule("admission.probation_months", date(2026, 1, 1))

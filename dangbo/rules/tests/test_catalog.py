"""Tests for the rule catalog, its loader and the load_rules command."""

from datetime import date
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command

from dangbo.rules.catalog import RULES, CatalogError, check_catalog, entry, CHARTER
from dangbo.rules.loader import sync_catalog
from dangbo.rules.models import Rule, RuleOverride
from dangbo.test import BaseTestCase

# Numbers the brief and DOMAIN.md require, on a date the current version is in force.
REQUIRED = {
    "admission.min_age_months": 216,
    "admission.max_age_months": 720,
    "admission.awareness_certificate_months": 60,
    "admission.dossier_stale_months": 12,
    "admission.vote_min_fraction": "2/3",
    "admission.ceremony_working_days": 30,
    "admission.probation_months": 12,
    "admission.recognition_working_days": 30,
    "admission.introducer_months_together": 12,
    "admission.readmission_min_months": 36,
    "admission.readmission_after_conviction_months": 60,
    "removal.unexcused_absent_months_per_year": 3,
    "removal.unpaid_fee_months_per_year": 3,
    "removal.month_counting": "cumulative",
    "transfer.start_working_days": 60,
    "transfer.present_letter_working_days": 30,
    "transfer.temporary_min_months": 3,
    "transfer.temporary_below_months": 12,
    "transfer.training_max_months": 24,
    "exemption.elderly_men_age_years": 60,
    "exemption.elderly_women_age_years": 55,
    "residence.meeting_interval_months": 6,
    "residence.comment_interval_months": 12,
    "meeting.regular_interval_months": 1,
    "meeting.thematic_per_quarter_min": 1,
    "meeting.min_minutes": 90,
    "meeting.combined_min_minutes": 120,
    "meeting.materials_days_before": 1,
    "meeting.resolution_above_fraction": "1/2",
    "meeting.cell_committee_min_official_members": 9,
    "evaluation.excellent_min_points": 90,
    "evaluation.good_min_points": 70,
    "evaluation.completed_min_points": 50,
    "evaluation.excellent_cap_percent": 20,
    "discipline.statute_reprimand_months": 60,
    "discipline.statute_warning_months": 120,
    "reception.commune_days_per_month": 2,
    "reception.answer_working_days": 10,
    "fee.salary_rate_percent": 1,
    "fee.pension_rate_percent": 0.5,
    "fee.student_vnd": 5000,
    "fee.exempt_party_age_years": 50,
    "confidence.low_dismiss_min_fraction": "2/3",
    "confidence.attendance_min_fraction": "2/3",
    "congress.notice_working_days": 30,
}
CONFIGURABLE = {
    "removal.month_counting", "exemption.elderly_men_age_years", "exemption.elderly_women_age_years",
    "meeting.thematic_per_quarter_min", "evaluation.excellent_cap_percent",
    "discipline.statute_reprimand_months", "discipline.statute_warning_months",
}


class CatalogTest(BaseTestCase):
    def test_it_is_loaded_by_the_migration(self):
        self.assertEqual(Rule.objects.count(), len(RULES))

    def test_it_has_every_required_number(self):
        on = date(2026, 3, 1)
        for key, value in REQUIRED.items():
            version = Rule.objects.in_force(on).get(key=key)
            self.assertEqual(version.value, value, key)
        for key in CONFIGURABLE:
            self.assertTrue(Rule.objects.in_force(on).get(key=key).configurable, key)

    def test_it_gives_every_rule_a_source(self):
        for r in Rule.objects.all():
            self.assertTrue(r.source_document.strip(), r.key)
            self.assertTrue(r.title.strip(), r.key)
            self.assertTrue(r.domain_ref.startswith("DOMAIN §"), r.key)
            self.assertIn(r.mark, ("V", "R", "CFG"), r.key)
            self.assertEqual(r.configurable, r.mark == "CFG", r.key)

    def test_it_has_no_overlapping_versions(self):
        check_catalog(RULES)
        for r in Rule.objects.all():
            r.full_clean()

    def test_it_seeds_both_fee_regulations(self):
        old = Rule.objects.get(key="fee.salary_rate_percent", valid_to=date(2026, 1, 31))
        new = Rule.objects.get(key="fee.salary_rate_percent", valid_from=date(2026, 2, 1))
        self.assertIn("342-QĐ/TW", old.source_document)
        self.assertIn("01-QĐ/TW", new.source_document)

    def test_it_loads_idempotently(self):
        report = sync_catalog()
        self.assertEqual(report.created, [])
        self.assertEqual(report.updated, [])
        self.assertEqual(report.stale, [])
        self.assertEqual(report.unchanged, len(RULES))
        sync_catalog()
        self.assertEqual(Rule.objects.count(), len(RULES))

    def test_it_restores_titles_and_sources(self):
        Rule.objects.filter(key="admission.probation_months").update(title="sửa tay", source_section="?")
        report = sync_catalog()
        self.assertEqual(len(report.updated), 1)
        r = Rule.objects.get(key="admission.probation_months")
        self.assertEqual(r.source_section, "Điều 5 khoản 1")
        self.assertNotEqual(r.title, "sửa tay")

    def test_it_adds_new_versions(self):
        extra = entry("admission.probation_months", 12, "months", "Thử", CHARTER, "Điều 5", "DOMAIN §1.11", "V",
                      valid_from=date(2030, 1, 1))
        entries = [
            {**e, "valid_to": date(2029, 12, 31)} if e["key"] == "admission.probation_months" else e for e in RULES
        ] + [extra]
        report = sync_catalog(entries=entries)
        self.assertEqual(len(report.created), 1)
        self.assertEqual(Rule.objects.filter(key="admission.probation_months").count(), 2)

    def test_it_never_deletes_overrides_or_rules(self):
        Rule.objects.create(key="removal.old_rule", value=1, unit="count", title="Cũ", source_document="Cũ",
                            mark="CFG", configurable=True, valid_from=date(2020, 1, 1))
        RuleOverride.objects.create(key="removal.old_rule", organization=self.ward, value=2,
                                    valid_from=date(2020, 1, 1), reason="Nghị quyết cũ")
        RuleOverride.objects.create(key="removal.month_counting", organization=self.ward, value="consecutive",
                                    valid_from=date(2026, 1, 1), reason="Nghị quyết thử")
        report = sync_catalog()
        self.assertEqual(report.stale, ["removal.old_rule (01/01/2020)"])
        self.assertEqual(RuleOverride.objects.count(), 2)
        self.assertTrue(Rule.objects.filter(key="removal.old_rule").exists())

    def test_it_refuses_overlapping_versions(self):
        overlapping = entry("admission.probation_months", 6, "months", "Thử", CHARTER, "", "DOMAIN §1.11", "V",
                            valid_from=date(2020, 1, 1))
        with self.assertRaises(CatalogError):
            check_catalog(RULES + [overlapping])
        with self.assertRaises(CatalogError):
            sync_catalog(entries=RULES + [overlapping])
        r = Rule(key="admission.probation_months", value=6, unit="months", title="Thử", source_document="Thử",
                 mark="V", valid_from=date(2020, 1, 1))
        with self.assertRaises(ValidationError):
            r.full_clean()

    def test_it_refuses_a_configurable_rule_not_marked_cfg(self):
        bad = {**RULES[0], "configurable": True}
        with self.assertRaises(CatalogError):
            check_catalog([bad])

    def test_it_runs_as_a_command(self):
        out = StringIO()
        call_command("load_rules", stdout=out)
        self.assertIn(f"giữ nguyên {len(RULES)}", out.getvalue())

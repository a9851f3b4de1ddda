"""Tests for the office's list of rules in force."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangbo.rules.models import Rule, RuleOverride
from dangbo.test import BaseTestCase


class RuleListTest(BaseTestCase):
    URL = "/rules/"

    def test_it_shows_rules_with_their_sources_to_the_office(self):
        self.client.force_login(self.office)
        r = self.client.get(self.URL, {"on": "01/03/2026"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Kết nạp, dự bị, công nhận đảng viên chính thức")
        self.assertContains(r, "Tuổi đời tối thiểu")
        self.assertContains(r, "Quy định 294-QĐ/TW ngày 26/5/2025")
        self.assertContains(r, "§1.1")
        self.assertContains(r, "216 tháng")
        self.assertContains(r, "2/3")
        self.assertContains(r, "0,5%")
        self.assertContains(r, "5.000 đồng")
        self.assertContains(r, "DOMAIN §1.1")
        self.assertContains(r, "/rules/removal.month_counting/override/")
        self.assertNotContains(r, "/rules/admission.min_age_months/override/")

    def test_it_shows_the_secretary_too(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(self.URL).status_code, 200)

    def test_it_hides_itself_from_those_who_do_not_manage(self):
        for user in (self.cell_secretary, self.member, self.citizen, self.readonly):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.URL).status_code, 404, user.username)

    def test_it_requires_login(self):
        r = self.client.get(self.URL)
        self.assertEqual(r.status_code, 302)
        self.assertIn("/accounts/", r["Location"])

    def test_it_shows_the_version_in_force_on_the_date_asked(self):
        self.client.force_login(self.office)
        r = self.client.get(self.URL, {"on": "15/3/2024"})
        self.assertContains(r, "Quy định 24-QĐ/TW ngày 30/7/2021")
        self.assertNotContains(r, "Quy định 294-QĐ/TW")
        self.assertContains(r, "Quy định 342-QĐ/TW ngày 28/12/2010")
        self.assertNotContains(r, "Quy định 01-QĐ/TW ngày 3/2/2026")
        r = self.client.get(self.URL, {"on": "01/01/2028"})
        self.assertContains(r, "Quy định 01-QĐ/TW ngày 3/2/2026")
        self.assertNotContains(r, "Quy định 342-QĐ/TW")

    def test_it_shows_every_version_when_asked(self):
        self.client.force_login(self.office)
        r = self.client.get(self.URL, {"all": "on"})
        self.assertContains(r, "Quy định 24-QĐ/TW ngày 30/7/2021")
        self.assertContains(r, "Quy định 294-QĐ/TW ngày 26/5/2025")

    def test_it_filters_by_text_without_accents(self):
        self.client.force_login(self.office)
        r = self.client.get(self.URL, {"q": "tuoi doi", "on": "01/03/2026"})
        self.assertContains(r, "Tuổi đời tối thiểu")
        self.assertNotContains(r, "lương hưu")
        r = self.client.get(self.URL, {"q": "ĐẢNG PHÍ", "on": "01/03/2026"})
        self.assertContains(r, "lương hưu")
        self.assertNotContains(r, "Tuổi đời tối thiểu")

    def test_it_explains_a_bad_date_in_vietnamese(self):
        self.client.force_login(self.office)
        r = self.client.get(self.URL, {"on": "31/02/2026"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Ngày không hợp lệ: 31/02/2026")
        self.assertContains(r, "Tuổi đời tối thiểu")

    def test_it_shows_overrides_of_the_users_organizations_only(self):
        RuleOverride.objects.create(key="removal.month_counting", organization=self.ward, value="consecutive",
                                    valid_from=date(2026, 1, 1), reason="Nghị quyết 01")
        RuleOverride.objects.create(key="removal.month_counting", organization=self.other_ward,
                                    value="consecutive", valid_from=date(2026, 1, 1), reason="Nghị quyết 02")
        self.client.force_login(self.office)
        r = self.client.get(self.URL, {"on": "01/03/2026"})
        self.assertContains(r, "Đảng bộ phường Vinh Hưng: Liên tục")
        self.assertNotContains(r, "Đảng bộ phường Thành Vinh")

    def test_it_does_not_query_per_rule(self):
        self.client.force_login(self.office)
        RuleOverride.objects.create(key="removal.month_counting", organization=self.ward, value="consecutive",
                                    valid_from=date(2026, 1, 1), reason="Nghị quyết 01")
        with CaptureQueriesContext(connection) as before:
            self.client.get(self.URL, {"on": "01/03/2026"})
        for i in range(10):
            Rule.objects.create(key=f"meeting.extra_{i}", value=i, unit="count", title=f"Thêm {i}",
                                source_document="Hướng dẫn thử", mark="CFG", configurable=True,
                                valid_from=date(2025, 1, 1))
            RuleOverride.objects.create(key=f"meeting.extra_{i}", organization=self.ward, value=i + 1,
                                        valid_from=date(2026, 1, 1), reason="Nghị quyết thử")
        with self.assertNumQueries(len(before)):
            r = self.client.get(self.URL, {"on": "01/03/2026"})
        self.assertContains(r, "Thêm 9")

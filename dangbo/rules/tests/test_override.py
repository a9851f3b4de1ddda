"""Tests for an organization's own value of a configurable rule."""

from datetime import date

from dangbo.rules.lookup import rule
from dangbo.rules.models import RuleOverride
from dangbo.test import BaseTestCase


class OverrideTest(BaseTestCase):
    KEY = "removal.month_counting"

    def url(self, key=None, org=None):
        url = f"/rules/{key or self.KEY}/override/"
        return f"{url}?org={org.pk}" if org else url

    def data(self, **changes):
        return {"organization": self.ward.pk, "value": "consecutive", "valid_from": "01/01/2026",
                "valid_to": "", "reason": "Nghị quyết 09-NQ/ĐU ngày 5/1/2026", **changes}

    def test_it_shows_the_form_with_the_users_committees(self):
        self.client.force_login(self.office)
        r = self.client.get(self.url(org=self.ward))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Cách đếm số tháng")
        self.assertContains(r, f'<option value="{self.ward.pk}" selected>')
        self.assertNotContains(r, "Đảng bộ phường Thành Vinh")
        self.assertNotContains(r, "Chi bộ Khối 1</option>")

    def test_it_saves_an_override_with_who_made_it(self):
        self.client.force_login(self.office)
        r = self.client.post(self.url(org=self.ward), self.data())
        self.assertRedirects(r, self.url(org=self.ward))
        override = RuleOverride.objects.get(key=self.KEY, organization=self.ward)
        self.assertEqual(override.value, "consecutive")
        self.assertEqual(override.valid_from, date(2026, 1, 1))
        record = override.history.get()
        self.assertEqual(record.history_user, self.office)
        self.assertEqual(rule(self.KEY, date(2026, 3, 1), org=self.cell), "consecutive")
        self.assertEqual(rule(self.KEY, date(2026, 3, 1), org=self.other_cell), "cumulative")

    def test_it_shows_the_history_old_to_new(self):
        self.client.force_login(self.office)
        self.client.post(self.url(org=self.ward), self.data())
        self.client.force_login(self.secretary)
        self.client.post(self.url(org=self.ward), self.data(value="cumulative", reason="Nghị quyết 10-NQ/ĐU"))
        override = RuleOverride.objects.get(key=self.KEY, organization=self.ward)
        self.assertEqual(override.value, "cumulative")
        self.assertEqual([h.history_user for h in override.history.order_by("history_id")],
                         [self.office, self.secretary])
        r = self.client.get(self.url(org=self.ward))
        self.assertContains(r, "«Liên tục» → «Cộng dồn trong năm»")
        self.assertContains(r, "Trần Thị Lan")
        self.assertContains(r, "Nguyễn Văn Hùng")

    def test_it_ends_the_previous_open_override(self):
        self.client.force_login(self.office)
        self.client.post(self.url(org=self.ward), self.data())
        self.client.post(self.url(org=self.ward), self.data(value="cumulative", valid_from="01/07/2026"))
        first, second = RuleOverride.objects.filter(key=self.KEY, organization=self.ward).order_by("valid_from")
        self.assertEqual(first.valid_to, date(2026, 6, 30))
        self.assertIsNone(second.valid_to)
        self.assertEqual(rule(self.KEY, date(2026, 6, 30), org=self.cell), "consecutive")
        self.assertEqual(rule(self.KEY, date(2026, 7, 1), org=self.cell), "cumulative")

    def test_it_requires_write_access(self):
        # The province's read-only user sees the ward but may not manage it.
        self.client.force_login(self.readonly)
        r = self.client.post(self.url(org=self.ward), self.data())
        self.assertEqual(r.status_code, 403)
        self.client.force_login(self.cell_secretary)
        r = self.client.post(self.url(org=self.cell), self.data(organization=self.cell.pk))
        self.assertEqual(r.status_code, 403)
        self.assertFalse(RuleOverride.objects.exists())

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url(org=self.ward)).status_code, 404)
        self.assertEqual(self.client.post(self.url(org=self.ward), self.data()).status_code, 404)
        self.assertFalse(RuleOverride.objects.exists())

    def test_it_refuses_another_wards_organization_in_the_form(self):
        self.client.force_login(self.outsider)
        r = self.client.post(self.url(org=self.other_ward), self.data())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "errorlist")
        self.assertFalse(RuleOverride.objects.exists())

    def test_it_hides_the_page_from_those_who_manage_nothing(self):
        for user in (self.member, self.citizen, self.cell_secretary):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 404, user.username)

    def test_it_gives_404_for_an_unknown_rule(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(self.url(key="no.such_rule", org=self.ward)).status_code, 404)

    def test_it_rejects_overriding_a_rule_set_by_the_centre(self):
        self.client.force_login(self.office)
        url = self.url(key="admission.min_age_months", org=self.ward)
        r = self.client.get(url)
        self.assertContains(r, "đơn vị không được điều chỉnh riêng")
        r = self.client.post(url, self.data(value="200"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "đơn vị không được điều chỉnh riêng")
        self.assertFalse(RuleOverride.objects.exists())

    def test_it_names_the_field_of_a_bad_value(self):
        self.client.force_login(self.office)
        r = self.client.post(self.url(key="discipline.statute_reprimand_months", org=self.ward),
                             self.data(value="năm năm"))
        self.assertContains(r, "Giá trị phải là số nguyên không âm, ví dụ 60.")
        r = self.client.post(self.url(key="evaluation.excellent_cap_percent", org=self.ward),
                             self.data(value="150"))
        self.assertContains(r, "Giá trị phải từ 0 đến 100 (%).")
        r = self.client.post(self.url(org=self.ward), self.data(valid_from="31/02/2026"))
        self.assertContains(r, "Ngày không hợp lệ: 31/02/2026, hãy nhập theo dạng dd/mm/yyyy")
        r = self.client.post(self.url(org=self.ward), self.data(valid_to="01/12/2025"))
        self.assertContains(r, "Ngày kết thúc trước ngày bắt đầu.")
        self.assertFalse(RuleOverride.objects.exists())

    def test_it_accepts_a_decimal_comma(self):
        self.client.force_login(self.office)
        r = self.client.post(self.url(key="evaluation.excellent_cap_percent", org=self.ward),
                             self.data(value="12,5"))
        self.assertEqual(r.status_code, 302)
        self.assertEqual(rule("evaluation.excellent_cap_percent", date(2026, 3, 1), org=self.cell), 12.5)

    def test_it_refuses_a_date_before_the_rule_exists(self):
        self.client.force_login(self.office)
        r = self.client.post(self.url(key="discipline.statute_reprimand_months", org=self.ward),
                             self.data(value="48", valid_from="01/01/2020"))
        self.assertContains(r, "chưa có hiệu lực hoặc đã hết hiệu lực")
        self.assertFalse(RuleOverride.objects.exists())

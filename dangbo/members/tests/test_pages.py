"""Registry pages: list, search, filters, detail tabs, own profile, corrections, statistics."""

from datetime import date
from unittest.mock import patch

from django.db import connection
from django.urls import reverse
from django.test.utils import CaptureQueriesContext

from dangbo.lib.pagination import BoundedPaginator
from dangbo.members.actions import create_member, record_status
from dangbo.members.models import CorrectionRequest
from dangbo.test import BaseTestCase


def add(cell, by, name="Nguyễn Văn An", **extra):
    fields = dict(full_name=name, sex="male", date_of_birth=date(1980, 1, 1), admission_date=date(2005, 5, 19),
                  official_date=date(2006, 5, 19), status="official")
    fields.update(extra)
    return create_member(organization=cell, by=by, **fields)


class MemberListTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.an = add(cls.cell, cls.office, "Nguyễn Văn An", card_number="10000001", citizen_id="040080123456")
        cls.binh = add(cls.school_cell, cls.office, "Trần Thị Bình", sex="female", date_of_birth=date(2000, 3, 3),
                       theory_level="intermediate")
        cls.far = add(cls.other_cell, cls.outsider, "Nguyễn Văn Xa")

    def test_it_lists_the_ward_subtree_only(self):
        self.client.force_login(self.secretary)
        r = self.client.get(f"/members/?org={self.ward.pk}")
        self.assertContains(r, "Nguyễn Văn An")
        self.assertContains(r, "Trần Thị Bình")
        self.assertNotContains(r, "Nguyễn Văn Xa")

    def test_it_finds_names_typed_without_accents(self):
        self.client.force_login(self.secretary)
        r = self.client.get(f"/members/?org={self.ward.pk}&q=nguyen+van")
        self.assertContains(r, "Nguyễn Văn An")
        self.assertNotContains(r, "Trần Thị Bình")

    def test_it_finds_by_card_number_and_cccd(self):
        self.client.force_login(self.secretary)
        self.assertContains(self.client.get(f"/members/?org={self.ward.pk}&q=10000001"), "Nguyễn Văn An")
        self.assertContains(self.client.get(f"/members/?org={self.ward.pk}&q=040080123456"), "Nguyễn Văn An")

    def test_it_filters_by_sex_age_theory_and_cell_category(self):
        self.client.force_login(self.secretary)
        base = f"/members/?org={self.ward.pk}"
        self.assertNotContains(self.client.get(base + "&sex=female"), "Nguyễn Văn An")
        self.assertContains(self.client.get(base + "&age=lt30"), "Trần Thị Bình")
        self.assertNotContains(self.client.get(base + "&age=lt30"), "Nguyễn Văn An")
        self.assertContains(self.client.get(base + "&theory=intermediate"), "Trần Thị Bình")
        self.assertNotContains(self.client.get(base + "&category=school"), "Nguyễn Văn An")

    def test_it_hides_left_members_unless_asked(self):
        record_status(self.an, status="deceased", effective_on=date(2026, 1, 5), by=self.office)
        self.client.force_login(self.secretary)
        self.assertNotContains(self.client.get(f"/members/?org={self.ward.pk}"), "Nguyễn Văn An")
        self.assertContains(self.client.get(f"/members/?org={self.ward.pk}&status=all"), "Nguyễn Văn An")

    def test_it_returns_404_for_another_wards_list(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(f"/members/?org={self.other_ward.pk}").status_code, 404)
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get("/members/").status_code, 404)

    def test_it_keeps_the_query_count_flat_as_rows_grow(self):
        self.client.force_login(self.secretary)
        url = f"/members/?org={self.ward.pk}"
        self.client.get(url)
        with self.assertNumQueries(7):
            self.client.get(url)
        for i in range(30):
            add(self.cell, self.office, f"Lê Văn {i}")
        with self.assertNumQueries(7):
            r = self.client.get(url)
        self.assertContains(r, "32 đảng viên")

    def test_it_pages_by_fifty(self):
        for i in range(55):
            add(self.cell, self.office, f"Lê Văn {i:02d}")
        self.client.force_login(self.secretary)
        r = self.client.get(f"/members/?org={self.ward.pk}")
        self.assertEqual(len(r.context["page"].object_list), 50)
        self.assertContains(r, "Trang 1/2")

    def test_it_counts_a_wide_search_only_up_to_a_bound(self):
        for i in range(6):
            add(self.cell, self.office, f"Lê Văn {i}")
        self.client.force_login(self.secretary)
        search = f"/members/?org={self.ward.pk}&q=le+van"
        with patch.object(BoundedPaginator, "bound", 4), patch("dangbo.members.views.PAGE_SIZE", 2):
            with CaptureQueriesContext(connection) as queries:
                r = self.client.get(search)
            self.assertContains(r, "hơn 4 đảng viên")
            self.assertContains(r, "Trang 1/2")
            # One query takes the first bound + 1 matches, unordered; none counts or sorts them all.
            sqls = [q["sql"].upper() for q in queries.captured_queries if "SEARCH_KEY" in q["sql"].upper()]
            self.assertFalse([s for s in sqls if "COUNT(" in s])
            self.assertEqual(len([s for s in sqls if "LIMIT 5" in s]), 1)
            shown = [m.search_key for m in r.context["page"].object_list]
            self.assertEqual(shown, sorted(shown))
            # The pages run to the bound.
            last = self.client.get(search + "&page=2")
            self.assertEqual(len(last.context["page"].object_list), 2)
            self.assertFalse(last.context["page"].has_next())
            # Up to the bound the count is exact, and a list without a search is always exact.
            self.assertContains(self.client.get(f"/members/?org={self.ward.pk}&q=nguyen"), "1 đảng viên")
            self.assertContains(self.client.get(f"/members/?org={self.ward.pk}"), "8 đảng viên")
            self.client.cookies["django_language"] = "en"
            self.assertContains(self.client.get(search), "more than 4 Party members")

    def test_it_exports_every_match_of_a_wide_search(self):
        from io import BytesIO

        from openpyxl import load_workbook

        for i in range(6):
            add(self.cell, self.office, f"Lê Văn {i}")
        self.client.force_login(self.office)
        with patch.object(BoundedPaginator, "bound", 4):
            r = self.client.get(f"/members/export.xlsx?org={self.ward.pk}&q=le+van")
        self.assertEqual(r.status_code, 200)
        cells = [c for row in load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True) for c in row]
        self.assertEqual(sum(1 for c in cells if str(c).startswith("Lê Văn")), 6)

    def test_it_shows_choice_labels_and_dates_as_written(self):
        self.client.force_login(self.secretary)
        r = self.client.get(f"/members/?org={self.ward.pk}")
        self.assertContains(r, '<td data-label="Giới tính">Nữ</td>', html=False)
        self.assertContains(r, '<td data-label="Ngày sinh">03/03/2000</td>', html=False)
        self.assertContains(r, "chính thức</span>")
        self.assertContains(r, f'<a href="{reverse("members:detail", args=[self.binh.pk])}">Trần Thị Bình</a>')


class MemberDetailTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = add(cls.cell, cls.office, "Phạm Thị Hoa", sex="female", user=cls.member)
        cls.other = add(cls.cell, cls.office, "Đỗ Văn Khác")

    def test_it_shows_every_tab_to_the_ward_office(self):
        self.client.force_login(self.office)
        for tab in ("", "status/", "history/", "corrections/", "transfers/", "residence/"):
            with self.subTest(tab=tab):
                self.assertEqual(self.client.get(f"/members/{self.other.pk}/{tab}").status_code, 200)

    def test_it_shows_the_change_history_with_labels_in_one_query(self):
        from dangbo.members.actions import update_profile

        update_profile(self.other, by=self.office, residence_address="Số 1, Khối 1")
        self.client.force_login(self.office)
        url = f"/members/{self.other.pk}/history/"
        self.client.get(url)
        with self.assertNumQueries(6):
            r = self.client.get(url)
        self.assertContains(r, "Nơi ở hiện nay: «—» → «Số 1, Khối 1»")
        self.assertContains(r, "Trần Thị Lan")
        for n in range(10):
            update_profile(self.other, by=self.office, residence_address=f"Số {n}, Khối 1")
        with self.assertNumQueries(6):
            self.client.get(url)

    def test_it_hides_members_of_other_wards_and_from_other_members(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(f"/members/{self.other.pk}/").status_code, 404)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/members/{self.other.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/members/{self.own.pk}/").status_code, 200)

    def test_it_sends_a_member_to_their_own_profile(self):
        self.client.force_login(self.member)
        self.assertRedirects(self.client.get("/members/me/"), f"/members/{self.own.pk}/")
        self.assertRedirects(self.client.get("/members/"), f"/members/{self.own.pk}/")

    def test_it_refuses_edits_to_read_only_and_members(self):
        for user in (self.readonly, self.member):
            self.client.force_login(user)
            r = self.client.post(f"/members/{self.own.pk}/edit/", {"full_name": "X"})
            self.assertEqual(r.status_code, 403 if user is self.readonly else 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(f"/members/{self.own.pk}/status/record/", {}).status_code, 404)

    def test_it_records_a_status_event_and_derives_the_status(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.post(f"/members/{self.other.pk}/status/record/", {
            "status": "exempt", "effective_on": "01/10/2026", "reason": "Tuổi cao, sức khỏe yếu",
        })
        self.assertRedirects(r, f"/members/{self.other.pk}/status/")
        self.other.refresh_from_db()
        self.assertEqual(self.other.status, "exempt")
        # A back-dated event does not override a later one.
        record_status(self.other, status="official", effective_on=date(2026, 9, 1), by=self.office)
        self.other.refresh_from_db()
        self.assertEqual(self.other.status, "exempt")

    def test_it_requires_a_decision_number_for_removal(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.post(f"/members/{self.other.pk}/status/record/", {"status": "removed", "effective_on": "01/10/2026"})
        self.assertContains(r, "Xóa tên, khai trừ phải ghi số quyết định.")

    def test_it_lets_a_member_ask_for_a_correction_that_the_office_approves(self):
        self.client.force_login(self.member)
        self.client.post(f"/members/{self.own.pk}/corrections/new/", {
            "field": "residence_address", "proposed_value": "Số 5, ngõ 12, Khối 1", "note": "Chuyển nhà",
        })
        correction = CorrectionRequest.objects.get()
        self.assertEqual(self.client.post(f"/members/corrections/{correction.pk}/decide/", {"approve": "1"}).status_code, 403)
        self.client.force_login(self.office)
        self.assertContains(self.client.get(f"/members/corrections/?org={self.ward.pk}"), "Số 5, ngõ 12, Khối 1")
        self.client.post(f"/members/corrections/{correction.pk}/decide/", {"approve": "1", "note": "Đúng"})
        self.own.refresh_from_db()
        self.assertEqual(self.own.residence_address, "Số 5, ngõ 12, Khối 1")
        self.assertEqual(self.own.history.first().history_user, self.office)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(f"/members/corrections/{correction.pk}/decide/", {"approve": "0"}).status_code, 404)

    def test_it_rejects_an_invalid_approved_value_with_a_message(self):
        correction = CorrectionRequest.objects.create(member=self.own, field="citizen_id", proposed_value="123",
                                                      requested_by=self.member)
        self.client.force_login(self.office)
        r = self.client.post(f"/members/corrections/{correction.pk}/decide/", {"approve": "1"}, follow=True)
        self.assertContains(r, "không hợp lệ")
        correction.refresh_from_db()
        self.assertEqual(correction.state, "pending")

    def test_it_counts_party_age_without_interruptions(self):
        m = add(self.cell, self.office, "Hồ Văn Lại", admission_date=date(2000, 1, 1), official_date=date(2001, 1, 1))
        record_status(m, status="removed", effective_on=date(2010, 1, 1), by=self.office, decision_reference="5-QĐ/ĐU")
        record_status(m, status="probationary", effective_on=date(2015, 1, 1), by=self.office)
        self.assertEqual(m.party_age_years(date(2020, 1, 1)), 15)


class StatisticsTest(BaseTestCase):
    def test_it_counts_by_sex_and_age_with_percentages(self):
        add(self.cell, self.office, "A", date_of_birth=date(2000, 1, 1))
        add(self.cell, self.office, "B", sex="female", date_of_birth=date(1950, 1, 1))
        add(self.cell, self.office, "C", sex="female", date_of_birth=date(1970, 1, 1))
        add(self.other_cell, self.outsider, "D")
        self.client.force_login(self.secretary)
        r = self.client.get(f"/members/stats/?org={self.ward.pk}")
        stats = r.context["stats"]
        self.assertEqual(stats["total"], 3)
        sections = dict(stats["sections"])
        female = next(row for row in sections["Giới tính"] if row["label"] == "Nữ")
        self.assertEqual((female["count"], female["percent"]), (2, 66.7))
        bands = {row["label"]: row["count"] for row in sections["Độ tuổi"]}
        self.assertEqual(bands, {"Dưới 30": 1, "30 – dưới 45": 0, "45 – 60": 1, "Trên 60": 1})
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(f"/members/stats/?org={self.ward.pk}").status_code, 404)

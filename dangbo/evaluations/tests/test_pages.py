"""The pages: the committee's overview, the classify button, a cell's sheet, inline scoring, approval, export.

Every page: outside the scope 404, a plain member 404 (other people's scores), read-only 403 on writes.
"""

from datetime import date
from io import BytesIO
from types import SimpleNamespace
from unittest import mock

import pytest
from openpyxl import load_workbook

from dangbo.evaluations import actions, selectors
from dangbo.evaluations.models import ClassificationRun, Grade, MemberEvaluation
from dangbo.evaluations.tests.cast import YEAR, scored
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase, Cast, make_org

HTMX = {"HTTP_HX_REQUEST": "true"}


class PageTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.star = scored(cls.cell, 95, exceeding=5, name="Nguyễn Văn Xuất Sắc")
        cls.rival = scored(cls.cell, 91, exceeding=4, name="Trần Văn Sát Nút")
        cls.goods = [scored(cls.cell, 80, name=f"Lê Văn Tốt {i}") for i in range(3)]
        cls.school = scored(cls.school_cell, 60, name="Phạm Thị Trường")
        cls.far = scored(cls.other_cell, 85, name="Đỗ Văn Phường Khác")
        actions.classify_year(cls.province, YEAR, by=cls.secretary)
        cls.overview_url = f"/evaluations/?org={cls.ward.pk}&year={YEAR}"
        cls.sheet_url = f"/evaluations/cells/{cls.cell.pk}/{YEAR}/"


class OverviewTest(PageTestCase):
    def test_it_shows_each_cell_with_its_grades_and_cap(self):
        self.client.force_login(self.secretary)
        r = self.client.get(self.overview_url)
        self.assertContains(r, "Xếp loại đảng viên năm 2025 — Đảng bộ phường Vinh Hưng")
        self.assertContains(r, f'href="/evaluations/cells/{self.cell.pk}/2025/">Chi bộ Khối 1</a>')
        # 5 at least good → 1 excellent place (20 %); the 91 is brought down.
        self.assertContains(r, "1 (20%) · 1 hạ xuống tốt")
        self.assertContains(r, "Chi bộ Trường Tiểu học Hưng Bình")
        self.assertContains(r, ">Xếp loại</button>")
        self.assertNotContains(r, "Đỗ Văn Phường Khác")

    def test_it_defaults_to_the_year_under_review(self):
        self.assertEqual(selectors.default_year(date(2026, 11, 24)), 2025)
        self.assertEqual(selectors.default_year(date(2026, 12, 1)), 2026)
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get("/evaluations/").status_code, 200)

    def test_a_cell_goes_to_its_sheet(self):
        self.client.force_login(self.cell_secretary)
        self.assertRedirects(self.client.get("/evaluations/"), f"/evaluations/cells/{self.cell.pk}/"
                             f"{selectors.default_year(date.today())}/")

    def test_it_lets_the_province_read_without_classifying(self):
        self.client.force_login(self.readonly)
        r = self.client.get(self.overview_url)
        self.assertContains(r, "Chi bộ Khối 1")
        self.assertNotContains(r, ">Xếp loại</button>")
        self.assertNotContains(r, "Xuất Excel")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.overview_url).status_code, 404)

    def test_a_plain_member_sees_nothing(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(f"/evaluations/?org={self.cell.pk}&year={YEAR}").status_code, 404)
        self.assertEqual(self.client.get("/evaluations/").status_code, 404)

    def test_it_refuses_a_nonsense_year(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(f"/evaluations/?org={self.ward.pk}&year=abc").status_code, 404)

    def test_it_requires_login(self):
        self.assertEqual(self.client.get(self.overview_url).status_code, 302)

    def test_it_is_in_the_menu_of_staff_only(self):
        self.client.force_login(self.secretary)
        self.assertContains(self.client.get(self.overview_url), 'href="/evaluations/" aria-current="page"')
        self.client.force_login(self.member)
        self.assertNotContains(self.client.get("/"), 'href="/evaluations/"')


class ClassifyViewTest(PageTestCase):
    def post(self, org, year=YEAR):
        return self.client.post("/evaluations/classify/", {"org": org.pk, "year": year})

    def test_the_ward_classifies_its_cells(self):
        MemberEvaluation.objects.filter(pk=self.rival.pk).update(task_points=40)  # 71: good, no rivalry
        self.client.force_login(self.secretary)
        r = self.post(self.ward)
        self.assertRedirects(r, self.overview_url, fetch_redirect_response=False)
        self.assertContains(self.client.get(self.overview_url), "Đã xếp loại năm 2025: 1 xuất sắc, 4 tốt, "
                            "1 hoàn thành, 0 không hoàn thành, 0 chưa chấm điểm.")
        self.assertEqual(ClassificationRun.objects.filter(organization=self.ward).get().requested_by, self.secretary)

    def test_a_large_committee_goes_to_the_worker(self):
        self.client.force_login(self.secretary)
        with mock.patch("dangbo.evaluations.views.BACKGROUND_MEMBERS", 2), \
                self.captureOnCommitCallbacks(execute=True):
            r = self.post(self.ward)
        self.assertContains(self.client.get(r.url), "Đã đưa việc xếp loại năm 2025 vào hàng đợi")
        run = ClassificationRun.objects.filter(organization=self.ward).get()
        self.assertEqual((run.state, run.counts[Grade.EXCELLENT]), (ClassificationRun.State.DONE, 1))

    def test_a_cell_secretary_classifies_their_cell_only(self):
        self.client.force_login(self.cell_secretary)
        self.assertRedirects(self.post(self.cell), self.sheet_url)
        self.assertEqual(self.post(self.ward).status_code, 404)  # the ward is outside their scope

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        self.assertEqual(self.post(self.ward).status_code, 403)
        self.assertEqual(self.post(self.cell).status_code, 403)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.post(self.ward).status_code, 404)
        self.assertEqual(self.post(self.cell).status_code, 404)

    def test_it_shows_the_rule_that_failed(self):
        self.client.force_login(self.secretary)
        r = self.post(self.ward, year=2099)
        self.assertContains(self.client.get(r.url), "Năm đánh giá phải từ 2000 đến")


class SheetTest(PageTestCase):
    def test_it_shows_each_members_points_and_grades(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.get(self.sheet_url)
        self.assertContains(r, "Bảng xếp loại năm 2025 — Chi bộ Khối 1")
        self.assertContains(r, "Nguyễn Văn Xuất Sắc")
        self.assertContains(r, "Hoàn thành xuất sắc nhiệm vụ")
        self.assertContains(r, "hạ do tỷ lệ xuất sắc", count=1)
        self.assertContains(r, "Tỷ lệ xuất sắc: tối đa 1 (20% của 5 đảng viên đạt từ hoàn thành tốt trở lên).")
        self.assertContains(r, f'hx-get="/evaluations/rows/{self.star.pk}/"')
        self.assertNotContains(r, "Cấp ủy duyệt")  # the committee approves, not the cell

    def test_it_lists_members_on_the_roll_not_yet_on_the_sheet(self):
        make_member(self.cell, name="Vũ Văn Mới Đến")
        self.client.force_login(self.cell_secretary)
        self.assertContains(self.client.get(self.sheet_url), "1 đảng viên chưa có trong bảng: Vũ Văn Mới Đến.")

    def test_the_province_reads_without_editing(self):
        self.client.force_login(self.readonly)
        r = self.client.get(self.sheet_url)
        self.assertContains(r, "Nguyễn Văn Xuất Sắc")
        self.assertNotContains(r, "hx-get=\"/evaluations/rows/")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.sheet_url).status_code, 404)

    def test_a_plain_member_sees_nothing(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.sheet_url).status_code, 404)

    def test_a_committee_has_no_sheet(self):
        self.client.force_login(self.secretary)
        self.assertEqual(self.client.get(f"/evaluations/cells/{self.ward.pk}/{YEAR}/").status_code, 404)


class ScoreViewTest(PageTestCase):
    def url(self, row=None):
        return f"/evaluations/rows/{(row or self.rival).pk}/"

    def data(self, **changes):
        return {"general_points": 28, "task_points": 60, "tasks_assigned": 10, "tasks_on_time": 10,
                "tasks_exceeding": 4, "shortcomings_fixed": "on", **changes}

    def test_htmx_swaps_in_the_rows_form(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.get(self.url(), **HTMX)
        self.assertContains(r, f'<tr id="row-{self.rival.pk}">')
        self.assertContains(r, f'id="id_{self.rival.pk}_general_points"')
        self.assertNotContains(r, "<html")

    def test_saving_gives_back_the_whole_sheet(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.post(self.url(), self.data(general_points=30, task_points=70, tasks_exceeding=9), **HTMX)
        self.assertEqual((r["HX-Retarget"], r["HX-Reswap"]), ("#sheet", "outerHTML"))
        self.assertContains(r, '<div id="sheet">')
        # Now 100 points: the cap's one place moves to this member, the 95 is brought down.
        self.star.refresh_from_db()
        self.assertEqual((self.star.grade, self.star.quota_reduced), (Grade.GOOD, True))
        self.assertEqual(MemberEvaluation.history.filter(id=self.rival.pk).first().history_user, self.cell_secretary)

    def test_it_names_the_field_in_error_and_saves_nothing(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.post(self.url(), self.data(general_points=31), **HTMX)
        self.assertContains(r, "Điểm tiêu chí chung phải là số nguyên từ 0 đến 30.")
        self.rival.refresh_from_db()
        self.assertEqual(self.rival.general_points, 30)

    def test_without_htmx_it_redirects_to_the_sheet(self):
        self.client.force_login(self.cell_secretary)
        self.assertRedirects(self.client.post(self.url(), self.data()), self.sheet_url)
        self.assertContains(self.client.get(self.url()), "<html")

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.get(self.url(), **HTMX).status_code, 403)
        self.assertEqual(self.client.post(self.url(), self.data(), **HTMX).status_code, 403)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 404)
        self.client.force_login(self.cell_secretary)
        self.assertEqual(self.client.get(self.url(self.far)).status_code, 404)

    def test_an_approved_row_cannot_be_changed(self):
        actions.approve_year(self.cell, YEAR, by=self.secretary, on=date(2025, 12, 20))
        self.client.force_login(self.cell_secretary)
        r = self.client.post(self.url(), self.data(), **HTMX)
        self.assertContains(r, "đã được cấp ủy duyệt ngày 20/12/2025; không sửa được")


class ApproveViewTest(PageTestCase):
    url = property(lambda self: f"/evaluations/cells/{self.cell.pk}/{YEAR}/approve/")

    def test_the_committee_approves(self):
        self.client.force_login(self.secretary)
        r = self.client.post(self.url)
        self.assertRedirects(r, self.sheet_url, fetch_redirect_response=False)
        page = self.client.get(self.sheet_url)
        self.assertContains(page, "Đã duyệt xếp loại năm 2025 của 5 đảng viên.")
        self.assertContains(page, "Cấp ủy đã duyệt")
        self.assertFalse(MemberEvaluation.objects.filter(organization=self.cell, approved_on__isnull=True).exists())

    def test_it_says_why_it_refuses(self):
        MemberEvaluation.objects.filter(pk=self.rival.pk).update(task_points=None)
        self.client.force_login(self.office)
        page = self.client.get(self.client.post(self.url).url)
        self.assertContains(page, "Còn 1 đảng viên chưa chấm đủ điểm; chấm xong mới duyệt được.")

    def test_it_requires_write_access(self):
        for user in (self.readonly, self.cell_secretary):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.url).status_code, 403)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(self.url).status_code, 404)


class ExportTest(PageTestCase):
    def test_it_exports_the_wards_sheet(self):
        self.client.force_login(self.secretary)
        r = self.client.get(f"/evaluations/export/?org={self.ward.pk}&year={YEAR}")
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="xep-loai-2025-NA.VH.xlsx"')
        sheet = load_workbook(BytesIO(r.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("STT", "Họ và tên", "Chi bộ"))
        self.assertEqual(len(rows), 1 + 6)
        star = next(row for row in rows if row[1] == "Nguyễn Văn Xuất Sắc")
        self.assertEqual((star[5], star[15], star[16]), (95, "Hoàn thành xuất sắc nhiệm vụ",
                                                         "Hoàn thành xuất sắc nhiệm vụ"))
        self.assertNotIn("Đỗ Văn Phường Khác", [row[1] for row in rows])

    def test_a_cell_secretary_exports_their_cell(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.get(f"/evaluations/export/?org={self.cell.pk}&year={YEAR}")
        self.assertEqual(len(list(load_workbook(BytesIO(r.content)).active.iter_rows())), 1 + 5)

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.get(f"/evaluations/export/?org={self.ward.pk}&year={YEAR}").status_code, 403)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(f"/evaluations/export/?org={self.ward.pk}&year={YEAR}").status_code, 404)


# Query counts: a list page's queries do not grow with its rows.

@pytest.fixture
def cast(db):
    people = SimpleNamespace()
    Cast.build(people)
    for _ in range(2):
        scored(people.cell, 85)
    actions.classify_year(people.ward, YEAR, by=people.secretary)
    return people


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: the rules' cache, the menu
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_overviews_queries_do_not_grow_with_cells_and_rows(client, cast, django_assert_num_queries):
    client.force_login(cast.secretary)
    url = f"/evaluations/?org={cast.ward.pk}&year={YEAR}"
    before = _count(client, url)
    for n in range(4):
        cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", cast.ward)
        for _ in range(3):
            scored(cell, 92, exceeding=5)
    actions.classify_year(cast.ward, YEAR, by=cast.secretary)
    with django_assert_num_queries(before):
        response = client.get(url)
    assert "Chi bộ Tổ 3" in response.content.decode()


def test_the_sheets_queries_do_not_grow_with_members(client, cast, django_assert_num_queries):
    client.force_login(cast.cell_secretary)
    url = f"/evaluations/cells/{cast.cell.pk}/{YEAR}/"
    before = _count(client, url)
    for _ in range(8):
        scored(cast.cell, 75)
    make_member(cast.cell, name="Chưa Có Dòng")
    actions.classify_year(cast.cell, YEAR, by=cast.secretary)
    with django_assert_num_queries(before):
        response = client.get(url)
    assert response.content.decode().count('<tr id="row-') == 2 + 8 + 1  # the run gave the newcomer a row

"""The statistics page: per cell, rolled up per committee; its scope and its queries."""

from dangbo.meetings.models import Attendance, Meeting
from dangbo.meetings.tests.test_visits import make_meeting, mark
from dangbo.meetings.tests.test_visits_views import count_queries
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase, make_org

P, U = Attendance.Status.PRESENT, Attendance.Status.UNEXCUSED


class StatsPageTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = make_member(cls.cell, name="Phạm Thị Hoa", user=cls.member)
        cls.neighbour = make_member(cls.cell, name="Đoàn Văn Hàng Xóm")
        jan = make_meeting(cls.cell, 2026, 1, kind=Meeting.Kind.THEMATIC)
        mark(jan, cls.own, P)
        mark(jan, cls.neighbour, U)
        make_meeting(cls.school_cell, 2026, 2, state=Meeting.State.PLANNED)
        cls.ward_url = f"/meetings/stats/?org={cls.ward.pk}&year=2026"
        cls.cell_url = f"/meetings/stats/?org={cls.cell.pk}&year=2026"

    def test_a_committee_sees_its_cells_rolled_up(self):
        self.client.force_login(self.secretary)
        r = self.client.get(self.ward_url)
        self.assertContains(r, "Thống kê sinh hoạt chi bộ — Đảng bộ phường Vinh Hưng, năm 2026")
        self.assertContains(r, f'href="?org={self.cell.pk}&amp;year=2026">Chi bộ Khối 1</a>')
        self.assertContains(r, "Chi bộ Trường Tiểu học Hưng Bình")
        self.assertContains(r, 'aria-label="50%"')  # January's attendance
        self.assertContains(r, "Chuyên đề quý I")

    def test_the_cell_secretary_sees_each_member(self):
        self.client.force_login(self.cell_secretary)
        r = self.client.get(self.cell_url)
        self.assertContains(r, "Theo đảng viên")
        self.assertContains(r, "Phạm Thị Hoa")
        self.assertContains(r, "Đoàn Văn Hàng Xóm")

    def test_a_member_sees_the_cells_figures_and_only_their_own_row(self):
        self.client.force_login(self.member)
        r = self.client.get(self.cell_url)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Của tôi")
        self.assertContains(r, "Phạm Thị Hoa")
        self.assertNotContains(r, "Đoàn Văn Hàng Xóm")
        self.assertNotContains(r, "/meetings/triggers/")  # no tabs to the committee's pages
        self.assertEqual(self.client.get("/meetings/stats/").status_code, 200)  # their cell by default
        self.assertEqual(self.client.get(self.ward_url).status_code, 404)
        self.assertEqual(self.client.get(f"/meetings/stats/?org={self.school_cell.pk}").status_code, 404)

    def test_it_lets_the_province_read(self):
        self.client.force_login(self.readonly)
        self.assertContains(self.client.get(self.cell_url), "Đoàn Văn Hàng Xóm")
        self.assertEqual(self.client.get(f"/meetings/stats/?org={self.province.pk}&year=2026").status_code, 200)

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.ward_url).status_code, 404)
        self.assertEqual(self.client.get(self.cell_url).status_code, 404)

    def test_it_requires_login(self):
        self.assertEqual(self.client.get(self.ward_url).status_code, 302)

    def test_its_queries_are_the_same_for_2_and_6_cells(self):
        self.client.force_login(self.secretary)
        self.client.get(self.ward_url)
        two_cells = count_queries(self.client, self.ward_url)
        one_cell = count_queries(self.client, self.cell_url)
        for n in range(4):
            cell = make_org(f"Chi bộ Tổ {n}", f"NA.VH.T{n}", self.ward)
            meeting = make_meeting(cell, 2026, n + 1, kind=Meeting.Kind.COMBINED)
            for _ in range(3):
                mark(meeting, make_member(cell), P)
            mark(Meeting.objects.get(organization=self.cell, month=1), make_member(self.cell), U)
        with self.assertNumQueries(two_cells):
            r = self.client.get(self.ward_url)
        self.assertContains(r, "Chi bộ Tổ 3")
        with self.assertNumQueries(one_cell):
            self.client.get(self.cell_url)

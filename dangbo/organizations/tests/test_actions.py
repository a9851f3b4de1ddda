"""Tree changes: create, rename, move, merge, close — and what they refuse."""

from datetime import date

from django.core.exceptions import ValidationError

from dangbo.members.actions import create_member
from dangbo.organizations import actions
from dangbo.organizations.counts import member_counts
from dangbo.organizations.models import Organization
from dangbo.test import BaseTestCase


def add_member(cell, by, name="Nguyễn Văn An"):
    return create_member(organization=cell, by=by, full_name=name, sex="male", date_of_birth=date(1980, 1, 1),
                         admission_date=date(2005, 5, 19), official_date=date(2006, 5, 19), status="official")


class TreeActionsTest(BaseTestCase):
    def test_it_creates_a_cell_with_history_of_who(self):
        cell = actions.create_organization(parent=self.ward, kind="cell", name="Chi bộ Khối 2", code="NA.VH.CB03",
                                           category="residential", symbol="CB", by=self.office)
        self.assertEqual(cell.path, f"{self.province.pk:07d}/{self.ward.pk:07d}/{cell.pk:07d}/")
        self.assertEqual(cell.depth, 2)
        record = cell.history.get()
        self.assertEqual(record.history_user, self.office)

    def test_it_refuses_a_duplicate_code_and_a_cell_under_a_cell(self):
        with self.assertRaisesMessage(ValidationError, "Mã NA.VH.CB01 đã được dùng"):
            actions.create_organization(parent=self.ward, kind="cell", name="X", code="NA.VH.CB01",
                                        category="other", by=self.office)
        with self.assertRaisesMessage(ValidationError, "Chi bộ không có tổ chức trực thuộc"):
            actions.create_organization(parent=self.cell, kind="cell", name="X", code="NEW",
                                        category="other", by=self.office)

    def test_it_moves_a_subtree_and_rewrites_every_path(self):
        grassroots = actions.create_organization(parent=self.ward, kind="committee", name="Đảng bộ Trường Đại học",
                                                 code="NA.VH.DB1", by=self.office)
        inner = actions.create_organization(parent=grassroots, kind="cell", name="Chi bộ Khoa Toán",
                                            code="NA.VH.DB1.CB1", category="school", by=self.office)
        actions.move_organization(grassroots, new_parent=self.other_ward, by=self.office)
        inner.refresh_from_db()
        self.assertTrue(inner.path.startswith(self.other_ward.path))
        self.assertEqual(inner.depth, 3)
        self.assertIn(inner, self.other_ward.descendants())
        self.assertNotIn(inner, self.ward.descendants())

    def test_it_refuses_to_move_into_its_own_subtree(self):
        with self.assertRaisesMessage(ValidationError, "chính nó"):
            actions.move_organization(self.ward, new_parent=self.ward, by=self.office)

    def test_it_refuses_to_close_a_cell_with_members(self):
        add_member(self.cell, self.office)
        with self.assertRaisesMessage(ValidationError, "Chi bộ còn 1 đảng viên"):
            actions.close_organization(self.cell, on=date(2026, 1, 1), reason="Sáp nhập", by=self.office)

    def test_it_closes_an_empty_cell_and_keeps_it(self):
        actions.close_organization(self.school_cell, on=date(2026, 1, 1), reason="QĐ 12-QĐ/ĐU", by=self.office)
        self.school_cell.refresh_from_db()
        self.assertEqual(self.school_cell.active_to, date(2026, 1, 1))
        self.assertNotIn(self.school_cell, Organization.objects.active(on=date(2026, 1, 2)))
        self.assertEqual(self.school_cell.history.count(), 2)

    def test_it_merges_a_cell_moving_its_members_with_history(self):
        member = add_member(self.school_cell, self.office)
        actions.merge_cells(self.school_cell, into=self.cell, on=date(2026, 3, 1), by=self.office)
        member.refresh_from_db()
        self.assertEqual(member.organization, self.cell)
        self.assertEqual(member.history.first().history_user, self.office)
        self.school_cell.refresh_from_db()
        self.assertEqual(self.school_cell.merged_into, self.cell)
        self.assertEqual(member_counts([self.cell, self.school_cell]), {self.cell.pk: 1, self.school_cell.pk: 0})


class TreePagesTest(BaseTestCase):
    def test_it_creates_a_cell_from_the_office_page(self):
        self.client.force_login(self.office)
        r = self.client.post(f"/organizations/{self.ward.pk}/create/", {
            "kind": "cell", "name": "Chi bộ Khối 3", "code": "NA.VH.CB09", "symbol": "CB",
            "category": "residential", "active_from": "01/03/2026",
        })
        cell = Organization.objects.get(code="NA.VH.CB09")
        self.assertRedirects(r, f"/organizations/{cell.pk}/")
        self.assertEqual(cell.active_from, date(2026, 3, 1))

    def test_it_names_the_missing_field_in_vietnamese(self):
        self.client.force_login(self.office)
        r = self.client.post(f"/organizations/{self.ward.pk}/create/", {"kind": "cell", "name": "X", "code": "Z"})
        self.assertContains(r, "Hãy chọn loại hình chi bộ.")
        self.assertFalse(Organization.objects.filter(code="Z").exists())

    def test_it_shows_member_counts_in_the_tree(self):
        add_member(self.cell, self.office)
        add_member(self.cell, self.office, "Trần Thị Bình")
        self.client.force_login(self.secretary)
        r = self.client.get(f"/organizations/{self.ward.pk}/children/")
        self.assertContains(r, "2 đảng viên")

    def test_it_keeps_the_tree_query_count_flat(self):
        self.client.force_login(self.secretary)
        self.client.get(f"/organizations/{self.ward.pk}/children/")
        with self.assertNumQueries(7):
            self.client.get(f"/organizations/{self.ward.pk}/children/")
        for i in range(10):
            Organization.objects.create(name=f"Chi bộ {i}", code=f"N{i}", kind="cell", category="other", parent=self.ward)
        with self.assertNumQueries(7):
            self.client.get(f"/organizations/{self.ward.pk}/children/")

    def test_it_shows_the_history_tab_with_who(self):
        actions.rename_organization(self.cell, name="Chi bộ Khối Một", symbol="CB", by=self.office)
        self.client.force_login(self.secretary)
        r = self.client.get(f"/organizations/{self.cell.pk}/history/")
        self.assertContains(r, "Chi bộ Khối Một")
        self.assertContains(r, "Trần Thị Lan")


class CellDashboardTest(BaseTestCase):
    def test_it_shows_the_next_meeting_and_staff_links(self):
        from datetime import datetime, timedelta

        from django.utils import timezone

        from dangbo.meetings.actions import schedule_meeting

        when = timezone.make_aware(datetime.combine(date.today() + timedelta(days=3), datetime.min.time())) + timedelta(hours=19)
        schedule_meeting(self.cell, kind="regular", scheduled_at=when, by=self.cell_secretary)
        self.client.force_login(self.cell_secretary)
        r = self.client.get(f"/organizations/{self.cell.pk}/")
        self.assertContains(r, "buổi tới")
        self.assertContains(r, "Danh sách đảng viên")
        self.assertContains(r, "Phát triển đảng viên:")
        self.client.force_login(self.member)
        r = self.client.get(f"/organizations/{self.cell.pk}/")
        self.assertContains(r, "buổi tới")
        self.assertNotContains(r, "Danh sách đảng viên")

"""The office's account and role pages, and a person's own password."""

from datetime import date

from dangbo.accounts.models import RoleAssignment, User
from dangbo.members.actions import create_member
from dangbo.test import BaseTestCase


class UserPagesTest(BaseTestCase):
    def test_it_lists_accounts_of_the_wards_subtree_only(self):
        self.client.force_login(self.office)
        r = self.client.get(f"/accounts/users/?org={self.ward.pk}")
        self.assertContains(r, "Lê Văn Nam")  # the cell secretary
        self.assertNotContains(r, "Đỗ Văn Bình")  # the other ward's office

    def test_it_creates_an_account_with_a_role_and_a_temporary_password(self):
        self.client.force_login(self.office)
        r = self.client.post(f"/accounts/users/new/?org={self.ward.pk}", {
            "username": "bithukhoi2", "full_name": "Ngô Thị Hạnh", "phone": "0987 654 321",
            "organization": self.school_cell.pk, "role": "cell_secretary",
        }, follow=True)
        self.assertContains(r, "Mật khẩu tạm")
        account = User.objects.get(username="bithukhoi2")
        self.assertEqual(account.phone, "0987654321")
        self.assertTrue(RoleAssignment.objects.filter(user=account, organization=self.school_cell,
                                                      role="cell_secretary").exists())
        self.assertEqual(account.history.first().history_user, self.office)

    def test_it_cannot_grant_outside_its_own_subtree(self):
        self.client.force_login(self.office)
        r = self.client.post(f"/accounts/users/new/?org={self.ward.pk}", {
            "username": "phuongxa", "full_name": "X", "organization": self.other_cell.pk, "role": "cell_secretary",
        })
        self.assertContains(r, "Hãy chọn một lựa chọn hợp lệ")
        self.assertFalse(User.objects.filter(username="phuongxa").exists())

    def test_it_refuses_a_taken_username_in_vietnamese(self):
        self.client.force_login(self.office)
        r = self.client.post(f"/accounts/users/new/?org={self.ward.pk}", {
            "username": "bithu", "full_name": "X", "organization": self.cell.pk, "role": "member",
        })
        self.assertContains(r, "Tên đăng nhập bithu đã có.")

    def test_it_ends_a_grant_and_keeps_it_in_history(self):
        grant = RoleAssignment.objects.get(user=self.cell_secretary)
        self.client.force_login(self.office)
        self.client.post(f"/accounts/grants/{grant.pk}/end/")
        grant.refresh_from_db()
        self.assertEqual(grant.valid_to, date.today())
        self.assertEqual(grant.history.first().history_user, self.office)

    def test_it_links_an_account_to_a_member_record(self):
        member = create_member(organization=self.cell, by=self.office, full_name="Vũ Thị Mai", sex="female",
                               date_of_birth=date(1990, 1, 1), admission_date=date(2015, 1, 1),
                               official_date=date(2016, 1, 1), status="official", card_number="55512345")
        RoleAssignment.objects.create(user=self.citizen, organization=self.cell, role="member")
        self.client.force_login(self.office)
        self.client.post(f"/accounts/users/{self.citizen.pk}/member/", {"card_or_cccd": "55512345"})
        member.refresh_from_db()
        self.assertEqual(member.user, self.citizen)

    def test_it_hides_accounts_and_refuses_writes_outside_scope(self):
        for user, status in ((self.outsider, 404), (self.cell_secretary, 404), (self.readonly, 404)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(f"/accounts/users/{self.cell_secretary.pk}/").status_code, status)
                self.assertEqual(self.client.post(f"/accounts/users/{self.cell_secretary.pk}/password/").status_code, status)
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.get(f"/accounts/users/?org={self.ward.pk}").status_code, 403)
        grant = RoleAssignment.objects.get(user=self.cell_secretary)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(f"/accounts/grants/{grant.pk}/end/").status_code, 404)

    def test_it_resets_a_password_and_locks_an_account(self):
        self.client.force_login(self.office)
        r = self.client.post(f"/accounts/users/{self.cell_secretary.pk}/password/", follow=True)
        self.assertContains(r, "Mật khẩu tạm mới")
        self.client.post(f"/accounts/users/{self.cell_secretary.pk}/active/", {"active": "0"})
        self.cell_secretary.refresh_from_db()
        self.assertFalse(self.cell_secretary.is_active)

    def test_it_lets_anyone_change_their_own_password(self):
        self.client.force_login(self.member)
        r = self.client.post("/accounts/password/", {
            "old_password": "password", "new_password1": "Hoa-moi-2026", "new_password2": "Hoa-moi-2026",
        })
        self.assertRedirects(r, "/accounts/password/done/", fetch_redirect_response=False)
        self.member.refresh_from_db()
        self.assertTrue(self.member.check_password("Hoa-moi-2026"))

    def test_it_keeps_the_user_list_query_count_flat(self):
        self.client.force_login(self.office)
        url = f"/accounts/users/?org={self.ward.pk}"
        self.client.get(url)
        with self.assertNumQueries(7):
            self.client.get(url)
        for i in range(10):
            u = User.objects.create_user(username=f"u{i}", password="x")
            RoleAssignment.objects.create(user=u, organization=self.cell, role="member")
        with self.assertNumQueries(7):
            self.client.get(url)

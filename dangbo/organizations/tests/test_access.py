"""access.py: the scope functions, and a matrix of roles × pages."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangbo.accounts.models import Role, RoleAssignment
from dangbo.organizations import access
from dangbo.organizations.models import Organization, ResidentialGroup
from dangbo.test import BaseTestCase


class ScopeFunctionsTest(BaseTestCase):
    def test_it_covers_the_whole_subtree_of_a_grant(self):
        visible = set(access.visible_organizations(self.secretary))
        self.assertEqual(visible, {self.ward, self.cell, self.school_cell})

    def test_it_gives_a_cell_secretary_only_the_cell(self):
        self.assertEqual(list(access.visible_organizations(self.cell_secretary)), [self.cell])
        self.assertEqual(access.roots(self.cell_secretary), [self.cell])

    def test_it_gives_a_higher_committee_both_wards_read_only(self):
        self.assertIn(self.other_cell, access.visible_organizations(self.readonly))
        self.assertFalse(access.visible_organizations(self.readonly, access.WRITE).exists())

    def test_it_gives_a_citizen_nothing(self):
        self.assertFalse(access.visible_organizations(self.citizen).exists())
        self.assertEqual(access.roots(self.citizen), [])

    def test_it_ignores_grants_out_of_force(self):
        user = self.citizen
        RoleAssignment.objects.create(user=user, organization=self.ward, role=Role.OFFICE,
                                      valid_to=date.today() - timedelta(days=1))
        self.assertFalse(access.can(user, self.cell))

    def test_it_raises_404_outside_and_403_for_read_only_writes(self):
        with self.assertRaises(Http404):
            access.access_organization(self.outsider, self.cell.pk)
        with self.assertRaises(Http404):
            access.access_organization(self.secretary, 999_999)
        with self.assertRaises(Http404):
            access.access_organization(self.secretary, "abc")
        with self.assertRaises(PermissionDenied):
            access.access_organization(self.readonly, self.cell.pk, capability=access.WRITE)
        with self.assertRaises(PermissionDenied):
            access.access_organization(self.cell_secretary, self.cell.pk, capability=access.MANAGE)
        self.assertEqual(access.access_organization(self.cell_secretary, self.cell.pk, capability=access.WRITE), self.cell)

    def test_it_filters_lists_through_the_container(self):
        group = ResidentialGroup.objects.create(ward=self.ward, name="Khối 1")
        ResidentialGroup.objects.create(ward=self.other_ward, name="Khối 9")
        rows = ResidentialGroup.objects.filter(access.scope_q(self.office, field="ward"))
        self.assertEqual(list(rows), [group])
        self.assertEqual(access.access_object(self.office, ResidentialGroup.objects.all(), group.pk, field="ward"), group)
        with self.assertRaises(Http404):
            access.access_object(self.outsider, ResidentialGroup.objects.all(), group.pk, field="ward")

    def test_it_does_not_confuse_sibling_paths_with_prefixes(self):
        # "1/2/" must not cover "1/23/": the trailing slash is part of the path.
        siblings = [Organization.objects.create(name=f"Chi bộ {i}", code=f"X{i}", kind="cell",
                                                category="other", parent=self.ward) for i in range(25)]
        RoleAssignment.objects.create(user=self.citizen, organization=siblings[1], role=Role.CELL_SECRETARY)
        self.assertEqual(list(access.visible_organizations(self.citizen)), [siblings[1]])


class RoleMatrixTest(BaseTestCase):
    """Every organization page for every role: 200 inside, 403 for writes without the right, 404 outside."""

    def pages(self):
        ward, cell, other = self.ward.pk, self.cell.pk, self.other_cell.pk
        return {
            "ward detail": f"/organizations/{ward}/",
            "ward children": f"/organizations/{ward}/children/",
            "cell detail": f"/organizations/{cell}/",
            "cell history": f"/organizations/{cell}/history/",
            "other ward cell": f"/organizations/{other}/",
            "create under ward": f"/organizations/{ward}/create/",
            "rename cell": f"/organizations/{cell}/rename/",
            "move cell": f"/organizations/{cell}/move/",
            "merge cell": f"/organizations/{cell}/merge/",
            "close cell": f"/organizations/{cell}/close/",
            "new term": f"/organizations/{ward}/terms/new/",
            "new residential group": f"/organizations/{ward}/groups/new/",
        }

    # user -> page -> status
    def expected(self):
        manage_pages = ["create under ward", "rename cell", "move cell", "merge cell", "close cell",
                        "new term", "new residential group"]
        ward_manager = {p: 200 for p in self.pages()} | {"other ward cell": 404}
        cell_writer = {p: 404 for p in self.pages()} | {"cell detail": 200, "cell history": 200} | {
            p: 403 for p in ["rename cell", "move cell", "merge cell", "close cell"]
        }
        return {
            "secretary": ward_manager,
            "office": ward_manager,
            "cell_secretary": cell_writer,
            "member": cell_writer,
            "readonly": {p: 200 for p in self.pages()} | {p: 403 for p in manage_pages},
            "outsider": {p: 404 for p in self.pages()} | {"other ward cell": 200},
            "citizen": {p: 404 for p in self.pages()},
        }

    def test_it_walks_the_matrix_of_roles_and_pages(self):
        pages = self.pages()
        for user_attr, row in self.expected().items():
            self.client.force_login(getattr(self, user_attr))
            for page, status in row.items():
                with self.subTest(user=user_attr, page=page):
                    self.assertEqual(self.client.get(pages[page]).status_code, status)

    def test_it_refuses_writes_by_post_too(self):
        self.client.force_login(self.readonly)
        r = self.client.post(f"/organizations/{self.cell.pk}/rename/", {"name": "X", "symbol": ""})
        self.assertEqual(r.status_code, 403)
        self.client.force_login(self.outsider)
        r = self.client.post(f"/organizations/{self.cell.pk}/close/", {"on": "01/01/2026", "reason": "x"})
        self.assertEqual(r.status_code, 404)
        self.cell.refresh_from_db()
        self.assertEqual(self.cell.name, "Chi bộ Khối 1")
        self.assertIsNone(self.cell.active_to)

    def test_it_sends_anonymous_users_to_login(self):
        r = self.client.get(f"/organizations/{self.ward.pk}/")
        self.assertEqual(r.status_code, 302)
        self.assertIn("/accounts/login/", r["Location"])

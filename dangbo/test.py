"""The fixed cast every test uses: a province with two wards, their cells and people."""

from datetime import date

from django.test import TestCase

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.organizations.models import Organization, Term


def make_org(name, code, parent=None, kind=Organization.Kind.CELL, category="residential", symbol=""):
    if kind == Organization.Kind.COMMITTEE:
        category = ""
    return Organization.objects.create(
        name=name, code=code, parent=parent, kind=kind, category=category, symbol=symbol,
        active_from=date(2020, 1, 1),
    )


def make_user(username, full_name, *grants, phone=""):
    user = User.objects.create_user(username=username, password="password", full_name=full_name, phone=phone)
    for org, role in grants:
        RoleAssignment.objects.create(user=user, organization=org, role=role)
    return user


class Cast:
    """Builds the cast on a class; used by BaseTestCase and by pytest fixtures."""

    @classmethod
    def build(cls, target):
        C = Organization.Kind.COMMITTEE
        target.province = make_org("Đảng bộ tỉnh Nghệ An", "NA", kind=C, symbol="TU")
        target.ward = make_org("Đảng bộ phường Vinh Hưng", "NA.VH", target.province, kind=C, symbol="ĐU")
        target.cell = make_org("Chi bộ Khối 1", "NA.VH.CB01", target.ward, symbol="CB")
        target.school_cell = make_org("Chi bộ Trường Tiểu học Hưng Bình", "NA.VH.CB02", target.ward,
                                      category="school", symbol="CB")
        target.other_ward = make_org("Đảng bộ phường Thành Vinh", "NA.TV", target.province, kind=C, symbol="ĐU")
        target.other_cell = make_org("Chi bộ Khối 9", "NA.TV.CB01", target.other_ward, symbol="CB")
        Term.objects.create(organization=target.ward, name="2025–2030", starts_on=date(2025, 8, 15),
                            congress_opened_on=date(2025, 8, 13), congress_closed_on=date(2025, 8, 14))

        target.secretary = make_user("bithu", "Nguyễn Văn Hùng", (target.ward, Role.SECRETARY))
        target.office = make_user("vanphong", "Trần Thị Lan", (target.ward, Role.OFFICE), phone="0912345678")
        target.cell_secretary = make_user("bithuchibo", "Lê Văn Nam", (target.cell, Role.CELL_SECRETARY))
        target.member = make_user("dangvien", "Phạm Thị Hoa", (target.cell, Role.MEMBER))
        target.readonly = make_user("tinhuy", "Hoàng Văn Sơn", (target.province, Role.READ_ONLY))
        target.outsider = make_user("phuongkhac", "Đỗ Văn Bình", (target.other_ward, Role.OFFICE))
        target.citizen = make_user("congdan", "Vũ Thị Mai")


class BaseTestCase(TestCase):
    """A TestCase with the cast built once per class."""

    @classmethod
    def setUpTestData(cls):
        Cast.build(cls)

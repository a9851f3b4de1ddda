"""Build the demo ward: a province, a ward of 24 cells with ~1,100 members, demo accounts."""

import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker
from vietnam_provinces import Province, Ward

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.members.choices import ETHNICITIES, Degree, Sex, StateManagementLevel, Status, TheoryLevel
from dangbo.members.models import Member, StatusEvent
from dangbo.organizations.models import Organization, ResidentialGroup, Term

DEMO_PASSWORD = "dangbo2026"
PROVINCE_CODE = 40  # Nghệ An
WARD_NAME = "Phường Vinh Hưng"
OTHER_WARD_NAME = "Phường Thành Vinh"

# Modelled on the Hưng Bình ward seed: 17 residential, 3 school, 1 police, 2 enterprise, 1 agency.
CELLS = (
    [(f"Chi bộ Khối {i}", "residential", 53) for i in range(1, 18)]
    + [
        ("Chi bộ Trường Mầm non Hưng Bình", "school", 22),
        ("Chi bộ Trường Tiểu học Hưng Bình", "school", 26),
        ("Chi bộ Trường THCS Hưng Bình", "school", 30),
        ("Chi bộ Công an phường", "police", 38),
        ("Chi bộ Công ty Cổ phần Xây lắp Vinh", "enterprise", 24),
        ("Chi bộ Công ty TNHH Thương mại Hưng Thịnh", "enterprise", 16),
        ("Chi bộ Cơ quan Ủy ban nhân dân phường", "agency", 44),
    ]
)
ACCOUNTS = [
    ("bithu", "Nguyễn Văn Hùng", "secretary", "ward", "0912000001"),
    ("vanphong", "Trần Thị Lan", "office", "ward", "0912000002"),
    ("bithuchibo", "Lê Văn Nam", "cell_secretary", "cell", "0912000003"),
    ("dangvien", "Phạm Thị Hoa", "member", "cell", "0912000004"),
    ("tinhuy", "Hoàng Văn Sơn", "read_only", "province", "0912000005"),
]


# Faker's vi_VN formats put the given name first; a Vietnamese name is family,
# middle, given ("Nguyễn Văn Hùng"), so only Faker's word lists are used.
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đình", "Hữu", "Quang", "Minh", "Đức", "Xuân", "Công", "Thanh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Phương", "Thùy"]


# Family names by their share of the population (Nguyễn about 38 %), the rest from Faker.
FAMILY_SHARES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4.5),
                 ("Vũ", 3.9), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3)]


def _vietnamese_name(rnd, fake, sex):
    if rnd.random() < 0.87:
        family = rnd.choices([f for f, _ in FAMILY_SHARES], weights=[w for _, w in FAMILY_SHARES])[0]
    else:
        family = fake.last_name().split()[0]
    if sex == Sex.MALE:
        return f"{family} {rnd.choice(MIDDLE_MALE)} {fake.first_name_male().split()[-1]}"
    return f"{family} {rnd.choice(MIDDLE_FEMALE)} {fake.first_name_female().split()[-1]}"


def _province_and_ward(name):
    province = next(p for p in Province.iter_all() if int(p.code) == PROVINCE_CODE)
    ward = next(w for w in Ward.iter_all() if int(w.province_code) == PROVINCE_CODE and w.name == name)
    return province, ward


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: đảng bộ phường Vinh Hưng với 24 chi bộ, ~1.100 đảng viên và các tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Chỉ tạo khi chưa có tổ chức nào.")
        parser.add_argument("--print-accounts", action="store_true", help="Chỉ in các tài khoản mẫu.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty=False, print_accounts=False, seed=2026, **options):
        if print_accounts:
            return self._print_accounts()
        if if_empty and Organization.objects.exists():
            self.stdout.write("Đã có dữ liệu; không tạo lại dữ liệu mẫu.")
            return
        with transaction.atomic():
            self._build(random.Random(seed), seed)
        self._print_accounts()

    def _print_accounts(self):
        if not User.objects.filter(username="bithu").exists():
            return
        self.stdout.write("\nTài khoản mẫu (mật khẩu chung: %s):" % DEMO_PASSWORD)
        for username, name, role, _scope, phone in ACCOUNTS:
            self.stdout.write(f"  {username:<12} {phone}  {name} — {Role(role).label}")
        self.stdout.write("Mở http://127.0.0.1:8000 để đăng nhập.\n")

    def _org(self, **fields):
        fields.setdefault("active_from", date(2020, 1, 1))
        return Organization.objects.create(**fields)

    def _build(self, rnd, seed):
        province, ward_unit = _province_and_ward(WARD_NAME)
        _, other_unit = _province_and_ward(OTHER_WARD_NAME)
        C = Organization.Kind.COMMITTEE
        prov = self._org(name=f"Đảng bộ tỉnh {province.name}", code="NA", kind=C, symbol="TU")
        ward = self._org(name="Đảng bộ phường " + ward_unit.name.removeprefix("Phường "),
                         code="NA.VH", kind=C, symbol="ĐU", parent=prov, active_from=date(2025, 7, 1))
        other = self._org(name="Đảng bộ phường " + other_unit.name.removeprefix("Phường "), code="NA.TV",
                          kind=C, symbol="ĐU", parent=prov, active_from=date(2025, 7, 1))
        for org in (prov, ward, other):
            Term.objects.create(organization=org, name="2025–2030", starts_on=date(2025, 9, 1),
                                congress_opened_on=date(2025, 8, 29), congress_closed_on=date(2025, 8, 31))
        cells = []
        for index, (name, category, size) in enumerate(CELLS, start=1):
            cell = self._org(name=name, code=f"NA.VH.CB{index:02d}", kind="cell", category=category,
                             symbol="CB", parent=ward)
            cells.append((cell, size))
            if category == "residential":
                group = ResidentialGroup.objects.create(ward=ward, name=name.removeprefix("Chi bộ "))
                group.cells.add(cell)
        other_cells = [
            (self._org(name=f"Chi bộ Khối {i}", code=f"NA.TV.CB{i:02d}", kind="cell", category="residential",
                       symbol="CB", parent=other), 30)
            for i in range(1, 4)
        ]
        members = self._members(rnd, seed, cells + other_cells)
        self._accounts(prov, ward, cells[0][0], members)
        self._extra(ward)

    def _members(self, rnd, seed, cells):
        fake = Faker("vi_VN")
        fake.seed_instance(seed)
        today = date.today()
        rows = []
        card = 10_000_000
        for cell, size in cells:
            for _ in range(size):
                rows.append(self._member(rnd, fake, cell, today, card := card + rnd.randint(1, 40)))
        Member.objects.bulk_create(rows, batch_size=500)
        created = list(Member.objects.filter(organization__in=[c for c, _ in cells]).order_by("pk"))
        events = []
        for m in created:
            events.append(StatusEvent(member=m, status=Status.PROBATIONARY, effective_on=m.admission_date,
                                      reason="Kết nạp"))
            if m.official_date:
                events.append(StatusEvent(member=m, status=Status.OFFICIAL, effective_on=m.official_date,
                                          reason="Công nhận đảng viên chính thức"))
            if m.status == Status.EXEMPT:
                events.append(StatusEvent(member=m, status=Status.EXEMPT,
                                          effective_on=m.admission_date + timedelta(days=365 * 30),
                                          reason="Tuổi cao, sức khỏe yếu"))
        StatusEvent.objects.bulk_create(events, batch_size=1000)
        return created

    def _member(self, rnd, fake, cell, today, card):
        from dangbo.lib.vntext import search_key

        sex = Sex.FEMALE if rnd.random() < (0.62 if cell.category == "school" else 0.38) else Sex.MALE
        retired = cell.category == "residential" and rnd.random() < 0.55
        age = rnd.randint(62, 88) if retired else rnd.randint(24, 58)
        born = date(today.year - age, rnd.randint(1, 12), rnd.randint(1, 28))
        joined_age = rnd.randint(19, min(age - 1, 45 if not retired else 35))
        admitted = date(born.year + joined_age, rnd.randint(1, 12), rnd.randint(1, 28))
        probationary = (today - admitted).days < 365
        official = None if probationary else admitted + timedelta(days=365)
        name = _vietnamese_name(rnd, fake, sex)
        status = Status.PROBATIONARY if probationary else Status.OFFICIAL
        if retired and age > 80 and rnd.random() < 0.5:
            status = Status.EXEMPT
        theory = rnd.choices(
            [TheoryLevel.NONE, TheoryLevel.ELEMENTARY, TheoryLevel.INTERMEDIATE, TheoryLevel.ADVANCED],
            weights=[10, 60, 25, 5] if cell.category == "residential" else [5, 45, 42, 8],
        )[0]
        degree = rnd.choices(
            [Degree.NONE, Degree.INTERMEDIATE, Degree.COLLEGE, Degree.BACHELOR, Degree.MASTER],
            weights=[35, 15, 10, 32, 8] if retired else [3, 10, 12, 60, 15],
        )[0]
        province_code = rnd.choice(["040", "040", "040", "042", "038", "001"])
        century = (0 if born.year < 2000 else 2) + (1 if sex == Sex.FEMALE else 0)
        cccd = f"{province_code}{century}{born.year % 100:02d}{rnd.randint(0, 999999):06d}"
        return Member(
            full_name=name, search_key=search_key(name), sex=sex, date_of_birth=born,
            birthplace_text=rnd.choice(["Vinh, Nghệ An", "Nghi Lộc, Nghệ An", "Hưng Nguyên, Nghệ An",
                                         "Can Lộc, Hà Tĩnh", "Hà Nội"]),
            hometown_text=rnd.choice(["Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Hà Nội", "Quảng Bình"]),
            ethnicity=rnd.choices(ETHNICITIES[:8], weights=[93, 1, 3, 1, 0, 0, 1, 1])[0],
            religion=rnd.choices(["Không", "Phật giáo", "Công giáo"], weights=[90, 6, 4])[0],
            citizen_id=cccd, phone=f"09{rnd.randint(10_000_000, 99_999_999)}",
            residence_address=f"{cell.name.removeprefix('Chi bộ ')}, phường Vinh Hưng",
            occupation="Hưu trí" if retired else rnd.choice(["Giáo viên", "Cán bộ", "Công an", "Kinh doanh", "Kỹ sư"]),
            general_education="12/12" if rnd.random() < 0.9 else "10/10",
            professional_degree=degree, theory_level=theory,
            state_management_level=StateManagementLevel.OFFICER if cell.category == "agency" and rnd.random() < 0.5 else "",
            admission_date=admitted, official_date=official,
            card_number=None if probationary else str(card), card_issued_on=official,
            organization=cell, status=status,
        )

    def _accounts(self, prov, ward, cell, members):
        scopes = {"ward": ward, "cell": cell, "province": prov}
        for username, name, role, scope, phone in ACCOUNTS:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, full_name=name, phone=phone)
            RoleAssignment.objects.create(user=user, organization=scopes[scope], role=role)
            if role in ("member", "cell_secretary"):
                member = next(m for m in members if m.organization_id == cell.pk and m.user_id is None)
                member.user = user
                member.full_name = name
                member.save()

    def _extra(self, ward):
        """Seed data of the other capabilities: movements, documents, meetings, admissions, evaluations."""
        office = User.objects.get(username="vanphong")
        self._movements(ward, office)
        for module, function in (
            ("dangbo.documents.demo", "seed_documents"),
            ("dangbo.meetings.demo", "seed_meetings"),
            ("dangbo.admissions.demo", "seed_admissions"),
            ("dangbo.evaluations.demo", "seed_evaluations"),
        ):
            try:
                seed = getattr(__import__(module, fromlist=[function]), function)
            except (ImportError, AttributeError):
                continue
            seed(ward, by=office)

    def _movements(self, ward, by):
        """A few transfers, residence links and exemption requests, so those pages have rows."""
        from dangbo.members import movements

        cells = {c.code: c for c in ward.descendants().cells()}
        khoi = [cells[f"NA.VH.CB{i:02d}"] for i in range(1, 6)]
        workplace = [cells["NA.VH.CB18"], cells["NA.VH.CB20"], cells["NA.VH.CB21"], cells["NA.VH.CB24"]]

        def members_of(cell, n, offset=0):
            return list(Member.objects.filter(organization=cell, status=Status.OFFICIAL)
                        .order_by("pk")[offset:offset + n])

        # Working members introduced to the residential cell where they live (213-QĐ/TW).
        for index, member in enumerate(m for cell in workplace for m in members_of(cell, 3)):
            home = khoi[index % len(khoi)]
            contact = movements.link_residence(
                member, residential_cell=home, address=f"Số {index + 3}, {home.name.removeprefix('Chi bộ ')}",
                introduced_on=date(2025, 3, 1), by=by)
            if index % 3 != 2:
                comment = movements.record_residence_comment(
                    contact, year=2025, commented_on=date(2025, 12, 10), by=by,
                    comment="Gương mẫu chấp hành chủ trương, chính sách; tham gia đầy đủ sinh hoạt nơi cư trú.")
                movements.send_comment(comment, on=date(2025, 12, 15), by=by)
        # Transfers: one arriving from another ward, one leaving and late, one temporary.
        leaving, away = members_of(khoi[1], 2, offset=5)
        movements.start_transfer(leaving, kind="permanent", to_text="Đảng bộ phường Bến Thủy, tỉnh Nghệ An",
                                 moved_on=date(2026, 9, 15), letter_number="215-GGT/ĐU",
                                 letter_date=date(2026, 9, 20), reason="Chuyển nơi ở", by=by)
        transfer = movements.start_transfer(away, kind="temporary", to_organization=khoi[2],
                                            moved_on=date(2026, 8, 1), letter_number="198-GGT/ĐU",
                                            letter_date=date(2026, 8, 3), ends_on=date(2027, 4, 30),
                                            reason="Đi làm việc có thời hạn", by=by)
        movements.receive_transfer(transfer, presented_on=date(2026, 8, 10), by=by)
        # Exemption: an elderly member's request waiting for the cell.
        elder = Member.objects.filter(organization=khoi[3], status=Status.OFFICIAL,
                                      date_of_birth__lt=date(1945, 1, 1)).first()
        if elder:
            movements.request_exemption(elder, kind="exempt", reason="Tuổi cao, sức khỏe yếu",
                                        requested_on=date(2026, 11, 2), by=by)

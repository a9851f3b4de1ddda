"""Scale data for the benchmarks: a ward, a province or the nation, loaded with COPY.

    python -m bench.generate --tier province [--seed 2026] [--keep]

Recreates the database ``dangbo_bench_<tier>`` (drop, create, migrate), then streams
organizations, members, their status events, a year of monthly meetings per cell and
one attendance row per member per meeting through psycopg's ``cursor.copy()`` on one
connection per table. Columns come from the models' ``_meta``: a field this script
does not fill gets its model default, and a new required field without one stops the
run instead of loading wrong data. Indexes and constraints are dropped for the load
and rebuilt after it (the usual bulk-load order); then ANALYZE. Deterministic by seed:
every cell draws from its own generator seeded by (seed, cell code).

Tiers: ``ward`` holds the three reference wards (400 members in 12 cells, 1,100 in 36,
1,800 in 66); ``province`` is the largest province (500,000 members: ~300 wards of
400–1,800 members, the three reference wards first, and sector committees — agencies,
enterprises, police, military — for the rest); ``nation`` is 34 provinces,
5.6 M members, 3,321 wards. The province tier is the nation's first province, row for row.

Evaluations: one ``evaluations_memberevaluation`` row of scores per member on the roll for the
bench year (the meetings' year), as a cell enters them before the classification: most
members 70–89 points, ~15 % 90 or more, a few % below 70, ~1 % disciplined; drawn per cell
from a generator seeded by (seed, cell id). ``--evaluations`` (re)loads only these rows
into an existing tier, migrating it first, without touching the rest.
History tables (django-simple-history) stay empty: bulk-loaded records have no edits.
"""

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

NATION_MEMBERS = 5_600_000
PROVINCES = 34
WARDS = 3_321
PROVINCE_ONE = 500_000
# The three reference wards: (members, cells).
REFERENCE_WARDS = [(1_800, 66), (1_100, 36), (400, 12)]

# Surnames with their share of the population (Lê Trung Hoa, Họ và tên người Việt Nam; the
# usual estimates: Nguyễn ~38 %, Trần ~11 %, Lê ~9.5 %, Phạm ~7 %, ...).
SURNAMES = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 4.0), ("Huỳnh", 1.5),
    ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 1.5), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8), ("Trịnh", 0.7), ("Đào", 0.6), ("Lương", 0.5),
    ("Mai", 0.5), ("Cao", 0.5), ("Tạ", 0.3), ("Chu", 0.3), ("Lưu", 0.4), ("Hà", 0.5), ("Lâm", 0.4),
    ("Kiều", 0.2), ("Quách", 0.2), ("Thái", 0.3), ("Tô", 0.3), ("Triệu", 0.3), ("Nông", 0.3), ("Lò", 0.2),
]
MIDDLE_MALE = [("Văn", 45), ("Đức", 8), ("Minh", 8), ("Quang", 6), ("Hữu", 6), ("Công", 5), ("Thành", 4),
               ("Xuân", 3), ("Ngọc", 3), ("Anh", 3), ("Trọng", 3), ("Đình", 3), ("Thanh", 3)]
MIDDLE_FEMALE = [("Thị", 60), ("Ngọc", 7), ("Thu", 6), ("Thanh", 5), ("Thùy", 4), ("Kim", 4), ("Minh", 4),
                 ("Hồng", 4), ("Phương", 3), ("Bích", 3)]
GIVEN_MALE = ["Hùng", "Dũng", "Nam", "Sơn", "Tuấn", "Long", "Hải", "Bình", "Cường", "Thắng", "Minh", "Đức", "Trung", "Hiếu", "Phong", "Quân", "Tài", "Thành", "Toàn", "Vinh", "Khánh", "Lâm", "Huy", "Hoàng", "Kiên", "Nghĩa", "Phúc", "Quang", "Thịnh", "Tiến", "Trí", "Việt", "Bảo", "Đạt", "Hưng", "Lợi"]
GIVEN_FEMALE = ["Lan", "Hoa", "Hương", "Mai", "Hà", "Linh", "Thảo", "Trang", "Nga", "Hằng", "Huyền", "Thủy", "Yến", "Loan", "Nhung", "Phượng", "Thu", "Vân", "Hạnh", "Dung", "Hiền", "Liên", "Ngọc", "Oanh", "Quyên", "Tâm", "Thơ", "Trinh", "Uyên", "Xuân", "Anh", "Chi", "Giang", "Ly"]
ETHNICITIES = [("Kinh", 86.0), ("Tày", 2.3), ("Thái", 2.0), ("Mường", 1.6), ("Khmer", 1.3), ("Mông", 1.0),
               ("Nùng", 1.2), ("Hoa", 0.6), ("Dao", 0.9), ("Gia Rai", 0.5), ("Ê Đê", 0.4), ("Ba Na", 0.3),
               ("Sán Chay", 0.2), ("Chăm", 0.2)]
RELIGIONS = [("Không", 92.0), ("Phật giáo", 5.0), ("Công giáo", 2.5), ("Cao Đài", 0.3), ("Tin lành", 0.2)]
THEORY = [("elementary", 55), ("intermediate", 20), ("advanced", 4), ("bachelor", 1), ("", 20)]
DEGREE = [("bachelor", 38), ("", 25), ("intermediate", 14), ("college", 8), ("vocational", 6), ("master", 8),
          ("doctor", 1)]
STATE_MGMT = [("", 80), ("officer", 15), ("principal", 4), ("senior", 1)]
# Current status of a member record: the roll plus those who left it (kept as records).
STATUSES = [("official", 88.5), ("probationary", 3.5), ("exempt", 4.0), ("away", 1.0),
            ("transferred_out", 1.5), ("deceased", 1.0), ("removed", 0.4), ("expelled", 0.1)]
ON_ROLL = {"official", "probationary", "exempt", "away"}
WARD_CELL_CATEGORIES = [("residential", 70), ("school", 12), ("enterprise", 6), ("agency", 6), ("police", 3),
                        ("military", 3)]
SECTORS = [("Đảng bộ Khối các cơ quan", "agency"), ("Đảng bộ Khối doanh nghiệp", "enterprise"),
           ("Đảng bộ Công an", "police"), ("Đảng bộ Quân sự", "military"), ("Đảng bộ Khối trường học", "school")]
PROVINCE_NAMES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Nghệ An", "Thanh Hóa", "Ninh Bình", "Hưng Yên", "Bắc Ninh", "Phú Thọ", "Thái Nguyên", "Tuyên Quang", "Lào Cai", "Lạng Sơn", "Cao Bằng", "Điện Biên", "Lai Châu", "Sơn La", "Quảng Ninh", "Hà Tĩnh", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Đắk Lắk", "Khánh Hòa", "Lâm Đồng", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Cà Mau"]
PLACE_WORDS = ["An", "Bình", "Hòa", "Phú", "Thịnh", "Lợi", "Tân", "Mỹ", "Phước", "Long", "Hưng", "Thạnh", "Vĩnh", "Đông", "Tây", "Nam", "Bắc", "Trung", "Quang", "Thành", "Minh", "Hải", "Sơn", "Thủy", "Lâm", "Hồng", "Cẩm", "Kim", "Ngọc"]
CCCD_CODES = ["001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096"]
ABSENCE_REASONS = ["Ốm", "Đi công tác", "Việc gia đình", "Đi học", "Trực cơ quan"]
OCCUPATIONS = {"residential": ["Hưu trí", "Kinh doanh", "Lao động tự do", "Nội trợ"],
               "school": ["Giáo viên"], "enterprise": ["Công nhân", "Kỹ sư", "Nhân viên"],
               "agency": ["Công chức", "Viên chức"], "police": ["Công an"], "military": ["Quân nhân"],
               "other": ["Khác"]}


def weighted(pairs):
    """(values, cumulative weights) for random.choices."""
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


W_SURNAME = weighted(SURNAMES)
W_MID_M, W_MID_F = weighted(MIDDLE_MALE), weighted(MIDDLE_FEMALE)
W_ETHNIC, W_RELIGION = weighted(ETHNICITIES), weighted(RELIGIONS)
W_THEORY, W_DEGREE, W_STATE = weighted(THEORY), weighted(DEGREE), weighted(STATE_MGMT)
W_STATUS, W_CELLCAT = weighted(STATUSES), weighted(WARD_CELL_CATEGORIES)


def pick(rng, table):
    return rng.choices(table[0], cum_weights=table[1])[0]


def full_name(rng, sex):
    surname = pick(rng, W_SURNAME)
    if sex == "male":
        return f"{surname} {pick(rng, W_MID_M)} {rng.choice(GIVEN_MALE)}"
    return f"{surname} {pick(rng, W_MID_F)} {rng.choice(GIVEN_FEMALE)}"


def org_path(parent_path, pk):
    from dangbo.organizations.models import PATH_DIGITS

    return f"{parent_path}{pk:0{PATH_DIGITS}d}/"


def split_sizes(rng, total, parts, low, high):
    """``parts`` sizes in [low, high] summing to ``total`` (as near as the bounds allow)."""
    base = total / parts
    sizes = [max(low, min(high, round(base * rng.uniform(0.6, 1.4)))) for _ in range(parts)]
    diff = total - sum(sizes)
    step = 1 if diff > 0 else -1
    guard = 0
    while diff and guard < 100 * parts:
        i = rng.randrange(parts)
        if low <= sizes[i] + step <= high:
            sizes[i] += step
            diff -= step
        guard += 1
    return sizes


# --------------------------------------------------------------------------- the tree

class Tree:
    """Organizations in creation order (parents before children) and members per cell."""

    def __init__(self):
        self.orgs = []        # dicts with the Organization fields this script sets
        self.cell_members = {}  # cell id -> member count

    def add(self, *, name, code, parent, kind, category="", symbol=""):
        pk = len(self.orgs) + 1
        parent_path = parent["path"] if parent else ""
        path = org_path(parent_path, pk)
        org = {"id": pk, "kind": kind, "category": category, "name": name, "code": code, "symbol": symbol,
               "parent_id": parent["id"] if parent else None, "path": path, "depth": path.count("/") - 1,
               "active_from": dt.date(2020, 1, 1)}
        self.orgs.append(org)
        return org


def province_sizes(seed):
    """Members of the 34 provinces: the first is the 500,000 one, the rest share 5.1 M."""
    rng = random.Random(f"{seed}:provinces")
    weights = [rng.uniform(0.4, 2.5) for _ in range(PROVINCES - 1)]
    rest = NATION_MEMBERS - PROVINCE_ONE
    sizes = [round(rest * w / sum(weights)) for w in weights]
    sizes[-1] += rest - sum(sizes)
    return [PROVINCE_ONE] + sizes


def ward_counts(sizes):
    counts = [max(1, round(WARDS * s / NATION_MEMBERS)) for s in sizes]
    counts[-1] += WARDS - sum(counts)
    return counts


def add_ward(tree, rng, parent, code, name, members, cells=None):
    ward = tree.add(name=f"Đảng bộ {name}", code=code, parent=parent, kind="committee", symbol="ĐU")
    if cells is None:
        cells = max(12, min(66, round(members / rng.uniform(20, 35))))
    sizes = split_sizes(rng, members, cells, 14, 49)
    for i, size in enumerate(sizes, start=1):
        category = pick(rng, W_CELLCAT) if i > 1 else "residential"
        label = {"residential": f"Khu phố {i}", "school": f"Trường học số {i}", "enterprise": f"Công ty số {i}",
                 "agency": f"Cơ quan số {i}", "police": f"Công an số {i}", "military": f"Quân sự số {i}"}[category]
        cell = tree.add(name=f"Chi bộ {label}", code=f"{code}.C{i:02d}", parent=ward, kind="cell",
                        category=category, symbol="CB")
        tree.cell_members[cell["id"]] = size
    return ward


def build_province(tree, seed, index, root, members, wards):
    rng = random.Random(f"{seed}:province:{index}")
    pcode = f"P{index:02d}"
    province = tree.add(name=f"Đảng bộ {PROVINCE_NAMES[index - 1]}", code=pcode, parent=root, kind="committee",
                        symbol="TU")
    ward_sizes = [rng.randint(400, 1_800) for _ in range(wards)]
    if index == 1:
        ward_sizes[:3] = [size for size, _cells in REFERENCE_WARDS]
    # Wards hold at most 80 % of the province; the rest is in sector committees.
    cap = 0.8 * members
    if sum(ward_sizes) > cap:
        factor = cap / sum(ward_sizes)
        ward_sizes = [max(400, round(s * factor)) for s in ward_sizes]
        if index == 1:
            ward_sizes[:3] = [size for size, _cells in REFERENCE_WARDS]
    for w, size in enumerate(ward_sizes, start=1):
        cells = REFERENCE_WARDS[w - 1][1] if index == 1 and w <= 3 else None
        word = f"{rng.choice(PLACE_WORDS)} {rng.choice(PLACE_WORDS)}"
        add_ward(tree, rng, province, f"{pcode}.W{w:03d}", f"phường {word} {w}", size, cells)
    rest = members - sum(ward_sizes)
    sector_sizes = split_sizes(rng, rest, len(SECTORS), 1, rest) if rest > 0 else []
    for s, (size, (label, category)) in enumerate(zip(sector_sizes, SECTORS), start=1):
        if size <= 0:
            continue
        sector = tree.add(name=f"{label} tỉnh {PROVINCE_NAMES[index - 1]}", code=f"{pcode}.K{s}",
                          parent=province, kind="committee", symbol="ĐU")
        cells = max(1, round(size / 20))
        for i, cell_size in enumerate(split_sizes(rng, size, cells, 8, 60), start=1):
            cell = tree.add(name=f"Chi bộ {label[8:]} số {i}", code=f"{pcode}.K{s}.C{i:04d}", parent=sector,
                            kind="cell", category=category, symbol="CB")
            tree.cell_members[cell["id"]] = cell_size
    return province


def build_tree(tier, seed):
    tree = Tree()
    root = tree.add(name="Đảng Cộng sản Việt Nam", code="VN", parent=None, kind="committee", symbol="TW")
    if tier == "ward":
        rng = random.Random(f"{seed}:wardtier")
        province = tree.add(name="Đảng bộ tỉnh Nghệ An", code="P01", parent=root, kind="committee", symbol="TU")
        for w, (members, cells) in enumerate(REFERENCE_WARDS, start=1):
            add_ward(tree, rng, province, f"P01.W{w:03d}", f"phường Tham chiếu {w}", members, cells)
        return tree
    sizes = province_sizes(seed)
    wards = ward_counts(sizes)
    count = 1 if tier == "province" else PROVINCES
    for index in range(1, count + 1):
        build_province(tree, seed, index, root, sizes[index - 1], wards[index - 1])
    return tree


# --------------------------------------------------------------------------- rows

class Columns:
    """The COPY column list of a model: the fields given here, then every other concrete
    field with its model default. A required field with no default stops the load."""

    def __init__(self, model, given):
        from django.db.models import NOT_PROVIDED

        now = dt.datetime.now(dt.UTC)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(given) - set(fields)
        if unknown:
            raise SystemExit(f"{model.__name__} has no fields {sorted(unknown)}: update bench/generate.py")
        self.table = model._meta.db_table
        self.given = list(given)
        rest, defaults = [], []
        for name, f in fields.items():
            if name in given or (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField")):
                continue
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                value = now
            elif f.default is not NOT_PROVIDED:
                value = f.get_default()
            elif f.null:
                value = None
            elif f.get_internal_type() in ("CharField", "TextField", "EmailField", "SlugField"):
                value = ""
            else:
                raise SystemExit(f"{model.__name__}.{name} is required and has no default: "
                                 "teach bench/generate.py to fill it")
            rest.append(name)
            defaults.append(value)
        self.defaults = tuple(defaults)
        self.columns = [fields[n].column for n in self.given + rest]

    def sql(self):
        cols = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.table}" ({cols}) FROM STDIN'


MEMBER_FIELDS = ["id", "full_name", "sex", "date_of_birth", "hometown_text", "ethnicity", "religion", "citizen_id",
                 "phone", "residence_address", "occupation", "general_education", "professional_degree",
                 "theory_level", "state_management_level", "admission_date", "official_date", "card_number",
                 "card_issued_on", "organization_id", "status", "search_key"]
EVENT_FIELDS = ["member_id", "status", "effective_on", "reason"]
MEETING_FIELDS = ["id", "organization_id", "kind", "state", "year", "month", "scheduled_at", "place",
                  "notified_at", "started_at", "ended_at"]
ATTENDANCE_FIELDS = ["meeting_id", "member_id", "kind", "status", "reason", "marked_at", "version"]


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class MemberMaker:
    """Members of one cell, their status events, the cell's meetings and attendance."""

    def __init__(self, seed, today):
        from dangbo.lib.vntext import search_key

        self.seed = seed
        self.today = today
        self.year = today.year
        self._key = search_key
        self._keys = {}

    def search_key(self, name):
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = self._key(name)
        return key

    def member(self, rng, pk, cell):
        today = self.today
        category = cell["category"]
        sex = "female" if rng.random() < (0.55 if category == "school" else 0.38) else "male"
        status = pick(rng, W_STATUS)
        if category == "residential":
            age = min(95, max(20, int(rng.gauss(60, 14))))
        else:
            age = min(62, max(20, int(rng.gauss(40, 9))))
        if status == "exempt":
            age = max(age, 70)
        born = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if status == "probationary":
            admitted = today - dt.timedelta(days=rng.randint(10, 360))
        else:
            earliest = years_before(today, age - 18)
            span = max((today - earliest).days - 400, 1)
            admitted = earliest + dt.timedelta(days=rng.randrange(span))
        official = None if status == "probationary" else admitted + dt.timedelta(days=365)
        name = full_name(rng, sex)
        digit = (0 if sex == "male" else 1) + (2 if born.year >= 2000 else 0)
        cccd = "" if rng.random() < 0.08 else f"{CCCD_CODES[pk // 1_000_000]}{digit}{born.year % 100:02d}{pk % 1_000_000:06d}"
        card = f"{10_000_000 + pk}" if official else None
        row = (pk, name, sex, born, "", pick(rng, W_ETHNIC), pick(rng, W_RELIGION), cccd,
               f"09{rng.randrange(10 ** 8):08d}" if rng.random() < 0.85 else "",
               f"Số {rng.randint(1, 200)}, {cell['name'][7:]}",
               rng.choice(OCCUPATIONS.get(category, OCCUPATIONS["other"])), "12/12",
               pick(rng, W_DEGREE), pick(rng, W_THEORY), pick(rng, W_STATE),
               admitted, official, card, official + dt.timedelta(days=90) if official else None,
               cell["id"], status, self.search_key(name))
        events = [(pk, "probationary", admitted, "Kết nạp vào Đảng")]
        if official:
            events.append((pk, "official", official, "Công nhận đảng viên chính thức"))
        if status not in ("probationary", "official"):
            later = (official or admitted) + dt.timedelta(days=rng.randint(30, max(31, (today - (official or admitted)).days)))
            events.append((pk, status, min(later, today), ""))
        return row, events

    def meetings(self, rng, first_pk, cell):
        """Twelve meetings of this year, held up to last month, planned from this month on."""
        day = rng.randint(5, 25)
        rows = []
        for month in range(1, 13):
            local = dt.datetime(self.year, month, day, 19, 30, tzinfo=TZ)
            held = (self.year, month) < (self.today.year, self.today.month) or (
                (self.year, month) == (self.today.year, self.today.month) and day < self.today.day)
            kind = "combined" if month % 3 == 0 else "regular"
            state = "held" if held else ("notified" if month == self.today.month else "planned")
            rows.append((first_pk + month - 1, cell["id"], kind, state, self.year, month, local,
                         "Nhà văn hóa" if cell["category"] == "residential" else "Hội trường",
                         local - dt.timedelta(days=5) if state != "planned" else None,
                         local if held else None, local + dt.timedelta(minutes=rng.randint(60, 120)) if held else None))
        return rows

    @staticmethod
    def attendance_kind(status, official):
        if status == "exempt":
            return "exempt"
        if status == "probationary":
            return "probationary"
        return "official" if official else "probationary"


# --------------------------------------------------------------------------- load

def deferred_ddl(cursor, tables):
    """Drop every index and constraint but the primary keys of ``tables``; return the DDL that restores them."""
    restore_constraints, restore_indexes, drops = [], [], []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype <> 'p' ORDER BY contype DESC", [table])
        constraint_names = set()
        for name, definition, contype in cursor.fetchall():
            constraint_names.add(name)
            drops.append(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            restore_constraints.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        for name, definition in cursor.fetchall():
            if name in constraint_names or name.endswith("_pkey"):
                continue
            drops.append(f'DROP INDEX "{name}"')
            restore_indexes.append(definition)
    # Foreign keys last: they need the unique indexes of the tables they point to.
    restore = restore_indexes + [c for c in restore_constraints if "FOREIGN KEY" not in c] + \
        [c for c in restore_constraints if "FOREIGN KEY" in c]
    return drops, restore


def recreate_database(tier):
    import psycopg

    name = f"dangbo_bench_{tier}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": f"{PG}/{name}", "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return f"{PG}/{name}"


def load(tier, seed, url, today):
    import psycopg

    from dangbo.meetings.models import Attendance, Meeting
    from dangbo.members.models import Member, StatusEvent
    from dangbo.organizations.models import Organization

    started = time.monotonic()
    tree = build_tree(tier, seed)
    cols = {
        "org": Columns(Organization, ["id", "kind", "category", "name", "code", "symbol", "parent_id", "path",
                                      "depth", "active_from", "search_key"]),
        "member": Columns(Member, MEMBER_FIELDS),
        "event": Columns(StatusEvent, EVENT_FIELDS),
        "meeting": Columns(Meeting, MEETING_FIELDS),
        "attendance": Columns(Attendance, ATTENDANCE_FIELDS),
    }
    tables = [c.table for c in cols.values()]
    conns = {k: psycopg.connect(url) for k in cols}
    for conn in conns.values():
        conn.execute("SET synchronous_commit = off")
    admin = psycopg.connect(url, autocommit=True)
    drops, restore = deferred_ddl(admin.cursor(), tables)
    for statement in drops:
        admin.execute(statement)

    from dangbo.lib.vntext import search_key

    counts = dict.fromkeys(cols, 0)
    with conns["org"].cursor().copy(cols["org"].sql()) as copy:
        d = cols["org"].defaults
        for org in tree.orgs:
            copy.write_row((org["id"], org["kind"], org["category"], org["name"], org["code"], org["symbol"],
                            org["parent_id"], org["path"], org["depth"], org["active_from"],
                            search_key(org["name"])) + d)
        counts["org"] = len(tree.orgs)
    conns["org"].commit()

    maker = MemberMaker(seed, today)
    marked = dt.datetime(today.year, 1, 1, tzinfo=TZ)
    member_pk, meeting_pk = 1, 1
    cells = [o for o in tree.orgs if o["kind"] == "cell"]
    managers = {k: conns[k].cursor().copy(cols[k].sql()) for k in ("member", "event", "meeting", "attendance")}
    copies = {k: manager.__enter__() for k, manager in managers.items()}
    dm, de, dmt, da = (cols[k].defaults for k in ("member", "event", "meeting", "attendance"))
    wm, we, wmt, wa = (copies[k].write_row for k in ("member", "event", "meeting", "attendance"))
    last_report = time.monotonic()
    for n, cell in enumerate(cells, start=1):
        rng = random.Random(f"{seed}:{cell['code']}")
        meetings = maker.meetings(rng, meeting_pk, cell)
        meeting_pk += len(meetings)
        for row in meetings:
            wmt(row + dmt)
        counts["meeting"] += len(meetings)
        for _ in range(tree.cell_members[cell["id"]]):
            row, events = maker.member(rng, member_pk, cell)
            member_pk += 1
            wm(row + dm)
            for event in events:
                we(event + de)
            counts["member"] += 1
            counts["event"] += len(events)
            status = row[20]
            if status not in ON_ROLL:
                continue
            kind = maker.attendance_kind(status, row[16])
            admitted = row[15]
            random_ = rng.random
            for meeting in meetings:
                if meeting[6].date() < admitted:
                    continue
                if meeting[3] != "held":
                    wa((meeting[0], row[0], kind, "unknown", "", None, 0) + da)
                else:
                    r = random_()
                    if status == "away" or r < 0.08:
                        wa((meeting[0], row[0], kind, "excused", ABSENCE_REASONS[int(r * 60) % 5], marked, 1) + da)
                    elif r < 0.12:
                        wa((meeting[0], row[0], kind, "unexcused", "", marked, 1) + da)
                    else:
                        wa((meeting[0], row[0], kind, "present", "", marked, 1) + da)
                counts["attendance"] += 1
        if time.monotonic() - last_report > 10:
            last_report = time.monotonic()
            elapsed = last_report - started
            print(f"  {n}/{len(cells)} cells, {counts['member']:,} members, {counts['attendance']:,} attendance "
                  f"rows, {sum(counts.values()) / elapsed:,.0f} rows/s", flush=True)
    for manager in managers.values():
        manager.__exit__(None, None, None)
    for conn in conns.values():
        conn.commit()
        conn.close()
    copied = time.monotonic() - started
    print(f"copied {sum(counts.values()):,} rows in {copied:.1f} s: {sum(counts.values()) / copied:,.0f} rows/s "
          f"({', '.join(f'{k} {v:,}' for k, v in counts.items())})", flush=True)

    t = time.monotonic()
    admin.execute("SET maintenance_work_mem = '512MB'")
    for table in tables:
        admin.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM \"{table}\"))")
    for statement in restore:
        admin.execute(statement)
    indexed = time.monotonic() - t
    t = time.monotonic()
    admin.execute("VACUUM (ANALYZE) " + ", ".join(f'"{t_}"' for t_ in tables))
    print(f"indexes and constraints rebuilt in {indexed:.1f} s, VACUUM ANALYZE {time.monotonic() - t:.1f} s",
          flush=True)
    admin.execute("CREATE TABLE IF NOT EXISTS bench_generated (tier text, seed int, generated_on date, "
                  "counts jsonb, seconds real)")
    total = time.monotonic() - started
    admin.execute("INSERT INTO bench_generated VALUES (%s, %s, %s, %s, %s)",
                  [tier, seed, today, json.dumps(counts), total])
    admin.close()
    return counts, total


EVALUATION_FIELDS = ["year", "member_id", "organization_id", "general_points", "task_points", "tasks_assigned",
                     "tasks_on_time", "tasks_exceeding", "shortcomings_fixed", "disciplined", "self_corrected"]


def evaluation_row(rng, year, member_id, cell_id):
    """The scores a cell enters for one member (Quy định 366-QĐ/TW: general 30 + tasks 70 points)."""
    r = rng.random()
    if r < 0.15:
        total = rng.randint(90, 100)
    elif r < 0.96:
        total = rng.randint(70, 89)
    elif r < 0.995:
        total = rng.randint(50, 69)
    else:
        total = rng.randint(30, 49)
    general = min(30, max(total - 70, round(total * 0.3) + rng.randint(-2, 2)))
    assigned = rng.randint(4, 12)
    if total >= 70:
        on_time = assigned if rng.random() < 0.97 else assigned - 1
    else:
        on_time = max(0, assigned - rng.randint(0, 3))
    if total >= 90 and rng.random() < 0.85:
        exceeding = min(on_time, -(-3 * assigned // 10) + rng.randint(0, 2))
    else:
        exceeding = rng.randint(0, assigned // 3)
    disciplined = rng.random() < 0.01
    return (year, member_id, cell_id, general, total - general, assigned, on_time, exceeding,
            rng.random() < 0.97, disciplined, disciplined and rng.random() < 0.3)


def load_evaluations(url, seed, year):
    """COPY one row of scores per member on the roll (replacing the evaluation rows); returns how many."""
    import psycopg

    from dangbo.evaluations.models import MemberEvaluation

    started = time.monotonic()
    cols = Columns(MemberEvaluation, EVALUATION_FIELDS)
    table = cols.table
    with psycopg.connect(url) as reader, psycopg.connect(url) as writer:
        writer.execute("SET synchronous_commit = off")
        # The bench tier holds only the bench year's rows: emptied, not deleted row by row (no dead rows).
        writer.execute(f'TRUNCATE "{table}", "{MemberEvaluation.history.model._meta.db_table}"')
        on_roll = list(ON_ROLL)
        rows = reader.cursor(name="evaluation_members")
        rows.itersize = 20_000
        rows.execute("SELECT id, organization_id FROM members_member WHERE status = ANY(%s) "
                     "ORDER BY organization_id, id", [on_roll])
        n, cell, rng = 0, None, None
        with writer.cursor().copy(cols.sql()) as copy:
            for member_id, cell_id in rows:
                if cell_id != cell:
                    cell, rng = cell_id, random.Random(f"{seed}:evaluation:{cell_id}")
                copy.write_row(evaluation_row(rng, year, member_id, cell_id) + cols.defaults)
                n += 1
        writer.commit()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'VACUUM (ANALYZE) "{table}"')
    print(f"evaluations: {n:,} rows of {year} scores in {time.monotonic() - started:.1f} s", flush=True)
    return n


def create_users(tier, url):
    """Bench accounts with roles, and one account per member of the first reference ward (the check-in burst)."""
    import django

    os.environ["DATABASE_URL"] = url
    django.setup()
    from django.contrib.auth.hashers import make_password

    from dangbo.accounts.models import Role, RoleAssignment, User
    from dangbo.members.models import Member
    from dangbo.organizations.models import Organization

    password = make_password(BENCH_PASSWORD)
    ward = Organization.objects.get(code="P01.W001")
    cell = Organization.objects.get(code="P01.W001.C01")
    province = Organization.objects.get(code="P01")
    nation = Organization.objects.get(code="VN")
    for username, org, role in (("bench_office", ward, Role.OFFICE), ("bench_cellsec", cell, Role.CELL_SECRETARY),
                                ("bench_province", province, Role.READ_ONLY), ("bench_nation", nation, Role.READ_ONLY)):
        user = User.objects.create(username=username, password=password, full_name=username)
        RoleAssignment.objects.create(user=user, organization=org, role=role)
    members = list(Member.objects.filter(organization__path__startswith=ward.path, status__in=ON_ROLL)
                   .order_by("pk").values_list("pk", "full_name"))
    users = User.objects.bulk_create([User(username=f"dv{pk}", password=password, full_name=name)
                                      for pk, name in members], batch_size=1000)
    by_name = {u.username: u.pk for u in users}
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany("UPDATE members_member SET user_id = %s WHERE id = %s",
                           [(by_name[f"dv{pk}"], pk) for pk, _name in members])
    print(f"bench users: 4 with roles, {len(users):,} members of {ward.name} with accounts")


BENCH_PASSWORD = "bench-2026"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=["ward", "province", "nation"], required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--if-missing", action="store_true", help="do nothing when the tier is already loaded")
    parser.add_argument("--evaluations", action="store_true",
                        help="only (re)load the evaluation scores into the existing tier")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.evaluations:
        return evaluations_only(args.tier, args.seed)
    if args.if_missing and generated(args.tier):
        print(f"tier {args.tier} already generated: {generated(args.tier)}")
        # A tier generated before the evaluations app existed gets its scores now.
        evaluations_only(args.tier, args.seed, if_missing=True)
        return
    today = dt.date.today()
    url = recreate_database(args.tier)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    counts, total = load(args.tier, args.seed, url, today)
    counts["evaluation"] = load_evaluations(url, args.seed, today.year)
    create_users(args.tier, url)
    print(json.dumps({"tier": args.tier, "seed": args.seed, "rows": counts, "seconds": round(total, 1),
                      "rows_per_s": round(sum(counts.values()) / total)}))


def evaluations_only(tier, seed, if_missing=False):
    """Migrate an existing tier and (re)load its evaluation scores; with ``if_missing``, only when it has none."""
    import psycopg

    url = f"{PG}/dangbo_bench_{tier}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    year = dt.date.today().year
    if if_missing:
        with psycopg.connect(url) as conn:
            if conn.execute("SELECT EXISTS (SELECT 1 FROM evaluations_memberevaluation WHERE year = %s)",
                            [year]).fetchone()[0]:
                return
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    load_evaluations(url, seed, year)


def generated(tier):
    import psycopg

    try:
        with psycopg.connect(f"{PG}/dangbo_bench_{tier}", connect_timeout=5) as conn:
            row = conn.execute("SELECT counts, seconds FROM bench_generated ORDER BY generated_on DESC LIMIT 1").fetchone()
            has_users = conn.execute("SELECT count(*) FROM accounts_user WHERE username = 'bench_office'").fetchone()[0]
            return row if row and has_users else None
    except psycopg.Error:
        return None


if __name__ == "__main__":
    main()

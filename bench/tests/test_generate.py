"""The generator's row builders: realistic names, valid CCCDs, consistent paths, the models' columns."""

import datetime as dt
import random
from collections import Counter

from bench import generate
from dangbo.lib.vntext import search_key
from dangbo.meetings.models import Attendance
from dangbo.members.models import Member
from dangbo.members.validators import citizen_id_problem


def test_it_draws_nguyen_most_often():
    rng = random.Random(1)
    surnames = Counter(generate.full_name(rng, rng.choice(["male", "female"])).split()[0] for _ in range(5000))
    (first, n), (second, _m) = surnames.most_common(2)
    assert first == "Nguyễn" and second == "Trần"
    assert 0.33 < n / 5000 < 0.43


def test_it_builds_paths_and_depths_from_the_parents():
    tree = generate.build_tree("ward", 2026)
    by_id = {o["id"]: o for o in tree.orgs}
    for org in tree.orgs:
        parent = by_id.get(org["parent_id"])
        assert org["path"] == (parent["path"] if parent else "") + f"{org['id']:07d}/"
        assert org["depth"] == (parent["depth"] + 1 if parent else 0)
    cells = [o for o in tree.orgs if o["kind"] == "cell"]
    assert len(cells) == 12 + 36 + 66
    assert sum(tree.cell_members.values()) == 400 + 1_100 + 1_800
    assert all(14 <= n <= 49 for n in tree.cell_members.values())


def test_the_nation_adds_up():
    sizes = generate.province_sizes(2026)
    assert len(sizes) == 34 and sizes[0] == 500_000 and sum(sizes) == 5_600_000
    assert sum(generate.ward_counts(sizes)) == 3_321


def test_it_makes_valid_members_and_is_deterministic():
    cell = {"id": 9, "name": "Chi bộ Khu phố 1", "category": "residential", "code": "X"}
    maker = generate.MemberMaker(2026, dt.date(2026, 11, 24))
    rows = [maker.member(random.Random(f"s{pk}"), pk, cell) for pk in range(1, 300)]
    assert rows == [maker.member(random.Random(f"s{pk}"), pk, cell) for pk in range(1, 300)]
    for (row, events) in rows:
        name, sex, born, cccd, status = row[1], row[2], row[3], row[7], row[20]
        assert row[-1] == search_key(name)
        if cccd:
            assert citizen_id_problem(cccd, sex=sex, date_of_birth=born) is None
        assert events[0][1] == "probationary" and events[-1][1] == status
        assert [e[2] for e in events] == sorted(e[2] for e in events)


def test_it_copies_every_column_of_the_models():
    columns = generate.Columns(Member, generate.MEMBER_FIELDS)
    concrete = {f.column for f in Member._meta.concrete_fields} - {"id"}
    assert concrete <= set(columns.columns)
    assert len(columns.defaults) == len(columns.columns) - len(generate.MEMBER_FIELDS)
    attendance = generate.Columns(Attendance, generate.ATTENDANCE_FIELDS)
    assert "id" not in attendance.columns and "version" in attendance.columns

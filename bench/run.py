"""Benchmark scenarios, each measured against its limit in the same run.

    python -m bench.run SCENARIO [--tier province] [--seconds 10]
    SCENARIO: pages | checkin | classification | dashboard | import | search | all

Each scenario prints one JSON object (app figure, limit figure, ratio, target, met) and a
line for the table; ``all`` runs the six and prints the table. Results are written to
var/bench/<tier>-<scenario>.json. The app is served by gunicorn with 2 sync workers on
loopback; the load generator (wrk, or the asyncio client of harness.py) runs on the
same 2 cores, as the reference figures were measured.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import harness
from bench.generate import BENCH_PASSWORD, ON_ROLL, PG, TZ

ROOT = harness.ROOT
OUT = ROOT / "var" / "bench"
ON_ROLL_SQL = "('" + "','".join(sorted(ON_ROLL)) + "')"


def setup_django(tier):
    url = f"{PG}/dangbo_bench_{tier}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("CONN_MAX_AGE", "600")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def org(code):
    from dangbo.organizations.models import Organization

    return Organization.objects.get(code=code)


def user(username):
    from dangbo.accounts.models import User

    return User.objects.get(username=username)


def verdict(met):
    return "met" if met else "NOT met"


# --------------------------------------------------------------------------- 1. ward pages

def pages(tier, url, seconds):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangbo.meetings.models import Meeting
    from dangbo.members.models import Member

    ward, cell = org("P01.W001"), org("P01.W001.C01")
    member_ids = list(Member.objects.filter(organization__path__startswith=ward.path).order_by("pk")
                      .values_list("pk", flat=True))
    rng = random.Random(7)
    details = [f"/members/{pk}/" for pk in rng.sample(member_ids, 50)]
    pages_of_list = (len(member_ids) + 49) // 50
    meetings = list(Meeting.objects.filter(organization=cell).order_by("month").values_list("pk", flat=True))
    cases = {
        "member list": ("bench_office", [f"/members/?org={ward.pk}&page={p}" for p in range(1, min(pages_of_list, 30) + 1)]),
        "member detail": ("bench_office", details),
        "meeting page": ("bench_cellsec", [f"/meetings/{pk}/attendance/" for pk in meetings]),
        "cell dashboard": ("bench_cellsec", [f"/organizations/{cell.pk}/"]),
    }
    # Queries per request, in-process through the same middleware; every path must answer 200.
    queries = {}
    for name, (username, paths) in cases.items():
        client = Client()
        client.force_login(user(username))
        counts = []
        for path in paths[:5]:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {path} gave {response.status_code} for {username}")
            counts.append(len(ctx))
        queries[name] = max(counts)
    connection.close()

    result = {"scenario": "ward pages", "tier": tier, "ward": f"{ward.name} ({len(member_ids)} members, "
              f"{ward.children.count()} cells)", "seconds_per_run": seconds, "pages": {}}
    with harness.Server(url) as server:
        cookies = {u: harness.cookie_header(harness.login(server.port, u, BENCH_PASSWORD))
                   for u in ("bench_office", "bench_cellsec")}
        for c in (10, 50):   # warm the workers
            harness.wrk(server.base, connections=c, seconds=2, cookie="", paths=["/bench/hello/"])
        hello = {c: harness.wrk(server.base, connections=c, seconds=seconds, cookie="", paths=["/bench/hello/"])
                 for c in (10, 50)}
        result["hello_world"] = hello
        for name, (username, paths) in cases.items():
            figures = {}
            harness.wrk(server.base, connections=10, seconds=2, cookie=cookies[username], paths=paths)  # warm
            for c in (10, 50):
                figures[c] = harness.wrk(server.base, connections=c, seconds=seconds, cookie=cookies[username],
                                         paths=paths)
            ratio = figures[50]["rps"] / hello[50]["rps"]
            met = figures[50]["p95_ms"] < 150 and ratio >= 0.25 and figures[50]["errors"] == 0
            result["pages"][name] = {
                "users_10": figures[10], "users_50": figures[50], "queries_per_request": queries[name],
                "ratio_to_hello_world": round(ratio, 3), "met": met,
            }
    result["target"] = "p95 < 150 ms at 50 users and >= 0.25 x hello-world req/s"
    result["met"] = all(p["met"] for p in result["pages"].values())
    lines = [f"hello world: {hello[50]['rps']:.0f} req/s at 50 users (p95 {hello[50]['p95_ms']} ms), "
             f"{hello[10]['rps']:.0f} at 10"]
    for name, p in result["pages"].items():
        lines.append(f"{name}: {p['users_50']['rps']:.0f} req/s, p50 {p['users_50']['p50_ms']} / p95 "
                     f"{p['users_50']['p95_ms']} ms at 50 users (10 users: p95 {p['users_10']['p95_ms']} ms), "
                     f"{p['queries_per_request']} queries; x{p['ratio_to_hello_world']} of hello world: "
                     f"{verdict(p['met'])}")
    return result, lines


# --------------------------------------------------------------------------- 2. check-in burst

def _checkin_setup(ward):
    """Every cell of the ward meets today: this month's meeting moved to today, roster reset."""
    from django.db import connection

    today = dt.date.today()
    local = dt.datetime(today.year, today.month, today.day, 19, 30, tzinfo=TZ)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT mt.id, mt.organization_id FROM meetings_meeting mt JOIN organizations_organization o "
            "ON o.id = mt.organization_id WHERE o.path LIKE %s AND mt.year = %s AND mt.month = %s",
            [ward.path + "%", today.year, today.month])
        meetings = dict((cell, pk) for pk, cell in cur.fetchall())
        ids = list(meetings.values())
        cur.execute("UPDATE meetings_meeting SET scheduled_at = %s, state = 'notified', started_at = NULL, "
                    "ended_at = NULL, checkin_token = id::text || '-bench' || id::text WHERE id = ANY(%s)",
                    [local, ids])
        cur.execute("DELETE FROM meetings_minutes WHERE meeting_id = ANY(%s)", [ids])
        _reset_rows(cur, ids)
        cur.execute(
            "SELECT m.id, m.organization_id, u.username FROM members_member m JOIN accounts_user u ON u.id = m.user_id "
            "JOIN meetings_attendance a ON a.member_id = m.id AND a.meeting_id = ANY(%s) ORDER BY m.id", [ids])
        members = [(pk, meetings[cell], username) for pk, cell, username in cur.fetchall()]
    return ids, members


def _reset_rows(cur, ids):
    cur.execute("UPDATE meetings_attendance SET status = 'unknown', version = 0, reason = '', arrived_at = NULL, "
                "left_at = NULL, marked_at = NULL, marked_by_id = NULL WHERE meeting_id = ANY(%s)", [ids])


def _checkin_check(ids):
    """Duplicates (two rows for one member) and each member's (status, version)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM (SELECT 1 FROM meetings_attendance WHERE meeting_id = ANY(%s) "
                    "GROUP BY meeting_id, member_id HAVING count(*) > 1) d", [ids])
        duplicates = cur.fetchone()[0]
        cur.execute("SELECT member_id, status, version FROM meetings_attendance WHERE meeting_id = ANY(%s)", [ids])
        rows = {member: (status, version) for member, status, version in cur.fetchall()}
    connection.close()
    return duplicates, rows


def checkin(tier, url, seconds):
    from django.db import connection

    ward = org("P01.W001")
    ids, members = _checkin_setup(ward)
    result = {"scenario": "check-in burst", "tier": tier, "meetings": len(ids), "members": len(members),
              "taps_per_member": 2, "concurrency": 50}
    with harness.Server(url) as server:
        started = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            jars = list(pool.map(lambda m: harness.login(server.port, m[2], BENCH_PASSWORD), members))
        result["login_seconds"] = round(time.perf_counter() - started, 1)
        app_jobs, raw_jobs, lean_jobs = [], [], []
        for (pk, meeting, _u), jar in zip(members, jars):
            headers = {"Cookie": harness.cookie_header(jar), "X-CSRFToken": jar["csrftoken"]}
            # Both taps of a member back to back: two clients send them at the same moment.
            for _tap in range(2):
                app_jobs.append((pk, f"/meetings/checkin/{meeting}-bench{meeting}/", headers))
                raw_jobs.append((pk, f"/bench/raw-checkin/{meeting}/{pk}/", headers))
                lean_jobs.append((pk, f"/bench/lean-checkin/{meeting}-bench{meeting}/", headers))
        harness.burst(server.port, [(0, "/bench/raw-checkin/0/0/", {})] * 100, concurrency=10)  # warm-up
        figures = {}
        for name, jobs in (("raw", raw_jobs), ("app", app_jobs), ("lean", lean_jobs)):
            with connection.cursor() as cur:
                _reset_rows(cur, ids)
            connection.close()
            stats, results = harness.burst(server.port, jobs, concurrency=50)
            duplicates, rows = _checkin_check(ids)
            succeeded = {pk for pk, status, _s in results if 200 <= status < 300}
            present = sum(1 for pk, _m, _u in members if rows.get(pk, ("", 0))[0] == "present")
            lost = sum(1 for pk in succeeded if rows.get(pk, ("", 0))[0] != "present")
            double = sum(1 for pk, _m, _u in members if rows.get(pk, ("", 0))[1] > 1)
            figures[name] = {**stats, "present": present, "duplicates": duplicates, "lost_updates": lost,
                             "double_writes": double}
    result["raw_sql_endpoint"] = figures["raw"]
    result["app"] = figures["app"]
    result["probe_lean_checkin"] = {**figures["lean"], "what": "session login + one guarded UPDATE (bench/views.py), "
                                    "to show what a leaner check-in could reach; not the app"}
    ratio = figures["app"]["rps"] / figures["raw"]["rps"]
    result["ratio"] = round(ratio, 3)
    result["target"] = ">= 0.6 x the raw endpoint's req/s, 0 duplicates"
    result["met"] = ratio >= 0.6 and figures["app"]["duplicates"] == 0 and figures["app"]["lost_updates"] == 0
    a, r = figures["app"], figures["raw"]
    line = (f"check-in burst ({len(members)} members x 2 taps, 50 at once): app {a['rps']:.0f} req/s p95 "
            f"{a['p95_ms']} ms vs raw UPDATE {r['rps']:.0f} req/s p95 {r['p95_ms']} ms = x{ratio:.2f}; "
            f"{a['present']}/{len(members)} present, {a['duplicates']} duplicates, {a['lost_updates']} lost, "
            f"{a['double_writes']} double writes; client CPU {a['client_cpu_share']:.0%} of the machine "
            f"({r['client_cpu_share']:.0%} in the raw run); probe 'session + one UPDATE' "
            f"{figures['lean']['rps']:.0f} req/s: "
            f"{verdict(result['met'])}")
    return result, [line]


# --------------------------------------------------------------------------- 3. classification

def _limit_sql():
    """The limit: one hand-written INSERT...SELECT of the same result as the app's classification.

    From the same rows (the cells' scores, the year's held meetings) it computes the evidence,
    the grade (Quy định 366-QĐ/TW thresholds, 124-QĐ/TW Art.12.4.3d) and the cap on excellent
    per cell (window functions) into a scratch table without indexes: no checks, no history.
    """
    grade = """CASE
        WHEN e.general_points IS NULL OR e.task_points IS NULL THEN NULL
        WHEN e.disciplined AND NOT e.self_corrected THEN 'not_completed'
        WHEN e.general_points + e.task_points >= %(excellent_min)s AND e.tasks_assigned > 0
             AND e.tasks_on_time = e.tasks_assigned AND e.tasks_exceeding * 100 >= %(exceeding)s * e.tasks_assigned
             AND e.shortcomings_fixed THEN 'excellent'
        WHEN e.general_points + e.task_points >= %(good_min)s AND e.tasks_on_time = e.tasks_assigned THEN 'good'
        WHEN e.general_points + e.task_points >= %(completed_min)s THEN 'completed'
        ELSE 'not_completed' END"""
    return f"""
INSERT INTO bench_classification (member_id, organization_id, held, attended, unexcused, proposed, grade, reduced)
SELECT r.member_id, r.organization_id, r.held, r.attended, r.unexcused, r.proposed,
       CASE WHEN r.proposed = 'excellent' AND r.rank * 100 > r.base * %(cap)s THEN 'good' ELSE r.proposed END,
       r.proposed = 'excellent' AND r.rank * 100 > r.base * %(cap)s
FROM (
    SELECT g.*, row_number() OVER (PARTITION BY g.organization_id, g.proposed = 'excellent'
                                   ORDER BY g.total DESC, g.tasks_exceeding DESC, g.id) AS rank,
           count(*) FILTER (WHERE g.proposed IN ('excellent', 'good')) OVER (PARTITION BY g.organization_id) AS base
    FROM (
        SELECT e.id, e.member_id, e.organization_id, e.tasks_exceeding, e.general_points + e.task_points AS total,
               coalesce(s.held, 0) AS held, coalesce(s.attended, 0) AS attended,
               coalesce(s.unexcused, 0) AS unexcused, {grade} AS proposed
        FROM evaluations_memberevaluation e
        JOIN organizations_organization o ON o.id = e.organization_id
        LEFT JOIN (
            SELECT a.member_id, count(*) AS held, count(*) FILTER (WHERE a.status = 'present') AS attended,
                   count(*) FILTER (WHERE a.status = 'unexcused') AS unexcused
            FROM meetings_attendance a JOIN meetings_meeting mt ON mt.id = a.meeting_id
            WHERE mt.year = %(year)s AND mt.state = 'held' AND a.status <> 'unknown'
            GROUP BY a.member_id
        ) s ON s.member_id = e.member_id
        WHERE e.year = %(year)s AND o.path LIKE %(prefix)s
    ) g
) r
"""


MISMATCH_SQL = """
SELECT count(*) FILTER (WHERE b.member_id IS NULL OR e.id IS NULL),
       count(*) FILTER (WHERE e.grade IS DISTINCT FROM b.grade OR e.proposed_grade IS DISTINCT FROM b.proposed
                        OR e.quota_reduced IS DISTINCT FROM b.reduced),
       count(*) FILTER (WHERE e.meetings_held IS DISTINCT FROM b.held OR e.meetings_attended IS DISTINCT FROM b.attended
                        OR e.meetings_absent_unexcused IS DISTINCT FROM b.unexcused)
FROM (SELECT e.* FROM evaluations_memberevaluation e JOIN organizations_organization o ON o.id = e.organization_id
      WHERE e.year = %(year)s AND o.path LIKE %(prefix)s) e
FULL JOIN bench_classification b ON b.member_id = e.member_id
"""


def classification(tier, url, seconds):
    """The app's classify_year on a province (and the nation) against one hand-written INSERT...SELECT.

    The app runs inside a transaction that is rolled back after its grades are compared with
    the limit's, so the tier keeps its generated scores (then VACUUM clears the dead rows).
    The limit runs twice first (the second is timed), so both read warm caches.
    """
    import psycopg
    from django.db import connection, transaction

    from dangbo.evaluations import actions, classification as rules_sql
    from dangbo.evaluations.models import Grade

    year = dt.date.today().year
    scopes = [("province", "P01")] + ([("nation", "VN")] if tier == "nation" else [])
    result = {"scenario": "yearly classification", "tier": tier, "year": year,
              "target": "<= 3 x the set-based INSERT...SELECT, 0 mismatches", "scopes": {}}
    lines = []

    class Rollback(Exception):
        pass

    for scope, code in scopes:
        root = org(code)
        limits = rules_sql.thresholds(root, year)
        if limits.cap_by_path:
            raise SystemExit("the limit's SQL takes one cap: remove the cap overrides from the bench tier")
        params = {"year": year, "prefix": root.path + "%", "excellent_min": limits.excellent_min,
                  "good_min": limits.good_min, "completed_min": limits.completed_min,
                  "exceeding": limits.exceeding_percent, "cap": limits.cap_percent}
        with psycopg.connect(url, autocommit=True) as conn:
            scored = conn.execute("SELECT count(*) FROM evaluations_memberevaluation WHERE year = %s",
                                  [year]).fetchone()[0]
            if not scored:
                raise SystemExit("no evaluation scores in this tier: python -m bench.generate --tier "
                                 f"{tier} --evaluations")
            conn.execute("DROP TABLE IF EXISTS bench_classification")
            conn.execute("CREATE TABLE bench_classification (member_id bigint, organization_id bigint, held int, "
                         "attended int, unexcused int, proposed text, grade text, reduced boolean)")
            limit_times = []
            for _round in range(2):
                conn.execute("TRUNCATE bench_classification")
                with conn.transaction():
                    for statement in rules_sql.PG_SETTINGS:  # the app's session settings, for a like-for-like limit
                        conn.execute(statement)
                    t = time.perf_counter()
                    rows = conn.execute(_limit_sql(), params).rowcount
                    limit_times.append(time.perf_counter() - t)
            limit = limit_times[-1]
        app_counts, app_seconds, mismatches = None, None, None
        try:
            with transaction.atomic():
                t = time.perf_counter()
                app_counts = actions.classify_year(root, year, by=None)
                app_seconds = time.perf_counter() - t
                with connection.cursor() as cur:
                    cur.execute(MISMATCH_SQL, params)
                    missing, grade_diff, evidence_diff = cur.fetchone()
                mismatches = {"rows_missing_on_either_side": missing, "grades": grade_diff, "evidence": evidence_diff}
                raise Rollback
        except Rollback:
            pass
        connection.close()
        with psycopg.connect(url, autocommit=True) as conn:
            by_grade = dict(conn.execute("SELECT grade, count(*) FROM bench_classification GROUP BY grade").fetchall())
            conn.execute("DROP TABLE bench_classification")
            conn.execute("VACUUM (ANALYZE) evaluations_memberevaluation, evaluations_historicalmemberevaluation")
        ratio = app_seconds / limit
        total_mismatches = sum(mismatches.values())
        result["scopes"][scope] = {
            "members_classified": rows, "app_seconds": round(app_seconds, 2),
            "limit_seconds": round(limit, 2), "limit_first_run_seconds": round(limit_times[0], 2),
            "ratio": round(ratio, 2), "mismatches": mismatches,
            "app_counts": app_counts, "limit_counts": {g: by_grade.get(g, 0) for g in Grade.values},
            "met": ratio <= 3 and total_mismatches == 0,
        }
        lines.append(f"classification of the {scope} ({rows:,} members): app classify_year {app_seconds:.1f} s "
                     f"(rows + evidence + grades + cap, run recorded) vs one INSERT...SELECT {limit:.1f} s = "
                     f"x{ratio:.2f}; {total_mismatches} mismatches; excellent {app_counts['excellent']:,}, "
                     f"good {app_counts['good']:,} ({app_counts['quota_reduced']:,} by the cap), completed "
                     f"{app_counts['completed']:,}, not completed {app_counts['not_completed']:,}: "
                     f"{verdict(result['scopes'][scope]['met'])}")
    result["met"] = all(s["met"] for s in result["scopes"].values())
    if tier != "nation":
        lines.append("classification of the nation: needs the nation tier (make bench NATION=1)")
    return result, lines


# --------------------------------------------------------------------------- 4. province dashboard

def dashboard(tier, url, seconds):
    import psycopg
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangbo.members import selectors

    province = org("P01")
    reader = user("bench_province")
    today = timezone.localdate()
    refresh_seconds = None
    try:
        from dangbo.dashboards import rollups
    except ImportError:
        rollups = None
    if rollups is not None:
        # What the morning task does, so the rollup is today's.
        t = time.perf_counter()
        rollups.refresh()
        refresh_seconds = round(time.perf_counter() - t, 2)
    captured = {}
    for name, rolled in (("page", True), ("live", False)):
        with CaptureQueriesContext(connection) as ctx:
            stats = _statistics_for(selectors, reader, province, today, rolled)
        captured[name] = [q["sql"] for q in ctx.captured_queries
                          if "members_member" in q["sql"] or "rollup" in q["sql"]]
    connection.close()
    path = f"/members/stats/?org={province.pk}"
    with harness.Server(url) as server:
        cookie = harness.cookie_header(harness.login(server.port, "bench_province", BENCH_PASSWORD))
        timings = []
        for _ in range(21):
            t = time.perf_counter()
            status, _h, _b = harness.request(server.port, "GET", path, headers={"Cookie": cookie}, timeout=120)
            timings.append(time.perf_counter() - t)
            if status != 200:
                raise SystemExit(f"dashboard gave {status}")
    app_cold, app_warm = timings[0], harness.summary_ms(timings[1:])
    direct = {}
    for name, statements in captured.items():
        with psycopg.connect(url) as conn:
            def run_sql(conn=conn, statements=statements):
                for sql in statements:
                    conn.execute(sql).fetchall()
            times = harness.timed(run_sql, 11)
        direct[name] = {"statements": len(statements), "cold_ms": round(times[0] * 1000, 1),
                        "warm": harness.summary_ms(times[1:])}
    live = direct["live"]
    ratio = app_warm["p50_ms"] / live["warm"]["p50_ms"] if live["warm"]["p50_ms"] else None
    result = {
        "scenario": "province dashboard", "tier": tier, "members_on_roll": stats["total"],
        "app": {"cold_ms": round(app_cold * 1000, 1), "warm": app_warm,
                "reads_rollup": bool(rollups) and captured["page"] != captured["live"]},
        "limit_live_sql_direct": live, "page_sql_direct": direct["page"],
        "rollup_refresh_seconds": refresh_seconds,
        "ratio_warm_p50_to_live_sql": round(ratio, 3) if ratio else None,
        "cold_note": "cold = first request of a freshly started server and first run on a new connection; "
                     "PostgreSQL's and the OS's caches are shared with other work and were not dropped",
        "target": "< 100 ms warm", "met": app_warm["p95_ms"] < 100,
    }
    line = (f"province dashboard ({stats['total']:,} members): app cold {app_cold * 1000:.0f} ms, warm p50 "
            f"{app_warm['p50_ms']} / p95 {app_warm['p95_ms']} ms vs the live GROUP BYs run directly: cold "
            f"{live['cold_ms']:.0f} ms, warm p50 {live['warm']['p50_ms']} ms (x{ratio:.2f}); its own "
            f"{direct['page']['statements']} SQL statement(s) direct {direct['page']['warm']['p50_ms']} ms; "
            f"rollup refresh {refresh_seconds} s: {verdict(result['met'])}")
    return result, [line]


def _statistics_for(selectors, reader, organization, today, rolled):
    import inspect

    queryset = selectors.members_in(reader, organization)
    if rolled and "organization" in inspect.signature(selectors.statistics).parameters:
        return selectors.statistics(queryset, today, organization=organization)
    return selectors.statistics(queryset, today)


# --------------------------------------------------------------------------- 5. import

IMPORT_HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Số CCCD", "Điện thoại",
                  "Nơi ở hiện nay", "Nghề nghiệp", "Chuyên môn", "Lý luận chính trị", "Ngày vào Đảng",
                  "Ngày chính thức", "Số thẻ đảng viên", "Chi bộ"]


def write_import_file(path, rows, cells, seed=11, first=0):
    """A member list as offices keep it: Vietnamese headers, dd/mm/yyyy dates, the cell's code."""
    from bench.generate import MemberMaker

    rng = random.Random(seed)
    maker = MemberMaker(seed, dt.date.today())
    degree = {"": "", "vocational": "Sơ cấp nghề", "intermediate": "Trung cấp", "college": "Cao đẳng",
              "bachelor": "Đại học", "master": "Thạc sĩ", "doctor": "Tiến sĩ"}
    theory = {"": "", "elementary": "Sơ cấp", "intermediate": "Trung cấp", "advanced": "Cao cấp", "bachelor": "Cử nhân"}
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(IMPORT_HEADERS)
        for i in range(rows):
            cell = cells[i % len(cells)]
            # Ids far above the tier's so CCCD and card numbers are new.
            m, _events = maker.member(rng, 40_000_000 + first + i, cell)
            out.writerow([i + 1, m[1], "Nam" if m[2] == "male" else "Nữ", f"{m[3]:%d/%m/%Y}", m[5], m[6], m[7], m[8],
                          m[9], m[10], degree[m[12]], theory[m[13]], f"{m[15]:%d/%m/%Y}",
                          f"{m[16]:%d/%m/%Y}" if m[16] else "", m[17] or "", cell["code"]])


def import_(tier, url, seconds, rows=None, per_file=None):
    from dangbo.members import importer
    from dangbo.organizations.models import Organization

    rows = rows or 1_000_000
    per_file = min(per_file or importer.MAX_ROWS, importer.MAX_ROWS)
    ward = org("P01.W001")
    cells = [{"code": c.code, "name": c.name, "category": c.category, "id": c.pk}
             for c in Organization.objects.filter(parent=ward).order_by("code")]
    work = OUT / "import"
    work.mkdir(parents=True, exist_ok=True)
    files = []
    t = time.perf_counter()
    for n in range(0, rows, per_file):
        path = work / f"members-{n // per_file:03d}.csv"
        size = min(per_file, rows - n)
        marker = path.with_suffix(".rows")
        if not (path.exists() and marker.exists() and marker.read_text() == f"v2:{size}:{n}"):
            write_import_file(path, size, cells, seed=11 + n, first=n)
            marker.write_text(f"v2:{size}:{n}")
        files.append(path)
    prepared = time.perf_counter() - t
    app = _child("import-app", tier, files)
    limit = _child("import-copy", tier, files)
    _vacuum(("members_member", "members_historicalmember", "members_statusevent"))
    if app["errors"] or app["saved"] != rows or limit["saved"] != rows:
        raise SystemExit(f"import did not save every row: app {app}, copy {limit}")
    ratio = app["seconds"] / limit["seconds"]
    result = {
        "scenario": "import", "tier": tier, "rows": rows, "files": len(files),
        "rows_per_file": per_file, "file_preparation_seconds": round(prepared, 1),
        "app": {**app, "rows_per_s": round(rows / app["seconds"])},
        "limit_copy": {**limit, "rows_per_s": round(rows / limit["seconds"])},
        "ratio": round(ratio, 2),
        "target": "<= 2 x COPY with < 400 MB RSS",
        "met": ratio <= 2 and app["peak_rss_mb"] < 400,
        "note": f"the importer takes at most {importer.MAX_ROWS:,} rows a file, so the rows come in "
                f"{len(files)} files, imported one after another in one process; both runs are rolled back",
    }
    line = (f"import of {rows:,} csv rows ({len(files)} files): app {app['seconds']:.0f} s "
            f"({rows / app['seconds']:,.0f} rows/s, peak RSS {app['peak_rss_mb']} MB) vs COPY {limit['seconds']:.1f} s "
            f"({rows / limit['seconds']:,.0f} rows/s, {limit['peak_rss_mb']} MB) = x{ratio:.1f}: {verdict(result['met'])}")
    return result, [line]


def _vacuum(tables):
    """Clear the dead rows the rolled-back imports left (autovacuum would, later), so later scenarios see a clean table."""
    from django.db import connection

    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(tables))
    connection.close()


def _child(mode, tier, files):
    """Run one import in a fresh process, so its peak RSS is its own."""
    out = subprocess.run([sys.executable, "-m", "bench.run", mode, "--tier", tier, "--files", *map(str, files)],
                         cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def import_child(mode, files):
    """The child side: import (or COPY) every file inside one transaction, then roll it back."""
    from django.db import connection, transaction

    from dangbo.members import importer

    ward = org("P01.W001")
    took = 0.0
    saved = 0
    errors = 0

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            t = time.perf_counter()
            for path in files:
                if mode == "import-app":
                    report = importer.import_file(Path(path), ward, by=None, filename=Path(path).name)
                    errors += len(report.errors)
                    saved += report.new_count if report.saved else 0
                else:
                    saved += _copy_file(connection, Path(path), ward)
            took = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(took, 2), "saved": saved, "errors": errors, "peak_rss_mb": round(peak)}))


def _copy_file(connection, path, ward):
    """The floor: parse the csv and COPY its rows into members_member (no checks, no history)."""
    from bench.generate import Columns
    from dangbo.lib.vntext import search_key
    from dangbo.members.models import Member
    from dangbo.organizations.models import Organization

    cells = dict(Organization.objects.filter(parent=ward).values_list("code", "pk"))
    cols = Columns(Member, ["full_name", "sex", "date_of_birth", "ethnicity", "religion", "citizen_id", "phone",
                            "residence_address", "occupation", "admission_date", "official_date", "card_number",
                            "organization_id", "status", "search_key"])

    def day(text):
        if not text:
            return None
        d, m, y = text.split("/")
        return dt.date(int(y), int(m), int(d))

    n = 0
    with connection.cursor() as cursor, open(path, encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        with cursor.cursor.copy(cols.sql()) as copy:
            for r in reader:
                official = day(r[13])
                copy.write_row((r[1], "male" if r[2] == "Nam" else "female", day(r[3]), r[4], r[5], r[6], r[7], r[8],
                                r[9], day(r[12]), official, r[14] or None, cells[r[15]],
                                "official" if official else "probationary", search_key(r[1])) + cols.defaults)
                n += 1
    return n


# --------------------------------------------------------------------------- 6. name search

def search(tier, url, seconds):
    from django.db import connection
    from django.utils import timezone

    from dangbo.lib.pagination import BoundedPaginator
    from dangbo.members import selectors
    from dangbo.members.models import Member
    from dangbo.members.views import PAGE_SIZE

    scope = "VN" if tier == "nation" else "P01"
    root = org(scope)
    reader = user("bench_nation" if tier == "nation" else "bench_province")
    today = timezone.localdate()
    rng = random.Random(5)
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM members_member")
        top = cur.fetchone()[0]
    names = []
    while len(names) < 40:
        m = Member.objects.filter(pk=rng.randint(1, top)).values_list("full_name", flat=True).first()
        if m:
            names.append(m)
    # What people type: the full name without accents, with accents, or the name and given name.
    queries = []
    for i, name in enumerate(names):
        words = name.split()
        queries.append([name.lower(), name, " ".join(words[-2:]), f"{words[0]} {words[-1]}"][i % 4])

    def run(q):
        # As the member list pages a search: its first 1,001 matches, then the first page of them.
        members = selectors.members_in(reader, root)
        qs = selectors.filter_members(members, {"q": q}, today)
        paginator = BoundedPaginator(qs, PAGE_SIZE, rows=members)
        page = paginator.page(1)
        return paginator.count, len(page.object_list)

    for q in queries[:5]:
        run(q)   # warm
    timings, hits = [], []
    for _round in range(3):
        for q in queries:
            t = time.perf_counter()
            count, _n = run(q)
            timings.append(time.perf_counter() - t)
            hits.append(count)
    figures = harness.summary_ms(timings)
    # The limit: the same filter as one direct lookup of the word index, no bound, no join, no order.
    import psycopg

    from dangbo.lib.vntext import search_words
    from dangbo.lib.wordsearch import TOKENS, WordStarts

    with psycopg.connect(url) as conn:
        def direct(q):
            conn.execute(f"SELECT id FROM members_member WHERE {TOKENS.format(key='search_key')} @@ %s::tsquery "
                         "LIMIT 50", [WordStarts("search_key", search_words(q)).tsquery()]).fetchall()
        limit_times = []
        for q in queries:
            t = time.perf_counter()
            direct(q)
            limit_times.append(time.perf_counter() - t)
    limit = harness.summary_ms(limit_times)
    members = Member.objects.filter(organization__path__startswith=root.path).count()
    result = {"scenario": "name search", "tier": tier, "scope": root.name, "members_in_scope": members,
              "queries": len(queries), "examples": queries[:4], "median_hits": sorted(hits)[len(hits) // 2],
              "app": figures, "limit_direct_words_50": limit,
              "ratio_p95": round(figures["p95_ms"] / limit["p95_ms"], 2) if limit["p95_ms"] else None,
              "target": "p95 < 50 ms", "met": figures["p95_ms"] < 50}
    line = (f"name search over {members:,} members ({len(queries)} names x 3): app p50 {figures['p50_ms']} / p95 "
            f"{figures['p95_ms']} ms (first 1,001 matches + first page) vs direct word lookup LIMIT 50 p95 {limit['p95_ms']} ms: "
            f"{verdict(result['met'])}")
    return result, [line]


# --------------------------------------------------------------------------- main

SCENARIOS = {"pages": pages, "checkin": checkin, "classification": classification, "dashboard": dashboard,
             "import": import_, "search": search}


def main(argv=None):
    parser = argparse.ArgumentParser(description="dangbo benchmarks")
    parser.add_argument("scenario", choices=[*SCENARIOS, "all", "import-app", "import-copy"])
    parser.add_argument("--tier", default="province", choices=["ward", "province", "nation"])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--files", nargs="*")
    args = parser.parse_args(argv)
    url = setup_django(args.tier)
    if args.scenario in ("import-app", "import-copy"):
        return import_child(args.scenario, args.files)
    OUT.mkdir(parents=True, exist_ok=True)
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    table = []
    for name in names:
        started = time.monotonic()
        if name == "import":
            result, lines = import_(args.tier, url, args.seconds, rows=args.import_rows)
        else:
            result, lines = SCENARIOS[name](args.tier, url, args.seconds)
        result["wall_seconds"] = round(time.monotonic() - started, 1)
        result["measured_at"] = dt.datetime.now().isoformat(timespec="seconds")
        (OUT / f"{args.tier}-{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
        print(json.dumps(result, ensure_ascii=False), flush=True)
        for line in lines:
            print(f"== {line}", flush=True)
        table.extend(lines)
    if len(names) > 1:
        print(f"\n==== {args.tier} tier ====")
        for line in table:
            print(f"  {line}")


if __name__ == "__main__":
    main()

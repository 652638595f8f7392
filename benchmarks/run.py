"""Benchmark of the pages leaders and officials use, at the size of a city, a province and
the whole country, on PostgreSQL. Run by `bin/bench`; not part of the test suite.

    bin/bench                 # city, province, nation; reuses bench databases that exist
    bin/bench --fresh nation  # regenerate one size first

For each size: a database bench_<size> (created here with generate_synthetic), then each
page through Django's test client: median and 95th percentile of the time, queries, peak
Python memory (tracemalloc), and beside it the time of one hand-written SQL query that
computes the same figures from the raw reports: the floor for adding them up on the fly.
The table is printed and written into BENCHMARKS.md between the markers.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {
    # name: (description, generate_synthetic arguments, or None for the real 2023 plan)
    "city": ("Thành phố Lai Châu: kế hoạch 2023 thật, 7 xã phường", None),
    # On the real units (plans/admin_units): Lào Cai, the province whose size is nearest the
    # 98 communes the invented province had, and the 34 provinces of 1/7/2025.
    "province": (
        "Một tỉnh thật: Lào Cai, 99 xã, phường, 100 chỉ tiêu",
        ["--province", "15", "--indicators", "100"],
    ),
    "nation": (
        "Cả nước thật: 34 tỉnh, thành phố, 3.321 xã, phường, đặc khu, 100 chỉ tiêu",
        ["--provinces", "34", "--indicators", "100"],
    ),
}
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def env_for(size: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/bench_{size}",
        "DJANGO_SETTINGS_MODULE": "laichau_agri.settings",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
    }


def psql(sql: str, db="postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG}/{db}", "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def manage(size: str, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env_for(size), check=True)


def prepare(size: str, fresh: bool) -> float | None:
    """Create and fill bench_<size> unless it is there; returns the generation time."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = 'bench_{size}'") == "1"
    if exists and not fresh:
        manage(size, "migrate", "--no-input", "-v0")  # the code may have moved on
        return None
    psql(f'DROP DATABASE IF EXISTS "bench_{size}"')
    psql(f'CREATE DATABASE "bench_{size}"')
    manage(size, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    arguments = SIZES[size][1]
    if arguments is None:
        manage(size, "loaddata", "plan_2023", "seasonal_profiles", "-v0")
        manage(size, "create_periods", "2023")
        manage(size, "generate_synthetic", "--plan-year", "2023", "--seed", "1")
    else:
        manage(size, "generate_synthetic", *arguments, "--seed", "1", "--fill", "0.8")
    return time.monotonic() - started


# The tables every page and floor reads: without statistics the timings mean nothing.
BIG_TABLES = [
    "targets_reportfigure",
    "targets_report",
    "targets_reportevent",
    "targets_target",
    "reports_areatotal",
    "plans_administrativeunit",
]


def refuse_without_statistics(size: str) -> None:
    """Stop with a clear message if a big table of bench_<size> has no planner statistics
    (COPY without ANALYZE, autovacuum off): PostgreSQL would plan every query blind, the
    floor with it, and the ratios would compare two wrong numbers."""
    wanting = (
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, json; django.setup(); from common.db import missing_statistics; "
                f"print(json.dumps(missing_statistics({BIG_TABLES!r})))",
            ],
            cwd=ROOT,
            env=env_for(size),
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if found := json.loads(wanting):
        sys.exit(
            f"bench_{size}: PostgreSQL has no usable statistics for "
            + "; ".join(found)
            + f". Run `psql {PG}/bench_{size} -c ANALYZE` (generate_synthetic, "
            "rebuild_totals and restore_db do it themselves) and try again."
        )


# ---------------------------------------------------------------- measuring (in Django)

FLOOR_DASHBOARD = """
WITH f AS (
  SELECT r.unit_id, f.indicator_id, i.behaviour, p.kind, p.ends_on, f.value
  FROM targets_reportfigure f
  JOIN targets_report r ON r.id = f.report_id
  JOIN targets_reportingperiod p ON p.id = r.period_id
  JOIN targets_indicator i ON i.id = f.indicator_id
  JOIN plans_administrativeunit u ON u.id = r.unit_id
  WHERE p.plan_id = %(plan)s AND r.status = 'da_duyet' AND p.ends_on <= %(as_of)s
    AND (u.id = %(area)s OR u.path LIKE %(under)s) {unit_filter}
), k AS (
  SELECT unit_id, indicator_id, kind, max(ends_on) AS last_end,
         CASE WHEN behaviour = 'phat_sinh' AND kind IN ('thang', 'quy') THEN sum(value)
              ELSE (array_agg(value ORDER BY ends_on DESC))[1] END AS v
  FROM f GROUP BY unit_id, indicator_id, behaviour, kind
), u AS (
  SELECT DISTINCT ON (unit_id, indicator_id) unit_id, indicator_id, v FROM k
  ORDER BY unit_id, indicator_id, last_end DESC,
    CASE kind WHEN 'nam' THEN 5 WHEN '9t' THEN 4 WHEN '6t' THEN 3 WHEN 'quy' THEN 2 ELSE 1 END DESC
)
SELECT indicator_id, sum(v) FROM u GROUP BY indicator_id
"""

FLOOR_OVERVIEW = """
SELECT r.period_id, r.status, count(*) FROM targets_report r
JOIN targets_reportingperiod p ON p.id = r.period_id
WHERE p.plan_id = %(plan)s AND p.kind = 'quy' AND r.unit_id = ANY(%(units)s)
GROUP BY 1, 2
"""

FLOOR_REPORT = """
SELECT f.indicator_id, f.value FROM targets_reportfigure f
JOIN targets_report r ON r.id = f.report_id
WHERE r.unit_id = %(unit)s AND r.period_id = %(period)s
"""


def measure(size: str, repeat: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import tracemalloc

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.models import Profile, Role
    from dashboards.board import attainment, default_as_of
    from plans.models import Plan
    from plans.selectors import grassroots_units
    from reporting.models import PlanTotals, Report, ReportingPeriod

    plan = Plan.objects.select_related("unit").order_by("-year").first()
    year = plan.year
    unit = grassroots_units(plan).first()
    period = plan.periods.get(code=f"{year}-q1")
    as_of = default_as_of(plan, __import__("datetime").date.today())

    def user(name, role):
        account, _ = get_user_model().objects.get_or_create(username=name)
        Profile.objects.get_or_create(user=account, defaults={"role": role})
        client = Client()
        client.force_login(account)
        return client

    leader = user("bench-lanhdao", Role.LEADERSHIP)
    officer = user("bench-kinhte", Role.ECONOMIC_OFFICE)

    def floor(sql, params, count=5):
        times = []
        with connection.cursor() as cursor:
            for _ in range(count):
                started = time.perf_counter()
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                times.append(time.perf_counter() - started)
        return statistics.median(times), rows

    def dashboard_floor(unit_filter="", unit_id=None):
        sql = FLOOR_DASHBOARD.format(unit_filter=unit_filter)
        return floor(
            sql,
            {
                "plan": plan.pk,
                "as_of": as_of,
                "area": plan.unit_id,
                "under": f"{plan.unit.path}/%",
                "unit": unit_id,
            },
        )

    units = list(grassroots_units(plan).values_list("pk", flat=True)[:50])
    pages = [
        ("dashboard", f"/dashboard/{year}/", leader, lambda: dashboard_floor()),
        (
            "dashboard, one unit",
            f"/dashboard/{year}/don-vi/{unit.slug}/",
            leader,
            lambda: dashboard_floor("AND r.unit_id = %(unit)s", unit.pk),
        ),
        (
            "overview (50 units a page)",
            f"/reports/{year}/",
            officer,
            lambda: floor(FLOOR_OVERVIEW, {"plan": plan.pk, "units": units}),
        ),
        (
            "a unit's report",
            f"/reports/{year}/{unit.slug}/{period.code}/",
            officer,
            lambda: floor(FLOOR_REPORT, {"unit": unit.pk, "period": period.pk}),
        ),
    ]
    try:
        export = reverse("dashboards:export_xlsx", kwargs={"year": year})
    except NoReverseMatch:
        export = None
    if export:
        pages.append(("Excel export", export, leader, lambda: dashboard_floor()))
    slow = {"Excel export"} if size == "nation" else set()

    def time_page(url, client, count, trace=True, warm=True):
        if warm:
            response = client.get(url)  # templates, sessions
            assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                size = sum(len(chunk) for chunk in response.streaming_content)
            else:
                size = len(response.content)
            times.append(time.perf_counter() - started)
        queries = []

        def counted(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        # Each request resets connection.queries, so count at the cursor instead.
        with connection.execute_wrapper(counted):
            client.get(url)
        peak = None
        if trace:
            tracemalloc.start()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                for _chunk in response.streaming_content:
                    pass
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        times.sort()
        return {
            "n": count,
            "median": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "queries": len(queries),
            "peak_mb": peak / 2**20 if peak is not None else None,
            "bytes": size,
        }

    results = []
    for name, url, client, floor_of in pages:
        # Pages that take a minute at nation size are timed once, without a warm-up.
        if name in slow:
            row = {"page": name, "url": url, **time_page(url, client, 1, warm=False)}
        else:
            row = {"page": name, "url": url, **time_page(url, client, repeat)}
        row["floor"], _rows = floor_of()
        results.append(row)

    # The same dashboard adding up every figure (no running totals), for comparison.
    with transaction.atomic():
        PlanTotals.objects.filter(plan=plan).delete()
        once = 1 if size == "nation" else min(repeat, 5)
        row = {"page": "dashboard without totals", "url": f"/dashboard/{year}/"}
        # tracemalloc over millions of rows takes many minutes: not traced at nation size.
        row.update(
            time_page(
                f"/dashboard/{year}/", leader, once, trace=size != "nation", warm=size != "nation"
            )
        )
        row["floor"], _rows = dashboard_floor()
        results.append(row)
        transaction.set_rollback(True)

    # The floor query and the dashboard must agree, or the floor measures something else.
    _t, floor_rows = dashboard_floor()
    by_indicator = dict(floor_rows)
    board = attainment(plan, as_of=as_of)
    mismatches = [
        item.indicator.code
        for item in board.city
        if (item.actual or None) != (by_indicator.get(item.indicator.pk) or None)
        and not (item.actual is None and item.indicator.pk not in by_indicator)
    ]
    counts = {
        "units": grassroots_units(plan).count(),
        "indicators": plan.targets.values("indicator").distinct().count(),
        "targets": plan.targets.count(),
        "periods": ReportingPeriod.objects.filter(plan=plan).count(),
        "reports": Report.objects.filter(period__plan=plan).count(),
        "figures": psql_count(
            connection,
            "SELECT count(*) FROM targets_reportfigure f JOIN targets_report r "
            "ON r.id = f.report_id JOIN targets_reportingperiod p ON p.id = r.period_id "
            f"WHERE p.plan_id = {plan.pk}",
        ),
        "area_totals": psql_count(connection, "SELECT count(*) FROM reports_areatotal"),
        "database": psql_count(
            connection, "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ),
    }
    return {
        "size": size,
        "counts": counts,
        "results": results,
        "floor_matches_dashboard": not mismatches,
        "mismatches": mismatches[:5],
        "load": os.getloadavg(),
    }


def psql_count(connection, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


# ---------------------------------------------------------------- report


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.1f}"
    return f"{seconds * 1000:,.0f}".replace(",", ".")


def peak(mb: float | None) -> str:
    return "–" if mb is None else f"{mb:.1f}"


def table(runs: list[dict]) -> str:
    lines = [
        "| size | page | median ms | p95 ms | n | queries | peak MB | SQL floor ms | × floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for row in run["results"]:
            ratio = row["median"] / row["floor"] if row["floor"] else 0
            lines.append(
                f"| {run['size']} | {row['page']} | {ms(row['median'])} | {ms(row['p95'])} "
                f"| {row['n']} | {row['queries']} "
                f"| {peak(row['peak_mb'])} "
                f"| {ms(row['floor'])} "
                f"| {ratio:.1f} |"
            )
    lines.append("")
    lines.append(
        "| size | units | indicators | targets | reports | figures | totals rows | "
        "database | generated in | load during run |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
    for run in runs:
        c = run["counts"]
        generated = f"{run['generated']:.0f} s" if run.get("generated") else "(reused)"
        load = ", ".join(f"{x:.1f}" for x in run["load"])
        lines.append(
            f"| {run['size']} | {c['units']} | {c['indicators']} | {c['targets']} "
            f"| {c['reports']} | {c['figures']} | {c['area_totals']} | {c['database']} "
            f"| {generated} | {load} |"
        )
    agree = all(run["floor_matches_dashboard"] for run in runs)
    lines.append("")
    lines.append(
        "The floor query gives the same plan-wide figures as the dashboard at every size: "
        + ("yes." if agree else "NO: " + str({r["size"]: r["mismatches"] for r in runs}))
    )
    return "\n".join(lines)


def write_markdown(text: str, begin: str = BEGIN, end: str = END):
    """Replace what stands between the markers in BENCHMARKS.md (added at the end if new)."""
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    if begin not in current:
        current = f"{current.rstrip()}\n\n{begin}\n{end}\n"
    head, rest = current.split(begin, 1)
    _old, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{text}\n{end}{tail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", help="city, province, nation (default: all)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the databases")
    parser.add_argument("--repeat", type=int, default=0, help="requests per page")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--drop", action="store_true", help="drop the bench databases after")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat), default=str))
        return
    args.sizes = args.sizes or list(SIZES)
    if unknown := set(args.sizes) - set(SIZES):
        parser.error(f"unknown size {unknown}; choose from {list(SIZES)}")
    # Pages are measured as production serves them: DEBUG off, static files collected.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env_for(args.sizes[0]),
        check=True,
    )
    runs = []
    for size in args.sizes:
        generated = prepare(size, args.fresh)
        refuse_without_statistics(size)
        repeat = args.repeat or {"city": 30, "province": 20, "nation": 10}[size]
        output = subprocess.run(
            [sys.executable, __file__, "--measure", size, "--repeat", str(repeat)],
            env=env_for(size),
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        run = json.loads(output.strip().splitlines()[-1])
        run["generated"] = generated
        runs.append(run)
        print(f"{size}: done", file=sys.stderr)
    text = table(runs)
    print(text)
    if set(args.sizes) == set(SIZES):
        write_markdown(text)
    (ROOT / "benchmarks" / "last-run.json").write_text(json.dumps(runs, indent=1, default=str))
    if args.drop:
        for size in args.sizes:
            psql(f'DROP DATABASE IF EXISTS "bench_{size}"')


if __name__ == "__main__":
    main()

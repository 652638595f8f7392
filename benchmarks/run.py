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
import re
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
# Databases are <prefix><size>: bench_city, … unless BENCH_DB_PREFIX says otherwise (two
# people benchmarking on one server).
PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench_")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def env_for(size: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{PREFIX}{size}",
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
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{PREFIX}{size}'") == "1"
    if exists and not fresh:
        manage(size, "migrate", "--no-input", "-v0")  # the code may have moved on
        return None
    psql(f'DROP DATABASE IF EXISTS "{PREFIX}{size}"')
    psql(f'CREATE DATABASE "{PREFIX}{size}"')
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
            f"{PREFIX}{size}: PostgreSQL has no usable statistics for "
            + "; ".join(found)
            + f". Run `psql {PG}/{PREFIX}{size} -c ANALYZE` (generate_synthetic, "
            "rebuild_totals and restore_db do it themselves) and try again."
        )


# ---------------------------------------------------------------- measuring (in Django)

# What the dashboard of the plan's whole area shows, by hand: its targets with the
# running totals at the cut-off, the quarterly series behind the charts drawn (the page
# draws a few, those needing attention first; their codes are read off the page), the reports of
# the quarters shown counted by class and by the area under it (province or commune),
# the latest status of each task in each unit, the OCOP register, the areas listed.
FLOOR_DASHBOARD = [
    """SELECT t.id, i.code, i.name, i.unit_of_measure, t.value, a.value, a.units
       FROM targets_target t JOIN targets_indicator i ON i.id = t.indicator_id
       LEFT JOIN reports_areatotal a ON a.plan_id = t.plan_id AND a.area_id = t.unit_id
         AND a.indicator_id = t.indicator_id AND a.units > 0
         AND a.cutoff = (SELECT max(ends_on) FROM targets_reportingperiod
                         WHERE plan_id = %(plan)s AND ends_on <= %(as_of)s)
       WHERE t.plan_id = %(plan)s AND t.unit_id = %(plan_unit)s ORDER BY t.position""",
    """SELECT a.indicator_id, a.cutoff, a.value FROM reports_areatotal a
       WHERE a.plan_id = %(plan)s AND a.area_id = %(plan_unit)s AND a.units > 0
         AND a.indicator_id IN (SELECT id FROM targets_indicator
                                WHERE code = ANY(%(charted)s::text[]))
         AND a.cutoff IN (SELECT ends_on FROM targets_reportingperiod WHERE plan_id = %(plan)s
                          AND kind = 'quy' AND ends_on <= %(as_of)s)""",
    """SELECT r.period_id, split_part(u.path, '/', %(depth)s) AS area,
              count(*) FILTER (WHERE r.status IN ('da_gui', 'da_duyet') AND NOT r.submitted_late),
              count(*) FILTER (WHERE r.status IN ('da_gui', 'da_duyet') AND r.submitted_late),
              count(*) FILTER (WHERE r.status = 'tra_lai')
       FROM targets_report r JOIN targets_reportingperiod p ON p.id = r.period_id
       JOIN plans_administrativeunit u ON u.id = r.unit_id
       WHERE p.plan_id = %(plan)s AND p.kind = 'quy' AND p.ends_on <= %(as_of)s
       GROUP BY 1, 2""",
    """SELECT status, count(*) FROM (
         SELECT DISTINCT ON (tp.task_id, r.unit_id) tp.status
         FROM targets_taskprogress tp JOIN targets_report r ON r.id = tp.report_id
         JOIN targets_reportingperiod p ON p.id = r.period_id
         WHERE p.plan_id = %(plan)s AND r.status = 'da_duyet' AND p.ends_on <= %(as_of)s
         ORDER BY tp.task_id, r.unit_id, p.ends_on DESC) latest GROUP BY status""",
    """SELECT o.stars, o.status, count(*) FROM plans_ocopproduct o
       JOIN plans_administrativeunit u ON u.id = o.unit_id
       WHERE u.path LIKE %(under)s AND o.decision_date <= %(as_of)s GROUP BY 1, 2""",
    """SELECT u.id, u.name, u.slug FROM plans_administrativeunit u
       WHERE u.parent_id = %(plan_unit)s ORDER BY u.position, u.name""",
]


def measure(size: str, repeat: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import datetime
    import tracemalloc

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.models import Profile, Role
    from benchmarks.perf_approve import measure_approvals
    from benchmarks.perf_pages import FLOOR_OVERVIEW, FLOOR_REPORT
    from common.numbers import format_number
    from dashboards.board import attainment, default_as_of
    from plans.models import AdministrativeUnit, Plan
    from plans.selectors import grassroots_units
    from reporting.models import Report, ReportingPeriod

    plan = Plan.objects.select_related("unit").order_by("-year").first()
    year = plan.year
    unit = grassroots_units(plan).order_by("path").first()
    period = plan.periods.get(code=f"{year}-q1")
    as_of = default_as_of(plan, datetime.date.today())
    params = {
        "plan": plan.pk,
        "plan_unit": plan.unit_id,
        "unit": unit.pk,
        "path": unit.path,
        "period": period.pk,
        "kind": period.kind,
        "ends_on": period.ends_on,
        "as_of": as_of,
        "under": f"{plan.unit.path}/%",
        "depth": plan.unit.path.count("/") + 2,
    }

    def user(name, role):
        account, _ = get_user_model().objects.get_or_create(username=name)
        Profile.objects.get_or_create(user=account, defaults={"role": role})
        client = Client()
        client.force_login(account)
        return client

    leader = user("bench-lanhdao", Role.LEADERSHIP)
    officer = user("bench-kinhte", Role.ECONOMIC_OFFICE)

    def floor(statements, count):
        times = []
        with connection.cursor() as cursor:
            for _ in range(max(count, 5)):
                started = time.perf_counter()
                rows = []
                for sql in statements:
                    cursor.execute(sql, params)
                    rows.append(cursor.fetchall())
                times.append(time.perf_counter() - started)
        return statistics.median(times), rows

    def time_page(url, client, count):
        response = client.get(url)  # templates, sessions
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        queries = []

        def counted(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        # Each request resets connection.queries, so count at the cursor instead.
        with connection.execute_wrapper(counted):
            client.get(url)
        tracemalloc.start()
        client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        times.sort()
        return {
            "n": count,
            "median": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "queries": len(queries),
            "peak_mb": peak / 2**20,
            "bytes": len(response.content),
        }, response.content.decode()

    def shows_dashboard(html, rows):
        """The floor's plan-wide actuals are the board's, and each is on the page."""
        board = {i.target.pk: i.actual for i in attainment(plan, as_of=as_of).city}
        floor_actuals = {target_id: actual for target_id, *_x, actual, _units in rows[0]}
        return floor_actuals == board and all(
            format_number(a) in html for a in floor_actuals.values() if a is not None
        )

    def shows_report(html, rows):
        return all(format_number(value) in html for _i, value in rows[2])

    def shows_overview(html, rows):
        return all(name in html for _pk, name in rows[0][1:])

    pages = [
        ("dashboard", f"/dashboard/{year}/", leader, FLOOR_DASHBOARD, shows_dashboard),
        (
            "a unit's report",
            f"/reports/{year}/{unit.slug}/{period.code}/",
            officer,
            FLOOR_REPORT,
            shows_report,
        ),
        (
            "overview (50 units a page)",
            f"/reports/{year}/",
            officer,
            FLOOR_OVERVIEW,
            shows_overview,
        ),
    ]
    results = []
    for name, url, client, statements, shows in pages:
        row, html = time_page(url, client, repeat)
        # The charts the page drew, each headed by a link to its indicator's page.
        params["charted"] = re.findall(
            rf'<h3 class="h6"><a href="/dashboard/{year}/chi-tieu/([^/"]+)/', html
        )
        row["floor"], rows = floor(statements, repeat)
        row.update(page=name, url=url, floor_queries=len(statements), checked=shows(html, rows))
        results.append(row)

    # The dashboard at its largest: the area below with the most communes (a province
    # of the nation), submitted reports counted and today's map, every option that
    # lengthens its rows; the target is under 100 KB however it is asked.
    biggest = (
        AdministrativeUnit.objects.filter(parent=plan.unit, children__isnull=False)
        .annotate(communes=Count("children"))
        .order_by("-communes")
        .first()
    )
    largest_url = f"/dashboard/{year}/?gom_da_gui=true&theo=hien-nay"
    if biggest is not None:
        largest_url += f"&khu_vuc={biggest.slug}"
    largest = len(leader.get(largest_url).content)

    # For scale, beside the floors: what any page costs before it shows anything (the
    # session, the user and the site's layout), read from the empty notifications inbox.
    fixed, _html = time_page("/notifications/", officer, repeat)

    approvals = measure_approvals(min(repeat, 10))

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
        "fixed": fixed,
        "largest_dashboard": {"url": largest_url, "bytes": largest},
        "approvals": approvals,
        "load": os.getloadavg(),
    }


def measure_export_apart(size: str) -> dict:
    """The export in a process of its own, so that its peak RSS is its own."""
    output = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "perf_export.py"), "--json"],
        env=env_for(size),
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


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


TARGET = {"export": 1.5}  # × floor; every other page 3×
# Why a page misses its target, where it does (from profiles of the runs; BENCHMARKS.md).
CAUSES = {
    "dashboard": "its SQL is about the floor's (at nation 18 queries ≈18 ms against the "
    "floor's 6 in ≈14 ms; the reports counted by area, ≈8 ms, are the same work in both); "
    "the rest is Python that does not grow with the country: a request's fixed cost (the "
    "empty page below), judging and holding 100 targets (≈10 ms), the template (≈10 ms, "
    "the layout ≈3 of it) and building a dozen small ORM queries (≈8 ms); at city and "
    "province size the floor (2–3 ms) is below a request's fixed cost alone",
    "a unit's report": "a request's fixed cost alone (the empty page below) is ≈3× the "
    "floor's 4 queries; on top, ≈14 ms of Python reading through the ORM (the targets above "
    "the commune, the report's steps and figures, the next report waiting, each query "
    "built) and ≈5 ms of template beyond the layout (100 figure rows, the history); its 15 "
    "queries take ≈3× the floor's 4",
    "overview (50 units a page)": "its 3 page queries take about the floor's time (a "
    "page of 50 sorted out of all the plan's communes, as the floor does); the rest is a "
    "request's fixed cost (the empty page below) and 200 state cells through the template",
    "export": "fixed costs that do not grow with the country: gathering the board (≈20 "
    "queries, every target judged), five sheets and the zip, against a floor that writes "
    "a few rows; at nation size the export is under its floor",
    "approval": "keeping totals is reading the unit's figures (≈1,5 ms), its values before "
    "and after by values.series (≈2–3 ms of Python) and one upsert of 0–870 rows (0–435 "
    "totals × the 2 areas above a commune, one row for both readings, updated in place at "
    "fillfactor 50: ≈3 ms); it is about equal to the rest, so a busy machine tips single "
    "runs either way",
}


def verdict(name: str, ratio: float) -> str:
    target = TARGET.get(name, 3.0)
    if ratio <= target:
        return f"met (≤ {target:g}×)"
    return f"NOT met (> {target:g}×): {CAUSES.get(name, 'see BENCHMARKS.md')}"


def number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def table(runs: list[dict]) -> str:
    lines = [
        "| size | page | median ms | p95 ms | n | queries | HTML KB | peak MB "
        "| floor ms (queries) | × floor | floor gives the page's numbers | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for run in runs:
        for row in run["results"]:
            ratio = row["median"] / row["floor"] if row["floor"] else 0
            lines.append(
                f"| {run['size']} | {row['page']} | {ms(row['median'])} | {ms(row['p95'])} "
                f"| {row['n']} | {row['queries']} | {row['bytes'] / 1024:.0f} "
                f"| {peak(row['peak_mb'])} | {ms(row['floor'])} ({row['floor_queries']}) "
                f"| {number(ratio)} | {'yes' if row['checked'] else 'NO'} "
                f"| {verdict(row['page'], ratio)} |"
            )
    if any(run.get("largest_dashboard") for run in runs):
        lines.append("")
        lines.append(
            "The dashboard at its largest (the area below with the most communes, submitted "
            "reports counted, today's map; target under 100 KB): "
            + "; ".join(
                f"{run['size']} {number(run['largest_dashboard']['bytes'] / 1024)} KB "
                f"(`{run['largest_dashboard']['url']}`)"
                for run in runs
                if run.get("largest_dashboard")
            )
            + "."
        )
    if any(run.get("fixed") for run in runs):
        lines.append("")
        lines.append(
            "For scale, what every page costs before it shows anything (session, user, the "
            "site's layout: the empty notifications inbox, through the same client): "
            + "; ".join(
                f"{run['size']} {ms(run['fixed']['median'])} ms ({run['fixed']['queries']} queries)"
                for run in runs
                if run.get("fixed")
            )
            + "."
        )
    lines += [
        "",
        "| size | approving one report | n | queries | of it keeping totals | the rest "
        "| totals ÷ rest | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in runs:
        a = run["approvals"]
        share = a["totals"] / a["rest"] if a["rest"] else 0
        lines.append(
            f"| {run['size']} | {ms(a['median'])} ms | {a['n']} | {a['queries']:g} "
            f"| {ms(a['totals'])} ms | {ms(a['rest'])} ms | {number(share, 2)} "
            f"| {'met' if share <= 1 else 'NOT met: ' + CAUSES['approval']} (totals ≤ the rest) |"
        )
    lines += [
        "",
        "| size | Excel export (queued) | figures gathered | sheets written | Python peak "
        "| RSS | file | floor: values by SQL + the rest by SQL + xlsxwriter | × floor | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for run in runs:
        e = run.get("export")
        if not e:
            continue
        ratio = e["seconds"] / e["floor_seconds"]
        lines.append(
            f"| {run['size']} | {number(e['seconds'], 2)} s | {number(e['gather_seconds'], 2)} s "
            f"| {number(e['write_seconds'], 2)} s | {e['peak_mb']:.0f} MB | {e['rss_mb']:.0f} MB "
            f"| {e['file_bytes'] / 2**20:.1f} MB "
            f"| {number(e['floor_seconds'], 2)} s = {number(e['floor_values_seconds'], 2)} "
            f"({e['floor_values_by']}) + {number(e['floor_rest_seconds'], 2)} "
            f"+ {number(e['floor_writer_seconds'], 2)} "
            f"| {number(ratio, 2)} | {verdict('export', ratio)}"
            f"{'' if e['peak_mb'] < 100 else '; peak over 100 MB'} |"
        )
    lines += [
        "",
        "| size | units | indicators | targets | reports | figures | totals rows | "
        "database | generated in | load during run |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for run in runs:
        c = run["counts"]
        generated = f"{run['generated']:.0f} s" if run.get("generated") else "(reused)"
        load = ", ".join(f"{x:.1f}" for x in run["load"])
        lines.append(
            f"| {run['size']} | {c['units']} | {c['indicators']} | {c['targets']} "
            f"| {c['reports']} | {c['figures']} | {c['area_totals']} | {c['database']} "
            f"| {generated} | {load} |"
        )
    agree = all(e.get("floor_matches") for run in runs if (e := run.get("export")))
    lines.append("")
    lines.append(
        "The export's two hand-written value queries (the export's own and the floor's "
        "other) give the same values at every size: " + ("yes." if agree else "NO.")
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
    parser.add_argument(
        "--table", action="store_true", help="print (and --write) the table of the last run"
    )
    parser.add_argument("--drop", action="store_true", help="drop the bench databases after")
    parser.add_argument("--no-export", action="store_true", help="leave out the Excel export")
    parser.add_argument("--write", action="store_true", help="BENCHMARKS.md even for some sizes")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat), default=str))
        return
    if args.table:
        text = table(json.loads((ROOT / "benchmarks" / "last-run.json").read_text()))
        print(text)
        if args.write:
            write_markdown(text)
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
        if not args.no_export:
            run["export"] = measure_export_apart(size)
        runs.append(run)
        print(f"{size}: done", file=sys.stderr)
    text = table(runs)
    print(text)
    if set(args.sizes) == set(SIZES) or args.write:
        write_markdown(text)
    (ROOT / "benchmarks" / "last-run.json").write_text(json.dumps(runs, indent=1, default=str))
    if args.drop:
        for size in args.sizes:
            psql(f'DROP DATABASE IF EXISTS "{PREFIX}{size}"')


if __name__ == "__main__":
    main()

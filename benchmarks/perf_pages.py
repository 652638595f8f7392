"""A unit's report page and the overview beside their hand-written SQL floors.

    DATABASE_URL=postgres://…/pr_nation .venv/bin/python benchmarks/perf_pages.py [n] [-v]

Until benchmarks/run.py takes (page, floor, check) entries, this measures the pages of
issue 18 that are not the national dashboard: median of n requests through Django's test
client (DEBUG off), the queries of one request, and the floor: what the page shows,
fetched by hand-written SQL in the same minute, checked to give the page's numbers.
-v prints each query of one request. Not part of the tests.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_agri.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

# What a unit's report page shows: the report, its figures, the unit's lines (indicator
# and targets above it) and the cumulative of its flows in this kind of period.
FLOOR_REPORT = [
    """SELECT r.id, r.status, r.version, r.difficulties FROM targets_report r
       WHERE r.unit_id = %(unit)s AND r.period_id = %(period)s""",
    """SELECT t.indicator_id, i.code, i.name, i.unit_of_measure, i.behaviour, t.unit_id,
              t.value
       FROM targets_target t JOIN targets_indicator i ON i.id = t.indicator_id
       JOIN plans_administrativeunit u ON u.id = t.unit_id
       WHERE t.plan_id = %(plan)s AND (u.id = %(unit)s OR u.id = %(plan_unit)s
             OR %(path)s LIKE u.path || '/%%')
       ORDER BY t.position""",
    """SELECT f.indicator_id, f.value FROM targets_reportfigure f
       WHERE f.report_id = (SELECT id FROM targets_report
                            WHERE unit_id = %(unit)s AND period_id = %(period)s)""",
    """SELECT f.indicator_id, sum(f.value) FROM targets_reportfigure f
       JOIN targets_report r ON r.id = f.report_id
       JOIN targets_reportingperiod p ON p.id = r.period_id
       JOIN targets_indicator i ON i.id = f.indicator_id
       WHERE r.unit_id = %(unit)s AND p.plan_id = %(plan)s AND p.kind = %(kind)s
             AND p.ends_on <= %(ends_on)s AND i.behaviour = 'phat_sinh'
       GROUP BY f.indicator_id""",
]
# The overview's page: the plan's unit, then its communes in the plan's order, 50 a page;
# how many there are; and their reports' status in the quarters shown.
PAGE_OF_UNITS = """
    SELECT u.id, u.name FROM plans_administrativeunit u
    LEFT JOIN plans_administrativeunit parent ON parent.id = u.parent_id
    WHERE u.id = %(plan_unit)s OR (u.path LIKE %(under)s AND u.kind IN ('xa', 'phuong'))
    ORDER BY u.id <> %(plan_unit)s, parent.position, u.parent_id, u.position, u.id LIMIT 50"""
FLOOR_OVERVIEW = [
    PAGE_OF_UNITS,
    """SELECT count(*) FROM plans_administrativeunit u
       WHERE u.id = %(plan_unit)s OR (u.path LIKE %(under)s AND u.kind IN ('xa', 'phuong'))""",
    f"""SELECT r.unit_id, r.period_id, r.status, r.submitted_at FROM targets_report r
       JOIN targets_reportingperiod p ON p.id = r.period_id
       WHERE p.plan_id = %(plan)s AND p.kind = 'quy'
         AND r.unit_id IN (SELECT id FROM ({PAGE_OF_UNITS}) AS page)""",
]


def main(count: int, verbose: bool) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from accounts.models import Profile, Role
    from plans.models import Plan
    from plans.selectors import grassroots_units
    from reporting.models import Report

    plan = Plan.objects.select_related("unit").order_by("-year").first()
    unit = grassroots_units(plan).order_by("path").first()
    period = plan.periods.get(code=f"{plan.year}-q1")
    account, _ = get_user_model().objects.get_or_create(username="perf-kinhte")
    Profile.objects.get_or_create(user=account, defaults={"role": Role.ECONOMIC_OFFICE})
    officer = Client()
    officer.force_login(account)
    report = Report.objects.filter(unit=unit, period=period).first()
    params = {
        "plan": plan.pk,
        "plan_unit": plan.unit_id,
        "unit": unit.pk,
        "path": unit.path,
        "period": period.pk,
        "kind": period.kind,
        "ends_on": period.ends_on,
        "under": f"{plan.unit.path}/%",
    }

    def floor(statements):
        times, rows = [], []
        with connection.cursor() as cursor:
            for _ in range(max(count, 5)):
                started = time.perf_counter()
                rows = []
                for sql in statements:
                    cursor.execute(sql, params)
                    rows.append(cursor.fetchall())
                times.append(time.perf_counter() - started)
        return statistics.median(times), rows

    def page(url):
        officer.get(url)  # warm-up
        times = []
        for _ in range(count):
            started = time.perf_counter()
            response = officer.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        seen: list[str] = []

        def counted(execute, sql, *args):
            seen.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(counted):
            response = officer.get(url)
        if verbose:
            for sql in seen:
                print("   ", sql[:300])
        return statistics.median(times), len(seen), response

    results = []
    url = f"/reports/{plan.year}/{unit.slug}/{period.code}/"
    took, queries, response = page(url)
    floor_took, rows = floor(FLOOR_REPORT)
    html = response.content.decode()
    figures = rows[2]
    from common.numbers import format_number

    shown = all(format_number(value) in html for _i, value in figures)
    results.append(("a unit's report", took, queries, floor_took, len(FLOOR_REPORT), shown))
    url = f"/reports/{plan.year}/"
    took, queries, response = page(url)
    floor_took, rows = floor(FLOOR_OVERVIEW)
    html = response.content.decode()
    shown = all(name in html for _pk, name in rows[0][1:])
    name = "overview (50 units a page)"
    results.append((name, took, queries, floor_took, len(FLOOR_OVERVIEW), shown))
    print(
        f"{connection.settings_dict['NAME']} ({grassroots_units(plan).count()} units, "
        f"report {'with' if report else 'without'} figures), load {os.getloadavg()[0]:.1f}"
    )
    for name, took, queries, floor_took, floor_queries, shown in results:
        print(
            f"  {name}: {took * 1000:.1f} ms, {queries} queries; floor {floor_took * 1000:.1f} ms"
            f" ({floor_queries} queries); × floor {took / floor_took:.1f}; page shows the"
            f" floor's figures: {'yes' if shown else 'NO'}"
        )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    main(int(args[0]) if args else 10, "-v" in sys.argv)

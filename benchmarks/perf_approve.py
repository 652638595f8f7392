"""Time approving one report and the part of it spent keeping the running totals.

    DATABASE_URL=postgres://…/pr_nation .venv/bin/python benchmarks/perf_approve.py [n]

Each approval runs in a transaction that is rolled back, so the database is unchanged:
n submitted reports of different communes are approved one after the other; the time of
`totals.snapshot` + `totals.apply` is measured inside the same call. Not part of the tests.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_agri.settings")


def measure_approvals(count: int) -> dict:
    """Approving `count` submitted reports (rolled back): medians of the whole approval,
    of keeping the totals in it, of the rest, and its queries. Django is set up."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from accounts.models import Profile, Role
    from plans.models import Plan
    from reporting import services, totals
    from reporting.models import Report

    plan = Plan.objects.order_by("-year").first()
    actor, _ = get_user_model().objects.get_or_create(username="perf-kinhte")
    Profile.objects.get_or_create(user=actor, defaults={"role": Role.ECONOMIC_OFFICE})
    reports = list(
        Report.objects.filter(period__plan=plan, status=Report.Status.SUBMITTED)
        .exclude(unit_id=plan.unit_id)
        .order_by("unit_id", "period__ends_on")
        .distinct()[: count * 7 : 7]
    )
    spent = {"snapshot": 0.0, "apply": 0.0}
    real_snapshot, real_apply = totals.snapshot, totals.apply

    def snapshot(report):
        started = time.perf_counter()
        try:
            return real_snapshot(report)
        finally:
            spent["snapshot"] += time.perf_counter() - started

    def apply(report, before):
        started = time.perf_counter()
        try:
            return real_apply(report, before)
        finally:
            spent["apply"] += time.perf_counter() - started

    services.totals.snapshot, services.totals.apply = snapshot, apply
    whole, kept, queries, writes = [], [], [], []

    seen: list[str] = []

    def timed(execute, sql, params, many, context):
        seen.append(sql)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if "areatotal" in sql and not sql.startswith("SELECT"):
                spent["writes"] += time.perf_counter() - started

    for report in reports:
        spent.update(snapshot=0.0, apply=0.0, writes=0.0)
        seen.clear()
        with transaction.atomic():
            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                services.report_approve(report=report, actor=actor)
                whole.append(time.perf_counter() - started)
            transaction.set_rollback(True)
        kept.append(spent["snapshot"] + spent["apply"])
        queries.append(len(seen))
        writes.append(spent["writes"])
    services.totals.snapshot, services.totals.apply = real_snapshot, real_apply
    med_whole, med_kept = statistics.median(whole), statistics.median(kept)
    return {
        "n": len(reports),
        "median": med_whole,
        "totals": med_kept,
        "rest": med_whole - med_kept,
        "writes": statistics.median(writes),
        "queries": statistics.median(queries),
    }


def main(count: int) -> None:
    import django

    django.setup()
    from django.db import connection

    found = measure_approvals(count)
    whole, kept = found["median"], found["totals"]
    print(
        f"{connection.settings_dict['NAME']}: {found['n']} approvals, median "
        f"{whole * 1000:.1f} ms, of which totals {kept * 1000:.1f} ms "
        f"({kept / whole:.0%}); rest {found['rest'] * 1000:.1f} ms; "
        f"writing totals {found['writes'] * 1000:.1f} ms; "
        f"queries {found['queries']}; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)

"""The load test: a province-size database, gunicorn on loopback, locust for a bounded
time, then a check that every acknowledged save is in the database exactly once and that
the running totals still equal a recomputation. Run by `bin/loadtest`.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import env_for, psql, write_markdown  # noqa: E402

DB = "load"  # bench_load
PASSWORD = "tai-thu-2025"
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"


def manage(*args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env_for(DB),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    ).stdout


SETUP = """
import json
from django.contrib.auth import get_user_model
from accounts.models import Profile, Role
from plans.models import Plan
from plans.selectors import grassroots_units
plan = Plan.objects.order_by("-year").first()
User = get_user_model()
def account(name, role, unit=None):
    user, _ = User.objects.get_or_create(username=name)
    user.set_password("{password}")
    user.save()
    Profile.objects.update_or_create(user=user, defaults={{"role": role, "unit": unit}})
account("tai-lanhdao", Role.LEADERSHIP)
account("tai-kinhte", Role.ECONOMIC_OFFICE)
officials = []
for unit in grassroots_units(plan)[:{officials}]:
    account(f"tai-{{unit.slug}}", Role.UNIT_OFFICIAL, unit)
    officials.append([f"tai-{{unit.slug}}", unit.slug])
print(json.dumps({{"year": plan.year, "officials": officials}}))
"""

CHECK = """
import json
from collections import Counter
from reporting.models import Report, ReportChange
acks = [json.loads(line) for line in open("{acks}")]
found = Counter(
    ReportChange.objects.filter(new_value__startswith="locust ").values_list("new_value", flat=True)
)
missing = [a for a in acks if found[a["token"]] == 0]
twice = [a for a in acks if found[a["token"]] > 1]
unacknowledged = len(set(found) - {{a["token"] for a in acks}})
last = {{}}
for a in acks:
    last[(a["unit"], a["period"])] = a["token"]
wrong_last = 0
reports = {{
    (r.unit.slug, r.period.code): r
    for r in Report.objects.filter(difficulties__startswith="locust ")
    .select_related("unit", "period")
}}
for key, token in last.items():
    report = reports.get(key)
    if report is None or report.difficulties != token:
        wrong_last += 1
print(json.dumps({{"acknowledged": len(acks), "missing": len(missing), "twice": len(twice),
    "saved_without_acknowledgement": unacknowledged, "reports_not_showing_last_save": wrong_last}}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep bench_load afterwards")
    args = parser.parse_args()

    psql(f'DROP DATABASE IF EXISTS "bench_{DB}"')
    psql(f'CREATE DATABASE "bench_{DB}"')
    manage("migrate", "--no-input", "-v0")
    manage("generate_synthetic", "--provinces", "1", "--units-per-province", "98",
           "--indicators", "30", "--seed", "7")  # fmt: skip
    manage("collectstatic", "--no-input", "-v0")
    setup = json.loads(
        manage("shell", "-c", SETUP.format(password=PASSWORD, officials=args.users), capture=True)
        .strip()
        .splitlines()[-1]
    )

    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    acks = work / "acknowledged.jsonl"
    acks.touch()
    env = {**env_for(DB), "CONN_MAX_AGE": "60"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "laichau_agri.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/accounts/login/")
                break
            except OSError:
                time.sleep(0.5)
        load_env = {
            **os.environ,
            "LOAD_YEAR": str(setup["year"]),
            "LOAD_OFFICIALS": json.dumps(setup["officials"]),
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_OFFICER": "tai-kinhte",
            "LOAD_LEADER": "tai-lanhdao",
            "LOAD_ACK_FILE": str(acks),
        }
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--users",
                str(args.users),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(work / "locust"),
                "--only-summary",
            ],  # fmt: skip
            cwd=ROOT,
            env=load_env,
            check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    check = json.loads(
        manage("shell", "-c", CHECK.format(acks=acks), capture=True).strip().splitlines()[-1]
    )
    totals = subprocess.run(
        [sys.executable, "manage.py", "rebuild_totals", "--check"],
        cwd=ROOT,
        env=env_for(DB),
        text=True,
        capture_output=True,
    )
    check["totals_equal_recomputation"] = totals.returncode == 0
    approved = psql(
        "SELECT count(*) FROM targets_reportevent e JOIN auth_user u ON u.id = e.actor_id "
        "WHERE u.username = 'tai-kinhte' AND e.action = 'duyet'",
        db=f"bench_{DB}",
    )
    check["approved_during_run"] = int(approved)

    with open(work / "locust_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    lines = [
        f"Load: {args.users} users (officials 3 : leaders 2, one Phòng Kinh tế approving), "
        f"{args.seconds} s, gunicorn {args.workers} sync workers, PostgreSQL on loopback, "
        f"province size (98 communes, 30 indicators); load average before the run "
        f"{', '.join(f'{x:.1f}' for x in LOAD_BEFORE)}.",
        "",
        "| request | count | failures | median ms | p95 ms | max ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {row['Median Response Time']} | {row['95%']} "
            f"| {float(row['Max Response Time']):.0f} "
            f"| {float(row['Requests/s']):.1f} |"
        )
    lines += [
        "",
        f"Measured over {elapsed:.0f} s. After the run: {check['acknowledged']} saves "
        f"acknowledged, {check['missing']} missing from the database, {check['twice']} "
        f"recorded twice, {check['saved_without_acknowledgement']} saved without an "
        f"acknowledgement (the user had moved on), {check['reports_not_showing_last_save']} "
        f"reports not showing their last acknowledged save; {check['approved_during_run']} "
        f"approvals; running totals equal a recomputation: "
        f"{'yes' if check['totals_equal_recomputation'] else 'NO'}.",
    ]
    text = "\n".join(lines)
    print(text)
    write_markdown(text, BEGIN, END)
    (ROOT / "benchmarks" / "last-load.json").write_text(json.dumps(check, indent=1))
    if not args.keep:
        psql(f'DROP DATABASE IF EXISTS "bench_{DB}"')
    ok = (
        check["missing"] == 0
        and check["twice"] == 0
        and check["reports_not_showing_last_save"] == 0
        and check["totals_equal_recomputation"]
    )
    sys.exit(0 if ok else 1)


LOAD_BEFORE = os.getloadavg()

if __name__ == "__main__":
    main()

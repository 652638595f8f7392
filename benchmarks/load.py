"""The load test: one real province (Lào Cai by default, the province bin/bench measures, its
99 real communes and wards from plans/admin_units), gunicorn on loopback, locust for a
bounded time, then a check that every acknowledged save is in the database exactly once and
that the running totals still equal a recomputation. Run by `bin/loadtest`.

The officials log in with accounts on the province's real units (their GSO codes are
checked before the run), so a save is a save on a real commune's report. The database is
`bench_load` unless --database (or LOAD_DATABASE) names another, so that several people
measuring on one machine do not drop each other's databases. The load average is sampled
during the run and printed beside the figures: on a shared machine it explains them.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import PG, env_for, psql, write_markdown  # noqa: E402

DB = os.environ.get("LOAD_DATABASE", "bench_load")
PASSWORD = "tai-thu-2025"
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"


def db_env() -> dict:
    return {**env_for("load"), "DATABASE_URL": f"{PG}/{DB}"}


def manage(*args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=db_env(),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    ).stdout


SETUP = """
import json
from django.contrib.auth import get_user_model
from accounts.models import Profile, Role
from plans.models import Plan
from plans.admin_units import find_province, read_divisions
from plans.selectors import grassroots_units
plan = Plan.objects.order_by("-year").first()
province = plan.unit.children.get()
# The province and its units as the vietnam-provinces package lists them (GSO code, name).
entry = find_province(read_divisions(), province.code)
real = {{(d.code, d.name) for d in entry.units}}
User = get_user_model()
def account(name, role, unit=None):
    user, _ = User.objects.get_or_create(username=name)
    user.set_password("{password}")
    user.save()
    Profile.objects.update_or_create(user=user, defaults={{"role": role, "unit": unit}})
account("tai-lanhdao", Role.LEADERSHIP)
account("tai-kinhte", Role.ECONOMIC_OFFICE)
officials = []
units = list(grassroots_units(plan))
for unit in units[:{officials}]:
    account(f"tai-{{unit.slug}}", Role.UNIT_OFFICIAL, unit)
    officials.append([f"tai-{{unit.slug}}", unit.slug])
# Each official's unit is one of the province's real units: its GSO code and name are the
# package's, and it lies in the province.
on_real = sum(
    (p.unit.code, p.unit.name) in real
    for p in Profile.objects.filter(
        user__username__in=[name for name, _slug in officials],
        unit__path__startswith=f"{{province.path}}/",
    ).select_related("unit")
)
print(json.dumps({{"year": plan.year, "officials": officials, "province": province.name,
    "province_code": province.code, "units": len(units), "real_units": len(real),
    "officials_on_real_units": on_real,
    "example": [units[0].code, units[0].name]}}))
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
    parser.add_argument(
        "--province", default="15", help="the real province, by code or slug (15: Lào Cai)"
    )
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--database", help="PostgreSQL database (default bench_load)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    global DB
    DB = args.database or DB

    psql(f'DROP DATABASE IF EXISTS "{DB}"')
    psql(f'CREATE DATABASE "{DB}"')
    manage("migrate", "--no-input", "-v0")
    manage("generate_synthetic", "--province", args.province,
           "--indicators", str(args.indicators), "--seed", "7")  # fmt: skip
    manage("collectstatic", "--no-input", "-v0")
    setup = json.loads(
        manage("shell", "-c", SETUP.format(password=PASSWORD, officials=args.users), capture=True)
        .strip()
        .splitlines()[-1]
    )
    print(
        f"{setup['province']} ({setup['province_code']}): {setup['units']} units in the plan, "
        f"{setup['real_units']} in vietnam-provinces; {setup['officials_on_real_units']} of "
        f"{len(setup['officials'])} officials on a real unit (first: {setup['example']})"
    )
    if setup["officials_on_real_units"] != len(setup["officials"]):
        sys.exit(
            f"{len(setup['officials']) - setup['officials_on_real_units']} officials are not "
            f"on a real unit of {setup['province']}"
        )

    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    acks = work / "acknowledged.jsonl"
    acks.touch()
    env = {**db_env(), "CONN_MAX_AGE": "60"}
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
            "LOAD_STATS_PREFIX": str(work / "final"),
        }
        load_during: list[float] = []
        sampling = threading.Event()

        def sample():
            while not sampling.wait(5):
                load_during.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
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
        sampling.set()
        sampler.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    check = json.loads(
        manage("shell", "-c", CHECK.format(acks=acks), capture=True).strip().splitlines()[-1]
    )
    totals = subprocess.run(
        [sys.executable, "manage.py", "rebuild_totals", "--check"],
        cwd=ROOT,
        env=db_env(),
        text=True,
        capture_output=True,
    )
    check["totals_equal_recomputation"] = totals.returncode == 0
    approved = psql(
        "SELECT count(*) FROM targets_reportevent e JOIN auth_user u ON u.id = e.actor_id "
        "WHERE u.username = 'tai-kinhte' AND e.action = 'duyet'",
        db=DB,
    )
    check["approved_during_run"] = int(approved)

    with open(work / "final_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    requests = [row for row in rows if row["Name"] != "Aggregated"]
    check["requests"] = sum(int(row["Request Count"]) for row in requests)
    check["failures"] = sum(int(row["Failure Count"]) for row in requests)
    # What failed, and how (a status 500 is the application's; a timeout or a refused
    # connection under load is the machine's): printed, and kept in last-load.json.
    with open(work / "final_failures.csv") as failed:
        check["failed"] = [
            f"{row['Method']} {row['Name']}: {row['Error']} ×{row['Occurrences']}"
            for row in csv.DictReader(failed)
        ]
    for line in check["failed"]:
        print("FAILED", line)
    lines = [
        f"Load: {args.users} users (officials 3 : leaders 2, one Phòng Kinh tế approving), "
        f"{args.seconds} s, gunicorn {args.workers} sync workers, PostgreSQL on loopback, "
        f"{setup['province']} (code {setup['province_code']}, its {setup['units']} real "
        f"communes and wards, {args.indicators} indicators; each of the "
        f"{len(setup['officials'])} officials logs in on one of them); load average "
        f"(1 min) before the run {LOAD_BEFORE[0]:.1f}, during it "
        f"{min(load_during, default=0):.1f}–{max(load_during, default=0):.1f} "
        f"(mean {sum(load_during) / max(len(load_during), 1):.1f}, sampled every 5 s), "
        f"on 2 cores shared with other sessions.",
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
    check["load_average_before"] = LOAD_BEFORE[0]
    check["load_average_during"] = load_during
    (ROOT / "benchmarks" / "last-load.json").write_text(json.dumps(check, indent=1))
    if not args.keep:
        psql(f'DROP DATABASE IF EXISTS "{DB}"')
    ok = (
        check["failures"] == 0
        and check["missing"] == 0
        and check["twice"] == 0
        and check["reports_not_showing_last_save"] == 0
        and check["totals_equal_recomputation"]
    )
    sys.exit(0 if ok else 1)


LOAD_BEFORE = os.getloadavg()

if __name__ == "__main__":
    main()

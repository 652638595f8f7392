"""Load on gunicorn: officials save and submit reports, Phòng Kinh tế approves them,
leaders read dashboards. Run by `bin/loadtest`, which starts the server and checks the
database afterwards.

Every save carries a token in "Khó khăn, vướng mắc" that no other save uses; a save the
server acknowledged (its answer shows "Đã lưu" or "Đã gửi") is written to ACK_FILE, and
the check afterwards finds each token in the report's history exactly once. An official
who sends explains every figure (random figures are far from the targets, and a warned
figure cannot be sent unexplained); a send the server refused is still a save, and the
report goes to Phòng Kinh tế only when the answer says "Đã gửi".
"""

import csv
import json
import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, events, task
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

YEAR = os.environ["LOAD_YEAR"]
OFFICIALS = json.loads(os.environ["LOAD_OFFICIALS"])  # [[username, unit slug], ...]
PASSWORD = os.environ["LOAD_PASSWORD"]
ACK_FILE = os.environ["LOAD_ACK_FILE"]
STATS_PREFIX = os.environ["LOAD_STATS_PREFIX"]
PERIODS = [f"{YEAR}-{m:02d}" for m in range(1, 13)] + [f"{YEAR}-q{q}" for q in range(1, 5)]
FIGURE = re.compile(r'name="(figure_[\w-]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_lock = threading.Lock()
_free_officials = list(OFFICIALS)
_submitted: list[tuple[str, str]] = []  # reports waiting for Phòng Kinh tế


_environment = None


@events.init.add_listener
def _remember(environment, **_kwargs):
    global _environment
    _environment = environment


@events.quit.add_listener
def _final_stats(**_kwargs):
    """The statistics once every user has stopped: locust's own --csv files are written
    while it runs, so requests still in flight when the time is up (finished during
    --stop-timeout, their saves acknowledged) are missing from them."""
    stats = StatsCSV(_environment, PERCENTILES_TO_REPORT)
    with open(f"{STATS_PREFIX}_stats.csv", "w", newline="") as out:
        stats.requests_csv(csv.writer(out))
    with open(f"{STATS_PREFIX}_failures.csv", "w", newline="") as out:
        stats.failures_csv(csv.writer(out))


def acknowledge(record: dict):
    with _lock, open(ACK_FILE, "a") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


class LoggedIn(HttpUser):
    abstract = True
    username = ""

    def log_in(self, username):
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="log in",
        )


class Official(LoggedIn):
    """A commune official: opens a period's report, types figures, saves, sometimes sends."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        with _lock:
            self.username, self.unit = _free_officials.pop(0)
        self.log_in(self.username)

    @task
    def save_a_report(self):
        period = random.choice(PERIODS)
        url = f"/reports/{YEAR}/{self.unit}/{period}/"
        page = self.client.get(url, name="report page")
        version = VERSION.search(page.text)
        if page.status_code != 200 or version is None:
            return  # already sent or approved: nothing to type
        token = f"locust {uuid.uuid4()}"
        submit = random.random() < 0.3
        data = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "version": version.group(1),
            "difficulties": token,
            "action": "submit" if submit else "save",
        }
        for field in set(FIGURE.findall(page.text)):
            data[field] = str(random.randint(1, 5000))
            if submit:
                # Random figures are far from the targets: sending needs each explained.
                data[field.replace("figure_", "explain_", 1)] = "Giải trình khi thử tải"
        answer = self.client.post(url, data, name="save report" + (" and send" if submit else ""))
        sent = "Đã gửi báo cáo" in answer.text
        if answer.status_code == 200 and ("Đã lưu báo cáo" in answer.text or sent):
            acknowledge({"unit": self.unit, "period": period, "token": token, "submit": sent})
            if sent:
                with _lock:
                    _submitted.append((self.unit, period))


class EconomicOffice(LoggedIn):
    """Phòng Kinh tế: approves what the officials sent."""

    weight = 1
    fixed_count = 1
    wait_time = between(1, 2)

    def on_start(self):
        self.log_in(os.environ["LOAD_OFFICER"])

    @task
    def approve(self):
        with _lock:
            if not _submitted:
                return
            unit, period = _submitted.pop(0)
        url = f"/reports/{YEAR}/{unit}/{period}/"
        page = self.client.get(url, name="report page (review)")
        token = CSRF.search(page.text)
        if token is None:
            return
        self.client.post(
            f"{url}xu-ly/",
            {"csrfmiddlewaretoken": token.group(1), "action": "approve"},
            name="approve report",
        )


class Leader(LoggedIn):
    """Leadership reads the dashboard and drills down to a unit."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self):
        self.log_in(os.environ["LOAD_LEADER"])

    @task(3)
    def dashboard(self):
        self.client.get(f"/dashboard/{YEAR}/", name="dashboard")

    @task(1)
    def unit_dashboard(self):
        _username, unit = random.choice(OFFICIALS)
        self.client.get(f"/dashboard/{YEAR}/don-vi/{unit}/", name="dashboard, one unit")

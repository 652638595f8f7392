"""Many requests on one report at once, against a real server: a real answer for each, never a 500.

A double click on "Lưu và gửi báo cáo", two confirmations of one Excel preview and twenty
saves of one report arrive together at gunicorn's workers. Each must get a real answer
(saved, the conflict page, "đã gửi"), on SQLite as on PostgreSQL, the report must hold
exactly one of the sets of values sent, and its history must have no gap: every version
the report went through is one recorded step, each step starting from the last one's
values. The server builds its own database (a SQLite file, or a PostgreSQL database beside
the test database), so nothing it writes reaches the other tests.
"""

import http.client
import io
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url
import pytest
from openpyxl import load_workbook

from conftest import PASSWORD
from reporting.excel import template

ROOT = Path(__file__).resolve().parents[1]
REPORT = "/reports/2023/san-thang/2023-q1/"
RICE_AREA = "figure_lua-chat-luong-dien-tich"
DIFFICULTIES = "Khó khăn, vướng mắc, đề xuất"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One logged-in session; requests from several threads share its cookies, as tabs do."""

    def __init__(self, port):
        self.port = port
        self.cookies = SimpleCookie()
        self.lock = threading.Lock()

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": "127.0.0.1", **(headers or {})}
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        with self.lock:
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(header)
        conn.close()
        return response, content

    def token(self):
        return self.cookies["csrftoken"].value

    def post(self, path, data):
        body = urlencode({"csrfmiddlewaretoken": self.token(), **data})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body.encode(), headers)

    def upload(self, path, name, content):
        boundary = uuid.uuid4().hex
        body = (
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f"{self.token()}\r\n--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, body, headers)

    def log_in(self, username):
        response, page = self.request("GET", "/accounts/login/")
        assert response.status == 200
        response, page = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status == 302, page[:2000]


class Database:
    """A database of the server's own, on the engine the tests run on (or SQLite)."""

    def __init__(self, engine, tmp_path):
        if engine == "sqlite":
            self.path = tmp_path / "server.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            import os

            base = os.environ.get("DATABASE_URL", "")
            if not base.startswith("postgres"):
                pytest.skip("PostgreSQL: set DATABASE_URL=postgres://...")
            settings = dj_database_url.parse(base)
            self.pg = {
                "host": settings["HOST"],
                "port": settings["PORT"] or 5432,
                "user": settings["USER"],
            }
            self.name = f"{settings['NAME']}_server_{uuid.uuid4().hex[:6]}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            host, port, user = self.pg["host"], self.pg["port"], self.pg["user"]
            self.url = f"postgres://{user}@{host}:{port}/{self.name}"
        self.engine = engine

    def _admin(self, sql):
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", **self.pg)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
        conn.close()

    def query(self, sql, *params):
        if self.engine == "sqlite":
            with sqlite3.connect(self.path) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg2

        conn = psycopg2.connect(dbname=self.name, **self.pg)
        with conn.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            rows = cursor.fetchall()
        conn.close()
        return rows

    def drop(self):
        if self.engine != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    import os

    database = Database(request.param, tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "shell", "-c", "import conftest; conftest.load_plan_and_people()"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = _free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "4", "--timeout", "120"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
                time.sleep(0.2)
        try:
            yield port, database, log
        finally:
            process.terminate()
            process.wait(timeout=30)
            database.drop()


def _at_once(count, send):
    """Call send(i) from `count` threads released together; their answers' statuses."""
    barrier = threading.Barrier(count)

    def one(i):
        barrier.wait()
        response, body = send(i)
        return response.status, body

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def _version(page: bytes) -> str:
    return re.search(rb'name="version" value="(\d+)"', page).group(1).decode()


def test_a_report_busy_with_many_requests_answers_each_and_keeps_one_whole_history(server):
    port, database, log = server
    official = Browser(port)
    official.log_in("santhang")
    _response, page = official.request("GET", REPORT)
    version = _version(page)

    # Twenty saves of one report at once, each with its own set of values.
    def save(i):
        data = {"version": version, "difficulties": f"Lượt {i}", RICE_AREA: f"{100 + i},5"}
        return official.post(REPORT, {**data, "action": "save"})

    answers = _at_once(20, save)
    assert {status for status, _ in answers} <= {302, 409}, [s for s, _ in answers]
    assert any(status == 302 for status, _ in answers)
    (difficulties,) = database.query(
        "SELECT r.difficulties FROM targets_report r JOIN plans_administrativeunit u "
        "ON u.id = r.unit_id WHERE u.slug = 'san-thang'"
    )[0:1][0]
    i = int(difficulties.removeprefix("Lượt "))
    figures = database.query(
        "SELECT i.code, f.value FROM targets_reportfigure f "
        "JOIN targets_indicator i ON i.id = f.indicator_id"
    )
    assert [(code, float(value)) for code, value in figures] == [
        ("lua-chat-luong-dien-tich", 100 + i + 0.5)
    ]

    # Four uploads at once of a 10 KB file with a cell at XFD1048576 in its hidden sheet:
    # each was 12 s and 500 MB of the server's memory; now each is refused at once.
    _response, content = official.request("GET", REPORT + "tai-xuong.xlsx")
    hostile = load_workbook(io.BytesIO(content))
    hostile[template.META_SHEET]["XFD1048576"] = "x"
    buffer = io.BytesIO()
    hostile.save(buffer)
    started = time.monotonic()
    answers = _at_once(
        4, lambda i: official.upload(REPORT + "tai-len/", "bao-cao.xlsx", buffer.getvalue())
    )
    assert [status for status, _ in answers] == [400] * 4
    assert time.monotonic() - started < 10

    # Two confirmations of the same Excel preview.
    workbook = load_workbook(io.BytesIO(content))
    template.difficulties_cell(workbook).value = "Từ tệp Excel"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response, page = official.upload(REPORT + "tai-len/", "bao-cao.xlsx", buffer.getvalue())
    assert response.status == 302, unescape(page.decode())[:3000]
    preview_url = response.headers["Location"]
    _response, page = official.request("GET", preview_url)
    seen = _version(page) if b'name="version"' in page else "0"
    answers = _at_once(2, lambda i: official.post(preview_url + "xac-nhan/", {"version": seen}))
    assert [status for status, _ in answers] == [302, 302]

    # A double click on "Lưu và gửi báo cáo".
    _response, page = official.request("GET", REPORT)
    version = _version(page)

    def submit(i):
        data = {"version": version, "difficulties": "Đã xong", RICE_AREA: "120,5"}
        return official.post(REPORT, {**data, "action": "submit"})

    answers = _at_once(2, submit)
    assert {status for status, _ in answers} <= {302, 409}, [s for s, _ in answers]
    _response, page = official.request("GET", REPORT)
    assert "Đã gửi" in page.decode()

    ((status, stored_version, difficulties),) = database.query(
        "SELECT status, version, difficulties FROM targets_report"
    )
    assert (status, difficulties) == ("da_gui", "Đã xong")
    events = database.query("SELECT id, action FROM targets_reportevent ORDER BY id")
    # Every version after the first is one step, each starting where the one before ended.
    assert len([action for _id, action in events if action != "tao"]) == stored_version - 1
    chain = database.query(
        "SELECT old_value, new_value FROM targets_reportchange WHERE field = ? ORDER BY id",
        DIFFICULTIES,
    )
    assert [old for old, _new in chain] == ["", *[new for _old, new in chain[:-1]]]
    assert chain[-1][1] == "Đã xong"
    server_log = log.read_text()
    assert "Traceback" not in server_log, server_log[-5000:]
    assert '"status": 500' not in server_log

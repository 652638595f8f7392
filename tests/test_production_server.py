"""The production setup as far as this machine allows: gunicorn, DEBUG=0, PostgreSQL, WhiteNoise.

gunicorn serves the test database (the plan and the demo accounts are committed there);
requests say they came through the TLS-terminating proxy, as nginx would.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser behind the proxy: cookies and the forwarded scheme."""

    def __init__(self, port):
        self.port = port
        self.cookies = SimpleCookie()

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        conn.close()
        return response, content


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "gunicorn-test-" + "x9!Qm" * 10,
    "ALLOWED_HOSTS": "127.0.0.1",
    "TRUSTED_PROXIES": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the production test runs against PostgreSQL (DATABASE_URL=postgres://...)")
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, **PRODUCTION_ENV, "STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def gunicorn(static_root):
    db = connection.settings_dict
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "STATIC_ROOT": str(static_root),
    }
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    yield Browser(port)
    server.terminate()
    server.wait(timeout=30)


def test_gunicorn_serves_the_application_in_production_mode(gunicorn):
    response, body = gunicorn.request("GET", "/health/")
    assert response.status == 200 and '"ok"' in body

    response, page = gunicorn.request("GET", "/accounts/login/")
    assert response.status == 200
    assert "Đăng nhập" in page
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]

    # Static files: hashed names from the manifest, served by WhiteNoise, cached for long.
    stylesheet = re.search(r'href="(/static/bootstrap/css/bootstrap\.min\.[0-9a-f]+\.css)"', page)
    assert stylesheet, "stylesheet without a hashed name"
    response, css = gunicorn.request("GET", stylesheet.group(1))
    assert response.status == 200 and "bootstrap" in css.lower()
    assert "immutable" in response.headers["Cache-Control"]

    # Logging in works: secure cookies, CSRF checked against the proxy's https origin.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, _ = gunicorn.request(
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token}&username=santhang&password={PASSWORD}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "https://127.0.0.1/accounts/login/",
            "Origin": "https://127.0.0.1",
        },
    )
    assert response.status == 302, _
    response, page = gunicorn.request("GET", "/reports/2023/")
    assert response.status == 200 and "Việc cần làm của Xã San Thàng" in page


def test_plain_http_is_sent_to_https(gunicorn):
    response, _ = gunicorn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.headers["Location"] == "https://127.0.0.1/accounts/login/"
    response, _ = gunicorn.request("GET", "/health/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 200  # monitoring probes are not redirected

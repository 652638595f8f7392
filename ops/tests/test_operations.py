"""Health check, security headers, error pages without traces, structured logs, client address."""

import datetime
import json
import logging
import subprocess
import sys

import pytest
from django.db import DatabaseError
from django.test import RequestFactory, override_settings
from django.urls import path
from django.utils import timezone

from ops.addresses import client_ip
from ops.models import BackupRecord

pytestmark = pytest.mark.django_db


def test_health_reports_a_working_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "backup": {"last": None, "last_verified": None, "fresh": False},
    }


def _backup_record(kind, *, hours_ago, ok=True):
    return BackupRecord.objects.create(
        kind=kind,
        ok=ok,
        finished_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        file_name="/var/backups/laichau_agri/sao-luu.backup",
    )


def test_health_says_when_the_last_good_backup_was_made_and_whether_it_is_fresh(client):
    good = _backup_record(BackupRecord.Kind.BACKUP, hours_ago=30)
    assert client.get("/health/").json()["backup"]["fresh"] is False  # older than 26 hours
    _backup_record(BackupRecord.Kind.BACKUP, hours_ago=1, ok=False)  # a failed one does not count
    state = client.get("/health/").json()["backup"]
    assert state["last"] == good.finished_at.isoformat(timespec="seconds")
    newer = _backup_record(BackupRecord.Kind.BACKUP, hours_ago=2)
    state = client.get("/health/").json()
    assert state["status"] == "ok" and state["backup"]["fresh"] is True
    assert state["backup"]["last"] == newer.finished_at.isoformat(timespec="seconds")
    assert state["backup"]["last_verified"] is None


def test_health_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_pages_carry_a_content_security_policy_of_the_sites_own_files(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_style_or_handler():
    import re
    from pathlib import Path

    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=\"|\son[a-z]+=", re.I)
    offenders = [
        str(template)
        for template in Path(__file__).resolve().parents[2].glob("**/templates/**/*.html")
        if ".venv" not in template.parts and pattern.search(template.read_text())
    ]
    assert offenders == []


def test_deploy_check_is_clean_in_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "x7Q!pz0-vR9" * 4,
        "ALLOWED_HOSTS": "nongnghiep.laichau.gov.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def _boom(request):
    raise RuntimeError("bí mật nội bộ")


urlpatterns = [path("boom/", _boom)]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_server_error_shows_a_vietnamese_page_without_a_trace(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi máy chủ" in page
    assert "bí mật" not in page and "Traceback" not in page


@override_settings(DEBUG=False)
def test_not_found_and_forbidden_pages_are_vietnamese(client_for, san_thang_official, client):
    assert "Không tìm thấy trang" in client.get("/khong-co/").content.decode()
    client = client_for(san_thang_official)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_form_without_csrf_token_gets_the_vietnamese_explanation():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
def test_a_bad_host_gets_the_400_page(client):
    client.raise_request_exception = False
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_forwarded_address_is_believed_only_from_the_trusted_proxy():
    assert client_ip(_request("10.0.0.5", "203.0.113.9")) == "203.0.113.9"
    # A client cannot choose its address by writing the header itself.
    assert client_ip(_request("10.0.0.5", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"


def test_workflow_steps_and_failed_logins_are_logged_as_json(
    client, client_for, san_thang_official, caplog
):
    from ops.logs import JsonFormatter

    caplog.set_level(logging.INFO, logger="laichau_agri.events")
    client.post("/accounts/login/", {"username": "santhang", "password": "sai-mat-khau"})
    client = client_for(san_thang_official)
    page = client.get("/reports/2023/san-thang/2023-q1/")
    form = page.context["form"]
    data = {n: "" if form[n].value() is None else form[n].value() for n in form.fields}
    client.post("/reports/2023/san-thang/2023-q1/", {**data, "action": "submit"})

    lines = [
        json.loads(JsonFormatter().format(record))
        for record in caplog.records
        if record.name == "laichau_agri.events"
    ]
    events = [(line["event"], line.get("action")) for line in lines]
    assert ("login_failed", None) in events
    assert ("report_step", "gui") in events
    failed = next(line for line in lines if line["event"] == "login_failed")
    assert failed["username"] == "santhang" and failed["client_ip"] == "127.0.0.1"
    assert "sai-mat-khau" not in json.dumps(lines, ensure_ascii=False)

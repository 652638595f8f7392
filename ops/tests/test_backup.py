"""Backups with the database's own tools: everything comes back, or nothing changes."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import AuditEntry
from conftest import load_plan_and_people
from ops.backup import MANIFEST, database_empty, detect, read_manifest, sqlite_copy
from reporting.models import Report, ReportChange, ReportEvent, ReportFigure

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's backup API (the SQLite run)")

SAN_THANG_Q1 = "/reports/2023/san-thang/2023-q1/"
RICE_AREA = "figure_lua-chat-luong-dien-tich"


def _form_data(response, **changes):
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update(changes)
    return data


def _snapshot():
    history = Report.history.model
    return {
        "reports": sorted(Report.objects.values_list("pk", "unit__slug", "period__code", "status")),
        "figures": sorted(ReportFigure.objects.values_list("report_id", "indicator_id", "value")),
        "events": sorted(
            ReportEvent.objects.values_list("pk", "report_id", "action", "actor__username", "at")
        ),
        "changes": sorted(
            ReportChange.objects.values_list("event_id", "field", "old_value", "new_value")
        ),
        "report_history": sorted(history.objects.values_list("history_id", "id", "status")),
        "history_rows": {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model.__name__.startswith("Historical")
        },
        "audit": sorted(AuditEntry.objects.values_list("pk", "action", "subject", "client_ip")),
    }


def _send_and_approve(client, san_thang_official, economic_officer):
    client.force_login(san_thang_official)
    page = client.get(SAN_THANG_Q1)
    client.post(SAN_THANG_Q1, _form_data(page, **{RICE_AREA: "134,5"}, action="submit"))
    client.force_login(economic_officer)
    client.post(SAN_THANG_Q1 + "xu-ly/", {"action": "return", "reason": "Thiếu số liệu chè"})
    client.force_login(san_thang_official)
    page = client.get(SAN_THANG_Q1)
    client.post(SAN_THANG_Q1, _form_data(page, **{RICE_AREA: "140"}, action="submit"))
    client.force_login(economic_officer)
    client.post(SAN_THANG_Q1 + "xu-ly/", {"action": "approve"})
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.status == Report.Status.APPROVED
    return report


@pytest.fixture
def committed_reports(transactional_db, client):
    """The plan, people and a report with a full history, committed (pg_dump sees them)."""
    load_plan_and_people()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return _send_and_approve(client, users.get(username="santhang"), users.get(username="kinhte"))


def _rewrite_manifest(path: Path, change) -> None:
    """The same backup with an edited manifest (what another version would have written)."""
    with tarfile.open(path) as archive:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
        names = archive.getnames()
        payload_name = next(n for n in names if n != MANIFEST)
        payload = archive.extractfile(payload_name).read()
    change(manifest)
    path.unlink()
    with tarfile.open(path, "w") as archive:
        for name, data in ((MANIFEST, json.dumps(manifest).encode()), (payload_name, payload)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            import io

            archive.addfile(info, io.BytesIO(data))


# ---------------------------------------------------------------- round trip


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_report_and_its_history_after_the_data_is_destroyed(
    committed_reports, tmp_path, client
):
    before = _snapshot()
    assert len(before["events"]) >= 5 and before["changes"] and before["audit"]
    backup = tmp_path / "sao-luu-2026-12-01.khong-duoi"  # the name says nothing of the format
    call_command("backup_db", str(backup))
    assert detect(backup) == "archive"
    manifest = read_manifest(backup)
    assert manifest.engine == connection.vendor
    assert manifest.schema["targets"] and manifest.application
    assert manifest.rows[Report._meta.db_table] == len(before["reports"])

    database_empty()
    assert not Report.objects.exists() and not ReportEvent.objects.exists()

    call_command("restore_db", str(backup), "--no-input")
    assert _snapshot() == before

    # The restored database keeps working: sequences continue after the restored ids.
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="kinhte"))
    client.post(SAN_THANG_Q1 + "xu-ly/", {"action": "reopen", "reason": "Sửa lại"})
    assert ReportEvent.objects.filter(action=ReportEvent.Action.REOPENED).count() == 1
    assert client.get(SAN_THANG_Q1).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_verify_restores_into_a_scratch_database_and_compares_rows_and_running_totals(
    committed_reports, tmp_path, capsys, client
):
    call_command("rebuild_totals")
    backup = tmp_path / "dem-qua.backup"
    call_command("backup_db", str(backup))
    call_command("backup_db", "--verify", str(backup))
    out = capsys.readouterr().out
    assert f"{Report._meta.db_table}" in out and "KHÁC" not in out
    # The monitoring can see both: the last good backup, and the last one proved to restore.
    state = client.get("/health/").json()["backup"]
    assert state["last"] and state["last_verified"] and state["fresh"] is True
    assert "0 số tổng hợp sai" in out and "→ đạt" in out
    assert "Bản sao lưu dùng được" in out
    if ON_POSTGRES:  # the scratch database is gone afterwards
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE '%kiemtra%'")
            assert cursor.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_verify_fails_when_the_restored_copy_does_not_match_the_manifest(
    committed_reports, tmp_path, client
):
    backup = tmp_path / "sai.backup"
    call_command("backup_db", str(backup))
    _rewrite_manifest(backup, lambda m: m["rows"].update({Report._meta.db_table: 999}))
    with pytest.raises(CommandError, match="KHÔNG dùng được"):
        call_command("backup_db", "--verify", str(backup))
    state = client.get("/health/").json()["backup"]
    assert state["last"] and state["last_verified"] is None


# ---------------------------------------------------------------- refusals leave data alone


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_another_schema_version_is_refused_in_vietnamese(committed_reports, tmp_path):
    before = _snapshot()
    backup = tmp_path / "cu.backup"
    call_command("backup_db", str(backup))
    _rewrite_manifest(backup, lambda m: m["schema"].update({"targets": "0099_tuong_lai"}))
    with pytest.raises(CommandError, match="phiên bản lược đồ dữ liệu khác") as refused:
        call_command("restore_db", str(backup), "--no-input")
    assert "targets: bản sao lưu 0099_tuong_lai" in str(refused.value)
    assert _snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_another_engine_is_refused(committed_reports, tmp_path):
    backup = tmp_path / "khac.backup"
    call_command("backup_db", str(backup))
    other = "sqlite" if ON_POSTGRES else "postgresql"
    _rewrite_manifest(backup, lambda m: m.update({"engine": other}))
    with pytest.raises(CommandError, match="move_to_postgres|Bản sao lưu là của"):
        call_command("restore_db", str(backup), "--no-input")


@pytest.mark.parametrize("damage", ["truncated payload", "rows that do not match"])
@pytest.mark.django_db(transaction=True)
def test_a_failed_restore_leaves_the_data_as_it_was(committed_reports, tmp_path, damage):
    before = _snapshot()
    backup = tmp_path / "hong.backup"
    call_command("backup_db", str(backup))
    if damage == "truncated payload":

        def cut(path):
            with tarfile.open(path) as archive:
                manifest = archive.extractfile(MANIFEST).read()
                name = next(n for n in archive.getnames() if n != MANIFEST)
                payload = archive.extractfile(name).read()
            path.unlink()
            import io

            with tarfile.open(path, "w") as archive:
                for member, data in ((MANIFEST, manifest), (name, payload[: len(payload) // 2])):
                    info = tarfile.TarInfo(member)
                    info.size = len(data)
                    archive.addfile(info, io.BytesIO(data))

        cut(backup)
    else:
        _rewrite_manifest(backup, lambda m: m["rows"].update({Report._meta.db_table: 999}))
    with pytest.raises(CommandError):
        call_command("restore_db", str(backup), "--no-input")
    assert _snapshot() == before
    if ON_POSTGRES:  # no half-restored database is left behind
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%_moi_%"])
            assert cursor.fetchall() == []


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore_db", str(tmp_path / "none.backup"), "--no-input")


@pytest.mark.django_db(transaction=True)
def test_restore_asks_before_replacing_and_says_what_it_replaces(
    committed_reports, tmp_path, monkeypatch, capsys
):
    before = _snapshot()
    backup = tmp_path / "hoi.backup"
    call_command("backup_db", str(backup))
    monkeypatch.setattr("builtins.input", lambda prompt: "không")
    with pytest.raises(CommandError, match="Đã hủy, dữ liệu không thay đổi"):
        call_command("restore_db", str(backup))
    out = capsys.readouterr().out
    assert "Sẽ THAY TOÀN BỘ dữ liệu" in out and "báo cáo" in out and "tài khoản" in out
    assert _snapshot() == before


def test_the_format_is_known_from_the_bytes(tmp_path):
    files = {
        "a.backup": b"SQLite format 3\x00" + bytes(100),
        "b.backup": b"PGDMP\x01\x0e",
        "c.backup": b'[{"model": "auth.user"}]',
        "d.backup": b"\x1f\x8b\x08\x00",
        "e.backup": b"hello",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert [detect(tmp_path / n) for n in files] == [
        "sqlite",
        "pgdump",
        "json",
        "json",
        "unknown",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_old_json_backups_still_restore(committed_reports, tmp_path):
    before = _snapshot()
    backup = tmp_path / "cu.json.gz"
    call_command("backup_db", "--format", "json", str(backup))
    database_empty()
    call_command("restore_db", str(backup), "--no-input")
    assert _snapshot() == before


# ---------------------------------------------------------------- SQLite while writing


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_backup_made_while_reports_are_being_saved_is_consistent(
    committed_reports, tmp_path
):
    """A writer moves figure values between two rows in each transaction: every copy must
    show the same sum, never a half-written step."""
    live = tmp_path / "live.sqlite3"
    sqlite_copy(connection.connection, live)
    with sqlite3.connect(live) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        a, start = conn.execute("SELECT id, value FROM targets_reportfigure LIMIT 1").fetchone()
        sessions_before = conn.execute("SELECT count(*) FROM django_session").fetchone()[0]
    stop = threading.Event()
    steps = []

    def writer():
        # Each step changes a figure and adds a row elsewhere, in one transaction.
        conn = sqlite3.connect(live, isolation_level=None, timeout=10)
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE targets_reportfigure SET value = value + 1 WHERE id = ?", [a])
            conn.execute(
                "INSERT INTO django_session VALUES (?, '', '2099-01-01')", [f"s{len(steps)}"]
            )
            conn.execute("COMMIT")
            steps.append(1)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        seen = set()
        for i in range(20):
            source = sqlite3.connect(live, timeout=10)
            copy = tmp_path / f"copy-{i}.sqlite3"
            sqlite_copy(source, copy)
            source.close()
            with sqlite3.connect(copy) as check:
                assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                value = check.execute(
                    "SELECT value FROM targets_reportfigure WHERE id = ?", [a]
                ).fetchone()[0]
                sessions = check.execute("SELECT count(*) FROM django_session").fetchone()[0]
                assert float(value) - float(start) == pytest.approx(sessions - sessions_before)
                seen.add(sessions)
    finally:
        stop.set()
        thread.join()
    assert len(steps) > 20 and len(seen) > 1  # the writer really ran between the copies


# ---------------------------------------------------------------- SQLite → PostgreSQL

MOVE_PG = os.environ.get("MOVE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PAGES = [
    ("santhang", SAN_THANG_Q1),
    ("kinhte", "/reports/2023/"),
    ("lanhdao", "/dashboard/2023/"),
    ("lanhdao", "/dashboard/2023/don-vi/san-thang/"),
    ("kinhte", "/audit/"),
]
RENDER = """
import json, re
from django.test.utils import setup_test_environment
setup_test_environment()
from django.contrib.auth import get_user_model
from django.test import Client
out = {}
for user, url in %r:
    client = Client()
    client.force_login(get_user_model().objects.get(username=user))
    out[url] = client.get(url).content.decode()
print(json.dumps(out))
"""


def _normal(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _pages_here(client):
    from django.contrib.auth import get_user_model
    from django.test import Client

    out = {}
    for user, url in PAGES:
        client = Client()  # fresh, as in the other process: no message left from earlier steps
        client.force_login(get_user_model().objects.get(username=user))
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = response.content.decode()
    return out


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_moving_from_sqlite_to_postgres_keeps_ids_history_audit_and_every_page(
    committed_reports, client, monkeypatch
):
    # move_to_postgres registers its target as a database alias while it runs; Django's
    # test isolation refuses aliases the test did not declare, so declare it here.
    from django.db.backends.base.base import BaseDatabaseWrapper

    for cell in BaseDatabaseWrapper.ensure_connection.__closure__ or ():
        if isinstance(cell.cell_contents, type) and hasattr(cell.cell_contents, "databases"):
            case = cell.cell_contents
            monkeypatch.setattr(case, "databases", {*case.databases, "chuyen_den"})
    psycopg2 = pytest.importorskip("psycopg2")
    name = f"test_move_{os.getpid()}"

    def sql(database, statement):
        conn = psycopg2.connect(f"{MOVE_PG}/{database}", connect_timeout=3)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()

    try:
        sql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
    except psycopg2.OperationalError:
        pytest.skip(f"no PostgreSQL at {MOVE_PG}")
    sql("postgres", f'CREATE DATABASE "{name}"')
    try:
        before = _pages_here(client)
        ids = _snapshot()
        call_command("move_to_postgres", "--to", f"{MOVE_PG}/{name}")
        env = {**os.environ, "DATABASE_URL": f"{MOVE_PG}/{name}"}
        done = subprocess.run(
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "shell",
                "-c",
                RENDER % PAGES,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        after = json.loads(done.stdout.strip().splitlines()[-1])
        for _, url in PAGES:
            assert _normal(after[url]) == _normal(before[url]), url
        assert sorted(sql(name, "SELECT id, action FROM audit_auditentry")) == [
            (pk, action) for pk, action, _, _ in ids["audit"]
        ]
        assert sorted(sql(name, "SELECT id FROM targets_report")) == [
            (r[0],) for r in ids["reports"]
        ]
        history = sql(name, "SELECT count(*) FROM targets_historicalreport")
        assert history[0][0] == len(ids["report_history"])
        # The source is left as it was (no migration wrote into it).
        assert _snapshot() == ids
    finally:
        sql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

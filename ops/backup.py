"""Whole-database backup and restore with the database's own tools.

The backup file
---------------
One uncompressed tar archive (the name is the user's choice; the commands recognise a
backup by its bytes, never by its name) holding two members, in this order:

``manifest.json``
    engine (``postgresql`` or ``sqlite``), when, from which database, the application
    version (``git describe`` of the checkout, else ``APPLICATION_VERSION``), the schema
    version (last applied migration of each app, read from ``django_migrations`` *inside
    the snapshot that was backed up*) and the number of rows of every table in that same
    snapshot.
``database.pgdump`` or ``database.sqlite3``
    the payload made by the database's own tool: ``pg_dump -Fc`` (compressed custom format,
    which ``pg_restore -j`` restores in parallel) or a page-for-page SQLite copy made with
    the online backup API.

Why a tar and not something inside the dump: a custom-format dump has no room for a
sidecar, and a table written at backup time would be a write into the production database
that the dump's own snapshot cannot see. A tar is readable by any operator (``tar tf``,
``tar xf`` then ``pg_restore`` by hand still works), the manifest is read without touching
the payload, and the magic ``ustar`` at offset 257 identifies it. The row counts and the
schema are taken in the very snapshot that is dumped: on PostgreSQL one REPEATABLE READ
transaction exports its snapshot (``pg_export_snapshot``), counts in it and hands it to
``pg_dump --snapshot``; on SQLite the counts are read from the finished copy.

Restore never touches the live data until a complete copy has been restored and checked
(schema equal to the running code, row counts equal to the manifest):

* PostgreSQL: ``pg_restore -j N`` into a new database next to the live one, ``ANALYZE``,
  check, then in one transaction rename live → old and new → live, then drop old. Parallel
  jobs and ``--single-transaction`` do not combine in ``pg_restore``; restoring into a
  separate database gives both speed (``-j``) and all-or-nothing (the rename), and the
  application keeps serving the old data while the restore runs. The swap needs a moment
  with no connection to the live database: other sessions are disconnected (the server's
  workers reconnect by name and find the restored database).
* SQLite: the payload is extracted to a scratch file, checked (``PRAGMA integrity_check``,
  schema, counts), then copied into the live database through the backup API: one write
  transaction, seen at once by every process that has the file open (replacing the file
  itself would leave running servers writing into the deleted one).

The older JSON format (Django's ``dumpdata``) is kept for moving between engines; see
``database_backup_json`` and ``ops/move.py``.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import override_settings
from django.utils import timezone

from ops.models import BackupRecord

FORMAT = "laichau_agri-backup/1"
APPLICATION_VERSION = "2026.12"
MANIFEST = "manifest.json"
PAYLOAD = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}

# Sessions are not data: after a JSON restore everybody logs in again.
EXCLUDED = ["sessions"]


class BackupError(Exception):
    """A refusal or failure, worded for the person at the console (Vietnamese)."""


def vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


# ------------------------------------------------------------------ what a file holds


def detect(path: Path) -> str:
    """The format of a file from its first bytes: archive, pgdump, sqlite, json or unknown."""
    with open(path, "rb") as f:
        head = f.read(512)
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "archive"
    if head.startswith(b"PGDMP"):
        return "pgdump"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith((b"\x1f\x8b", b"\xfd7zXZ\x00", b"BZh")) or head.lstrip()[:1] == b"[":
        return "json"
    return "unknown"


@dataclass
class Manifest:
    engine: str
    schema: dict[str, str]
    rows: dict[str, int]
    application: str = ""
    created: str = ""
    database: str = ""
    tool: str = ""
    format: str = FORMAT
    extra: dict = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {k: v for k, v in self.__dict__.items() if k != "extra"}
        return json.dumps({**data, **self.extra}, ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        known = {k: data.pop(k) for k in list(data) if k in cls.__dataclass_fields__}
        return cls(**known, extra=data)


def read_manifest(path: Path) -> Manifest:
    kind = detect(path)
    if kind == "archive":
        with tarfile.open(path) as archive:
            try:
                member = archive.getmember(MANIFEST)
            except KeyError:
                raise BackupError(
                    f"{path}: tệp tar này không phải bản sao lưu của ứng dụng."
                ) from None
            return Manifest.from_json(archive.extractfile(member).read())
    if kind == "sqlite":  # a bare SQLite file: everything is read from the file itself
        with _sqlite_ro(path) as conn:
            return _sqlite_manifest(conn, database=Path(path).name)
    if kind == "pgdump":
        raise BackupError(
            f"{path} là tệp pg_dump trần, không ghi phiên bản lược đồ: tạo bản sao lưu bằng "
            "'manage.py backup_db', hoặc khôi phục tệp này bằng pg_restore."
        )
    if kind == "json":
        raise BackupError(f"{path} là bản sao lưu JSON (định dạng cũ).")
    raise BackupError(f"{path}: không nhận ra định dạng, đây không phải tệp sao lưu.")


def application_version() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--tags", "--dirty"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return APPLICATION_VERSION
    described = out.stdout.strip()
    return (
        f"{APPLICATION_VERSION} ({described})"
        if out.returncode == 0 and described
        else (APPLICATION_VERSION)
    )


def code_schema() -> dict[str, str]:
    """The last migration of each app in the running code."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    last: dict[str, str] = {}
    for app, name in graph.leaf_nodes():
        last[app] = max(name, last.get(app, ""))
    return last


def _schema_from_rows(rows) -> dict[str, str]:
    last: dict[str, str] = {}
    for app, name in rows:
        last[app] = max(name, last.get(app, ""))
    return last


NONE = "(không có)"


def schema_differences(backup: dict[str, str], code: dict[str, str]) -> list[str]:
    return [
        f"{app}: bản sao lưu {backup.get(app, NONE)}, ứng dụng {code.get(app, NONE)}"
        for app in sorted(set(backup) | set(code))
        if backup.get(app) != code.get(app)
    ]


def check_schema(manifest: Manifest) -> None:
    different = schema_differences(manifest.schema, code_schema())
    if different:
        raise BackupError(
            "Không khôi phục: bản sao lưu thuộc phiên bản lược đồ dữ liệu khác với ứng dụng "
            f"đang chạy (bản sao lưu tạo bởi phiên bản {manifest.application or 'không rõ'}). "
            "Khác nhau: " + "; ".join(different) + ". Hãy khôi phục bằng đúng phiên bản ứng "
            "dụng đã tạo bản sao lưu, rồi nâng cấp bằng 'manage.py migrate'. Dữ liệu hiện có "
            "không thay đổi."
        )


def compare_rows(expected: dict[str, int], found: dict[str, int]) -> list[tuple[str, int, int]]:
    """(table, expected, found) for every table whose count differs."""
    return [
        (table, expected.get(table, 0), found.get(table, 0))
        for table in sorted(set(expected) | set(found))
        if expected.get(table, 0) != found.get(table, 0)
    ]


# ------------------------------------------------------------------ SQLite


def _sqlite_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}


def _sqlite_manifest(conn: sqlite3.Connection, *, database: str) -> Manifest:
    try:
        schema = _schema_from_rows(conn.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.DatabaseError:
        schema = {}
    return Manifest(
        engine="sqlite",
        schema=schema,
        rows=_sqlite_counts(conn),
        database=database,
        tool=f"sqlite3 {sqlite3.sqlite_version} (backup API)",
    )


def sqlite_copy(source: sqlite3.Connection, dest: Path) -> None:
    """A consistent copy of a live SQLite database, made while others keep writing.

    All pages are copied in one step under one read transaction (pages=-1), so the copy is
    the database as of one moment; writers in WAL mode carry on meanwhile.
    """
    target = sqlite3.connect(dest)
    try:
        source.backup(target, pages=-1)
    finally:
        target.close()


def _raw_sqlite(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def _sqlite_backup(alias: str, workdir: Path) -> tuple[Manifest, Path]:
    payload = workdir / PAYLOAD["sqlite"]
    if connections[alias].in_atomic_block:  # the copy would wait for this very transaction
        raise BackupError("Không sao lưu được bên trong một giao dịch đang mở.")
    sqlite_copy(_raw_sqlite(alias), payload)
    with sqlite3.connect(payload) as conn:
        manifest = _sqlite_manifest(
            conn, database=Path(str(connections[alias].settings_dict["NAME"])).name
        )
    return manifest, payload


def _sqlite_check(path: Path, manifest: Manifest) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    with conn:
        if result != "ok":
            raise BackupError(
                f"Bản sao lưu SQLite bị hỏng ({result}). Dữ liệu hiện có không thay đổi."
            )
        counts = _sqlite_counts(conn)
    conn.close()
    return counts


def _sqlite_restore(alias: str, payload: Path) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("Không khôi phục được bên trong một giao dịch đang mở.")
    source = sqlite3.connect(payload)
    try:
        source.backup(_raw_sqlite(alias), pages=-1)
    finally:
        source.close()


# ------------------------------------------------------------------ PostgreSQL


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"Không tìm thấy chương trình {name}: cài gói postgresql-client cùng phiên bản "
            "với máy chủ PostgreSQL (Debian: apt-get install postgresql-client)."
        )
    return found


def pg_environment(settings_dict: dict, database: str | None = None) -> dict[str, str]:
    """Connection settings for libpq tools: in the child's environment, never its arguments."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    if (settings_dict.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = database or settings_dict["NAME"]
    return env


def _run(command: list[str], env: dict, what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} thất bại (mã {done.returncode}): {done.stderr.strip()[-2000:]}")


def _pg_counts(cursor, tables) -> dict[str, int]:
    if not tables:
        return {}
    cursor.execute(
        " UNION ALL ".join(f'SELECT %s, count(*) FROM "{t}"' for t in tables), list(tables)
    )
    return dict(sorted(cursor.fetchall()))


def _pg_tables(connection, cursor) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def _pg_backup(alias: str, workdir: Path) -> tuple[Manifest, Path]:
    live = connections[alias]
    payload = workdir / PAYLOAD["postgresql"]
    snapshot = live.copy()
    try:
        snapshot.set_autocommit(False)
        with snapshot.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            exported = cursor.fetchone()[0]
            cursor.execute("SELECT app, name FROM django_migrations")
            schema = _schema_from_rows(cursor.fetchall())
            rows = _pg_counts(cursor, _pg_tables(snapshot, cursor))
            env = pg_environment(live.settings_dict)
            _run(
                [_tool("pg_dump"), "--format=custom", f"--snapshot={exported}", "-f", str(payload)],
                env,
                "pg_dump",
            )
        snapshot.rollback()
    finally:
        snapshot.close()
    version = subprocess.run([_tool("pg_dump"), "--version"], capture_output=True, text=True)
    manifest = Manifest(
        engine="postgresql",
        schema=schema,
        rows=rows,
        database=live.settings_dict["NAME"],
        tool=version.stdout.strip(),
    )
    return manifest, payload


def _pg_restore_into(alias: str, database: str, payload: Path, jobs: int) -> dict[str, int]:
    """Create database, pg_restore into it, ANALYZE; return its row counts."""
    live = connections[alias]
    qn = live.ops.quote_name
    with live._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {qn(database)}")
        cursor.execute(f"CREATE DATABASE {qn(database)}")
    env = pg_environment(live.settings_dict, database)
    _run(
        [
            _tool("pg_restore"),
            f"--jobs={max(1, jobs)}",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            f"--dbname={database}",
            str(payload),
        ],
        env,
        "pg_restore",
    )
    scratch = live.copy()
    scratch.settings_dict["NAME"] = database
    try:
        with scratch.cursor() as cursor:
            cursor.execute("ANALYZE")
            return _pg_counts(cursor, _pg_tables(scratch, cursor))
    finally:
        scratch.close()


def _pg_drop(alias: str, database: str) -> None:
    live = connections[alias]
    with live._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {live.ops.quote_name(database)} WITH (FORCE)")


def _pg_swap(alias: str, restored: str) -> None:
    """Put the restored database in place of the live one, atomically."""
    live = connections[alias]
    name = live.settings_dict["NAME"]
    old = _scratch_name(name, "cu")
    qn = live.ops.quote_name
    live.close()
    with live._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {qn(old)} WITH (FORCE)")
        cursor.execute(f"ALTER DATABASE {qn(name)} ALLOW_CONNECTIONS false")
        try:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            # Both renames in one transaction: the live name always names a whole database.
            cursor.execute("BEGIN")
            try:
                cursor.execute(f"ALTER DATABASE {qn(name)} RENAME TO {qn(old)}")
                cursor.execute(f"ALTER DATABASE {qn(restored)} RENAME TO {qn(name)}")
            except Exception:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")
        except Exception:
            cursor.execute(f"ALTER DATABASE {qn(name)} ALLOW_CONNECTIONS true")
            raise
        cursor.execute(f"DROP DATABASE {qn(old)} WITH (FORCE)")


def _scratch_name(name: str, suffix: str) -> str:
    return f"{name[: 63 - len(suffix) - 8]}_{suffix}_{os.getpid() % 100000}"


# ------------------------------------------------------------------ the commands' work


def database_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Write a backup archive to path; a half-written file never carries the final name."""
    path = Path(path)
    engine = connections[using].vendor
    if engine not in PAYLOAD:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {engine}.")
    partial = path.with_name(path.name + ".dang-ghi")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".sao-luu-") as tmp:
        make = _pg_backup if engine == "postgresql" else _sqlite_backup
        manifest, payload = make(using, Path(tmp))
        manifest.created = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        manifest.application = application_version()
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = (
                len(data),
                int(datetime.datetime.now().timestamp()),
                0o600,
            )
            archive.addfile(info, io.BytesIO(data))
            archive.add(payload, arcname=payload.name)
    os.replace(partial, path)
    return manifest


def live_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = (
            _pg_tables(connection, cursor)
            if connection.vendor == "postgresql"
            else sorted(connection.introspection.table_names(cursor))
        )
        if connection.vendor == "postgresql":
            return _pg_counts(cursor, tables)
        return {t: cursor.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


class _Opened:
    """A backup's manifest and its payload extracted to a scratch directory."""

    def __init__(self, path: Path, using: str):
        self.path = Path(path)
        self.manifest = read_manifest(self.path)
        _engine_check(self.manifest, using)
        self._tmp = tempfile.TemporaryDirectory(prefix="khoi-phuc-")
        self.payload = Path(self._tmp.name) / PAYLOAD[self.manifest.engine]
        if detect(self.path) == "archive":
            with tarfile.open(self.path) as archive:
                source = archive.extractfile(PAYLOAD[self.manifest.engine])
                if source is None:
                    raise BackupError(f"{path}: thiếu dữ liệu trong tệp sao lưu.")
                with open(self.payload, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
        else:
            shutil.copyfile(self.path, self.payload)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._tmp.cleanup()


def _engine_check(manifest: Manifest, using: str) -> None:
    vendor = connections[using].vendor
    if manifest.engine != vendor:
        raise BackupError(
            f"Bản sao lưu là của {manifest.engine}, cơ sở dữ liệu đang dùng là {vendor}. "
            "Để chuyển từ SQLite sang PostgreSQL dùng 'manage.py move_to_postgres'."
        )


def _rows_check(manifest: Manifest, found: dict[str, int]) -> None:
    different = compare_rows(manifest.rows, found)
    if different:
        listed = "; ".join(f"{t}: {vn(a)} → {vn(b)}" for t, a, b in different[:10])
        raise BackupError(
            f"Bản khôi phục thử không khớp số dòng của bản sao lưu ({listed}). "
            "Dữ liệu hiện có không thay đổi."
        )


def database_restore(path: Path, *, using: str = DEFAULT_DB_ALIAS, jobs: int = 2) -> Manifest:
    """Replace the live database with the backup's, or change nothing."""
    with _Opened(path, using) as opened:
        manifest = opened.manifest
        _engine_check(manifest, using)
        check_schema(manifest)
        if manifest.engine == "sqlite":
            _rows_check(manifest, _sqlite_check(opened.payload, manifest))
            _sqlite_restore(using, opened.payload)
        else:
            restored = _scratch_name(connections[using].settings_dict["NAME"], "moi")
            try:
                _rows_check(manifest, _pg_restore_into(using, restored, opened.payload, jobs))
                _pg_swap(using, restored)
            except BaseException:
                _pg_drop(using, restored)
                raise
    ContentType.objects.clear_cache()
    return manifest


@dataclass
class Verification:
    manifest: Manifest
    rows: list[tuple[str, int, int]]  # (table, in the manifest, restored)
    checks: list[tuple[str, int, str]]  # (command, exit code, output)

    @property
    def ok(self) -> bool:
        return all(a == b for _, a, b in self.rows) and all(code == 0 for _, code, _ in self.checks)


def database_url(settings_dict: dict, *, name: str) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{name}"
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD")
    credentials = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name)}"


def verify_backup(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, jobs: int = 2, checks=()
) -> Verification:
    """Restore into a scratch database, compare its rows with the manifest, run checks.

    checks: management commands (argument lists) run against the scratch database in a
    child process, e.g. ``[["rebuild_totals", "--check"]]``; ops names no other app.
    """
    with _Opened(path, using) as opened:
        manifest = opened.manifest
        _engine_check(manifest, using)
        settings_dict = connections[using].settings_dict
        if manifest.engine == "sqlite":
            found = _sqlite_check(opened.payload, manifest)
            scratch = str(opened.payload)
        else:
            scratch = _scratch_name(settings_dict["NAME"], "kiemtra")
        try:
            if manifest.engine == "postgresql":
                found = _pg_restore_into(using, scratch, opened.payload, jobs)
            env = {**os.environ, "DATABASE_URL": database_url(settings_dict, name=scratch)}
            results = []
            for command in checks:
                done = subprocess.run(
                    [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *command],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                results.append((" ".join(command), done.returncode, done.stdout + done.stderr))
        finally:
            if manifest.engine == "postgresql":
                _pg_drop(using, scratch)
    rows = [
        (t, manifest.rows.get(t, 0), found.get(t, 0))
        for t in sorted(set(manifest.rows) | set(found))
    ]
    return Verification(manifest, rows, results)


# ------------------------------------------------------------------ portable JSON


def database_backup_json(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Every row of every table as Django JSON (.json, or .json.gz/.json.xz compressed).

    Portable between engines but slow to restore at size; kept for old files and moves.
    """
    call_command(
        "dumpdata", exclude=EXCLUDED, all=True, output=str(path), database=using, verbosity=0
    )


def database_restore_json(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace all data with a JSON backup's, in one transaction."""
    if not Path(path).is_file():
        raise FileNotFoundError(path)
    # Loading many-to-many rows would make simple-history write new records; the file
    # already holds the history as it was.
    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic(using=using):
        database_empty(using=using)
        call_command("loaddata", str(path), database=using, verbosity=0)
    if connections[using].vendor == "postgresql":
        # Every table was just refilled: without statistics each query is planned blind.
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")
    ContentType.objects.clear_cache()


def database_empty(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete every row of every table, content types and permissions included.

    Nothing recreates content types and permissions afterwards: a restore brings them
    back from the file with their original ids.
    """
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    if postgres and connection.in_atomic_block:
        # PostgreSQL refuses to TRUNCATE a table with deferred checks still pending in
        # this transaction; run them now, and defer again for loading.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, database=using, verbosity=0)
    if postgres and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# ------------------------------------------------------------------ what the deployment records


def record_run(
    kind: str,
    *,
    ok: bool,
    file: Path,
    manifest: Manifest | None = None,
    seconds: float | None = None,
    using: str = DEFAULT_DB_ALIAS,
    reconnect: bool = False,
) -> BackupRecord:
    """Note a finished backup, verification or restore in the database it concerns.

    reconnect: after a PostgreSQL restore the live name names another database than the
    one the open connection was made to.
    """
    if reconnect:
        connections[using].close()
    path = Path(file)
    return BackupRecord.objects.using(using).create(
        kind=kind,
        finished_at=timezone.now(),
        ok=ok,
        file_name=str(path.resolve()),
        size_bytes=path.stat().st_size if path.is_file() else None,
        rows=sum(manifest.rows.values()) if manifest else None,
        engine=manifest.engine if manifest else "",
        backup_created=manifest.created if manifest else "",
        seconds=seconds,
    )


def last_good(kind: str, *, using: str = DEFAULT_DB_ALIAS) -> BackupRecord | None:
    return BackupRecord.objects.using(using).filter(kind=kind, ok=True).first()

"""Times backup_db / restore_db beside pg_dump / pg_restore run directly, in the same
minute, at province (and optionally nation) size on PostgreSQL. Run by `bin/bench-backup`;
not part of the tests. Databases: <prefix>_<size> (default prefix bench_backup), made with
generate_synthetic when missing; writes the table into BENCHMARKS.md between markers.

    bin/bench-backup                 # province
    bin/bench-backup province nation
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.run import SIZES  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PREFIX = os.environ.get("BENCH_BACKUP_PREFIX", "bench_backup")
BEGIN, END = "<!-- bench-backup:begin -->", "<!-- bench-backup:end -->"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", f"{PG}/{db}", "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def env(db):
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{db}",
        "DEBUG": "0",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "localhost",
        "LOG_LEVEL": "WARNING",
    }


def timed(command, db=None, **kw):
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        command, check=True, cwd=ROOT, env=env(db) if db else None, stdout=subprocess.DEVNULL, **kw
    )
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return time.monotonic() - started, max(rss, before) / 1024


def manage(db, *args):
    return timed([sys.executable, "manage.py", *args], db)


def prepare(size):
    db = f"{PREFIX}_{size}"
    fresh = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") != "1"
    if fresh:
        psql(f'CREATE DATABASE "{db}"')
    # A database made by an earlier version of the code is brought to the current schema.
    manage(db, "migrate", "--no-input", "-v0")
    if fresh:
        manage(db, "generate_synthetic", *SIZES[size][1], "--seed", "1", "--fill", "0.8")
    psql("ANALYZE", db)
    return db


def bench(size):
    db = prepare(size)
    figures = int(psql("SELECT count(*) FROM targets_reportfigure", db))
    megabytes = int(psql(f"SELECT pg_database_size('{db}')", db)) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = Path(tmp) / "sao-luu.backup", Path(tmp) / "pg.dump"
        backup, backup_rss = manage(db, "backup_db", str(ours))
        dump, _ = timed(["pg_dump", "-Fc", "-f", str(theirs), f"{PG}/{db}"])
        restore, restore_rss = manage(db, "restore_db", "--no-input", "--jobs", "2", str(ours))
        scratch = f"{db}_direct"
        started = time.monotonic()
        psql(f'DROP DATABASE IF EXISTS "{scratch}"')
        psql(f'CREATE DATABASE "{scratch}"')
        subprocess.run(
            [
                "pg_restore",
                "-j",
                "2",
                "--no-owner",
                "--no-acl",
                "-d",
                f"{PG}/{scratch}",
                str(theirs),
            ],
            check=True,
        )
        psql("ANALYZE", scratch)
        direct = time.monotonic() - started
        psql(f'DROP DATABASE "{scratch}"')
        verify, _ = manage(db, "backup_db", "--verify", str(ours))
        size_mb = ours.stat().st_size / 1e6
    return dict(  # noqa: C408
        size=size,
        figures=figures,
        db_mb=megabytes,
        file_mb=size_mb,
        backup=backup,
        dump=dump,
        restore=restore,
        direct=direct,
        verify=verify,
        backup_rss=backup_rss,
        restore_rss=restore_rss,
    )


def vn(x, d=1):
    return f"{x:,.{d}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def table(rows):
    lines = [
        "| size | figures | database | file | `backup_db` | `pg_dump -Fc` | ratio "
        "| `restore_db --jobs 2` | createdb + `pg_restore -j 2` + ANALYZE | ratio "
        "| `backup_db --verify` |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {vn(r['figures'], 0)} | {vn(r['db_mb'], 0)} MB "
            f"| {vn(r['file_mb'])} MB "
            f"| {vn(r['backup'])} s | {vn(r['dump'])} s | {vn(r['backup'] / r['dump'], 2)}× "
            f"| {vn(r['restore'])} s | {vn(r['direct'])} s | {vn(r['restore'] / r['direct'], 2)}× "
            f"| {vn(r['verify'])} s |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", default=["province"], choices=["province", "nation"])
    rows = [bench(s) for s in parser.parse_args().sizes]
    text = table(rows)
    print(text)
    path = ROOT / "BENCHMARKS.md"
    content = path.read_text()
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in content:
        content = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), block, content, flags=re.S)
        path.write_text(content)


if __name__ == "__main__":
    main()

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from ops.backup import code_schema, schema_differences, vn
from ops.move import copy_database, count_rows

TARGET = "chuyen_den"


class Command(BaseCommand):
    help = (
        "Chuyển toàn bộ dữ liệu từ cơ sở dữ liệu đang dùng (thường là SQLite của bin/run) sang "
        "một cơ sở dữ liệu PostgreSQL trống, giữ nguyên mã (id) của mọi dòng: báo cáo, lịch sử, "
        "nhật ký. Tự chạy migrate trên PostgreSQL. Lỗi thì PostgreSQL không có gì thay đổi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", required=True, metavar="URL", help="postgres://user@host:5432/ten_csdl"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="cho phép xóa dữ liệu đã có trong cơ sở dữ liệu đích",
        )

    def handle(self, *args, to: str, replace: bool, **options):
        import dj_database_url

        started = time.monotonic()
        config = dj_database_url.parse(to)
        if not config["ENGINE"].endswith("postgresql"):
            raise CommandError("--to phải là địa chỉ PostgreSQL (postgres://...).")
        for key, value in {
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "OPTIONS": {},
            "TIME_ZONE": None,
            "TEST": {},
        }.items():
            config.setdefault(key, value)
        connections.databases[TARGET] = config
        try:
            source = connections[DEFAULT_DB_ALIAS]
            target = connections[TARGET]
            source_schema = _schema(DEFAULT_DB_ALIAS)
            if schema_differences(source_schema, code_schema()):
                raise CommandError(
                    "Cơ sở dữ liệu nguồn chưa ở phiên bản lược đồ của ứng dụng: chạy "
                    "'manage.py migrate' trên nó trước."
                )
            self.stdout.write(f"Chuẩn bị PostgreSQL «{config['NAME']}» (migrate)...")
            # In a child process whose only database is the target: a data migration that
            # forgets `using` then cannot write into the source.
            subprocess.run(
                [
                    sys.executable,
                    str(Path(settings.BASE_DIR) / "manage.py"),
                    "migrate",
                    "--no-input",
                    "-v0",
                ],
                env={**os.environ, "DATABASE_URL": to},
                check=True,
            )
            users = connections[TARGET].cursor()
            user_table = _user_table()
            users.execute(f"SELECT count(*) FROM {target.ops.quote_name(user_table)}")
            if users.fetchone()[0] and not replace:
                raise CommandError(
                    f"Cơ sở dữ liệu đích «{config['NAME']}» đã có tài khoản (đã dùng?). Chọn "
                    "một cơ sở dữ liệu trống, hoặc thêm --replace để xóa dữ liệu của nó."
                )
            users.close()
            self.stdout.write(f"Chép dữ liệu từ {source.vendor} «{source.settings_dict['NAME']}»:")

            def progress(label, rows, seconds):
                if rows:
                    self.stdout.write(f"  {label:<40} {vn(rows):>10} dòng  {seconds:6.1f} giây")

            copied = copy_database(DEFAULT_DB_ALIAS, TARGET, progress=progress)
            with target.cursor() as cursor:
                cursor.execute("ANALYZE")
            found = count_rows(TARGET)
            expected = count_rows(DEFAULT_DB_ALIAS)
            wrong = {
                t: (expected[t], found.get(t)) for t in expected if expected[t] != found.get(t)
            }
            if wrong:
                raise CommandError(f"Số dòng sau khi chép không khớp: {wrong}")
        finally:
            connections[TARGET].close()
            del connections.databases[TARGET]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã chuyển {vn(sum(copied.values()))} dòng ({len(copied)} bảng) sang PostgreSQL "
                f"«{config['NAME']}» trong {seconds} giây, bộ nhớ tối đa {peak:.0f} MB. Đặt "
                f"DATABASE_URL={to.split('@')[0].split(':')[0]}://…@{config.get('HOST')}/"
                f"{config['NAME']} rồi khởi động lại máy chủ."
            )
        )


def _schema(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        last = {}
        for app, name in cursor.fetchall():
            last[app] = max(name, last.get(app, ""))
    return last


def _user_table():
    from django.apps import apps

    return apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table

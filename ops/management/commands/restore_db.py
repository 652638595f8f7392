import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from ops.backup import (
    BackupError,
    check_schema,
    database_restore,
    database_restore_json,
    detect,
    live_counts,
    read_manifest,
    record_run,
    vn,
)
from ops.models import BackupRecord

# What the confirmation names, by model label (ops imports no other app).
SHOWN = [
    ("targets.Report", "báo cáo"),
    ("targets.ReportFigure", "số liệu"),
    ("targets.ReportEvent", "bước xử lý"),
    ("audit.AuditEntry", "dòng nhật ký"),
    (settings.AUTH_USER_MODEL, "tài khoản"),
]


class Command(BaseCommand):
    # A backup must run whatever a system check says about the rest of the deployment, and
    # the checks are a third of the command's start-up, which is most of a small backup.
    requires_system_checks: list[str] = []

    help = (
        "Khôi phục cơ sở dữ liệu từ tệp sao lưu của backup_db: THAY toàn bộ dữ liệu hiện có. "
        "Dữ liệu được khôi phục và kiểm tra ở bản tạm trước; lỗi thì dữ liệu cũ giữ nguyên. "
        "Bản sao lưu phải cùng phiên bản lược đồ với ứng dụng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="không hỏi xác nhận"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help="số tiến trình song song của pg_restore",
        )

    def handle(self, *args, file: Path, interactive: bool, jobs: int, **options):
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {file}.")
        started = time.monotonic()
        try:
            if detect(file) == "json":
                self.confirm(
                    interactive, "Toàn bộ dữ liệu hiện có sẽ bị thay bằng dữ liệu trong tệp JSON."
                )
                database_restore_json(file)
            else:
                manifest = read_manifest(file)
                check_schema(manifest)
                if interactive:  # describing counts every live row: only when someone reads it
                    self.confirm(interactive, self.describe(file, manifest))
                database_restore(file, jobs=jobs)
                record_run(
                    BackupRecord.Kind.RESTORE,
                    ok=True,
                    file=file,
                    manifest=manifest,
                    seconds=time.monotonic() - started,
                    reconnect=True,
                )
        except BackupError as error:
            raise CommandError(str(error)) from error
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục dữ liệu từ {file} ({seconds} giây)."))

    def confirm(self, interactive: bool, question: str):
        if not interactive:
            return
        self.stdout.write(question)
        answer = input("Gõ 'yes' để thay dữ liệu: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Đã hủy, dữ liệu không thay đổi.")

    def describe(self, file: Path, manifest) -> str:
        settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        where = settings_dict["NAME"]
        if vendor == "postgresql":
            host = settings_dict.get("HOST") or "socket"
            where = f"{where} trên {host}:{settings_dict.get('PORT') or 5432}"
        now = live_counts()

        def summary(counts):
            parts = []
            for label, noun in SHOWN:
                table = apps.get_model(label)._meta.db_table
                parts.append(f"{vn(counts.get(table, 0))} {noun}")
            return ", ".join(parts) + f"; tổng {vn(sum(counts.values()))} dòng"

        return (
            f"Sẽ THAY TOÀN BỘ dữ liệu của cơ sở dữ liệu {vendor} «{where}»\n"
            f"  hiện có: {summary(now)}\n"
            f"bằng bản sao lưu {file} ({manifest.engine} «{manifest.database}», "
            f"tạo lúc {manifest.created}, phiên bản {manifest.application}):\n"
            f"  {summary(manifest.rows)}."
        )

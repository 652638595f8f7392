import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import (
    BackupError,
    database_backup,
    database_backup_json,
    detect,
    record_run,
    verify_backup,
    vn,
)
from ops.models import BackupRecord

# Run against the scratch copy by --verify: the running totals must equal a recomputation.
CHECKS = [["rebuild_totals", "--check"]]


class Command(BaseCommand):
    # A backup must run whatever a system check says about the rest of the deployment, and
    # the checks are a third of the command's start-up, which is most of a small backup.
    requires_system_checks: list[str] = []

    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu ra một tệp bằng công cụ của chính cơ sở dữ liệu "
        "(PostgreSQL: pg_dump; SQLite: backup API, an toàn khi máy chủ đang chạy). "
        "--verify TỆP: khôi phục thử vào cơ sở dữ liệu tạm và so sánh số dòng, số tổng hợp. "
        "--format json: tệp JSON của Django (chậm, dùng để chuyển giữa các loại cơ sở dữ liệu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="tệp sao lưu, tên tùy chọn")
        parser.add_argument(
            "--verify", action="store_true", help="kiểm tra một tệp sao lưu đã có (không sao lưu)"
        )
        parser.add_argument("--format", choices=["native", "json"], default="native")
        parser.add_argument(
            "--jobs", type=int, default=2, help="số tiến trình pg_restore khi kiểm tra"
        )

    def handle(self, *args, file: Path, verify: bool, format: str, jobs: int, **options):
        started = time.monotonic()
        try:
            if verify:
                return self.verify(file, jobs)
            if format == "json":
                database_backup_json(file)
                self.stdout.write(self.style.SUCCESS(f"Đã sao lưu dữ liệu (JSON) vào {file}."))
                return
            manifest = database_backup(file)
        except BackupError as error:
            record_run(BackupRecord.Kind.BACKUP, ok=False, file=file)
            raise CommandError(str(error)) from error
        record_run(
            BackupRecord.Kind.BACKUP,
            ok=True,
            file=file,
            manifest=manifest,
            seconds=time.monotonic() - started,
        )
        size = file.stat().st_size / 1e6
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {manifest.engine} «{manifest.database}» vào {file}: "
                f"{vn(sum(manifest.rows.values()))} dòng, {_num(size)} MB, "
                f"{_num(time.monotonic() - started)} giây."
            )
        )

    def verify(self, file: Path, jobs: int):
        started = time.monotonic()
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {file}.")
        if detect(file) == "json":
            raise CommandError("Tệp JSON (định dạng cũ) không kiểm tra được bằng --verify.")
        result = verify_backup(file, jobs=jobs, checks=CHECKS)
        record_run(
            BackupRecord.Kind.VERIFY,
            ok=result.ok,
            file=file,
            manifest=result.manifest,
            seconds=time.monotonic() - started,
        )
        m = result.manifest
        self.stdout.write(
            f"Bản sao lưu {file}: {m.engine} «{m.database}», tạo lúc {m.created}, "
            f"phiên bản {m.application}."
        )
        self.stdout.write(f"{'Bảng':<45} {'trong tệp':>12} {'khôi phục thử':>14}")
        for table, expected, found in result.rows:
            mark = "" if expected == found else "  ← KHÁC"
            self.stdout.write(f"{table:<45} {vn(expected):>12} {vn(found):>14}{mark}")
        for command, code, output in result.checks:
            self.stdout.write(f"\n$ manage.py {command} (trên bản khôi phục thử)\n{output.strip()}")
            self.stdout.write("→ đạt" if code == 0 else f"→ KHÔNG ĐẠT (mã {code})")
        if not result.ok:
            raise CommandError("Bản sao lưu KHÔNG dùng được: xem các dòng khác nhau ở trên.")
        total = sum(expected for _, expected, _ in result.rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"Bản sao lưu dùng được: {len(result.rows)} bảng, {vn(total)} dòng khớp, "
                "số tổng hợp đúng."
            )
        )


def _num(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")

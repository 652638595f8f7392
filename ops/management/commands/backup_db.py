from pathlib import Path

from django.core.management.base import BaseCommand

from ops.backup import database_backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu ra một tệp (JSON; thêm .gz để nén)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="tệp sao lưu, ví dụ backup-2023-06-30.json.gz")

    def handle(self, *args, file: Path, **options):
        database_backup(file)
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu dữ liệu vào {file}."))

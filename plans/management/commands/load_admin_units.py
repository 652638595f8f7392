import time
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError

from plans.admin_units import SOURCE, find_province, load_divisions, read_divisions


class Command(BaseCommand):
    help = (
        "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu có hiệu lực từ 01/07/2025, với mã "
        "của Tổng cục Thống kê, từ gói vietnam-provinces. Chạy lại không thay đổi gì; bản mới "
        "của gói đổi tên đơn vị thì đơn vị được sửa, có lịch sử."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", help="chỉ nạp một tỉnh, theo mã (12) hoặc mã đường dẫn (lai-chau)"
        )
        parser.add_argument(
            "--fixture", type=Path, help="ghi các đơn vị đã nạp ra tệp fixture JSON này"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        divisions = read_divisions()
        if options["province"]:
            entry = find_province(divisions, options["province"])
            if entry is None:
                raise CommandError(f"Không có tỉnh, thành phố nào mã {options['province']}.")
            divisions = [entry]
        try:
            result = load_divisions(divisions=divisions)
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        self.stdout.write(f"Nguồn: {SOURCE}.")
        self.stdout.write(
            f"Đã nạp {result.total} đơn vị hành chính ({len(divisions)} tỉnh, thành phố) trong "
            f"{seconds:.1f} giây: thêm {result.added}, sửa {result.changed}, "
            f"giữ nguyên {result.unchanged}."
        )
        if options["fixture"]:
            text = serializers.serialize(
                "json",
                result.units,
                indent=2,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
            options["fixture"].write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Đã ghi {len(result.units)} đơn vị vào {options['fixture']}.")

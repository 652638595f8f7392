from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import database_restore


class Command(BaseCommand):
    help = (
        "Khôi phục dữ liệu từ tệp sao lưu: XÓA toàn bộ dữ liệu hiện có rồi nạp lại từ tệp, "
        "trong một giao dịch (lỗi thì dữ liệu cũ giữ nguyên). Chạy migrate trước."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="không hỏi xác nhận"
        )

    def handle(self, *args, file: Path, interactive: bool, **options):
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {file}.")
        if interactive:
            answer = input("Toàn bộ dữ liệu hiện có sẽ bị thay bằng dữ liệu trong tệp. Gõ 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy, dữ liệu không thay đổi.")
        database_restore(file)
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục dữ liệu từ {file}."))

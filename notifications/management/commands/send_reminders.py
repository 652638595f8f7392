from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import reminders_run
from notifications.tasks import send_reminders


def _day(text: str):
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {text!r}; hãy viết dd/mm/yyyy.") from None


class Command(BaseCommand):
    help = (
        "Tính các thông báo đến hạn trong ngày (sắp đến hạn, quá hạn, chờ duyệt, OCOP), ghi lại, "
        "gửi thư tổng hợp và gửi lại thư lỗi. Chạy lại trong ngày không gửi thêm gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help="Coi như hôm nay là ngày này (dd/mm/yyyy)")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Đưa vào hàng đợi để bộ xử lý nền chạy (db_worker), thay vì chạy ngay",
        )

    def handle(self, *args, today=None, queue=False, **options):
        today = today or timezone.localdate()
        if queue:
            result = send_reminders.enqueue(today.isoformat())
            if options["verbosity"] >= 1:
                self.stdout.write(f"{today:%d/%m/%Y}: đã đưa vào hàng đợi (mã {result.id}).")
            return
        summary = reminders_run(today=today)
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(summary.created.items()))
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{today:%d/%m/%Y}: {summary.created.total()} thông báo mới"
                + (f" ({kinds})" if kinds else "")
                + f", {summary.sent} thư đã gửi, {len(summary.failed)} thư lỗi."
            )
        for delivery in summary.failed:
            self.stderr.write(
                f"Lỗi gửi tới {delivery.address} (lần {delivery.attempts}): {delivery.last_error}"
            )
        if summary.failed:
            raise CommandError(
                f"{len(summary.failed)} thư chưa gửi được; sẽ gửi lại ở lần chạy sau."
            )

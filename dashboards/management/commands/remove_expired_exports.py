"""Removes the queued exports' files kept past EXPORT_KEEP_HOURS.

Every export task does the same before its own work, so a busy site needs nothing more;
bin/run runs this at start, and a deployment where exports are rare runs it from cron.
"""

from typing import Any

from django.core.management.base import BaseCommand

from dashboards.exports import exports_remove_expired


class Command(BaseCommand):
    help = "Xoá các tệp Excel đã tạo trong nền quá thời gian giữ (EXPORT_KEEP_HOURS)."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = exports_remove_expired()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Đã xoá {removed} tệp Excel quá thời gian giữ.")

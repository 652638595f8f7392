from django.core.management.base import BaseCommand, CommandError

from common.db import analyze
from plans.models import Plan
from reporting import totals
from reporting.models import AreaTotal, PlanTotals


class Command(BaseCommand):
    help = (
        "Tính lại số tổng hợp của dashboard từ số liệu báo cáo. Với --check: không ghi gì, "
        "chỉ so số đang lưu với số tính lại và báo lỗi nếu khác."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="chỉ kế hoạch năm này")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, year=None, check=False, **options):
        plans = Plan.objects.select_related("unit").order_by("year", "pk")
        if year:
            plans = plans.filter(year=year)
        wrong = 0
        for plan in plans:
            if check:
                if not totals.is_kept(plan):
                    self.stdout.write(f"{plan}: chưa tính số tổng hợp (dashboard tự cộng).")
                    continue
                found = totals.differences(plan)
                wrong += len(found)
                for key, kept, right in found[:20]:
                    self.stdout.write(f"  {key}: đang lưu {kept}, tính lại {right}")
                self.stdout.write(f"{plan}: {len(found)} số tổng hợp sai.")
            else:
                rows = totals.rebuild(plan)
                self.stdout.write(f"{plan}: đã tính lại {rows} số tổng hợp.")
        if not check:
            # Every total was rewritten in bulk: the planner needs to see them.
            analyze([AreaTotal, PlanTotals])
        if wrong:
            raise CommandError(f"{wrong} số tổng hợp khác với số tính lại.")

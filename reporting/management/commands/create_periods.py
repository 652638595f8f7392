from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from reporting.periods import periods_create_for_plan


class Command(BaseCommand):
    help = (
        "Tạo các kỳ báo cáo mặc định (tháng, quý, 6 tháng, 9 tháng, năm) cho kế hoạch của một năm."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Năm kế hoạch, ví dụ 2023")

    def handle(self, *args, year, **options):
        plans = list(Plan.objects.filter(year=year))
        if not plans:
            raise CommandError(f"Chưa có kế hoạch năm {year}. Hãy nạp kế hoạch trước.")
        for plan in plans:
            created = periods_create_for_plan(plan=plan)
            self.stdout.write(f"{plan}: đã tạo {len(created)} kỳ báo cáo mới.")

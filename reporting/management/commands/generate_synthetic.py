import time

from django.core.management.base import BaseCommand, CommandError

from common.db import analyze
from plans.models import Plan
from reporting import synthetic, totals


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu tổng hợp để đo hiệu năng: cả nước trên đơn vị hành chính thật (34 tỉnh, "
        "thành phố, 3.321 xã, phường, đặc khu, từ gói vietnam-provinces), kế hoạch, chỉ tiêu, "
        "kỳ báo cáo, báo cáo ở mọi trạng thái cùng lịch sử; cùng seed cho cùng dữ liệu. "
        "Với --plan-year: chỉ tạo báo cáo cho kế hoạch đã có của năm đó."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--provinces", type=int, default=34, help="số tỉnh đầu tiên theo mã (mặc định 34)"
        )
        parser.add_argument(
            "--province", help="chỉ một tỉnh thật, theo mã (15) hoặc mã đường dẫn (lao-cai)"
        )
        parser.add_argument(
            "--units-per-province",
            type=int,
            help="thay đơn vị thật bằng chừng này xã tên giả mỗi tỉnh (thử nghiệm nhỏ)",
        )
        parser.add_argument("--indicators", type=int, default=100)
        parser.add_argument("--years", type=int, default=1)
        parser.add_argument("--first-year", type=int, default=2025)
        parser.add_argument("--fill", type=float, default=0.8, help="tỷ lệ báo cáo có số liệu")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="qg", help="tiền tố mã đơn vị và chỉ tiêu")
        parser.add_argument("--plan-year", type=int, help="điền báo cáo cho kế hoạch năm này")
        parser.add_argument(
            "--no-totals", action="store_true", help="không tính số tổng hợp cho dashboard"
        )

    def handle(self, *args, **o):
        if not 0 <= o["fill"] <= 1:
            raise CommandError("--fill phải từ 0 đến 1.")
        started = time.monotonic()

        def log(message):
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")

        if o["plan_year"]:
            plan = Plan.objects.filter(year=o["plan_year"]).first()
            if plan is None:
                raise CommandError(f"Chưa có kế hoạch năm {o['plan_year']}.")
            counts = synthetic.fill_plan(plan, seed=o["seed"], fill=o["fill"])
            plans = [plan]
        else:
            size = synthetic.Size(
                provinces=o["provinces"],
                units_per_province=o["units_per_province"],
                province=o["province"],
                indicators=o["indicators"],
                years=o["years"],
                fill=o["fill"],
                seed=o["seed"],
                first_year=o["first_year"],
                prefix=o["prefix"],
            )
            try:
                plans, counts = synthetic.generate(size, log=log)
            except ValueError as error:
                raise CommandError(str(error)) from error
        log(
            f"{counts.reports} báo cáo, {counts.figures} số liệu, {counts.events} bước xử lý, "
            f"{counts.changes} thay đổi"
        )
        if not o["no_totals"]:
            for plan in plans:
                rows = totals.rebuild(plan)
                log(f"{plan}: {rows} dòng số tổng hợp")
        # Rows loaded by COPY: without statistics PostgreSQL plans every query blind.
        analyze()
        log("ANALYZE xong")

"""The 2023 plan's reminders run day by day over the year, on a scratch SQLite database.

Units submit on time, late or not at all (seeded), Phòng Kinh tế returns some reports and
approves the rest; `send_reminders --today` runs every day of 2023, twice on each day to show
that a second run gives nothing. Prints the notifications and e-mails per kind.

    .venv/bin/python benchmarks/reminders_year.py [--seed 2023]
"""

import argparse
import os
import random
import sys
import tempfile
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="reminders-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/year.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_agri.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    for command, *rest in (
        ("migrate",),
        ("loaddata", "plan_2023", "seasonal_profiles"),
        ("create_periods", "2023"),
        ("create_demo_users", "--password", "mat-khau-mo-phong-2023"),
    ):
        call_command(command, *rest, verbosity=0)
    run_year(random.Random(args.seed))


def run_year(rng):
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    from notifications.models import EmailDelivery, Notification
    from plans.models import OcopProduct, Plan
    from plans.selectors import grassroots_units
    from reporting.models import Report
    from reporting.services import report_approve, report_return

    users = get_user_model().objects.all()
    for user in users:
        user.email = f"{user.username}@laichau.gov.vn"
        user.save(update_fields=["email"])
    office = users.get(username="kinhte")
    plan = Plan.objects.get(year=2023)
    units = list(grassroots_units(plan))
    # Two certificates the register would hold: one expiring mid-year, one in November.
    for name, expires in (("Chè Shan tuyết San Thàng", date(2023, 7, 20)),
                          ("Gạo tẻ râu Sùng Phài", date(2023, 11, 5))):  # fmt: skip
        OcopProduct.objects.create(
            name=name, owner="HTX", unit=units[0], score=70, expires_on=expires
        )

    # What each unit does with each period's report: (day, step).
    agenda = {}
    for period in plan.periods.all():
        for unit in units:
            roll = rng.random()
            if roll < 0.08:
                continue  # never sent
            if roll < 0.73:
                sent = period.deadline - timedelta(days=rng.randint(0, 4))
            else:
                sent = period.deadline + timedelta(days=rng.randint(1, 12))
            agenda.setdefault(sent, []).append(("submit", period, unit))
            review = sent + timedelta(days=rng.randint(1, 4))
            step = "return" if rng.random() < 0.15 else "approve"
            agenda.setdefault(review, []).append((step, period, unit))

    day = date(2023, 1, 1)
    runs_with_news = Counter()
    while day <= date(2023, 12, 31):
        moment = datetime(day.year, day.month, day.day, 10, tzinfo=HANOI)
        with mock.patch.object(timezone, "now", return_value=moment):
            for step, period, unit in agenda.get(day, []):
                report, _ = Report.objects.get_or_create(period=period, unit=unit)
                if step == "submit":
                    report.status, report.submitted_at = Report.Status.SUBMITTED, moment
                    report.save()
                elif report.status == Report.Status.SUBMITTED and step == "approve":
                    report_approve(report=report, actor=office)
                elif report.status == Report.Status.SUBMITTED:
                    report_return(report=report, actor=office, reason="Số liệu chưa khớp")
                    # Corrected and sent again three days later, then approved.
                    again = day + timedelta(days=3)
                    agenda.setdefault(again, []).append(("submit", period, unit))
                    agenda.setdefault(again + timedelta(days=2), []).append(
                        ("approve", period, unit)
                    )
            for attempt in (1, 2):
                before = Notification.objects.count()
                call_command("send_reminders", "--today", f"{day:%d/%m/%Y}", verbosity=0)
                if Notification.objects.count() > before:
                    runs_with_news[attempt] += 1
        day += timedelta(days=1)

    print("Notifications per kind (2023, 7 units, 19 periods):")
    for kind, count in sorted(Counter(Notification.objects.values_list("kind", flat=True)).items()):
        print(f"  {kind:18} {count}")
    print(f"  {'total':18} {Notification.objects.count()}")
    keys = list(Notification.objects.values_list("recipient_id", "key"))
    print(f"Duplicates (same person, same occasion): {len(keys) - len(set(keys))}")
    print(f"Days on which the first run recorded something: {runs_with_news[1]}; "
          f"the second run of the same day: {runs_with_news[2]}")  # fmt: skip
    sorts = Counter(EmailDelivery.objects.values_list("sort", flat=True))
    print(f"E-mails: {len(mail.outbox)} sent ({sorts['khan']} urgent, {sorts['tong_hop']} digests)")
    per_person = Counter(Notification.objects.values_list("recipient__username", flat=True))
    print("Per person:", ", ".join(f"{name} {count}" for name, count in sorted(per_person.items())))


if __name__ == "__main__":
    main()

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from notifications.models import Notification
from reporting.models import Report, ReportingPeriod

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def period(plan):
    return lambda code: ReportingPeriod.objects.get(plan=plan, code=code)


@pytest.fixture
def report_in(period, unit):
    """A unit's report for a period in a given state, as if the workflow had put it there."""

    def make(slug, code, status, submitted=None, reason=""):
        submitted_at = datetime(*submitted, 9, tzinfo=HANOI) if submitted else None
        return Report.objects.create(
            period=period(code),
            unit=unit(slug),
            status=status,
            submitted_at=submitted_at,
            return_reason=reason,
        )

    return make


@pytest.fixture
def run():
    """`send_reminders --today DD/MM/YYYY`, as cron would run it."""

    def run_on(day: date):
        call_command("send_reminders", "--today", day.strftime("%d/%m/%Y"), verbosity=0)

    return run_on


def told(username, kind=None, code=None):
    """What a person was told: (kind, period code, unit slug) for each notification."""
    rows = Notification.objects.filter(recipient__username=username).select_related(
        "period", "unit", "report__period", "report__unit"
    )
    if kind:
        rows = rows.filter(kind=kind)
    found = []
    for n in rows.order_by("pk"):
        period = n.report.period if n.report else n.period
        unit = n.report.unit if n.report else n.unit
        item = (n.kind, period.code if period else None, unit.slug if unit else None)
        if code is None or item[1] == code:
            found.append(item)
    return found

"""`send_reminders --queue` leaves the day's run to the worker, which does the same."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_days_reminders_queued_are_sent_by_the_worker(run_worker):
    out = io.StringIO()
    call_command("send_reminders", "--today", "10/03/2023", "--queue", stdout=out)
    assert "đã đưa vào hàng đợi" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert not Notification.objects.exists()

    run_worker()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    created = Notification.objects.count()
    assert created > 0
    assert queued.return_value == {"created": created, "sent": len(mail.outbox), "failed": 0}

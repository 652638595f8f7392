"""`send_reminders` as a task of the queue (settings.TASKS), for a deployment that would
rather queue the day's run (`manage.py send_reminders --queue`, from cron or a page)
than run it in the calling process: the worker beside the server sends the e-mails, and
the task's result keeps what was done."""

from datetime import date

from django.utils import timezone
from django_tasks import task

from .services import reminders_run


@task()
def send_reminders(today: str | None = None) -> dict[str, int]:
    """The same run as the command; `today` as an ISO date (None: the worker's today)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    summary = reminders_run(today=day)
    return {
        "created": summary.created.total(),
        "sent": summary.sent,
        "failed": len(summary.failed),
    }

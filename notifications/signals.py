"""Report steps are told to the unit's officials as they are recorded.

The workflow (reporting/services.py) records a ReportEvent for each step; listening here
keeps the workflow unaware of who is told what.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from reporting.models import ReportEvent

from .services import notify_report_step


@receiver(post_save, sender=ReportEvent, dispatch_uid="notifications_report_step")
def tell_report_step(sender, instance: ReportEvent, created: bool, raw: bool = False, **kw):
    if created and not raw:
        notify_report_step(event=instance)

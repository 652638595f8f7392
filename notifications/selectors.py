"""Reads of notifications and e-mails, each in a fixed number of queries."""

from django.db.models import QuerySet

from .models import EmailDelivery, Notification

RELATED = ("report__unit", "report__period", "period", "unit", "ocop_product")


def inbox(user) -> QuerySet[Notification]:
    """A person's notifications, newest first, with what their texts name."""
    return Notification.objects.filter(recipient=user).select_related(*RELATED)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def sent_log() -> QuerySet[EmailDelivery]:
    return EmailDelivery.objects.select_related("recipient")

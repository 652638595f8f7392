"""Recording notifications and sending them by e-mail.

Urgent notices (a report returned or reopened) go out as soon as the step is committed;
everything else waits for one digest per person and day. An SMTP error leaves the e-mail
marked failed with its error; `send_reminders` tries it again, up to MAX_ATTEMPTS times.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role
from reporting.models import Report, ReportEvent

from . import texts
from .models import URGENT_KINDS, EmailDelivery, Kind, Notification, Preference
from .rules import due_notifications, people_with_role
from .selectors import RELATED

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
WAITING = Notification.EmailState.WAITING
STEP_KINDS = {
    ReportEvent.Action.RETURNED: Kind.RETURNED,
    ReportEvent.Action.REOPENED: Kind.REOPENED,
    ReportEvent.Action.APPROVED: Kind.APPROVED,
}
# A figure discussed between Phòng Kinh tế and the unit: the other side is told.
DISCUSSION_STEPS = {ReportEvent.Action.COMMENTED, ReportEvent.Action.FOLLOW_UP}


@dataclass
class RunSummary:
    created: Counter = field(default_factory=Counter)
    sent: int = 0
    failed: list[EmailDelivery] = field(default_factory=list)


# --- Recording -----------------------------------------------------------------------


def notifications_record(*, candidates: list[Notification], today: date) -> list[Notification]:
    """Save the candidates nobody has been given yet; return those saved."""
    if not candidates:
        return []
    given = set(
        Notification.objects.filter(
            key__in={c.key for c in candidates}, recipient__in={c.recipient_id for c in candidates}
        ).values_list("recipient_id", "key")
    )
    new = []
    for candidate in candidates:
        if (candidate.recipient_id, candidate.key) in given:
            continue
        given.add((candidate.recipient_id, candidate.key))
        candidate.created_on = today
        new.append(candidate)
    # A second run at the same moment loses the race quietly instead of failing.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return new


def notify_report_step(*, event: ReportEvent) -> list[Notification]:
    """The unit's officials are told that their report was returned, reopened or approved;
    a comment or a follow-up mark on a figure is told to the other side of the review."""
    action = ReportEvent.Action(event.action)
    if action in DISCUSSION_STEPS:
        kind = Kind.FIGURE_DISCUSSED
    elif (step_kind := STEP_KINDS.get(action)) is not None:
        kind = step_kind
    else:
        return []
    report = Report.objects.select_related("period__plan", "unit").get(pk=event.report_id)
    officials = [
        profile.user
        for profile in report.unit.officials.filter(user__is_active=True).select_related("user")
    ]
    recipients = officials
    if kind == Kind.FIGURE_DISCUSSED:
        from_the_unit = event.actor_id in {user.pk for user in officials}
        recipients = list(people_with_role(Role.ECONOMIC_OFFICE)) if from_the_unit else officials
        recipients = [user for user in recipients if user.pk != event.actor_id]
    created = []
    for recipient in recipients:
        notification, was_new = Notification.objects.get_or_create(
            recipient=recipient,
            key=f"{kind}:{event.pk}",
            defaults={
                "kind": kind,
                "report": report,
                "detail": event.reason,
                "due_on": report.period.deadline,
                "url": report.get_absolute_url(),
                "created_on": timezone.localdate(event.at),
            },
        )
        if was_new:
            created.append(notification)
    if kind in URGENT_KINDS and created:
        pks = [n.pk for n in created]
        transaction.on_commit(lambda: urgent_send(notification_pks=pks))
    return created


# --- E-mail --------------------------------------------------------------------------


def wanted_kinds(user: User) -> set[str]:
    try:
        preference = user.notification_preference
    except Preference.DoesNotExist:
        preference = None
    return set(Kind.values if preference is None else preference.email_kinds)


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def _compose(delivery: EmailDelivery, notifications: list[Notification]) -> EmailMultiAlternatives:
    with translation.override("vi"):
        items = [
            {
                "title": texts.title(n),
                "detail": texts.detail(n),
                "url": _absolute(n.url),
                "urgent": n.kind in URGENT_KINDS,
            }
            for n in notifications
        ]
        context = {
            "recipient": delivery.recipient,
            "items": items,
            "digest": delivery.sort == EmailDelivery.Sort.DIGEST,
            "day": delivery.digest_on,
            "inbox_url": _absolute("/notifications/"),
            "settings_url": _absolute("/notifications/settings/"),
        }
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    message = EmailMultiAlternatives(subject=delivery.subject, body=text, to=[delivery.address])
    message.attach_alternative(html, "text/html")
    return message


def delivery_send(*, delivery: EmailDelivery) -> bool:
    """Send (or send again) one e-mail; record the outcome, never raise on SMTP errors."""
    notifications = list(delivery.notifications.select_related(*RELATED).order_by("pk"))
    delivery.attempts += 1
    try:
        _compose(delivery, notifications).send()
    except Exception as error:  # smtplib, socket and TLS errors alike
        delivery.status = EmailDelivery.Status.FAILED
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        logger.warning(
            "email_failed", extra={"delivery": delivery.pk, "error": delivery.last_error}
        )
    else:
        delivery.status = EmailDelivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    return delivery.status == EmailDelivery.Status.SENT


def _subject_one(notification: Notification) -> str:
    with translation.override("vi"):
        return f"[{_('Nông nghiệp TP Lai Châu')}] {texts.title(notification)}"[:300]


def _subject_digest(count: int, day: date) -> str:
    with translation.override("vi"):
        return _("[Nông nghiệp TP Lai Châu] %(count)s thông báo ngày %(day)s") % {
            "count": count,
            "day": day.strftime("%d/%m/%Y"),
        }


def _split_unwanted(notifications: list[Notification], user: User) -> list[Notification]:
    """Mark those the person does not want by e-mail (or cannot get: no address)."""
    wanted = wanted_kinds(user) if user.email else set()
    keep = [n for n in notifications if n.kind in wanted]
    skipped = [n.pk for n in notifications if n.kind not in wanted]
    if skipped:
        Notification.objects.filter(pk__in=skipped).update(
            email_state=Notification.EmailState.NOT_EMAILED
        )
    return keep


def urgent_send(*, notification_pks: list[int]) -> list[EmailDelivery]:
    """One e-mail per urgent notification, sent at once."""
    notifications = (
        Notification.objects.filter(pk__in=notification_pks, email_state=WAITING)
        .select_related("recipient__notification_preference", *RELATED)
        .order_by("pk")
    )
    deliveries = []
    for notification in notifications:
        user = notification.recipient
        if not _split_unwanted([notification], user):
            continue
        with transaction.atomic():
            delivery = EmailDelivery.objects.create(
                recipient=user,
                address=user.email,
                sort=EmailDelivery.Sort.URGENT,
                subject=_subject_one(notification),
            )
            notification.email = delivery
            notification.email_state = Notification.EmailState.EMAILED
            notification.save(update_fields=["email", "email_state"])
        delivery_send(delivery=delivery)
        deliveries.append(delivery)
    return deliveries


def digests_send(*, today: date) -> list[EmailDelivery]:
    """One e-mail per person with everything not urgent that waits for it, once a day."""
    waiting = list(
        Notification.objects.filter(email_state=WAITING, created_on__lte=today)
        .exclude(kind__in=URGENT_KINDS)
        .select_related("recipient__notification_preference", *RELATED)
        .order_by("recipient_id", "created_on", "pk")
    )
    by_person: dict[int, list[Notification]] = {}
    for notification in waiting:
        by_person.setdefault(notification.recipient_id, []).append(notification)
    already = set(
        EmailDelivery.objects.filter(
            sort=EmailDelivery.Sort.DIGEST, digest_on=today, recipient_id__in=by_person
        ).values_list("recipient_id", flat=True)
    )
    deliveries = []
    for person_id, notifications in by_person.items():
        if person_id in already:
            continue  # today's digest is gone; these wait for tomorrow's
        user = notifications[0].recipient
        notifications = _split_unwanted(notifications, user)
        if not notifications:
            continue
        with transaction.atomic():
            delivery = EmailDelivery.objects.create(
                recipient=user,
                address=user.email,
                sort=EmailDelivery.Sort.DIGEST,
                digest_on=today,
                subject=_subject_digest(len(notifications), today),
            )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                email=delivery, email_state=Notification.EmailState.EMAILED
            )
        delivery_send(delivery=delivery)
        deliveries.append(delivery)
    return deliveries


def failed_retry() -> list[EmailDelivery]:
    deliveries = list(
        EmailDelivery.objects.filter(
            status=EmailDelivery.Status.FAILED, attempts__lt=MAX_ATTEMPTS
        ).select_related("recipient")
    )
    for delivery in deliveries:
        delivery_send(delivery=delivery)
    return deliveries


def reminders_run(*, today: date) -> RunSummary:
    """What `send_reminders` does each day: record what is due, then send."""
    summary = RunSummary()
    for notification in notifications_record(candidates=due_notifications(today), today=today):
        summary.created[notification.kind] += 1
    leftover = Notification.objects.filter(email_state=WAITING, kind__in=URGENT_KINDS)
    outgoing = failed_retry()
    outgoing += urgent_send(notification_pks=list(leftover.values_list("pk", flat=True)))
    outgoing += digests_send(today=today)
    summary.sent = sum(d.status == EmailDelivery.Status.SENT for d in outgoing)
    summary.failed = [d for d in outgoing if d.status == EmailDelivery.Status.FAILED]
    return summary

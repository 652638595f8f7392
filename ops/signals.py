"""Structured log lines for workflow steps and logins.

Listening to signals keeps the workflow services free of logging concerns; the services
stay the only place that decides, these handlers only write down what happened.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .addresses import client_ip, current_client_ip
from .logs import log_event
from .middleware import mark_activity


# The sender named by its label: ops sits below every app and imports none of them.
@receiver(post_save, sender="targets.ReportEvent", dispatch_uid="ops_log_report_step")
def log_report_step(sender, instance, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return
    log_event(
        "report_step",
        action=instance.action,
        report_id=instance.report_id,
        actor_id=instance.actor_id,
        client_ip=current_client_ip.get(),
    )


def _address(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_login_failed, dispatch_uid="ops_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    log_event(
        "login_failed",
        logging.WARNING,
        username=str(credentials.get("username", ""))[:150],
        client_ip=_address(request),
    )


@receiver(user_locked_out, dispatch_uid="ops_log_locked_out")
def log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    log_event(
        "login_locked_out",
        logging.WARNING,
        username=str(username or "")[:150],
        client_ip=ip_address,
    )


@receiver(user_logged_in, dispatch_uid="ops_log_logged_in")
def log_logged_in(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_activity(request.session)
    log_event("login", user_id=user.pk if user else None, client_ip=_address(request))

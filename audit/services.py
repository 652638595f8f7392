from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from ops.addresses import current_client_ip
from plans.models import AdministrativeUnit
from reporting.models import ReportEvent

from .models import AuditEntry


def audit_record(
    *,
    kind: str,
    actor: User | None,
    action: str,
    subject: str,
    unit: AdministrativeUnit | None = None,
    changes: list[Any] | None = None,
    reason: str = "",
    client_ip: str | None = None,
    report_event: ReportEvent | None = None,
) -> AuditEntry:
    """Write one audit entry; the address defaults to that of the request being handled."""
    return AuditEntry.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        action=str(action)[:100],
        subject=str(subject)[:500],
        unit=unit,
        changes=changes or [],
        reason=reason,
        client_ip=client_ip or current_client_ip.get(),
        report_event=report_event,
    )


def audit_password_reset(*, actor: User, user: User) -> AuditEntry:
    with transaction.atomic():
        profile = getattr(user, "profile", None)
        return audit_record(
            kind=AuditEntry.Kind.ACCOUNT,
            actor=actor,
            action="Đặt lại mật khẩu",
            subject=f"Tài khoản {user.get_username()}",
            unit=profile.unit if profile is not None else None,
        )

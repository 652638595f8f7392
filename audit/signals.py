"""Entries written as the underlying history is recorded.

The workflow services and the admin already record history (ReportEvent, simple-history);
listening here copies each record into the audit log without touching those writers.
"""

from functools import wraps

from axes.signals import user_locked_out
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.text import capfirst
from simple_history.signals import post_create_historical_record

from accounts.models import Profile
from accounts.signals import password_reset_by_office
from plans.models import AdministrativeUnit
from reporting.models import Report, ReportEvent, ReportFigure, TaskProgress, WorkProgress

from .models import AuditEntry
from .services import audit_password_reset, audit_record

# Rows of a report: their history is the report's own (ReportChange), shown per step.
REPORT_PARTS = (Report, ReportFigure, TaskProgress, WorkProgress)
HISTORY_ACTIONS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}
MAX_VALUE = 500


def _in_vietnamese(handler):
    """The log is a record kept in Vietnamese, whatever language the person acting reads:
    choice labels, field names and unit kinds are translated when they are turned to text."""

    @wraps(handler)
    def write_in_vietnamese(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return handler(*args, **kwargs)

    return write_in_vietnamese


@receiver(post_save, sender=ReportEvent, dispatch_uid="audit_report_step")
@_in_vietnamese
def record_report_step(sender, instance: ReportEvent, created: bool, raw: bool = False, **kw):
    if not created or raw:
        return
    report = Report.objects.select_related("unit", "period").get(pk=instance.report_id)
    audit_record(
        kind=AuditEntry.Kind.REPORT,
        actor=instance.actor,
        action=instance.get_action_display(),
        subject=f"Báo cáo {report.unit.name} – {report.period.name}",
        unit=report.unit,
        reason=instance.reason,
        report_event=instance,
    )


def _shown(field, value) -> str:
    if value is None:
        return ""
    choices = getattr(field, "flatchoices", None)
    if choices:
        value = dict(choices).get(value, value)
    return str(value)[:MAX_VALUE]


def _changes(history_instance) -> list[list[str]]:
    if history_instance.history_type != "~":
        return []
    previous = history_instance.prev_record
    if previous is None:
        return []
    model = history_instance.instance_type
    rows = []
    for change in history_instance.diff_against(previous).changes:
        try:
            field = model._meta.get_field(change.field)
            label = capfirst(field.verbose_name)
        except Exception:  # an m2m diff or a field gone since
            field, label = None, change.field
        rows.append([str(label), _shown(field, change.old), _shown(field, change.new)])
    return rows


def _unit_of(instance, history_type: str):
    if isinstance(instance, AdministrativeUnit):
        return None if history_type == "-" else instance
    field = next((f for f in instance._meta.fields if f.name == "unit"), None)
    if field is None or field.related_model is not AdministrativeUnit:
        return None
    unit_id = getattr(instance, "unit_id", None)
    return AdministrativeUnit(pk=unit_id) if unit_id is not None else None


@receiver(post_create_historical_record, dispatch_uid="audit_plan_data")
@_in_vietnamese
def record_plan_data_change(sender, instance, history_instance, history_user=None, **kw):
    if isinstance(instance, REPORT_PARTS):
        return
    changes = _changes(history_instance)
    if history_instance.history_type == "~" and not changes:
        return  # saved without a visible change
    audit_record(
        kind=AuditEntry.Kind.ACCOUNT
        if isinstance(instance, Profile)
        else AuditEntry.Kind.PLAN_DATA,
        actor=history_user,
        action=HISTORY_ACTIONS.get(history_instance.history_type, "Sửa"),
        subject=f"{capfirst(instance._meta.verbose_name)}: {instance}",
        unit=_unit_of(instance, history_instance.history_type),
        changes=changes,
        reason=history_instance.history_change_reason or "",
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
@_in_vietnamese
def record_lockout(sender, request=None, username=None, ip_address=None, **kw):
    audit_record(
        kind=AuditEntry.Kind.ACCOUNT,
        actor=None,
        action="Khóa đăng nhập do nhập sai nhiều lần",
        subject=f"Tài khoản {str(username or '')[:150]}",
        client_ip=ip_address,
    )


@receiver(password_reset_by_office, dispatch_uid="audit_password_reset")
def record_password_reset(sender, actor, user, **kw):
    audit_password_reset(actor=actor, user=user)

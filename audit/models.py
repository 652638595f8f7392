"""One log of who changed what, when and from where, for Phòng Kinh tế's audit page.

Report steps keep their own history (ReportEvent, ReportChange) and plan data keeps
django-simple-history records; each of those writes one entry here as it happens, so
the audit page filters and pages over one table in a fixed number of queries.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import AdministrativeUnit
from reporting.models import ReportEvent


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        REPORT = "bao_cao", _("Báo cáo tiến độ")
        PLAN_DATA = "du_lieu", _("Dữ liệu kế hoạch")
        ACCOUNT = "tai_khoan", _("Tài khoản")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    client_ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("thao tác"), max_length=100)
    subject = models.CharField(_("đối tượng"), max_length=500)
    # [[field, old, new], ...] for plan data; report steps keep theirs in ReportChange.
    changes = models.JSONField(_("thay đổi"), default=list, blank=True)
    reason = models.TextField(_("lý do, ghi chú"), blank=True)
    report_event = models.OneToOneField(
        ReportEvent,
        verbose_name=_("bước xử lý báo cáo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entry",
    )

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """Changed values; a report step's come from its prefetched ReportChange rows."""
        if self.report_event_id is not None and self.report_event is not None:
            return [(c.field, c.old_value, c.new_value) for c in self.report_event.changes.all()]
        return [tuple(row) for row in self.changes]

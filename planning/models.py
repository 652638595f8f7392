"""The record of a plan's life: each step (who, when, why) and each value it changed.

`PlanEvent` is one step: the plan drafted from last year's, an edit, its issue, an
amendment, its closing, a correction in the admin. `PlanChange` is one value that step
changed, old → new, as the person typed or read it. An `Amendment` is the decision that
changes an issued plan; its changes to a target's value carry the numbers, so that a
period can be judged against the target in force at its cut-off
(`planning.selectors.target_revisions`). These rows are written by `planning.services`
only, wherever the change is made (the plan pages or the admin).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import Plan


class PlanEvent(models.Model):
    class Action(models.TextChoices):
        CREATED = "lap", _("Lập kế hoạch")
        CARRIED = "lap_tu_nam_truoc", _("Lập dự thảo từ kế hoạch năm trước")
        EDITED = "sua", _("Sửa dự thảo")
        CONFIRMED = "xac_nhan", _("Xác nhận chỉ tiêu")
        ISSUED = "ban_hanh", _("Ban hành")
        AMENDED = "dieu_chinh", _("Điều chỉnh")
        CORRECTED = "dinh_chinh", _("Đính chính (trang quản trị)")
        CLOSED = "ket_thuc", _("Kết thúc")
        MIGRATED = "chuyen_du_lieu", _("Chuyển dữ liệu")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_events",
        help_text=_("Để trống với bước do hệ thống ghi (chuyển dữ liệu)."),
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước của kế hoạch")
        verbose_name_plural = _("các bước của kế hoạch")
        ordering = ["plan", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.actor or '—'}"


class Amendment(models.Model):
    """A decision that changes an issued plan: its number, date and reason."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="amendments"
    )
    event = models.OneToOneField(
        PlanEvent, verbose_name=_("bước"), on_delete=models.CASCADE, related_name="amendment"
    )
    decision_number = models.CharField(_("số quyết định điều chỉnh"), max_length=60)
    decided_on = models.DateField(
        _("ngày quyết định"),
        help_text=_("Chỉ tiêu mới áp dụng cho các kỳ chốt số liệu từ ngày này."),
    )
    reason = models.TextField(_("lý do điều chỉnh"))

    class Meta:
        verbose_name = _("điều chỉnh kế hoạch")
        verbose_name_plural = _("điều chỉnh kế hoạch")
        ordering = ["plan", "decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "decision_number"], name="one_amendment_per_decision"
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} ({self.decided_on:%d/%m/%Y})"


class PlanChange(models.Model):
    """One value a step changed: which record, which field, old → new."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="changes"
    )
    event = models.ForeignKey(
        PlanEvent, verbose_name=_("bước"), on_delete=models.CASCADE, related_name="changes"
    )
    model = models.CharField(_("loại dữ liệu"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("mã bản ghi"), null=True, blank=True)
    subject = models.CharField(_("dữ liệu"), max_length=500)
    field = models.CharField(_("trường"), max_length=100)
    field_label = models.CharField(_("nội dung"), max_length=300)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)
    # A target's value, as numbers: what judging reads to know the target in force.
    old_number = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    new_number = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = _("thay đổi của kế hoạch")
        verbose_name_plural = _("thay đổi của kế hoạch")
        ordering = ["plan", "event__at", "pk"]
        indexes = [models.Index(fields=["model", "object_id"], name="plan_change_object")]

    def __str__(self):
        return f"{self.subject} – {self.field_label}: {self.old_value} → {self.new_value}"

"""A dashboard workbook asked for and made off the request (dashboards/exports.py).

A national plan's workbook takes longer than a web request may (gunicorn kills a worker
after its timeout, and the person waits with no sign of life), so the request is kept as
a row: who asked, for which plan and filters, where the task stands, the file when it is
made and the error when it failed, so that neither is lost when the page is closed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Plan


class ExportRequest(models.Model):
    class State(models.TextChoices):
        QUEUED = "dang_cho", _("Đang chờ xử lý")
        RUNNING = "dang_tao", _("Đang tạo tệp")
        DONE = "xong", _("Đã xong")
        FAILED = "loi", _("Không tạo được")
        REMOVED = "da_xoa", _("Tệp đã xoá")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="export_requests",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="export_requests"
    )
    # The dashboard's filters as the file is made from them (exports.scope_parameters).
    parameters = models.JSONField(_("tham số"), default=dict)
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("đã xong"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số bước"), default=0)
    # The worker's last sign of life (claimed, or a progress write): a running request
    # silent for EXPORT_STALLED_MINUTES is one whose worker was killed (exports.is_stalled).
    progress_at = models.DateTimeField(_("cập nhật tiến độ lúc"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="xuat-excel/%Y/%m/", blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng"), null=True, blank=True)
    # What the person is told (Vietnamese), and what the operator reads (class and message).
    error = models.TextField(_("lỗi"), blank=True)
    error_detail = models.TextField(_("chi tiết lỗi"), blank=True)
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("giữ tệp đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu xuất Excel")
        verbose_name_plural = _("yêu cầu xuất Excel")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "plan", "created_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.plan.year} {self.get_state_display()}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.REMOVED)

    @property
    def percent(self) -> int:
        if self.state in (self.State.DONE, self.State.REMOVED):
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

"""What each person is told (in the inbox, and by e-mail), and what was sent.

A notification is unique per recipient and key (the report, period or certificate it is
about and the occasion), so working out what is due twice records nothing new and nobody
is told the same thing twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import AdministrativeUnit, OcopProduct
from reporting.models import Report, ReportingPeriod


class Kind(models.TextChoices):
    RETURNED = "tra_lai", _("Báo cáo bị trả lại")
    REOPENED = "mo_lai", _("Báo cáo được mở lại")
    APPROVED = "da_duyet", _("Báo cáo được duyệt")
    DEADLINE_SOON = "sap_den_han", _("Sắp đến hạn nộp báo cáo")
    OVERDUE = "qua_han", _("Báo cáo quá hạn")
    AWAITING_REVIEW = "cho_duyet", _("Báo cáo chờ duyệt")
    ESCALATION = "qua_han_lau", _("Đơn vị quá hạn nhiều ngày")
    OCOP_EXPIRING = "ocop_sap_het_han", _("Chứng nhận OCOP sắp hết hạn")
    OCOP_EXPIRED = "ocop_het_han", _("Chứng nhận OCOP đã hết hạn")
    FIGURE_DISCUSSED = "y_kien_so_lieu", _("Ý kiến về một số liệu của báo cáo")


# Sent by e-mail at once; every other kind waits for the day's digest.
URGENT_KINDS = frozenset({Kind.RETURNED, Kind.REOPENED})


class EmailDelivery(models.Model):
    """One e-mail to one person: an urgent notice or the day's digest."""

    class Status(models.TextChoices):
        PENDING = "cho_gui", _("Chờ gửi")
        SENT = "da_gui", _("Đã gửi")
        FAILED = "loi", _("Gửi lỗi")

    class Sort(models.TextChoices):
        URGENT = "khan", _("Gửi ngay")
        DIGEST = "tong_hop", _("Tổng hợp trong ngày")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    address = models.EmailField(_("địa chỉ"))
    sort = models.CharField(_("loại thư"), max_length=10, choices=Sort.choices)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    digest_on = models.DateField(_("tổng hợp của ngày"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi lần gửi cuối"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư đã gửi")
        verbose_name_plural = _("thư đã gửi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_on"],
                condition=models.Q(sort="tong_hop"),
                name="one_digest_per_person_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.address}: {self.subject}"


class Notification(models.Model):
    class EmailState(models.TextChoices):
        WAITING = "cho", _("Chờ gửi thư")
        EMAILED = "da_gui", _("Đã đưa vào thư")
        NOT_EMAILED = "khong_gui", _("Không gửi thư")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại thông báo"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("khóa"), max_length=200)
    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, null=True, blank=True
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    ocop_product = models.ForeignKey(
        OcopProduct,
        verbose_name=_("sản phẩm OCOP"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    detail = models.TextField(_("nội dung"), blank=True)
    due_on = models.DateField(_("hạn, ngày hết hạn"), null=True, blank=True)
    url = models.CharField(_("đường dẫn"), max_length=300)
    created_on = models.DateField(_("ngày thông báo"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_state = models.CharField(
        _("thư"), max_length=10, choices=EmailState.choices, default=EmailState.WAITING
    )
    email = models.ForeignKey(
        EmailDelivery,
        verbose_name=_("thư"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="told_once_per_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.recipient_id} {self.key}"

    @property
    def is_urgent(self) -> bool:
        return self.kind in URGENT_KINDS


class Preference(models.Model):
    """What a person wants by e-mail; the inbox always keeps everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_kinds = models.JSONField(_("nhận thư về"), default=list, blank=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thư")
        verbose_name_plural = _("lựa chọn nhận thư")

    def __str__(self):
        return str(self.user)


def default_email_kinds() -> list[str]:
    """Without a choice of their own, a person gets every kind by e-mail."""
    return list(Kind.values)

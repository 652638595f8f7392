"""What the plan measures (indicators) and the numbers it sets (targets)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import AdministrativeUnit, Plan, Section


class Sector(models.TextChoices):
    CROPS = "trong_trot", _("Trồng trọt")
    LIVESTOCK = "chan_nuoi", _("Chăn nuôi")
    OCOP = "ocop", _("OCOP")
    INFRASTRUCTURE = "ha_tang", _("Hạ tầng")


class Indicator(models.Model):
    """Something measured, in a unit of measure, independent of any one year's plan."""

    class Behaviour(models.TextChoices):
        STOCK = "ton", _("Hiện có (báo cáo tổng hiện tại)")
        FLOW = "phat_sinh", _("Phát sinh (cộng dồn theo kỳ)")

    code = models.SlugField(_("mã chỉ tiêu"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    sector = models.CharField(_("lĩnh vực"), max_length=20, choices=Sector.choices)
    behaviour = models.CharField(
        _("tính chất"),
        max_length=20,
        choices=Behaviour.choices,
        help_text=_(
            "Hiện có: diện tích, số cơ sở đang duy trì, không cộng qua các kỳ. "
            "Phát sinh: sản lượng, số km hoàn thành trong kỳ, cộng dồn lũy kế."
        ),
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("thuộc chỉ tiêu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("Ví dụ: chè kinh doanh là một phần của diện tích chè hiện có."),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name} ({self.unit_of_measure})"


class TargetQuerySet(models.QuerySet):
    def city_wide(self):
        return self.filter(unit=models.F("plan__unit"))

    def for_units(self):
        return self.exclude(unit=models.F("plan__unit"))


class Target(models.Model):
    """A number the plan sets for an indicator, for the whole plan area or for one unit."""

    class Comparison(models.TextChoices):
        AT_LEAST = "toi_thieu", _("Đạt trên / ít nhất")
        MAINTAIN = "duy_tri", _("Duy trì")
        AT_MOST = "toi_da", _("Không vượt quá")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="targets"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("phạm vi"),
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("Địa bàn của kế hoạch cho chỉ tiêu chung, hoặc một xã, phường."),
    )
    value = models.DecimalField(
        _("giá trị"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0))],
    )
    comparison = models.CharField(_("cách đánh giá"), max_length=20, choices=Comparison.choices)
    section = models.ForeignKey(
        Section, verbose_name=_("mục"), on_delete=models.PROTECT, related_name="targets"
    )
    named_units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("đơn vị được nêu tên"),
        blank=True,
        related_name="named_in_targets",
        help_text=_("Đơn vị kế hoạch nêu tên mà không chia chỉ tiêu cho từng đơn vị."),
    )
    source_text = models.TextField(_("nguyên văn kế hoạch"), blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[named_units])

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "unit"], name="one_target_per_indicator_and_scope"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator.name} – {self.unit.name}: {self.value}"

    @property
    def is_city_wide(self) -> bool:
        return self.unit_id == self.plan.unit_id

"""Running totals behind the dashboards, kept up to date by the reporting workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import AdministrativeUnit, Plan
from reporting.models import Indicator


class PlanTotals(models.Model):
    """Marks a plan whose totals are complete: the workflow keeps them, dashboards read them.

    `rebuild_totals` creates it; until then dashboards add up the figures on every request.
    """

    plan = models.OneToOneField(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="totals_state"
    )
    built_at = models.DateTimeField(_("tính lại lúc"), auto_now=True)

    class Meta:
        verbose_name = _("trạng thái số tổng hợp")
        verbose_name_plural = _("trạng thái số tổng hợp")

    def __str__(self):
        return str(self.plan)


class AreaTotal(models.Model):
    """What the reporting units under an area reported for an indicator, up to a cut-off.

    One row per plan, indicator, area (the plan's unit and every unit between it and the
    communes), cut-off date (a period's end) and whether submitted reports count besides
    approved ones. `value` is the sum of each unit's figure to date, worked out as the
    dashboard does (a stock's latest value, a flow's sum over the periods).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="area_totals")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    cutoff = models.DateField(_("số liệu đến ngày"))
    include_submitted = models.BooleanField(_("gồm báo cáo đã gửi"))
    value = models.DecimalField(_("tổng"), max_digits=24, decimal_places=3, default=0)
    units = models.PositiveIntegerField(_("số đơn vị có số liệu"), default=0)
    units_with_submitted = models.PositiveIntegerField(
        _("số đơn vị có số liệu chưa duyệt"), default=0
    )

    class Meta:
        verbose_name = _("số tổng hợp theo địa bàn")
        verbose_name_plural = _("số tổng hợp theo địa bàn")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "area", "cutoff", "include_submitted", "indicator"],
                name="one_total_per_plan_area_cutoff_class_indicator",
            ),
        ]

    def __str__(self):
        return f"{self.area_id}/{self.indicator_id}@{self.cutoff}: {self.value}"

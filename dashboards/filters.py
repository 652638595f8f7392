from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from plans.models import Plan
from reporting.models import Indicator, ReportingPeriod, Sector

from .judging import Status


class DashboardFilter(django_filters.FilterSet):
    """Which indicators the dashboard shows; every choice is in the URL, so views are shareable."""

    ky = django_filters.ModelChoiceFilter(
        label=_("Đến kỳ"),
        queryset=ReportingPeriod.objects.none(),
        to_field_name="code",
        method="keep",
        empty_label=_("Đến nay"),
    )
    linh_vuc = django_filters.ChoiceFilter(
        label=_("Lĩnh vực"), choices=Sector.choices, field_name="sector", empty_label=_("Tất cả")
    )
    trang_thai = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        choices=[(code, Status.LABELS[code]) for code in Status.ORDER],
        method="keep",
        empty_label=_("Tất cả"),
    )
    gom_da_gui = django_filters.BooleanFilter(
        label=_("Tính cả số liệu đã gửi, chưa duyệt"),
        method="keep",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Indicator
        fields = ["ky", "linh_vuc", "trang_thai", "gom_da_gui"]

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["ky"].queryset = plan.periods.order_by("ends_on", "position")
        self.form.fields["ky"].queryset = self.filters["ky"].queryset

    def keep(self, queryset: QuerySet[Indicator], name: str, value: object) -> QuerySet[Indicator]:
        """Applied to the computed figures by the view, not to the indicator queryset."""
        return queryset

    def offer_periods(self, periods: Iterable[ReportingPeriod]) -> None:
        """Offer these periods (the plan's, in the queryset's order, read by the caller)
        in the period's select, so that showing the form reads them no second time."""
        field = self.form.fields["ky"]
        choices = [
            ("", field.empty_label),
            *((period.code, field.label_from_instance(period)) for period in periods),
        ]
        # Django's own setter: django-filter's would wrap the list in a queryset iterator.
        setter = vars(forms.ChoiceField)["choices"]
        setter.__set__(field, choices)

"""Indicators and targets in and out of Excel, for Phòng Kinh tế (see plans/resources.py)."""

from django.utils.translation import gettext_lazy
from import_export import fields

from common.spreadsheets import (
    ChoiceWidget,
    LookupWidget,
    ManyWidget,
    NumberWidget,
    TextWidget,
    WholeNumberWidget,
)
from plans.models import AdministrativeUnit, Section
from plans.resources import PLAN_COLUMN, InPlanWidget, PlanDataResource, PlanWidget

from .models import Indicator, Sector, Target


class IndicatorResource(PlanDataResource):
    code = fields.Field(attribute="code", column_name="Mã chỉ tiêu", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="Tên chỉ tiêu", widget=TextWidget())
    unit_of_measure = fields.Field(
        attribute="unit_of_measure", column_name="Đơn vị tính", widget=TextWidget()
    )
    sector = fields.Field(
        attribute="sector", column_name="Lĩnh vực", widget=ChoiceWidget(Sector.choices)
    )
    behaviour = fields.Field(
        attribute="behaviour",
        column_name="Tính chất",
        widget=ChoiceWidget(Indicator.Behaviour.choices),
    )
    part_of = fields.Field(
        attribute="part_of",
        column_name="Thuộc chỉ tiêu (mã)",
        widget=LookupWidget(Indicator, "code", gettext_lazy("chỉ tiêu có mã")),
    )
    position = fields.Field(attribute="position", column_name="Thứ tự", widget=WholeNumberWidget())

    class Meta(PlanDataResource.Meta):
        model = Indicator
        fields = ["code", "name", "unit_of_measure", "sector", "behaviour", "part_of", "position"]
        import_id_fields = ["code"]
        name = gettext_lazy("Chỉ tiêu (Excel)")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("part_of")


class TargetResource(PlanDataResource):
    """A target for the whole plan area (the plan's own unit) or for one commune or ward."""

    plan = fields.Field(attribute="plan", column_name=PLAN_COLUMN, widget=PlanWidget())
    indicator = fields.Field(
        attribute="indicator",
        column_name="Mã chỉ tiêu",
        widget=LookupWidget(Indicator, "code", gettext_lazy("chỉ tiêu có mã")),
    )
    indicator_name = fields.Field(
        attribute="indicator__name", column_name="Tên chỉ tiêu (chỉ để đọc)", readonly=True
    )
    unit = fields.Field(
        attribute="unit",
        column_name="Phạm vi (mã đơn vị)",
        widget=LookupWidget(AdministrativeUnit, "slug", gettext_lazy("đơn vị có mã")),
    )
    value = fields.Field(attribute="value", column_name="Giá trị", widget=NumberWidget())
    unit_of_measure = fields.Field(
        attribute="indicator__unit_of_measure",
        column_name="Đơn vị tính (chỉ để đọc)",
        readonly=True,
    )
    comparison = fields.Field(
        attribute="comparison",
        column_name="Cách đánh giá",
        widget=ChoiceWidget(Target.Comparison.choices),
    )
    section = fields.Field(
        attribute="section",
        column_name="Mục (mã)",
        widget=InPlanWidget(Section, "code", gettext_lazy("mục có mã")),
    )
    named_units = fields.Field(
        attribute="named_units",
        column_name="Đơn vị được nêu tên (mã, cách nhau dấu phẩy)",
        widget=ManyWidget(AdministrativeUnit, "slug", gettext_lazy("đơn vị có mã")),
    )
    source_text = fields.Field(
        attribute="source_text", column_name="Nguyên văn kế hoạch", widget=TextWidget()
    )
    position = fields.Field(attribute="position", column_name="Thứ tự", widget=WholeNumberWidget())

    class Meta(PlanDataResource.Meta):
        model = Target
        fields = [
            "plan",
            "indicator",
            "indicator_name",
            "unit",
            "value",
            "unit_of_measure",
            "comparison",
            "section",
            "named_units",
            "source_text",
            "position",
        ]
        import_id_fields = ["plan", "indicator", "unit"]
        name = gettext_lazy("Chỉ tiêu kế hoạch theo đơn vị và toàn thành phố (Excel)")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "plan__unit", "indicator", "unit", "section"
        ).prefetch_related("named_units")

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.numbers import format_number

from .models import Indicator, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit_of_measure", "sector", "behaviour", "part_of", "code"]
    list_filter = ["sector", "behaviour"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    list_select_related = ["part_of"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "comparison", "formatted_value", "uom", "section", "plan"]
    list_filter = ["plan", "indicator__sector", "comparison", "unit"]
    search_fields = ["indicator__name", "unit__name", "source_text"]
    list_select_related = ["indicator", "unit", "section", "plan"]
    autocomplete_fields = ["indicator"]
    filter_horizontal = ["named_units"]

    @admin.display(description=_("giá trị"), ordering="value")
    def formatted_value(self, target):
        return format_number(target.value)

    @admin.display(description=_("đơn vị tính"))
    def uom(self, target):
        return target.indicator.unit_of_measure

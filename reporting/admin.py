from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.numbers import format_number
from plans.admin import ExcelAdmin

from .models import (
    AreaTotal,
    CalendarDay,
    FigureComment,
    FigureFlag,
    Indicator,
    PlanTotals,
    QualityRule,
    Report,
    ReportChange,
    ReportEvent,
    ReportFigure,
    ReportingPeriod,
    SeasonalProfile,
    StageTarget,
    Target,
    TargetSource,
    TaskProgress,
    WorkProgress,
)
from .resources import IndicatorResource, TargetResource


@admin.register(Indicator)
class IndicatorAdmin(ExcelAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["name", "unit_of_measure", "sector", "behaviour", "part_of", "code"]
    list_filter = ["sector", "behaviour"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    list_select_related = ["part_of"]


@admin.register(Target)
class TargetAdmin(ExcelAdmin):
    resource_classes = [TargetResource]
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


@admin.register(StageTarget)
class StageTargetAdmin(SimpleHistoryAdmin):
    """The five-year plan's targets; Phòng Kinh tế enters them on /plans/<year>/chi-tieu-giai-doan/,
    the admin is for corrections (on record in the history as well)."""

    list_display = ["indicator", "document", "formatted_value"]
    list_filter = ["document"]
    search_fields = ["indicator__name", "document__number"]
    list_select_related = ["indicator", "document"]

    @admin.display(description=_("giá trị"), ordering="value")
    def formatted_value(self, target):
        return format_number(target.value)


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """The government's extra days off and make-up working Saturdays, entered each year;
    new reporting periods take them into account (existing deadlines stay as they are)."""

    list_display = ["day", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["note"]
    date_hierarchy = "day"


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "starts_on", "ends_on", "deadline", "plan"]
    list_editable = ["deadline"]
    list_filter = ["plan", "kind"]
    search_fields = ["name", "code"]
    list_select_related = ["plan"]


class ReportFigureInline(admin.TabularInline):
    model = ReportFigure
    extra = 0
    autocomplete_fields = ["indicator"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "period", "status", "submitted_at", "submitted_late", "version"]
    list_filter = ["status", "submitted_late", "period__kind", "unit"]
    search_fields = ["unit__name", "period__name", "difficulties"]
    list_select_related = ["unit", "period"]
    readonly_fields = ["version", "submitted_at", "submitted_late"]
    inlines = [ReportFigureInline, ReportEventInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The workflow's own record: readable, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "action", "actor", "at", "reason"]
    list_filter = ["action", "report__unit", "report__period__kind"]
    search_fields = ["reason", "actor__username", "report__unit__name"]
    list_select_related = ["report__unit", "report__period", "actor"]
    date_hierarchy = "at"


@admin.register(ReportChange)
class ReportChangeAdmin(ReadOnlyAdmin):
    list_display = ["report", "field", "old_value", "new_value", "actor", "at"]
    list_filter = ["event__action", "report__unit"]
    search_fields = ["field", "old_value", "new_value", "event__actor__username"]
    list_select_related = ["report__unit", "report__period", "event__actor"]

    @admin.display(description=_("người thực hiện"))
    def actor(self, change):
        return change.event.actor

    @admin.display(description=_("thời điểm"))
    def at(self, change):
        return change.event.at


@admin.register(TargetSource)
class TargetSourceAdmin(ReadOnlyAdmin):
    """How a target was carried onto a successor unit: written by the carry, read here."""

    list_display = ["target", "unit", "source", "value", "share"]
    list_filter = ["target__plan"]
    search_fields = ["unit__name", "target__indicator__name"]
    list_select_related = [
        "target__indicator",
        "target__unit",
        "unit",
        "source__indicator",
        "source__unit",
    ]


admin.site.register(TaskProgress, SimpleHistoryAdmin)
admin.site.register(WorkProgress, SimpleHistoryAdmin)


@admin.register(ReportFigure)
class ReportFigureAdmin(SimpleHistoryAdmin):
    list_display = ["report", "indicator", "value"]
    list_filter = ["indicator", "report__unit", "report__status"]
    search_fields = ["indicator__name", "report__unit__name"]
    list_select_related = ["report__unit", "report__period", "indicator"]


@admin.register(SeasonalProfile)
class SeasonalProfileAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "note"]
    search_fields = ["indicator__name", "note"]
    list_select_related = ["indicator"]
    fieldsets = [
        (None, {"fields": ["indicator", "note"]}),
        (
            _("Tỷ lệ sản lượng cả năm theo tháng (%), cộng lại bằng 100"),
            {"fields": [tuple(f"month_{m}" for m in range(q, q + 3)) for q in (1, 4, 7, 10)]},
        ),
    ]


# The running totals are kept by the workflow and rebuild_totals: shown, never edited.
@admin.register(PlanTotals)
class PlanTotalsAdmin(ReadOnlyAdmin):
    list_display = ["plan", "built_at"]
    list_select_related = ["plan"]


@admin.register(AreaTotal)
class AreaTotalAdmin(ReadOnlyAdmin):
    list_display = [
        "area",
        "indicator",
        "cutoff",
        "value",
        "units",
        "value_incl_submitted",
        "units_incl_submitted",
        "units_with_submitted",
    ]
    list_filter = ["plan", "cutoff"]
    list_select_related = ["area", "indicator"]
    # A country holds millions of rows: no exact count on every page.
    show_full_result_count = False


@admin.register(QualityRule)
class QualityRuleAdmin(SimpleHistoryAdmin):
    """Phòng Kinh tế's data-quality rules (reporting.quality): the built-in ones apply to
    every indicator; a rule naming an indicator (and a unit) takes their place for it."""

    list_display = ["kind", "indicator", "unit", "severity", "method", "threshold", "active"]
    list_filter = ["kind", "severity", "active"]
    autocomplete_fields = ["indicator", "area_indicator"]


@admin.register(FigureFlag)
class FigureFlagAdmin(ReadOnlyAdmin):
    """Warnings and follow-up marks are kept by the workflow (reporting.services)."""

    list_display = ["report", "indicator", "kind", "is_open", "updated_at"]
    list_filter = ["kind", "is_open"]


@admin.register(FigureComment)
class FigureCommentAdmin(ReadOnlyAdmin):
    list_display = ["report", "indicator", "author", "at"]

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from common.spreadsheets import SafeXLSX, WorkbookRefused

from .models import (
    AdministrativeUnit,
    Body,
    Citation,
    InfrastructureWork,
    LegalDocument,
    OcopProduct,
    Plan,
    Section,
    SupportPolicy,
    Task,
    UnitSuccession,
)
from .resources import InfrastructureWorkResource, OcopProductResource, TaskResource


class ExcelAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """Import and export through Excel, with the history of every record kept."""

    formats = [SafeXLSX]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, WorkbookRefused):  # a macro or out-of-bounds file, said in Vietnamese
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


class SuccessorInline(admin.TabularInline):
    """What an ended unit became: shown on the old unit's page."""

    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = _("đơn vị kế thừa")
    verbose_name_plural = _("đã sắp xếp thành")


class PredecessorInline(admin.TabularInline):
    """What a unit was formed from: shown on the new unit's page."""

    model = UnitSuccession
    fk_name = "successor"
    extra = 0
    autocomplete_fields = ["predecessor"]
    verbose_name = _("đơn vị cũ")
    verbose_name_plural = _("hình thành từ")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "slug", "parent", "valid_from", "valid_to"]
    # The whole country is 3,355 units: the parent filter offers only units that are a
    # parent, and each row's parent comes with it.
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SuccessorInline, PredecessorInline]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(SimpleHistoryAdmin):
    list_display = ["predecessor", "successor", "effective_on", "share", "source"]
    list_filter = ["effective_on"]
    search_fields = ["predecessor__name", "successor__name", "source"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "issuer", "issued_on", "title"]
    list_filter = ["kind", "issuer"]
    search_fields = ["number", "title", "note"]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["document", "section"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "number", "issuer", "issued_on", "unit"]
    list_filter = ["year"]
    search_fields = ["title", "number"]
    inlines = [CitationInline]
    filter_horizontal = ["units"]  # a plan's own list of units, set when it is carried


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["code", "title", "body"]
    list_select_related = ["plan"]
    autocomplete_fields = ["parent"]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["document", "section", "role", "cited_date", "plan"]
    list_filter = ["role", "plan", "document"]
    search_fields = ["quote", "document__number"]
    list_select_related = ["document", "section", "plan"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "section", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["name", "short_name"]
    list_select_related = ["section", "plan"]
    filter_horizontal = ["units"]


@admin.register(Task)
class TaskAdmin(ExcelAdmin):
    resource_classes = [TaskResource]
    list_display = ["code", "title", "section", "assigned_bodies", "named_units"]
    list_filter = ["plan", "bodies", "units", "section"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["section"]
    filter_horizontal = ["bodies", "units"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bodies", "units")

    @admin.display(description=_("Cơ quan thực hiện"))
    def assigned_bodies(self, task):
        return ", ".join(str(body) for body in task.bodies.all())

    @admin.display(description=_("Địa bàn"))
    def named_units(self, task):
        return ", ".join(unit.name for unit in task.units.all())


@admin.register(SupportPolicy)
class SupportPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "document", "clauses", "section"]
    list_filter = ["plan", "document"]
    search_fields = ["title", "clauses"]
    list_select_related = ["document", "section"]


@admin.register(InfrastructureWork)
class InfrastructureWorkAdmin(ExcelAdmin):
    resource_classes = [InfrastructureWorkResource]
    list_display = ["name", "kind", "section", "policy"]
    list_filter = ["plan", "kind", "units"]
    search_fields = ["name", "description"]
    list_select_related = ["section", "policy"]
    filter_horizontal = ["units"]


@admin.register(OcopProduct)
class OcopProductAdmin(ExcelAdmin):
    resource_classes = [OcopProductResource]
    list_display = [
        "name",
        "owner",
        "unit",
        "stars",
        "decision_number",
        "decision_date",
        "expires_on",
        "status",
    ]
    list_filter = ["stars", "status", "unit", "issuing_level"]
    search_fields = ["name", "owner", "decision_number"]
    list_select_related = ["unit"]
    date_hierarchy = "decision_date"

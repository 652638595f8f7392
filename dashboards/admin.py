"""The queued exports as the operator sees them: which are stuck, which failed and why.

Read-only: a request changes only through its task (dashboards/exports.py), so the admin
can look (and delete an old row with its file) but not edit states by hand.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ExportRequest


@admin.register(ExportRequest)
class ExportRequestAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "plan",
        "requested_by",
        "state",
        "progress_done",
        "progress_total",
        "created_at",
        "finished_at",
        "file_size",
    ]
    list_filter = ["state", "plan"]
    search_fields = ["requested_by__username", "task_id"]
    list_select_related = ["plan", "requested_by"]
    date_hierarchy = "created_at"

    def get_readonly_fields(
        self, request: HttpRequest, obj: ExportRequest | None = None
    ) -> list[str]:
        return [field.name for field in ExportRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExportRequest | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ExportRequest) -> None:
        if obj.file:
            obj.file.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ExportRequest]) -> None:
        for export in queryset:
            if export.file:
                export.file.delete(save=False)
        super().delete_queryset(request, queryset)

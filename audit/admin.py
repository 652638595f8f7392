from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: the log is written by the application, never by hand."""

    list_display = ["at", "kind", "actor", "action", "subject", "unit", "client_ip"]
    list_filter = ["kind"]
    list_select_related = ["actor", "unit"]
    search_fields = ["subject", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

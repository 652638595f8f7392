from django.contrib import admin

from .models import EmailDelivery, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_on", "read_at", "email_state"]
    list_filter = ["kind", "email_state", "created_on"]
    search_fields = ["recipient__username", "key"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "report", "period", "unit", "ocop_product", "email"]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "address", "sort", "subject", "status", "attempts"]
    list_filter = ["status", "sort"]
    search_fields = ["address", "subject", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user"]
    raw_id_fields = ["user"]

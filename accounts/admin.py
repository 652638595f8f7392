from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    max_num = 1


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithProfileAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "role", "unit", "is_active", "is_staff"]
    list_filter = ["profile__role", "profile__unit", "is_active", "is_staff"]
    list_select_related = ["profile__unit"]

    @admin.display(description=_("Vai trò"), ordering="profile__role")
    def role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description=_("Đơn vị"), ordering="profile__unit__name")
    def unit(self, user):
        profile = getattr(user, "profile", None)
        return profile.unit.name if profile and profile.unit_id else "—"


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "unit"]

"""Who a user is in the plan: Phòng Kinh tế staff, a unit's official, or leadership."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import AdministrativeUnit


class Role(models.TextChoices):
    ECONOMIC_OFFICE = "kinh_te", _("Phòng Kinh tế")
    UNIT_OFFICIAL = "can_bo_xa", _("Cán bộ xã, phường")
    LEADERSHIP = "lanh_dao", _("Lãnh đạo")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        help_text=_("Bắt buộc với cán bộ xã, phường; để trống với các vai trò khác."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.UNIT_OFFICIAL) & Q(unit__isnull=False))
                | (~Q(role=Role.UNIT_OFFICIAL) & Q(unit__isnull=True)),
                name="unit_official_has_exactly_one_unit",
            ),
        ]

    def __str__(self):
        if self.unit_id:
            return f"{self.user.get_username()} – {self.get_role_display()} {self.unit.name}"
        return f"{self.user.get_username()} – {self.get_role_display()}"


def role_of(user) -> str | None:
    """The user's role, or None for anonymous users and accounts without a profile."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    if profile is not None:
        return profile.role
    if user.is_superuser:
        return Role.ECONOMIC_OFFICE
    return None

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """A plan's life: editing, issuing, amending, closing and next year's plan."""

    name = "planning"
    verbose_name = _("Vòng đời kế hoạch")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Target against actual: judging, the dashboards and their downloads.

    The label stays "reports", the app's first name, so that no table, content type or
    migration moves.
    """

    name = "dashboards"
    label = "reports"
    verbose_name = _("Báo cáo")

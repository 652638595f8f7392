from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Indicators, targets, reporting periods, the units' reports and their workflow.

    The label stays "targets", the app's first name, so that no table, content type,
    permission or history record moves.
    """

    name = "reporting"
    label = "targets"
    verbose_name = _("Chỉ tiêu và tiến độ")

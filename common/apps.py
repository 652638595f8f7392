from django.apps import AppConfig
from django.db import models

from .forms import NumberField, WholeNumberField

# Every number field of every model, in every admin form and inline.
ADMIN_NUMBER_FIELDS = {
    models.DecimalField: {"form_class": NumberField},
    models.IntegerField: {"form_class": WholeNumberField},
    models.BigIntegerField: {"form_class": WholeNumberField},
}


class CommonConfig(AppConfig):
    """What every app uses and no app owns: numbers the Vietnamese way, the figure
    validator, file downloads and spreadsheet widgets, the template filters. No models."""

    name = "common"

    def ready(self) -> None:
        # The admin's numbers typed and shown the Vietnamese way (common.forms), for the
        # admin classes registered already (the admin app is ready first) and for every
        # one made later (inlines are made per request from the admin's defaults).
        from django.contrib import admin
        from django.contrib.admin import options

        options.FORMFIELD_FOR_DBFIELD_DEFAULTS.update(ADMIN_NUMBER_FIELDS)
        for model_admin in admin.site._registry.values():
            model_admin.formfield_overrides.update(ADMIN_NUMBER_FIELDS)  # type: ignore[attr-defined]

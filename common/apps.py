from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every app uses and no app owns: numbers the Vietnamese way, the figure
    validator, file downloads and spreadsheet widgets, the template filters. No models."""

    name = "common"

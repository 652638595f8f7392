"""The five-year plan's targets, under /plans/<year>/chi-tieu-giai-doan/ beside the plan."""

from django.urls import path

from . import stage_views

app_name = "stage"

urlpatterns = [
    path("", stage_views.stage_targets, name="targets"),
]

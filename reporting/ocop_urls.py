"""The OCOP register's pages, under /plans/<year>/ocop/ beside the plan they belong to."""

from django.urls import path

from . import ocop_views

app_name = "ocop"

urlpatterns = [
    path("", ocop_views.ocop_list, name="list"),
    path("them/", ocop_views.ocop_edit, name="add"),
    path("<int:pk>/sua/", ocop_views.ocop_edit, name="edit"),
]

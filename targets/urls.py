from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("<int:year>/", views.overview, name="overview"),
    path("<int:year>/<slug:unit_slug>/<slug:period_code>/", views.report_detail, name="report"),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/xu-ly/",
        views.report_review,
        name="review",
    ),
]

from django.urls import path

from . import excel_views, views

app_name = "reporting"

urlpatterns = [
    path("<int:year>/", views.overview, name="overview"),
    path("<int:year>/<slug:unit_slug>/<slug:period_code>/", views.report_detail, name="report"),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/xu-ly/",
        views.report_review,
        name="review",
    ),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/tai-xuong.xlsx",
        excel_views.report_download,
        name="excel_download",
    ),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/tai-len/",
        excel_views.report_upload,
        name="excel_upload",
    ),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/tai-len/<str:token>/",
        excel_views.report_preview,
        name="excel_preview",
    ),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/tai-len/<str:token>/xac-nhan/",
        excel_views.report_confirm,
        name="excel_confirm",
    ),
]

from django.urls import path

from . import excel_views, review_views, views

app_name = "reporting"

urlpatterns = [
    path("<int:year>/", views.overview, name="overview"),
    path("<int:year>/cho-duyet/", review_views.queue, name="queue"),
    path("<int:year>/<slug:unit_slug>/<slug:period_code>/", views.report_detail, name="report"),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/xu-ly/",
        views.report_review,
        name="review",
    ),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/gui/",
        review_views.submit_confirm,
        name="submit_confirm",
    ),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/duyet/",
        review_views.approve_confirm,
        name="approve_confirm",
    ),
    path(
        "<int:year>/<slug:unit_slug>/<slug:period_code>/rut-lai/",
        review_views.withdraw,
        name="withdraw",
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

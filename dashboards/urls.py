from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("<int:year>/", views.dashboard, name="dashboard"),
    path("<int:year>/chua-nop/<slug:period_code>/", views.missing_reports, name="missing_reports"),
    path("<int:year>/chi-tieu/<slug:code>/", views.indicator_detail, name="indicator"),
    path("<int:year>/don-vi/<slug:unit_slug>/", views.unit_detail, name="unit"),
    path(
        "<int:year>/don-vi-hien-nay/<slug:unit_slug>/",
        views.successor_detail,
        name="successor",
    ),
    path("<int:year>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:year>/bao-cao.docx", views.province_docx, name="province_docx"),
    path("<int:year>/tep-excel/", views.export_request, name="export_request"),
    path("tep-excel/<int:pk>/", views.export_status, name="export_status"),
    path("tep-excel/<int:pk>/tinh-trang/", views.export_status_json, name="export_status_json"),
    path("tep-excel/<int:pk>/tai-ve.xlsx", views.export_download, name="export_download"),
]

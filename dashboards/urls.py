from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("<int:year>/", views.dashboard, name="dashboard"),
    path("<int:year>/chua-nop/<slug:period_code>/", views.missing_reports, name="missing_reports"),
    path("<int:year>/chi-tieu/<slug:code>/", views.indicator_detail, name="indicator"),
    path("<int:year>/don-vi/<slug:unit_slug>/", views.unit_detail, name="unit"),
    path("<int:year>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:year>/bao-cao.docx", views.province_docx, name="province_docx"),
]

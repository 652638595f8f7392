from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from planning import urls as planning_urls
from plans import urls as plans_urls

admin.site.site_header = _("Quản trị kế hoạch sản xuất nông nghiệp hàng hóa")
admin.site.site_title = _("Quản trị laichau_agri")
admin.site.index_title = _("Dữ liệu kế hoạch")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    # One namespace for the plans' pages: the list (plans) and each plan's life (planning).
    path("plans/", include((plans_urls.urlpatterns + planning_urls.urlpatterns, "plans"))),
    path("plans/<int:year>/ocop/", include("reporting.ocop_urls")),
    path("plans/<int:year>/chi-tieu-giai-doan/", include("reporting.stage_urls")),
    path("plans/<int:year>/", include("dashboards.plan_urls")),
    path("reports/", include("reporting.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("ops.urls")),
    path("admin/", admin.site.urls),
]

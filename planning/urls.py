"""The plan's pages under /plans/<year>/; the wiring puts them in the `plans` namespace
beside the list of plans (laichau_agri/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:year>/", views.plan_detail, name="detail"),
    path("<int:year>/lich-su/", views.plan_history_page, name="history"),
    path("<int:year>/lap-ke-hoach-nam-sau/", views.next_year, name="next_year"),
    path("<int:year>/ban-hanh/", views.issue, name="issue"),
    path("<int:year>/ket-thuc/", views.close, name="close"),
    path("<int:year>/xac-nhan-chi-tieu/", views.confirm_targets, name="confirm_targets"),
    path("<int:year>/thong-tin/", views.info_edit, name="info_edit"),
    path("<int:year>/quyet-dinh-giao-chi-tieu/", views.targets_decision, name="targets_decision"),
    path("<int:year>/chi-tieu/them/", views.target_add, name="target_add"),
    path("<int:year>/chi-tieu/<int:pk>/", views.target_edit, name="target_edit"),
    path("<int:year>/chi-tieu/<int:pk>/xoa/", views.target_delete, name="target_delete"),
    path("<int:year>/nhiem-vu/them/", views.task_add, name="task_add"),
    path("<int:year>/nhiem-vu/<int:pk>/", views.task_edit, name="task_edit"),
    path("<int:year>/nhiem-vu/<int:pk>/xoa/", views.task_delete, name="task_delete"),
    path("<int:year>/muc/<int:pk>/", views.section_edit, name="section_edit"),
    path("<int:year>/chi-tieu-do/them/", views.indicator_add, name="indicator_add"),
    path("<int:year>/chi-tieu-do/<slug:code>/", views.indicator_edit, name="indicator_edit"),
    path("<int:year>/trich-dan/<int:pk>/", views.citation_edit, name="citation_edit"),
]

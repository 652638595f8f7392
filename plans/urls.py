from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:year>/", views.plan_detail, name="detail"),
    path("<int:year>/ocop/", views.ocop_list, name="ocop"),
    path("<int:year>/ocop/them/", views.ocop_edit, name="ocop_add"),
    path("<int:year>/ocop/<int:pk>/sua/", views.ocop_edit, name="ocop_edit"),
]

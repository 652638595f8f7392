from django.urls import path

from . import views

app_name = "plans"

# The plan's own pages (/plans/<year>/…) are the planning app's, wired into this namespace.
urlpatterns = [
    path("", views.plan_list, name="list"),
]

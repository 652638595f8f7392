from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("users/", views.official_list, name="official_list"),
    path("users/new/", views.official_add, name="official_add"),
    path("users/<int:pk>/password/", views.official_password, name="official_password"),
    path("users/<int:pk>/email/", views.official_email, name="official_email"),
]

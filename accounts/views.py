from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.selectors import latest_plan

from . import access
from .forms import EmailForm, OfficialCreateForm, OfficialPasswordForm
from .models import Role, role_of
from .services import account_email_set, official_create, official_password_reset


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is: the reporting overview, or the plan."""
    plan = latest_plan()
    if plan is None:
        return redirect("plans:list")
    role = role_of(request.user)
    if role is None:
        return redirect(plan.get_absolute_url())
    if role == Role.LEADERSHIP:
        return redirect("dashboards:dashboard", year=plan.year)
    ended = access.ended_account_reason(request.user, plan)
    if ended:  # an official of a unit that ended reads the reports of the plans it was in
        messages.info(request, ended)
        return redirect("plans:list")
    return redirect("reporting:overview", year=plan.year)


@login_required
def official_list(request: HttpRequest) -> HttpResponse:
    """Phòng Kinh tế's list of unit officials, to give one a new password."""
    officials = access.officials_for_user(request.user)
    return render(
        request,
        "accounts/official_list.html",
        {"officials": officials, "today": timezone.localdate()},
    )


@login_required
def official_add(request: HttpRequest) -> HttpResponse:
    """Phòng Kinh tế makes a new official's account, for a unit in force today."""
    access.require(access.may_manage_officials(request.user))
    form = OfficialCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = official_create(
            actor=request.user,
            username=data["username"],
            unit=data["unit"],
            password=data["password2"],
            full_name=data["full_name"],
            email=data["email"],
        )
        messages.success(
            request,
            _(
                "Đã tạo tài khoản %(username)s cho %(unit)s. Hãy báo mật khẩu cho người dùng "
                "qua kênh an toàn."
            )
            % {"username": user.get_username(), "unit": data["unit"]},
        )
        return redirect("official_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/official_add.html", {"form": form}, status=status)


@login_required
def official_password(request: HttpRequest, pk: int) -> HttpResponse:
    official = access.official_for_user(request.user, pk)
    form = OfficialPasswordForm(request.POST or None, user=official)
    if request.method == "POST" and form.is_valid():
        official_password_reset(
            actor=request.user, user=official, password=form.cleaned_data["password2"]
        )
        messages.success(
            request,
            _("Đã đặt mật khẩu mới cho %(username)s. Hãy báo cho người dùng qua kênh an toàn.")
            % {"username": official.get_username()},
        )
        return redirect("official_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/official_password.html",
        {"official": official, "form": form},
        status=status,
    )


@login_required
def official_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Phòng Kinh tế sets the address a unit official's notifications are e-mailed to."""
    official = access.official_for_user(request.user, pk)
    form = EmailForm(
        request.POST if request.method == "POST" else None, initial={"email": official.email}
    )
    if request.method == "POST" and form.is_valid():
        account_email_set(actor=request.user, user=official, email=form.cleaned_data["email"])
        messages.success(
            request,
            _("Đã lưu địa chỉ e-mail của %(username)s.") % {"username": official.get_username()},
        )
        return redirect("official_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/official_email.html", {"official": official, "form": form}, status=status
    )


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page shown instead of the login form while too many failed attempts lock it."""
    cool_off = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from plans.selectors import latest_plan

from .models import Role, role_of


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
        return redirect("reports:dashboard", year=plan.year)
    return redirect("targets:overview", year=plan.year)

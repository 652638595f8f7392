from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from plans.selectors import latest_plan


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Every role lands on the plan until its own landing page exists."""
    plan = latest_plan()
    if plan is None:
        return redirect("plans:list")
    return redirect(plan.get_absolute_url())

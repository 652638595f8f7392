"""The plan's own pages: the list of plans and the plan as a document.

Every signed-in user reads them, whatever their role; the pages that change plan data
are the reporting app's (the OCOP register) and the admin's.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Plan
from .selectors import plan_document


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("unit").order_by("-year")
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("unit", "parent_document"), year=year)
    return render(request, "plans/plan_detail.html", {"doc": plan_document(plan)})

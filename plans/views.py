"""The list of plans, for every signed-in user whatever their role.

The plan's own pages, which read and change it, are the planning app's (`planning.views`).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Plan


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("unit").order_by("-year")
    return render(request, "plans/plan_list.html", {"plans": plans})

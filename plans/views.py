from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Role, role_of
from reporting.models import Sector, Target

from .forms import OcopProductForm
from .models import OcopProduct, Plan
from .selectors import grassroots_units, ocop_register, plan_document


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("unit").order_by("-year")
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("unit", "parent_document"), year=year)
    return render(request, "plans/plan_detail.html", {"doc": plan_document(plan)})


def _plan_for(user, year: int) -> Plan:
    if role_of(user) is None:
        raise PermissionDenied
    return get_object_or_404(Plan.objects.select_related("unit"), year=year)


def _require_economic_office(user) -> None:
    if role_of(user) != Role.ECONOMIC_OFFICE:
        raise PermissionDenied


@login_required
def ocop_list(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan_for(request.user, year)
    register = ocop_register(plan, timezone.localdate())
    target = (
        Target.objects.filter(plan=plan, unit=plan.unit, indicator__sector=Sector.OCOP)
        .select_related("indicator")
        .first()
    )
    return render(
        request,
        "plans/ocop_list.html",
        {
            "plan": plan,
            "register": register,
            "target": target,
            "can_edit": role_of(request.user) == Role.ECONOMIC_OFFICE,
        },
    )


def _shown(field, value) -> str:
    if value is None:
        return ""
    return str(dict(field.flatchoices).get(value, value))


def _changes_between(records) -> list[dict]:
    """Each history record with the fields it changed, newest first; no extra queries."""
    records = list(records)
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            changed = [_("Tạo mới")]
        else:
            changed = [
                f"{capfirst(field.verbose_name)}: "
                f"{_shown(field, change.old)} → {_shown(field, change.new)}"
                for change in newer.diff_against(older).changes
                for field in [OcopProduct._meta.get_field(change.field)]
            ]
        rows.append({"record": newer, "changes": changed})
    return rows


@login_required
def ocop_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    plan = _plan_for(request.user, year)
    _require_economic_office(request.user)
    product = (
        get_object_or_404(OcopProduct, pk=pk, unit__in=grassroots_units(plan))
        if pk is not None
        else None
    )
    form = OcopProductForm(request.POST or None, instance=product, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Đã lưu sản phẩm %(name)s.") % {"name": saved.name})
        return redirect("plans:ocop", year=plan.year)
    history = (
        _changes_between(product.history.select_related("history_user").order_by("-history_date"))
        if product
        else []
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "plans/ocop_form.html",
        {"plan": plan, "form": form, "product": product, "history": history},
        status=status,
    )

"""The OCOP register: products the province recognized, against the plan's OCOP target.

Phòng Kinh tế records each certificate as it comes (progress towards the target, like
the city-wide report); leadership and officials read the register.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts import access
from plans.forms import OcopProductForm
from plans.models import OcopProduct
from plans.selectors import ocop_register

from .models import Sector, Target


@login_required
def ocop_list(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_user(request.user, year)
    register = ocop_register(plan, timezone.localdate())
    target = (
        Target.objects.filter(plan=plan, unit=plan.unit, indicator__sector=Sector.OCOP)
        .select_related("indicator")
        .first()
    )
    return render(
        request,
        "reporting/ocop_list.html",
        {
            "plan": plan,
            "register": register,
            "target": target,
            "can_edit": access.may_edit_plan_data(request.user),
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
    plan = access.plan_for_user(request.user, year)
    access.require(access.may_edit_plan_data(request.user))
    product = access.ocop_product_for_user(request.user, plan, pk) if pk is not None else None
    form = OcopProductForm(request.POST or None, instance=product, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Đã lưu sản phẩm %(name)s.") % {"name": saved.name})
        return redirect("ocop:list", year=plan.year)
    history = (
        _changes_between(product.history.select_related("history_user").order_by("-history_date"))
        if product
        else []
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/ocop_form.html",
        {"plan": plan, "form": form, "product": product, "history": history},
        status=status,
    )

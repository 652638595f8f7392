"""The five-year plan's targets, beside the annual plan that cites it:
/plans/<year>/chi-tieu-giai-doan/. Everyone with a role reads them; Phòng Kinh tế enters
them (the server refuses anyone else's save)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import access
from common.forms import NumberField

from .models import Indicator, StageTarget, Target
from .stage import StageEntry, stage_targets_save


class StageTargetsForm(forms.Form):
    """One value and the five-year plan's own words per indicator of the annual plan."""

    def __init__(self, *args: Any, indicators: list[Indicator], current: dict, **kwargs: Any):
        initial = {}
        for indicator in indicators:
            target = current.get(indicator.pk)
            if target is not None:
                initial[f"gia_tri_{indicator.code}"] = target.value
                initial[f"nguyen_van_{indicator.code}"] = target.source_text
        super().__init__(*args, initial=initial, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"gia_tri_{indicator.code}"] = NumberField(
                label=f"{indicator.name} ({indicator.unit_of_measure})", required=False
            )
            self.fields[f"nguyen_van_{indicator.code}"] = forms.CharField(
                label=_("Nguyên văn kế hoạch giai đoạn"), required=False, max_length=2000
            )

    def rows(self) -> list[tuple[Indicator, forms.BoundField, forms.BoundField]]:
        return [
            (i, self[f"gia_tri_{i.code}"], self[f"nguyen_van_{i.code}"]) for i in self.indicators
        ]

    def entries(self) -> dict[int, StageEntry]:
        """What was sent; an indicator whose field was not sent at all is left as it is."""
        return {
            i.pk: StageEntry(
                value=self.cleaned_data[f"gia_tri_{i.code}"],
                source_text=self.cleaned_data[f"nguyen_van_{i.code}"],
            )
            for i in self.indicators
            if f"gia_tri_{i.code}" in self.data
        }


@login_required
def stage_targets(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_user(request.user, year)
    document = plan.parent_document
    may_edit = access.may_edit_plan_data(request.user) and document is not None
    if request.method == "POST":
        access.require(may_edit)
    indicators = [
        t.indicator
        for t in Target.objects.filter(plan=plan, unit=plan.unit)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__name")
    ]
    current = (
        {t.indicator_id: t for t in StageTarget.objects.filter(document=document)}
        if document is not None
        else {}
    )
    data = request.POST if request.method == "POST" else None
    form = StageTargetsForm(data, indicators=indicators, current=current)
    if request.method == "POST" and document is not None and form.is_valid():
        changed = stage_targets_save(actor=request.user, document=document, entries=form.entries())
        messages.success(
            request,
            _("Đã lưu %(n)s chỉ tiêu của %(doc)s.") % {"n": len(changed), "doc": document.number},
        )
        return redirect("stage:targets", year=plan.year)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/stage_targets.html",
        {"plan": plan, "document": document, "form": form, "may_edit": may_edit},
        status=status,
    )

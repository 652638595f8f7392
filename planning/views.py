"""The plan's pages: read by everyone with a role, edited by Phòng Kinh tế.

Leadership and officials see the same pages without the edit controls; every write goes
through `accounts.access` (403 for anyone else) and `planning.services`.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from plans.models import Citation, Plan, Section, Task
from plans.selectors import plan_document
from reporting.models import Indicator, ReportFigure, Target

from . import services
from .carry import plan_draft_next_year
from .forms import (
    AmendmentForm,
    CitationForm,
    IndicatorForm,
    IssueForm,
    NewIndicatorForm,
    NewTargetForm,
    PlanInfoForm,
    SeasonalProfileForm,
    SectionForm,
    TargetForm,
    TargetsDecisionForm,
    TaskForm,
)
from .selectors import plan_amendments, plan_history, target_splits


def _back(plan: Plan, anchor: str = "") -> HttpResponse:
    return redirect(f"{plan.get_absolute_url()}{'#' + anchor if anchor else ''}")


@login_required
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_reading(request.user, year)
    doc = plan_document(plan)
    targets = [target for view in doc.sections for target in view.targets]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "doc": doc,
            "amendments": plan_amendments(plan),
            "splits": target_splits(plan, targets),
            "unconfirmed": sum(1 for t in targets if not t.confirmed),
            "may_edit": access.may_edit_plan(request.user, plan),
            "may_keep": access.may_keep_plan(request.user),
            "may_draft_next": access.may_draft_next_plan(request.user, plan),
            "next_plan": getattr(plan, "next_plan", None),  # selected with the plan
        },
    )


@login_required
def plan_history_page(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_reading(request.user, year)
    return render(request, "planning/history.html", {"plan": plan, "events": plan_history(plan)})


@login_required
@require_POST
def next_year(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_keeping(request.user, year)
    access.require(access.may_draft_next_plan(request.user, plan))
    typed = request.POST.get("year", "").strip()
    if typed and not (typed.isascii() and typed.isdigit()):
        messages.error(request, _("Năm phải là một số, ví dụ %(year)s.") % {"year": year + 1})
        return _back(plan)
    try:
        new = plan_draft_next_year(
            actor=request.user, plan=plan, year=int(typed) if typed else None
        )
    except services.PlanError as refused:
        messages.error(request, str(refused))
        return _back(plan)
    messages.success(
        request,
        _(
            "Đã lập dự thảo kế hoạch năm %(year)s từ kế hoạch năm %(old)s. Các chỉ tiêu lấy "
            "giá trị năm %(old)s làm điểm xuất phát và chưa xác nhận."
        )
        % {"year": new.year, "old": plan.year},
    )
    return _back(new)


@login_required
def issue(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_keeping(request.user, year)
    form = IssueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.plan_issue(actor=request.user, plan=plan, **form.cleaned_data)
            except services.PlanError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("Đã ban hành kế hoạch; các đơn vị đã có thể báo cáo năm %(year)s.")
                    % {"year": plan.year},
                )
                return _back(plan)
        status = 400
    return render(request, "planning/issue.html", {"plan": plan, "form": form}, status=status)


@login_required
@require_POST
def close(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_keeping(request.user, year)
    try:
        services.plan_close(actor=request.user, plan=plan)
    except services.PlanError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Kế hoạch đã kết thúc và chỉ còn để đọc."))
    return _back(plan)


@login_required
@require_POST
def confirm_targets(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    try:
        count = services.targets_confirm(actor=request.user, plan=plan)
    except services.PlanError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã xác nhận %(count)s chỉ tiêu.") % {"count": count})
    return _back(plan, "chi-tieu")


def _edit(
    request: HttpRequest,
    plan: Plan,
    *,
    form: Any,
    template_context: dict[str, Any],
    save: Callable[[services.AmendmentInput | None], object],
    anchor: str,
    extra_forms: tuple[Any, ...] = (),
    then: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """One edit page: the record's form, the amendment on an issued plan, the save."""
    amendment_form = None if plan.is_draft else AmendmentForm(request.POST or None, plan=plan)
    context = {
        "plan": plan,
        "form": form,
        "extra_forms": extra_forms,
        "amendment_form": amendment_form,
        **template_context,
    }
    if request.method != "POST":
        return render(request, "planning/edit.html", context)
    valid = all(
        [f.is_valid() for f in (form, *extra_forms)]
        + ([amendment_form.is_valid()] if amendment_form is not None else [])
    )
    if valid:
        try:
            event = save(amendment_form.amendment() if amendment_form is not None else None)
        except services.PlanError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Đã lưu.") if event else _("Không có gì thay đổi."))
            return then() if then is not None else _back(plan, anchor)
    return render(request, "planning/edit.html", context, status=400)


@login_required
def target_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    target = get_object_or_404(Target.objects.select_related("indicator", "unit"), pk=pk, plan=plan)
    siblings = list(
        Target.objects.filter(plan=plan, indicator_id=target.indicator_id)
        .select_related("unit")
        .order_by("position")
    )
    form = TargetForm(request.POST or None, instance=target, plan=plan)

    save = _saving(request, form)

    typed = form.cleaned_data.get("value") if form.is_bound and form.is_valid() else None
    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor="chi-tieu",
        template_context={
            "heading": _("Sửa chỉ tiêu: %(name)s") % {"name": target.indicator.name},
            "record": target,
            "split": target_splits(plan, siblings, editing=target, typed=typed).get(
                target.indicator_id
            ),
            "delete_url": reverse("plans:target_delete", args=[plan.year, target.pk])
            if plan.is_draft
            else "",
        },
    )


def _next_position(queryset: Any) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _saving(request: HttpRequest, form: Any) -> Callable[[services.AmendmentInput | None], object]:
    """How an edit form's record is saved: through the plan's services, with its members."""

    def save(amendment: services.AmendmentInput | None) -> object:
        m2m = form.m2m() if hasattr(form, "m2m") else None
        return services.plan_save(
            actor=request.user, instance=form.instance, m2m=m2m, amendment=amendment
        )

    return save


@login_required
def target_add(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    target = Target(plan=plan, position=_next_position(plan.targets.all()), confirmed=True)
    chosen = Indicator.objects.filter(code=request.GET.get("chi_tieu_do", "")).first()
    form = NewTargetForm(
        request.POST or None, instance=target, plan=plan, initial={"indicator": chosen}
    )

    save = _saving(request, form)

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor="chi-tieu",
        template_context={"heading": _("Thêm chỉ tiêu vào kế hoạch")},
    )


@login_required
def task_add(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    task = Task(plan=plan, position=_next_position(plan.tasks.all()))
    form = TaskForm(request.POST or None, instance=task, plan=plan)

    save = _saving(request, form)

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor="",
        template_context={"heading": _("Thêm nhiệm vụ vào kế hoạch")},
    )


@login_required
def task_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    task = get_object_or_404(Task, pk=pk, plan=plan)
    form = TaskForm(request.POST or None, instance=task, plan=plan)

    save = _saving(request, form)

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor=f"nhiem-vu-{task.code}",
        template_context={
            "heading": _("Sửa nhiệm vụ %(code)s") % {"code": task.code},
            "delete_url": reverse("plans:task_delete", args=[plan.year, task.pk])
            if plan.is_draft
            else "",
        },
    )


def _delete(request: HttpRequest, plan: Plan, record: Target | Task, *, what: str) -> HttpResponse:
    """Ask, then remove a record from a draft; an issued plan changes by amendment instead."""
    if request.method == "POST":
        try:
            services.plan_delete(actor=request.user, instance=record, plan=plan)
        except services.PlanError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Đã xóa %(what)s khỏi kế hoạch dự thảo.") % {"what": what})
        return _back(plan)
    return render(request, "planning/delete.html", {"plan": plan, "record": record, "what": what})


@login_required
def target_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    target = get_object_or_404(Target.objects.select_related("indicator", "unit"), pk=pk, plan=plan)
    return _delete(request, plan, target, what=_("chỉ tiêu %(name)s") % {"name": target})


@login_required
def task_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    task = get_object_or_404(Task, pk=pk, plan=plan)
    return _delete(request, plan, task, what=_("nhiệm vụ %(code)s") % {"code": task.code})


@login_required
def section_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    section = get_object_or_404(Section, pk=pk, plan=plan)
    form = SectionForm(request.POST or None, instance=section)

    save = _saving(request, form)

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor=f"muc-{section.code}",
        template_context={"heading": _("Sửa mục %(code)s") % {"code": section.code}},
    )


@login_required
def indicator_add(request: HttpRequest, year: int) -> HttpResponse:
    """A new indicator, then straight on to its first target in this plan."""
    plan = access.plan_for_editing(request.user, year)
    form = NewIndicatorForm(request.POST or None)

    def save(amendment: services.AmendmentInput | None) -> object:
        return services.plan_save(
            actor=request.user, instance=form.instance, plan=plan, amendment=amendment
        )

    def to_its_target() -> HttpResponse:
        url = reverse("plans:target_add", args=[plan.year])
        return redirect(f"{url}?chi_tieu_do={form.instance.code}")

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor="chi-tieu",
        then=to_its_target,
        template_context={
            "heading": _("Thêm chỉ tiêu đo mới"),
            "shared_note": _(
                "Chỉ tiêu đo dùng chung cho mọi năm kế hoạch. Sau khi lưu, nhập chỉ tiêu "
                "(giá trị, phạm vi) của kế hoạch này cho nó."
            ),
        },
    )


@login_required
def indicator_edit(request: HttpRequest, year: int, code: str) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    indicator = get_object_or_404(
        Indicator.objects.filter(targets__plan=plan).distinct(), code=code
    )
    profile = services.profile_for_saving(indicator.pk)
    has_figures = ReportFigure.objects.filter(indicator=indicator).exists()
    form = IndicatorForm(request.POST or None, instance=indicator, has_figures=has_figures)
    profile_form = SeasonalProfileForm(
        request.POST or None, profile=profile if profile.pk else None
    )

    def save(amendment: services.AmendmentInput | None) -> object:
        event = services.plan_save(
            actor=request.user, instance=form.instance, plan=plan, amendment=amendment
        )
        if profile_form.is_empty:
            if profile.pk:
                return services.plan_delete(actor=request.user, instance=profile, plan=plan)
            return event
        second = services.plan_save(
            actor=request.user,
            instance=profile_form.fill(profile),
            plan=plan,
            amendment=amendment,
        )
        return event or second

    return _edit(
        request,
        plan,
        form=form,
        extra_forms=(profile_form,),
        save=save,
        anchor="chi-tieu",
        template_context={
            "heading": _("Sửa chỉ tiêu đo: %(name)s") % {"name": indicator.name},
            "shared_note": _(
                "Chỉ tiêu đo dùng chung cho mọi năm kế hoạch: sửa ở đây là sửa cho cả các năm "
                "khác dùng nó."
            ),
        },
    )


@login_required
def citation_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    citation = get_object_or_404(Citation, pk=pk, plan=plan)
    form = CitationForm(request.POST or None, instance=citation, plan=plan)

    save = _saving(request, form)

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor="can-cu",
        template_context={"heading": _("Sửa trích dẫn văn bản")},
    )


@login_required
def info_edit(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    form = PlanInfoForm(request.POST or None, instance=plan)

    save = _saving(request, form)

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor="can-cu",
        template_context={"heading": _("Sửa tên, phần mở đầu, căn cứ của kế hoạch")},
    )


@login_required
def targets_decision(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, year)
    form = TargetsDecisionForm(request.POST or None)

    def save(amendment: services.AmendmentInput | None) -> object:
        return services.targets_decision_set(
            actor=request.user, plan=plan, amendment=amendment, **form.cleaned_data
        )

    return _edit(
        request,
        plan,
        form=form,
        save=save,
        anchor="can-cu",
        template_context={
            "heading": _("Quyết định giao chỉ tiêu năm %(year)s") % {"year": plan.year}
        },
    )

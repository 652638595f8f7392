from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from plans.models import AdministrativeUnit

from . import services
from .forms import ReasonForm, ReportForm, figure_rows
from .models import Report, ReportEvent, ReportingPeriod
from .review import next_waiting
from .selectors import period_for_plan, report_contents, report_scope, reporting_overview
from .states import ReportState, report_state

UNITS_PER_PAGE = 50
DISCUSSION = {
    ReportEvent.Action.EXPLAINED,
    ReportEvent.Action.COMMENTED,
    ReportEvent.Action.FOLLOW_UP,
    ReportEvent.Action.FOLLOW_UP_CLEARED,
}


@login_required
def overview(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_reporting(request.user, year)
    periods = list(plan.periods.order_by("ends_on", "position"))
    kinds = ReportingPeriod.Kind
    kind = request.GET.get("ky") or kinds.QUARTERLY
    if kind in kinds.values:
        periods = [period for period in periods if period.kind == kind]
    else:
        kind = ""
    # Paginated in the database: a count and one page of units, whatever the country's size.
    visible = access.units_visible_to(request.user, plan)
    page = Paginator(visible, UNITS_PER_PAGE).get_page(request.GET.get("trang"))
    units = list(page.object_list)
    own_unit = units[0] if access.own_unit_id(request.user) is not None and units else None
    today = timezone.localdate()
    rows = reporting_overview(plan, units, periods, today)
    # One reverse() for the page's 200 links, not one {% url %} per cell.
    pattern = reverse("reporting:report", args=[plan.year, "unit-slug", "period-code"])

    def link(unit: AdministrativeUnit, state: ReportState) -> str:
        return pattern.replace("unit-slug", unit.slug, 1).replace(
            "period-code", state.period.code, 1
        )

    todo = []
    if own_unit is not None:
        all_periods = list(plan.periods.order_by("ends_on", "position"))
        own = reporting_overview(plan, [own_unit], all_periods, today)[own_unit.pk]
        todo = [state for state in own if state.is_due or state.is_returned]
    return render(
        request,
        "reporting/overview.html",
        {
            "plan": plan,
            "periods": periods,
            "rows": [
                (unit, [(state, link(unit, state)) for state in rows[unit.pk]]) for unit in units
            ],
            "kinds": kinds.choices,
            "kind": kind,
            "own_unit": own_unit,
            "todo": todo,
            "page": page,
        },
    )


def _report_context(request, plan, unit, period, form=None, conflict=None):
    contents = report_contents(report_scope(plan, unit), period)
    report = contents.report
    can_edit = access.may_edit_for_unit(request.user, plan, unit) and (
        report is None or report.is_editable
    )
    if form is None and can_edit:
        form = ReportForm(contents=contents)
    state = report_state(unit, period, report, contents.events, timezone.localdate())
    review_started = report is not None and report.review_started_at is not None
    reviewing = report is not None and access.may_review(request.user)
    may_discuss = access.may_discuss_figures(request.user, plan, unit)
    return {
        "state": state,
        "may_discuss": may_discuss,
        "under_review": report is not None and report.status in services.DISCUSSED,
        # The exchange about figures is between the unit and Phòng Kinh tế.
        "events": [e for e in contents.events if may_discuss or e.action not in DISCUSSION],
        "can_withdraw": can_edit is False
        and report is not None
        and report.status == Report.Status.SUBMITTED
        and not review_started
        and access.may_edit_for_unit(request.user, plan, unit),
        "next_waiting": next_waiting(report) if reviewing and report else None,
        "plan": plan,
        "unit": unit,
        "period": period,
        "contents": contents,
        "report": report,
        "form": form,
        "figure_rows": figure_rows(contents, form if can_edit else None),
        "can_edit": can_edit,
        "can_review": access.may_review(request.user),
        "reason_form": ReasonForm(),
        "conflict": conflict,
    }


@login_required
def report_detail(request: HttpRequest, year: int, unit_slug: str, period_code: str):
    plan = access.plan_for_reporting(request.user, year)
    unit = access.unit_for_user(request.user, plan, unit_slug)
    period = period_for_plan(plan, period_code)
    if request.method != "POST":
        context = _report_context(request, plan, unit, period)
        report = context["report"]
        if report is not None and services.report_review_start(report=report, actor=request.user):
            context = _report_context(request, plan, unit, period)
        return render(request, "reporting/report.html", context)

    access.require(access.may_edit_for_unit(request.user, plan, unit))
    scope = report_scope(plan, unit)
    contents = report_contents(scope, period)
    if contents.report is not None and not contents.report.is_editable:
        if (
            request.POST.get("action") == "submit"
            and contents.report.status == Report.Status.SUBMITTED
        ):
            messages.info(request, _("Báo cáo đã được gửi."))
        else:
            messages.error(request, _("Báo cáo đã gửi hoặc đã duyệt nên không sửa được."))
        return redirect(contents.report.get_absolute_url())

    form = ReportForm(request.POST, contents=contents)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: có số liệu cần sửa, xem các ô được đánh dấu đỏ."))
        context = _report_context(request, plan, unit, period, form=form)
        return render(request, "reporting/report.html", context, status=400)
    try:
        report = services.report_save(
            scope=scope,
            period=period,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            data=form.to_input(),
        )
    except services.ReportConflict as conflict:
        data = request.POST.copy()
        data["version"] = conflict.report.version
        form = ReportForm(data, contents=report_contents(scope, period))
        form.is_valid()
        context = _report_context(request, plan, unit, period, form=form, conflict=conflict)
        return render(request, "reporting/report.html", context, status=409)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect(request.path)

    if request.POST.get("action") == "send":
        # The page's button: saved, then a confirmation step before anything is sent.
        return redirect(
            "reporting:submit_confirm", year=year, unit_slug=unit.slug, period_code=period.code
        )
    if request.POST.get("action") == "submit":
        # Sending at once (the confirmation page's own request, and scripts that post it).
        try:
            services.report_submit(report=report, actor=request.user)
        except services.WorkflowError as error:
            # The figures are stored even though sending was refused (a warning to explain):
            # say so, or the official types them again.
            messages.success(request, _("Đã lưu báo cáo."))
            messages.error(request, str(error))
            return redirect(report.get_absolute_url())
        messages.success(request, _("Đã gửi báo cáo tới Phòng Kinh tế."))
    else:
        messages.success(request, _("Đã lưu báo cáo."))
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_review(request: HttpRequest, year: int, unit_slug: str, period_code: str):
    plan = access.plan_for_reporting(request.user, year)
    unit = access.unit_for_user(request.user, plan, unit_slug)
    period = period_for_plan(plan, period_code)
    access.require(access.may_review(request.user))
    contents = report_contents(report_scope(plan, unit), period)
    report = contents.report
    if report is None:
        messages.error(request, _("Đơn vị chưa có báo cáo cho kỳ này."))
        return redirect("reporting:report", year=year, unit_slug=unit.slug, period_code=period.code)

    action = request.POST.get("action")
    reason_form = ReasonForm(request.POST)
    try:
        if action == "approve":
            services.report_approve(report=report, actor=request.user)
            messages.success(request, _("Đã duyệt báo cáo; số liệu được khóa."))
        elif action in ("return", "reopen"):
            if not reason_form.is_valid():
                context = _report_context(request, plan, unit, period)
                context["reason_form"] = reason_form
                messages.error(request, _("Hãy ghi lý do."))
                return render(request, "reporting/report.html", context, status=400)
            step = services.report_return if action == "return" else services.report_reopen
            step(report=report, actor=request.user, reason=reason_form.cleaned_data["reason"])
            messages.success(
                request,
                _("Đã trả lại báo cáo cho đơn vị.")
                if action == "return"
                else _("Đã mở lại báo cáo để đơn vị sửa."),
            )
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except services.WorkflowError as error:
        messages.error(request, str(error))
    return redirect(report.get_absolute_url())

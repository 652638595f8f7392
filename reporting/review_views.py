"""Pages of the review: Phòng Kinh tế's queue, the confirmation steps, withdrawing.

Sending and approving ask for confirmation on a page of their own (a GET shows what will
happen, a POST does it), so a slip of the finger on a phone does nothing and no script
is needed: the Content Security Policy keeps forbidding inline script.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access

from . import services
from .models import FigureFlag, Report
from .review import next_waiting, review_queue, unexplained_flags
from .selectors import period_for_plan


def _report_for(request: HttpRequest, year: int, unit_slug: str, period_code: str) -> Report:
    plan = access.plan_for_reporting(request.user, year)
    unit = access.unit_for_user(request.user, plan, unit_slug)
    period = period_for_plan(plan, period_code)
    report = (
        Report.objects.filter(unit=unit, period=period)
        .select_related("period__plan", "unit")
        .first()
    )
    if report is None:
        raise Http404
    return report


@login_required
def queue(request: HttpRequest, year: int) -> HttpResponse:
    """The submitted reports, oldest first; clean ones may be approved together."""
    plan = access.plan_for_reporting(request.user, year)
    access.require(access.may_review(request.user))
    items = review_queue(plan)
    if request.method == "POST":
        return _bulk_approve(request, plan, items)
    return render(request, "reporting/review_queue.html", {"plan": plan, "items": items})


def _bulk_approve(request, plan, items) -> HttpResponse:
    wanted = set(request.POST.getlist("bao_cao"))
    chosen = [item for item in items if str(item.report.pk) in wanted]
    flagged = [item for item in chosen if not item.is_clean]
    if not chosen or flagged:
        if flagged:
            messages.error(
                request,
                _("Báo cáo có số liệu cần chú ý phải được mở và duyệt riêng: %(names)s.")
                % {"names": ", ".join(str(item.report) for item in flagged)},
            )
        else:
            messages.error(request, _("Hãy chọn ít nhất một báo cáo để duyệt."))
        return redirect("reporting:queue", year=plan.year)
    if request.POST.get("xac_nhan") != "1":
        return render(
            request, "reporting/approve_confirm.html", {"plan": plan, "items": chosen, "bulk": True}
        )
    approved, refused = services.reports_approve(
        reports=[item.report for item in chosen], actor=request.user
    )
    if approved:
        messages.success(
            request,
            _("Đã duyệt %(count)s báo cáo.") % {"count": len(approved)},
        )
    for reason in refused:
        messages.error(request, reason)
    return redirect("reporting:queue", year=plan.year)


@login_required
def approve_confirm(request: HttpRequest, year: int, unit_slug: str, period_code: str):
    """Approving one report: what it holds and what is flagged, then the button."""
    access.require(access.may_review(request.user))
    report = _report_for(request, year, unit_slug, period_code)
    if request.method == "POST":
        try:
            services.report_approve(report=report, actor=request.user)
        except services.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(report.get_absolute_url())
        messages.success(request, _("Đã duyệt báo cáo; số liệu được khóa."))
        following = next_waiting(report)
        if following is not None:
            return redirect(following.get_absolute_url())
        return redirect("reporting:queue", year=year)
    flags = list(FigureFlag.objects.filter(report=report, is_open=True).select_related("indicator"))
    return render(
        request,
        "reporting/approve_confirm.html",
        {"plan": report.period.plan, "report": report, "flags": flags, "bulk": False},
    )


@login_required
def submit_confirm(request: HttpRequest, year: int, unit_slug: str, period_code: str):
    """Sending a saved report: what happens next, what still needs an explanation."""
    report = _report_for(request, year, unit_slug, period_code)
    plan = report.period.plan
    access.require(access.may_edit_for_unit(request.user, plan, report.unit))
    if request.method == "POST":
        try:
            services.report_submit(report=report, actor=request.user)
        except services.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, _("Đã gửi báo cáo tới Phòng Kinh tế."))
        return redirect(report.get_absolute_url())
    if report.status == Report.Status.SUBMITTED:
        messages.info(request, _("Báo cáo đã được gửi."))
        return redirect(report.get_absolute_url())
    unexplained = unexplained_flags(report)
    return render(
        request,
        "reporting/submit_confirm.html",
        {
            "plan": plan,
            "report": report,
            "unexplained": unexplained,
            "late": timezone.localdate() > report.period.deadline,
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, year: int, unit_slug: str, period_code: str):
    report = _report_for(request, year, unit_slug, period_code)
    access.require(access.may_edit_for_unit(request.user, report.period.plan, report.unit))
    try:
        services.report_withdraw(report=report, actor=request.user)
        messages.success(request, _("Đã rút lại báo cáo; báo cáo trở về bản nháp."))
    except services.WorkflowError as error:
        messages.error(request, str(error))
    return redirect(report.get_absolute_url())

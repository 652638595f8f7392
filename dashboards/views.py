import dataclasses
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from common.downloads import DOCX, XLSX, file_response
from plans.models import Plan
from plans.selectors import ocop_register
from reporting.models import Indicator, ReportingPeriod

from . import charts
from .across_years import indicator_across_years
from .activity import progress_series, reporting_completeness, task_summary
from .board import attainment, default_as_of
from .excel import dashboard_workbook, workbook_filename
from .export_data import ExportScope, dashboard_export, province_report, report_period
from .exports import export_size, goes_through_queue, is_expired, scope_from_parameters
from .filters import DashboardFilter
from .judging import Status
from .models import ExportRequest
from .province_report import document_filename, province_report_document
from .tasks import export_queue, export_refresh

STATUS_COLORS = {
    Status.ACHIEVED: "#198754",
    Status.ON_TRACK: "#0d6efd",
    Status.AT_RISK: "#ffc107",
    Status.BEHIND: "#dc3545",
    Status.NO_DATA: "#adb5bd",
    Status.INCOMPLETE: "#5b4a9a",  # as .status-chua_du_bao_cao in site.css
}


def dashboard_settings(
    request: HttpRequest, plan: Plan
) -> tuple[DashboardFilter, dict[str, Any], ReportingPeriod | None, date, bool]:
    """The filter form and what it decides: up to when, and whether submitted figures count."""
    filterset = DashboardFilter(request.GET or None, queryset=Indicator.objects.all(), plan=plan)
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    period = data.get("ky")
    as_of = period.ends_on if period else default_as_of(plan, timezone.localdate())
    return filterset, data, period, as_of, bool(data.get("gom_da_gui"))


def _without(request: HttpRequest, name: str) -> str:
    """The query string without one parameter, to add it back with another value."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_dashboards(request.user, year)
    filterset, data, period, as_of, include_submitted = dashboard_settings(request, plan)
    board = attainment(plan, as_of=as_of, include_submitted=include_submitted)
    shown_indicators = set(filterset.qs.values_list("pk", flat=True))
    status = data.get("trang_thai")
    # The summary cards count what the other filters leave (period, sector), so the card
    # of the chosen status counts exactly the rows of the table.
    in_scope = [item for item in board.city if item.indicator.pk in shown_indicators]
    counts = dict.fromkeys(Status.ORDER, 0)
    for item in in_scope:
        counts[item.status] += 1
    items = [item for item in in_scope if not status or item.status == status]
    periods = [p for p in plan.periods.order_by("ends_on", "position") if p.ends_on <= as_of]
    quarterly = [p for p in periods if p.kind == "quy"] or periods[-4:]
    series = progress_series(plan, quarterly, include_submitted=include_submitted)
    for item in items:
        item.chart = (
            charts.line_chart(series.get(item.indicator.pk, []), item.target.value)
            if quarterly
            else None
        )
        item.color = STATUS_COLORS[item.status]
    completeness = reporting_completeness(plan, quarterly or periods[-3:], timezone.localdate())
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "plan": plan,
            "board": board,
            "items": items,
            "filter": filterset,
            "period": period,
            "as_of": as_of,
            "include_submitted": include_submitted,
            "counts": counts,
            "counted": len(in_scope),
            "card_query": _without(request, "trang_thai"),
            "status_labels": Status.LABELS,
            "status_colors": STATUS_COLORS,
            "completeness": completeness,
            "tasks": task_summary(plan, include_submitted=include_submitted, as_of=as_of),
            # As of the period shown, as the workbook's OCOP sheet; the target is the plan's.
            "ocop": ocop_register(plan, as_of),
            "ocop_target": board.ocop.target.value if board.ocop else None,
            "query": request.GET.urlencode(),
            "export_urls": export_links(request, plan),
        },
    )


@login_required
def indicator_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    plan = access.plan_for_dashboards(request.user, year)
    _filterset, _data, period, as_of, include_submitted = dashboard_settings(request, plan)
    board = attainment(plan, as_of=as_of, include_submitted=include_submitted)
    item = next((i for i in board.city if i.indicator.code == code), None)
    if item is None:
        raise Http404
    unit_targets = {
        i.target.unit_id: i
        for unit_items in board.by_unit.values()
        for i in unit_items
        if i.indicator.pk == item.indicator.pk
    }
    units = board.units
    values = {c.unit.pk: c for c in board.indicator_contributions(item)}
    bars = charts.bar_chart(
        [
            (
                u.name if u.pk != plan.unit_id else _("Phòng Kinh tế"),
                values[u.pk].value if u.pk in values else None,
                STATUS_COLORS[unit_targets[u.pk].status] if u.pk in unit_targets else "#6c757d",
            )
            for u in units
        ]
    )
    periods = [p for p in plan.periods.order_by("ends_on", "position") if p.ends_on <= as_of]
    quarterly = [p for p in periods if p.kind == "quy"]
    series = progress_series(plan, quarterly, include_submitted=include_submitted)
    years = indicator_across_years(item.indicator, today=timezone.localdate())
    stage = next((s.target.value for s in years.stages if s.target is not None), None)
    year_chart = charts.year_chart(
        [
            (
                str(y.plan.year),
                y.target.value,
                y.actual if y.reporting_open else None,
                STATUS_COLORS[y.status],
            )
            for y in years.years
        ],
        stage,
    )
    return render(
        request,
        "dashboards/indicator.html",
        {
            "years": years,
            "year_chart": year_chart,
            "may_enter_stage": access.may_edit_plan_data(request.user),
            "plan": plan,
            "item": item,
            "rows": [(u, values.get(u.pk), unit_targets.get(u.pk)) for u in units],
            "bars": bars,
            "chart": charts.line_chart(series[item.indicator.pk], item.target.value)
            if quarterly
            else None,
            "as_of": as_of,
            "period": period,
            "include_submitted": include_submitted,
            "query": request.GET.urlencode(),
            "status_colors": STATUS_COLORS,
            "export_urls": export_links(request, plan),
        },
    )


@login_required
def unit_detail(request: HttpRequest, year: int, unit_slug: str) -> HttpResponse:
    plan = access.plan_for_dashboards(request.user, year)
    unit = access.unit_for_dashboards(request.user, plan, unit_slug)
    _filterset, _data, period, as_of, include_submitted = dashboard_settings(request, plan)
    board = attainment(plan, as_of=as_of, include_submitted=include_submitted, for_unit=unit)
    own_targets = board.by_unit.get(unit.pk, [])
    contributions = board.unit_contributions(unit)
    summary = task_summary(plan, include_submitted=include_submitted, as_of=as_of)
    return render(
        request,
        "dashboards/unit.html",
        {
            "plan": plan,
            "unit": unit,
            "own_targets": own_targets,
            "contributions": contributions,
            "tasks": dict(summary.by_unit).get(unit),
            "as_of": as_of,
            "period": period,
            "include_submitted": include_submitted,
            "query": request.GET.urlencode(),
            "status_colors": STATUS_COLORS,
            "export_urls": export_links(request, plan),
        },
    )


def export_links(request: HttpRequest, plan: Plan) -> list[tuple[str, str]]:
    """The dashboard's downloads, carrying its filters; the report only for Phòng Kinh tế."""
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    links = [(reverse("dashboards:export_xlsx", args=[plan.year]) + query, _("Tải Excel"))]
    if access.may_download_province_report(request.user):
        links.append(
            (
                reverse("dashboards:province_docx", args=[plan.year]) + query,
                _("Báo cáo gửi tỉnh (.docx)"),
            )
        )
    return links


def export_scope(request: HttpRequest, plan: Plan) -> ExportScope:
    """The dashboard's own filters, read the dashboard's way, so the file matches the page."""
    _filterset, data, period, as_of, include_submitted = dashboard_settings(request, plan)
    return ExportScope(
        plan=plan,
        as_of=as_of,
        today=timezone.localdate(),
        period=period,
        include_submitted=include_submitted,
        sector=data.get("linh_vuc") or "",
        status=data.get("trang_thai") or "",
    )


@login_required
def export_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_dashboards(request.user, year)
    if goes_through_queue(plan):  # too large for a request: made by the task queue
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("dashboards:export_request", args=[plan.year]) + query)
    # Files are Vietnamese whatever language the person downloading reads (README).
    with translation.override(settings.LANGUAGE_CODE):
        data = dashboard_export(export_scope(request, plan))
        return file_response(dashboard_workbook(data), workbook_filename(data), XLSX)


@login_required
def province_docx(request: HttpRequest, year: int) -> HttpResponse:
    """The report to the province, for the period in ?ky= (the latest ended one if none)."""
    plan = access.plan_for_province_report(request.user, year)
    scope = export_scope(request, plan)
    if scope.period is None:
        period = report_period(plan, scope.as_of)
        scope = dataclasses.replace(scope, period=period, as_of=period.ends_on)
    # An official document to the province: Vietnamese whatever language the user reads.
    with translation.override(settings.LANGUAGE_CODE):
        report = province_report(scope)
        return file_response(province_report_document(report), document_filename(report), DOCX)


# --- The workbook made by the task queue (dashboards/exports.py) ------------------------


def _person(request: HttpRequest) -> User:
    """The logged-in person (every view below is behind login_required)."""
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def export_request(request: HttpRequest, year: int) -> HttpResponse:
    """What the file will hold and a button to have it made; POST queues it and opens its
    page. The person's earlier requests for this plan are listed below."""
    plan = access.plan_for_dashboards(request.user, year)
    scope = export_scope(request, plan)
    if request.method == "POST":
        export = export_queue(user=_person(request), scope=scope)
        return redirect("dashboards:export_status", pk=export.pk)
    earlier = ExportRequest.objects.filter(requested_by=_person(request), plan=plan).select_related(
        "plan"
    )[:10]
    return render(
        request,
        "dashboards/export_request.html",
        {
            "plan": plan,
            "scope": scope,
            "size": export_size(plan),
            "queued": goes_through_queue(plan),
            "keep_hours": settings.EXPORT_KEEP_HOURS,
            "query": request.GET.urlencode(),
            "earlier": [(e, is_expired(e)) for e in earlier],
        },
    )


def _export_for(request: HttpRequest, pk: int) -> ExportRequest:
    export = access.export_for_user(
        request.user, ExportRequest.objects.select_related("plan__unit"), pk
    )
    assert isinstance(export, ExportRequest)
    return export_refresh(export)


def _state_text(export: ExportRequest) -> str:
    """One sentence for the page and the script that keeps it up to date."""
    if export.state == ExportRequest.State.QUEUED:
        return _("Đang chờ xử lý: yêu cầu đã vào hàng đợi, tệp sẽ được tạo trong giây lát.")
    if export.state == ExportRequest.State.RUNNING:
        return _("Đang tạo tệp: đã xong %(done)s/%(total)s bước (%(percent)s%%).") % {
            "done": export.progress_done,
            "total": export.progress_total or "?",
            "percent": export.percent,
        }
    if is_expired(export):
        return _("Tệp đã được xoá sau thời gian giữ; hãy tạo lại nếu cần.")
    if export.state == ExportRequest.State.DONE:
        return _("Tệp đã sẵn sàng để tải về.")
    return _("Không tạo được tệp.")


@login_required
@require_http_methods(["GET", "POST"])
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the request stands; a small script (CSP: the site's own file) asks the JSON
    beside it every few seconds, and without JavaScript the "Cập nhật" link reloads it.
    POST asks for the same file again (after a failure or once it has been removed)."""
    export = _export_for(request, pk)
    if request.method == "POST":
        scope = scope_from_parameters(export.plan, export.parameters)
        again = export_queue(user=_person(request), scope=scope)
        return redirect("dashboards:export_status", pk=again.pk)
    scope = scope_from_parameters(export.plan, export.parameters)
    return render(
        request,
        "dashboards/export_status.html",
        {
            "plan": export.plan,
            "export": export,
            "scope": scope,
            "expired": is_expired(export),
            "state_text": _state_text(export),
            # The stored message is the Vietnamese msgid: shown in the reader's language.
            "error": _(export.error) if export.error else "",
        },
    )


@login_required
def export_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    export = _export_for(request, pk)
    response = JsonResponse(
        {
            "state": export.state,
            "finished": export.finished,
            "done": export.progress_done,
            "total": export.progress_total,
            "percent": export.percent,
            "text": _state_text(export),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The file while it is kept; otherwise back to the request's page, which says why."""
    export = _export_for(request, pk)
    ready = export.state == ExportRequest.State.DONE and not is_expired(export)
    if not ready or not export.file or not export.file.storage.exists(export.file.name):
        return redirect("dashboards:export_status", pk=export.pk)
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.file_name, content_type=XLSX
    )
    response["Cache-Control"] = "private, no-store"
    return response

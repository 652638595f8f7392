import dataclasses
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
from .filters import DashboardFilter
from .judging import Status
from .province_report import document_filename, province_report_document

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

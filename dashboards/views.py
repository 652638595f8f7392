import dataclasses
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from common.downloads import DOCX, XLSX, file_response
from plans.models import AdministrativeUnit, Plan
from plans.selectors import (
    grassroots_census,
    grassroots_units,
    ocop_register,
    subareas_of,
    successors_on,
)
from reporting.models import Indicator, Report, ReportingPeriod
from reporting.states import completeness_conditions

from . import charts
from .across_years import indicator_across_years
from .activity import (
    completeness_counts,
    progress_series,
    reporting_completeness,
    task_summary,
)
from .board import attainment, default_as_of
from .excel import dashboard_workbook, workbook_filename
from .export_data import ExportScope, dashboard_export, province_report, report_period
from .exports import (
    export_size,
    goes_through_queue,
    is_expired,
    is_waiting_long,
    scope_from_parameters,
)
from .filters import DashboardFilter
from .judging import Status
from .models import ExportRequest
from .province_report import document_filename, province_report_document
from .tasks import export_queue, export_refresh
from .today_map import applies, today_map, wants_today_map

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


# A plan with more units than this, or one whose area holds provinces, shows counts and
# one row per area instead of naming every unit (the city plan's 7 communes are named).
NAMED_UNITS_AT_MOST = 30
# At most this many line charts on the page once a plan has more indicators than that:
# each is about 2 KB; the rest are on each indicator's page.
CHARTS_AT_MOST = 4


def dashboard_area(request: HttpRequest, plan: Plan) -> AdministrativeUnit:
    """The area the dashboard is drilled down to (?khu_vuc=<slug>): the plan's own by
    default, or an area under it that holds communes; 404 for anything else."""
    slug = request.GET.get("khu_vuc")
    if not slug or slug == plan.unit.slug:
        return plan.unit
    area = (
        AdministrativeUnit.objects.below(plan.unit)
        .exclude(kind__in=AdministrativeUnit.GRASSROOTS)
        .filter(slug=slug)
        .first()
    )
    if area is None:
        raise Http404
    return area


@login_required
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Target against actual for the plan's area. A city's plan names its communes; a
    province's or the nation's shows counts, one row per province with a drill-down
    (?khu_vuc=) to it and then its communes, so the page stays the same size and the
    same number of queries whatever the number of units."""
    plan = access.plan_for_dashboards(request.user, year)
    filterset, data, period, as_of, include_submitted = dashboard_settings(request, plan)
    area = dashboard_area(request, plan)
    census = grassroots_census(plan)
    subareas, communes = subareas_of(plan, area, census)
    in_area = grassroots_units(plan)
    if area.pk != plan.unit_id:
        in_area = in_area.filter(path__startswith=f"{area.path}/")
    named = area.pk == plan.unit_id and not subareas and communes <= NAMED_UNITS_AT_MOST
    if named:
        board = attainment(plan, as_of=as_of, include_submitted=include_submitted)
        shown_items = board.city
    else:
        board = attainment(
            plan, as_of=as_of, include_submitted=include_submitted, area=area, census=census
        )
        shown_items = board.city if area.pk == plan.unit_id else board.by_unit.get(area.pk, [])
    status = data.get("trang_thai")
    # The summary cards count what the other filters leave (period, sector), so the card
    # of the chosen status counts exactly the rows of the table.
    in_scope = list(shown_items)
    # The sector is the only filter on the indicators themselves (read as the filter set
    # reads it: a valid sector filters even beside an invalid period).
    if getattr(filterset.form, "cleaned_data", {}).get("linh_vuc"):
        shown_indicators = set(filterset.qs.values_list("pk", flat=True))
        in_scope = [item for item in shown_items if item.indicator.pk in shown_indicators]
    counts = dict.fromkeys(Status.ORDER, 0)
    for item in in_scope:
        counts[item.status] += 1
    items = [item for item in in_scope if not status or item.status == status]
    every_period = list(filterset.filters["ky"].queryset)
    filterset.offer_periods(every_period)
    periods = [p for p in every_period if p.ends_on <= as_of]
    quarterly = [p for p in periods if p.kind == "quy"] or periods[-4:]
    charted = items
    if len(items) > CHARTS_AT_MOST:
        # Those that need attention first; every other chart is on its indicator's page.
        attention = [i for i in items if i.status in (Status.BEHIND, Status.AT_RISK)]
        charted = (attention or items)[:CHARTS_AT_MOST]
    # Only the charts drawn: a national plan has 100 indicators and draws 4.
    series = progress_series(
        plan,
        quarterly,
        include_submitted=include_submitted,
        area=area,
        behaviours={item.indicator.pk: item.indicator.behaviour for item in charted},
    )
    for item in items:
        item.color = STATUS_COLORS[item.status]
    for item in charted:
        item.chart = (
            charts.line_chart(series.get(item.indicator.pk, []), item.target.value)
            if quarterly
            else None
        )
    shown_periods = quarterly or periods[-3:]
    today = timezone.localdate()
    # A city's plan whose communes have since ended can be read on today's map.
    map_switch = named and applies(board, today)
    mapped = today_map(board, today) if map_switch and wants_today_map(request) else None
    tasks = task_summary(plan, include_submitted=include_submitted, as_of=as_of)
    if named:
        # The communes the board has read, all right under the plan's area, in its order.
        units = [u for u in board.units if u.pk != plan.unit_id]
        completeness: list = reporting_completeness(plan, shown_periods, today, units)
        area_rows: list = []
    else:
        completeness, area_rows = completeness_counts(plan, shown_periods, area, subareas, census)
        units = [] if subareas else list(in_area.only("pk", "name", "slug"))
        under = f"{area.path}/"
        tasks.by_unit = (
            []
            if subareas
            else [
                (u, c)
                for u, c in tasks.by_unit
                if area.pk == plan.unit_id or u.path.startswith(under)
            ]
        )
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "plan": plan,
            "board": board,
            "area": area,
            "is_plan_area": area.pk == plan.unit_id,
            "named": named,
            "area_rows": area_rows,
            "units": units,
            "items": items,
            "charted": charted,
            "charts_left_out": len(items) - len(charted),
            "filter": filterset,
            "period": period,
            "as_of": as_of,
            "include_submitted": include_submitted,
            "counts": counts,
            "counted": len(in_scope),
            "total_items": len(shown_items),
            "card_query": _without(request, "trang_thai"),
            "status_labels": Status.LABELS,
            "status_colors": STATUS_COLORS,
            "completeness": completeness,
            "tasks": tasks,
            # As of the period shown, as the workbook's OCOP sheet; the target is the plan's.
            "ocop": ocop_register(plan, as_of),
            "ocop_target": board.ocop.target.value if board.ocop else None,
            "query": request.GET.urlencode(),
            "export_urls": export_links(request, plan),
            "map_switch": map_switch,
            "today_map": mapped,
            "today_indicators": [item.indicator.pk for item in items],
            "today_tasks": mapped.regroup_counts(tasks.by_unit) if mapped else [],
            "today": today,
        },
    )


MISSING_PER_PAGE = 100


@login_required
def missing_reports(request: HttpRequest, year: int, period_code: str) -> HttpResponse:
    """The units that have not reported a period (in the area of ?khu_vuc=): what the
    dashboard counts as "Chưa nộp", one click away, 100 a page."""
    plan = access.plan_for_dashboards(request.user, year)
    period = plan.periods.filter(code=period_code).first()
    if period is None:
        raise Http404
    area = dashboard_area(request, plan)
    units = grassroots_units(plan).select_related("parent")
    if area.pk != plan.unit_id:
        units = units.filter(path__startswith=f"{area.path}/")
    # Neither on time, late nor sent back: ReportState's "Chưa nộp" (reporting.states).
    seen = Q()
    for condition in completeness_conditions().values():
        seen |= condition
    sent = Report.objects.filter(period=period).filter(seen)
    missing = units.exclude(pk__in=sent.values("unit_id"))
    page = Paginator(missing, MISSING_PER_PAGE).get_page(request.GET.get("trang"))
    return render(
        request,
        "dashboards/missing.html",
        {
            "plan": plan,
            "period": period,
            "area": area,
            "is_plan_area": area.pk == plan.unit_id,
            "page": page,
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
    today = timezone.localdate()
    map_switch = applies(board, today)
    mapped = today_map(board, today) if map_switch and wants_today_map(request) else None
    if mapped is None:
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
        today_rows = []
    else:
        today_rows = [(row, row.figure(item.indicator.pk)) for row in mapped.rows]
        plan_row = values.get(plan.unit_id)
        bars = charts.bar_chart(
            ([(_("Phòng Kinh tế"), plan_row.value, "#6c757d")] if plan_row else [])
            + [
                (
                    str(row.unit),
                    figure.actual if figure else None,
                    STATUS_COLORS[figure.status]
                    if figure and figure.target is not None
                    else "#6c757d",
                )
                for row, figure in today_rows
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
            "map_switch": map_switch,
            "today_map": mapped,
            "today_rows": today_rows,
            "plan_contribution": values.get(plan.unit_id),
            "today": today,
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
    today = timezone.localdate()
    # On today's map the page says which units stand for this one now.
    now_in = successors_on([unit], today)[unit.pk] if wants_today_map(request) else None
    return render(
        request,
        "dashboards/unit.html",
        {
            "now_in": now_in,
            "today": today,
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


@login_required
def successor_detail(request: HttpRequest, year: int, unit_slug: str) -> HttpResponse:
    """A unit of today's map (Phường Tân Phong) for a past plan: each indicator summed
    from the old units it was formed from, each sum with the old units and figures behind
    it, and links to each old unit's own page and reports (dashboards/today_map.py)."""
    plan = access.plan_for_dashboards(request.user, year)
    _filterset, _data, period, as_of, include_submitted = dashboard_settings(request, plan)
    board = attainment(plan, as_of=as_of, include_submitted=include_submitted)
    today = timezone.localdate()
    row = today_map(board, today).row_for(unit_slug) if applies(board, today) else None
    if row is None or not row.is_successor:
        raise Http404
    return render(
        request,
        "dashboards/successor.html",
        {
            "plan": plan,
            "row": row,
            "figures": [row.figures[pk] for pk in row.figures],
            "as_of": as_of,
            "period": period,
            "include_submitted": include_submitted,
            "query": request.GET.urlencode(),
            "status_colors": STATUS_COLORS,
            "export_urls": export_links(request, plan),
            "today": today,
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
        on_today_map=wants_today_map(request),
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
    # The report to the province speaks of the plan's own units, whatever the page showed.
    scope = dataclasses.replace(export_scope(request, plan), on_today_map=False)
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
    if is_waiting_long(export):
        return _(
            "Đang chờ xử lý: yêu cầu đã chờ lâu mà bộ xử lý nền chưa nhận. Tệp sẽ được tạo khi "
            "bộ xử lý nền chạy; nếu chờ mãi, báo cho quản trị hệ thống."
        )
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

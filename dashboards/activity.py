"""Activity behind the figures: who reported on time, where the plan's tasks stand, and
how each indicator's actual grew period by period.

Each function runs a fixed number of queries whatever the number of units, tasks and
periods. Which reports count and a task's latest status are reporting's rules
(Report.Status, reporting.tasks), so the dashboard and the files say the same.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from plans.models import AdministrativeUnit, Body, Plan
from plans.selectors import grassroots_units
from reporting.models import AreaTotal, Indicator, Report, ReportingPeriod, Target, TaskProgress
from reporting.tasks import latest_task_progress
from reporting.totals import is_kept

from .board import FigureRow, counted_figures, unit_value


@dataclass
class Completeness:
    period: ReportingPeriod
    on_time: list[AdministrativeUnit]
    late: list[AdministrativeUnit]
    missing: list[AdministrativeUnit]


def reporting_completeness(
    plan: Plan, periods: Sequence[ReportingPeriod], today: date
) -> list[Completeness]:
    """For each period: units that reported on time, late, or not at all (a report sent
    in counts as reported, approved or not: Report.Status.reported)."""
    units = list(grassroots_units(plan))
    sent = {
        (r.unit_id, r.period_id): r
        for r in Report.objects.reported()
        .filter(period__in=periods, unit__in=units)
        .only("unit_id", "period_id", "submitted_late")
    }
    result = []
    for period in periods:
        row = Completeness(period=period, on_time=[], late=[], missing=[])
        for unit in units:
            report = sent.get((unit.pk, period.pk))
            if report is None:
                row.missing.append(unit)
            elif report.submitted_late:
                row.late.append(unit)
            else:
                row.on_time.append(unit)
        result.append(row)
    return result


@dataclass
class TaskSummary:
    by_status: dict[str, int]
    by_body: list[tuple[Body, dict[str, int]]]
    by_unit: list[tuple[AdministrativeUnit, dict[str, int]]]
    total: int


def task_summary(
    plan: Plan, *, include_submitted: bool = False, as_of: date | None = None
) -> TaskSummary:
    """The latest reported status of each task, for each unit that reports it, by the
    rule the exports follow too (reporting.tasks).

    With `as_of`, reports of periods ending later are left out, as the exports do, so a
    dashboard for the first six months counts what was known then.
    """
    latest = latest_task_progress(
        plan, include_submitted=include_submitted, as_of=as_of, narratives=False
    )
    tasks = list(plan.tasks.prefetch_related("bodies"))
    # Only the units that reported on a task: a unit's page costs the same in the country.
    reporting = {unit_id for _task_id, unit_id in latest}
    units = {u.pk: u for u in grassroots_units(plan).filter(pk__in=reporting)}
    choices = [c for c, _label in TaskProgress.Status.choices]
    by_status = dict.fromkeys(choices, 0)
    by_body: dict[Body, dict[str, int]] = {}
    by_unit: dict[AdministrativeUnit, dict[str, int]] = {}
    reported: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for (task_id, unit_id), progress in latest.items():
        reported[task_id].append((unit_id, progress.status))
    for task in tasks:
        entries = reported.get(task.pk) or [(None, TaskProgress.Status.NOT_STARTED)]
        for reporter, status in entries:
            by_status[status] += 1
            for body in task.bodies.all():
                by_body.setdefault(body, dict.fromkeys(choices, 0))[status] += 1
            if reporter in units:
                by_unit.setdefault(units[reporter], dict.fromkeys(choices, 0))[status] += 1
    return TaskSummary(
        by_status=by_status,
        by_body=sorted(by_body.items(), key=lambda kv: kv[0].position),
        by_unit=sorted(by_unit.items(), key=lambda kv: kv[0].position),
        total=sum(by_status.values()),
    )


Series = list[tuple[ReportingPeriod, Decimal | None]]


def progress_series(
    plan: Plan, chosen: Iterable[ReportingPeriod], *, include_submitted: bool = False
) -> dict[int, Series]:
    """For each indicator, the city's actual at the end of each period (one query)."""
    periods = list(chosen)
    if not periods:
        return {}
    behaviours = dict(
        Target.objects.filter(plan=plan).values_list("indicator_id", "indicator__behaviour")
    )
    if is_kept(plan):
        kept = {
            (indicator_id, cutoff): value
            for indicator_id, cutoff, value in AreaTotal.objects.filter(
                plan=plan,
                area=plan.unit_id,
                include_submitted=include_submitted,
                cutoff__in={p.ends_on for p in periods},
                units__gt=0,
            ).values_list("indicator_id", "cutoff", "value")
        }
        return {
            indicator_id: [(p, kept.get((indicator_id, p.ends_on))) for p in periods]
            for indicator_id in behaviours
        }
    grouped: dict[int, list[FigureRow]] = defaultdict(list)
    for row in counted_figures(plan, max(p.ends_on for p in periods), include_submitted):
        grouped[row.indicator_id].append(row)
    series: dict[int, Series] = {}
    for indicator_id, behaviour in behaviours.items():
        is_flow = behaviour == Indicator.Behaviour.FLOW
        rows = grouped.get(indicator_id, [])
        points: Series = []
        for period in periods:
            upto: dict[int, list[FigureRow]] = defaultdict(list)
            for row in rows:
                if row.ends_on <= period.ends_on:
                    upto[row.unit_id].append(row)
            total = None
            if upto:
                total = sum((unit_value(r, is_flow)[0] for r in upto.values()), Decimal(0))
            points.append((period, total))
        series[indicator_id] = points
    return series

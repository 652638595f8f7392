"""Activity behind the figures: who reported on time, where the plan's tasks stand, and
how each indicator's actual grew period by period.

Each function runs a fixed number of queries whatever the number of units, tasks and
periods. Which reports count and a task's latest status are reporting's rules
(Report.Status, reporting.tasks), so the dashboard and the files say the same.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count

from plans.models import AdministrativeUnit, Body, Plan
from plans.selectors import (
    GrassrootsCensus,
    grassroots_census,
    grassroots_units,
    in_plan_grassroots,
)
from reporting.models import (
    AreaTotal,
    Indicator,
    Report,
    ReportingPeriod,
    Target,
    TaskProgress,
)
from reporting.states import ReportState, completeness_conditions, report_states
from reporting.tasks import latest_task_progress
from reporting.totals import is_kept

from .board import FigureRow, counted_figures, unit_value


@dataclass
class Completeness:
    period: ReportingPeriod
    on_time: list[AdministrativeUnit]
    late: list[AdministrativeUnit]
    missing: list[AdministrativeUnit]
    # Returned or reopened: sent in once, now waiting for the unit's fix.
    sent_back: list[AdministrativeUnit] = field(default_factory=list)
    # unit id -> the unit's ReportState for the period, as every other list shows it.
    states: dict[int, ReportState] = field(default_factory=dict)

    @property
    def sent_back_states(self) -> list[ReportState]:
        return [self.states[unit.pk] for unit in self.sent_back]


def reporting_completeness(
    plan: Plan,
    periods: Sequence[ReportingPeriod],
    today: date,
    units: Sequence[AdministrativeUnit] | None = None,
) -> list[Completeness]:
    """For each period: units that reported on time, late, were sent back for a fix, or
    have not reported, by the one definition of each state (reporting.states): a report
    sent in counts as reported, approved or not; a returned or reopened one is neither
    reported nor missing. `units`: the plan's communes and wards in their order, if the
    caller has read them already."""
    units = list(grassroots_units(plan)) if units is None else list(units)
    periods = list(periods)
    states = report_states(units, periods, today)
    result = []
    for period in periods:
        row = Completeness(period=period, on_time=[], late=[], missing=[])
        buckets = {
            ReportState.ON_TIME: row.on_time,
            ReportState.LATE: row.late,
            ReportState.SENT_BACK: row.sent_back,
            ReportState.MISSING: row.missing,
        }
        for unit in units:
            state = states[(unit.pk, period.pk)]
            row.states[unit.pk] = state
            buckets[state.completeness].append(unit)
        result.append(row)
    return result


@dataclass
class CompletenessCounts:
    """How many units reported a period on time, late, were sent back, or have not
    reported: the counts of `Completeness`, without a unit or a report read into Python."""

    period: ReportingPeriod
    units: int = 0
    on_time: int = 0
    late: int = 0
    sent_back: int = 0

    @property
    def missing(self) -> int:
        return self.units - self.on_time - self.late - self.sent_back

    def add(self, other: "CompletenessCounts") -> None:
        self.units += other.units
        self.on_time += other.on_time
        self.late += other.late
        self.sent_back += other.sent_back


@dataclass
class AreaCompleteness:
    """One area under the dashboard's (a province under the nation): its reporting units
    and, for each period, its counts."""

    area: AdministrativeUnit
    units: int
    periods: list[CompletenessCounts]

    @property
    def latest(self) -> CompletenessCounts | None:
        return self.periods[-1] if self.periods else None


def completeness_counts(
    plan: Plan,
    periods: Sequence[ReportingPeriod],
    area: AdministrativeUnit,
    subareas: Sequence[AdministrativeUnit] = (),
    census: GrassrootsCensus | None = None,
) -> tuple[list[CompletenessCounts], list[AreaCompleteness]]:
    """The completeness of `area` for each period, and of each of `subareas` (areas right
    under it), counted by the database whatever the number of units: the reports in one
    query, the units from the plan's census (`grassroots_census`, one query unless the
    caller has it).

    The classes are ReportState.completeness's (reporting.states): a report sent back
    (returned or reopened) is neither reported nor missing; a submitted or approved one
    is late if it was sent after the deadline, else on time; anything else is missing.
    """
    periods = list(periods)
    census = grassroots_census(plan) if census is None else census
    # The reports of the plan's units in the area, each unit joined once for its parent.
    reports = Report.objects.filter(period__in=periods).filter(
        in_plan_grassroots(plan, "unit__", "unit_id")
    )
    if area.pk != plan.unit_id:
        reports = reports.filter(unit__path__startswith=f"{area.path}/")
    # Units are counted by their parent, then each parent credited to the subarea holding
    # it, so a province with districts counts the same as one without.
    per_parent = census.by_parent if area.pk == plan.unit_id else census.under(area)
    classes = completeness_conditions()
    rows = (
        reports.order_by()
        .values("period_id", "unit__parent_id")
        .annotate(
            on_time=Count("pk", filter=classes[ReportState.ON_TIME]),
            late=Count("pk", filter=classes[ReportState.LATE]),
            sent_back=Count("pk", filter=classes[ReportState.SENT_BACK]),
        )
    )

    def holder(parent_id: int) -> int | None:
        path = per_parent[parent_id][0]
        for sub in subareas:
            if path == sub.path or path.startswith(f"{sub.path}/"):
                return sub.pk
        return None

    holders = {parent_id: holder(parent_id) for parent_id in per_parent}
    sub_units = dict.fromkeys((sub.pk for sub in subareas), 0)
    for parent_id, (_path, count) in per_parent.items():
        sub_id = holders[parent_id]
        if sub_id is not None:
            sub_units[sub_id] += count
    everyone = sum(count for _path, count in per_parent.values())
    total = {p.pk: CompletenessCounts(period=p, units=everyone) for p in periods}
    by_sub = {
        sub.pk: {p.pk: CompletenessCounts(period=p, units=sub_units[sub.pk]) for p in periods}
        for sub in subareas
    }
    for row in rows:
        counts = CompletenessCounts(
            period=total[row["period_id"]].period,
            on_time=row["on_time"],
            late=row["late"],
            sent_back=row["sent_back"],
        )
        total[row["period_id"]].add(counts)
        sub_id = holders.get(row["unit__parent_id"])
        if sub_id is not None:
            by_sub[sub_id][row["period_id"]].add(counts)
    return (
        [total[p.pk] for p in periods],
        [
            AreaCompleteness(
                area=sub,
                units=sub_units[sub.pk],
                periods=[by_sub[sub.pk][p.pk] for p in periods],
            )
            for sub in subareas
        ],
    )


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
    units = {u.pk: u for u in grassroots_units(plan).filter(pk__in=reporting)} if reporting else {}
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
    plan: Plan,
    chosen: Iterable[ReportingPeriod],
    *,
    include_submitted: bool = False,
    area: AdministrativeUnit | None = None,
    behaviours: dict[int, str] | None = None,
) -> dict[int, Series]:
    """For each indicator, the actual of the plan's area (or of `area`, one under it) at
    the end of each period (one query; one more to find the plan's indicators unless the
    caller names those it draws, with their behaviour, in `behaviours`)."""
    area = area or plan.unit
    periods = list(chosen)
    if not periods:
        return {}
    if behaviours is None:
        behaviours = dict(
            Target.objects.filter(plan=plan)
            .order_by()
            .values_list("indicator_id", "indicator__behaviour")
            .distinct()
        )
    if is_kept(plan):
        counted_value, counted_units = AreaTotal.reading(include_submitted)
        kept = {
            (indicator_id, cutoff): value
            for indicator_id, cutoff, value in AreaTotal.objects.filter(
                plan=plan,
                area=area.pk,
                cutoff__in={p.ends_on for p in periods},
                **{f"{counted_units}__gt": 0},
                indicator__in=list(behaviours),
            ).values_list("indicator_id", "cutoff", counted_value)
        }
        return {
            indicator_id: [(p, kept.get((indicator_id, p.ends_on))) for p in periods]
            for indicator_id in behaviours
        }
    grouped: dict[int, list[FigureRow]] = defaultdict(list)
    for row in counted_figures(
        plan,
        max(p.ends_on for p in periods),
        include_submitted,
        area=area,
        indicator_ids=list(behaviours),
    ):
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

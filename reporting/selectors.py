"""Reads for progress reports: what a unit reports on, and what it has reported.

Each function runs a fixed number of queries whatever the number of indicators,
tasks, units or periods.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from common.numbers import format_number
from plans.models import AdministrativeUnit, InfrastructureWork, Plan, Task
from plans.selectors import GrassrootsCensus, grassroots_units

from .models import (
    FigureComment,
    FigureFlag,
    Indicator,
    Report,
    ReportChange,
    ReportEvent,
    ReportFigure,
    ReportingPeriod,
    Sector,
    Target,
    TaskProgress,
    WorkProgress,
)
from .states import ReportState, report_states
from .values import PeriodFigure, value_to_date


@dataclass
class IndicatorLine:
    indicator: Indicator
    unit_target: Target | None = None
    city_target: Target | None = None
    value: Decimal | None = None
    cumulative: Decimal | None = None

    @property
    def is_flow(self) -> bool:
        return self.indicator.behaviour == Indicator.Behaviour.FLOW

    @property
    def plausible_limit(self) -> Decimal | None:
        """Above this a figure is surely a typing or unit mistake, not a good harvest."""
        if self.unit_target is not None and self.unit_target.value > 0:
            return self.unit_target.value * 3
        if self.city_target is not None and self.city_target.value > 0:
            return self.city_target.value * 2
        return None

    def implausible(self, value: Decimal | None) -> str | None:
        """The message for a figure too far above the target, the same in form and file."""
        limit = self.plausible_limit
        if value is None or limit is None or value <= limit:
            return None
        target = self.unit_target or self.city_target
        assert target is not None  # a limit comes from a target
        return _(
            "%(value)s %(uom)s vượt xa chỉ tiêu (%(target)s %(uom)s). "
            "Kiểm tra lại số và đơn vị tính."
        ) % {
            "value": format_number(value),
            "uom": self.indicator.unit_of_measure,
            "target": format_number(target.value),
        }


@dataclass
class ReportScope:
    plan: Plan
    unit: AdministrativeUnit
    lines: list[IndicatorLine]
    tasks: list[Task]
    works: list[InfrastructureWork] = field(default_factory=list)

    @property
    def is_city(self) -> bool:
        return self.unit.pk == self.plan.unit_id


_TARGET_COLUMNS = [field.attname for field in Target._meta.concrete_fields]
_INDICATOR_COLUMNS = [field.attname for field in Indicator._meta.concrete_fields]
_TARGET_ID, _TARGET_UNIT, _TARGET_INDICATOR = (
    _TARGET_COLUMNS.index(column) for column in ("id", "unit_id", "indicator_id")
)
_INDICATOR_SECTOR = len(_TARGET_COLUMNS) + _INDICATOR_COLUMNS.index("sector")
_TARGET_INDICATOR_FIELD = Target._meta.get_field("indicator")
_TARGET_UNIT_FIELD = Target._meta.get_field("unit")


class _TargetRow:
    """A target as report_scope reads it: its columns, its indicator's, its unit's path
    and kind; the Target and Indicator objects are made only for the lines."""

    def __init__(self, row: tuple, db: str) -> None:
        self.row, self.db = row, db
        self.pk, self.unit_id = row[_TARGET_ID], row[_TARGET_UNIT]
        self.indicator_id, self.sector = row[_TARGET_INDICATOR], row[_INDICATOR_SECTOR]
        self.unit_path, self.unit_kind, self.names_units = row[-3:]

    def indicator(self) -> Indicator:
        start = len(_TARGET_COLUMNS)
        values = self.row[start : start + len(_INDICATOR_COLUMNS)]
        return Indicator.from_db(self.db, _INDICATOR_COLUMNS, values)

    def target(self, indicator: Indicator, unit: AdministrativeUnit) -> Target:
        target = Target.from_db(self.db, _TARGET_COLUMNS, self.row[: len(_TARGET_COLUMNS)])
        # Its indicator and unit held as if read with it (no query if asked for), without
        # the checks of assigning a relation: they are the rows its ids name.
        _TARGET_INDICATOR_FIELD.set_cached_value(target, indicator)
        _TARGET_UNIT_FIELD.set_cached_value(target, unit)
        return target


def period_for_plan(plan: Plan, period_code: str) -> ReportingPeriod:
    """The period behind a report URL, or 404."""
    return get_object_or_404(ReportingPeriod, plan=plan, code=period_code)


def report_scope(plan: Plan, unit: AdministrativeUnit) -> ReportScope:
    """What a unit reports on.

    A commune or ward reports every indicator it has a target for, or that a city target
    names it for, or that a city target leaves open to every unit; infrastructure with no
    unit named is the city's own work. The city-wide report holds that infrastructure,
    the works, and the tasks and duties no unit is named for.
    """
    is_city = unit.pk == plan.unit_id
    # Only the targets of the unit, of the areas above it and those split over communes
    # concern it: a commune's form costs the same in a city as in the whole country.
    parts = unit.path.split("/")
    above = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
    grassroots = AdministrativeUnit.GRASSROOTS
    # Read as rows, not as a Target, an Indicator and a unit each (at national size the
    # commune's form has two hundred targets above it): the model objects are made only
    # for the targets and indicators the form shows.
    # The units as subqueries, not conditions on the joined unit: a commune is "not one of
    # the few units above communes", so the database does not hash every commune of the
    # country to find the targets of three units.
    units = AdministrativeUnit.objects.values("pk")
    rows = (
        Target.objects.filter(plan=plan)
        .filter(
            Q(unit__in=units.filter(path__in=above))
            | Q(unit=plan.unit_id)
            | ~Q(unit__in=units.exclude(kind__in=grassroots))
        )
        .annotate(
            names_units=Exists(Target.named_units.through.objects.filter(target=OuterRef("pk")))
        )
        .order_by("position")
        .values_list(
            *_TARGET_COLUMNS,
            *(f"indicator__{column}" for column in _INDICATOR_COLUMNS),
            "unit__path",
            "unit__kind",
            "names_units",
        )
    )
    targets = [_TargetRow(row, rows.db) for row in rows]
    # Most targets name no unit: only the lists of those that do are read.
    naming = [target.pk for target in targets if target.names_units]
    named_by: dict[int, set[int]] = defaultdict(set)
    if naming:
        through = Target.named_units.through.objects.filter(target_id__in=naming)
        for target_id, named_id in through.values_list("target_id", "administrativeunit_id"):
            named_by[target_id].add(named_id)
    # Where the plan splits a target over communes (rice area), only those with a share report it.
    split = {target.indicator_id for target in targets if target.unit_kind in grassroots}
    lines: dict[int, IndicatorLine] = {}
    for target in targets:
        named = named_by.get(target.pk, set())
        over_unit = target.unit_id != unit.pk and (
            unit.path.startswith(f"{target.unit_path}/") or target.unit_id == plan.unit_id
        )
        if target.unit_id == unit.pk:
            concerns = not is_city or (not named and target.sector == Sector.INFRASTRUCTURE)
        elif is_city or not over_unit:
            concerns = False
        else:
            concerns = unit.pk in named or (
                not named
                and target.indicator_id not in split
                and target.sector != Sector.INFRASTRUCTURE
            )
        if concerns and target.indicator_id not in lines:
            lines[target.indicator_id] = IndicatorLine(indicator=target.indicator())
    for target in targets:
        line = lines.get(target.indicator_id)
        if line is None:
            continue
        if target.unit_id == plan.unit_id:
            line.city_target = target.target(line.indicator, plan.unit)
        elif target.unit_id == unit.pk:
            line.unit_target = target.target(line.indicator, unit)

    tasks = plan.tasks.select_related("section").order_by("position")
    if is_city:
        tasks = tasks.filter(units=None).exclude(bodies__units__isnull=False)
        works = list(plan.works.select_related("policy__document").order_by("position"))
    else:
        tasks = tasks.filter(Q(units=unit) | Q(bodies__units=unit))
        works = []
    return ReportScope(
        plan=plan,
        unit=unit,
        lines=sorted(lines.values(), key=lambda line: line.indicator.position),
        tasks=list(tasks.distinct()),
        works=works,
    )


@dataclass
class ReportContents:
    scope: ReportScope
    period: ReportingPeriod
    report: Report | None
    task_progress: dict[int, TaskProgress]
    work_progress: dict[int, WorkProgress]
    events: list[ReportEvent]
    # Indicator id → its flags (data-quality warning, follow-up mark) and its comments.
    flags: dict[int, list[FigureFlag]] = field(default_factory=dict)
    comments: dict[int, list[FigureComment]] = field(default_factory=dict)

    @property
    def flagged_lines(self) -> list[IndicatorLine]:
        """The figures needing attention (an open flag) or discussed, first on the page."""
        return [line for line, _flags, _comments in self.flagged]

    @cached_property
    def flagged(self) -> list[tuple[IndicatorLine, list[FigureFlag], list[FigureComment]]]:
        """The flagged or discussed figures, each with its open flags and its comments."""
        found = []
        for line in self.scope.lines:
            open_flags = [f for f in self.flags.get(line.indicator.pk, []) if f.is_open]
            comments = self.comments.get(line.indicator.pk, [])
            if open_flags or comments:
                found.append((line, open_flags, comments))
        return found

    @property
    def task_entries(self) -> list[tuple[Task, TaskProgress | None]]:
        """Each task the unit reports on with what the report says of it, if anything."""
        return [(task, self.task_progress.get(task.pk)) for task in self.scope.tasks]

    @property
    def work_entries(self) -> list[tuple[InfrastructureWork, WorkProgress | None]]:
        return [(work, self.work_progress.get(work.pk)) for work in self.scope.works]


def report_contents(scope: ReportScope, period: ReportingPeriod) -> ReportContents:
    """The scope filled with what the unit reported for the period, and the cumulative."""
    # Whether it has flags and comments in the same query: most reports have none.
    report = (
        Report.objects.filter(unit=scope.unit, period=period)
        .annotate(
            has_flags=Exists(FigureFlag.objects.filter(report=OuterRef("pk"))),
            has_comments=Exists(FigureComment.objects.filter(report=OuterRef("pk"))),
        )
        .order_by()
        .first()
    )
    if report is not None:
        # The unit, period and plan the caller holds, not read again.
        if period.plan_id == scope.plan.pk:
            period.plan = scope.plan
        report.period, report.unit = period, scope.unit
    task_progress: dict[int, TaskProgress] = {}
    work_progress: dict[int, WorkProgress] = {}
    events: list[ReportEvent] = []
    flags: dict[int, list[FigureFlag]] = defaultdict(list)
    comments: dict[int, list[FigureComment]] = defaultdict(list)
    if report is not None:
        if report.has_flags:
            for flag in report.figure_flags.order_by("kind"):
                flags[flag.indicator_id].append(flag)
        if report.has_comments:
            for comment in report.figure_comments.select_related("author"):
                comments[comment.indicator_id].append(comment)
        # Tasks and works the unit does not report on have nothing to show.
        if scope.tasks:
            task_progress = {tp.task_id: tp for tp in report.task_progress.all()}
        if scope.works:
            work_progress = {wp.work_id: wp for wp in report.work_progress.all()}
        # One report's steps in their order ("report" first in the model's ordering would
        # join the report's period, plan and unit only to sort by them).
        events = list(
            report.events.order_by("at", "pk")
            .select_related("actor")
            .prefetch_related(Prefetch("changes", queryset=ReportChange.objects.order_by("pk")))
        )

    # The report's own figures and the cumulative (lũy kế) of its flows in one read: the
    # cumulative of a flow is its value to date counted in this kind of period alone,
    # whatever the reports' status: what the unit itself has reported.
    flows = [line.indicator.pk for line in scope.lines if line.is_flow]
    if report is not None or flows:
        found: dict[int, list[PeriodFigure]] = defaultdict(list)
        values: dict[int, Decimal] = {}
        own = Q(report=report) if report is not None else Q(pk__in=[])
        for indicator_id, report_id, kind, ends_on, value in ReportFigure.objects.filter(
            own | Q(indicator_id__in=flows),
            report__unit=scope.unit,
            report__period__plan=period.plan_id,
            report__period__kind=period.kind,
            report__period__ends_on__lte=period.ends_on,
        ).values_list(
            "indicator_id", "report_id", "report__period__kind", "report__period__ends_on", "value"
        ):
            if report is not None and report_id == report.pk:
                values[indicator_id] = value
            found[indicator_id].append(PeriodFigure(kind, ends_on, value))
        for line in scope.lines:
            line.value = values.get(line.indicator.pk)
            if line.is_flow:
                figures = found.get(line.indicator.pk, [])
                line.cumulative = value_to_date(figures, is_flow=True).value
    return ReportContents(
        scope=scope,
        period=period,
        report=report,
        task_progress=task_progress,
        work_progress=work_progress,
        events=events,
        flags=dict(flags),
        comments=dict(comments),
    )


def reporting_overview(
    plan: Plan,
    units: Iterable[AdministrativeUnit],
    periods: Iterable[ReportingPeriod],
    today: date,
) -> dict[int, list[ReportState]]:
    """For each unit, the state of its report in each period (reporting.states): one query."""
    unit_list, period_list = list(units), list(periods)
    states = report_states(unit_list, period_list, today)
    return {unit.pk: [states[(unit.pk, period.pk)] for period in period_list] for unit in unit_list}


@dataclass(frozen=True)
class Expectation:
    """Who is expected to report a figure for one target: every commune and ward of the
    plan under `area`; or the units `named`, only those of them the plan holds under
    `within` when it is set."""

    area: AdministrativeUnit | None = None
    named: frozenset[int] = frozenset()
    within: AdministrativeUnit | None = None


def expectations(plan: Plan, targets: Iterable[Target]) -> dict[int, Expectation]:
    """Target id → who is expected to report a figure for it: the rule report_scope
    applies unit by unit (which indicators a unit's form holds), turned round.

    `targets` must have their unit, indicator and named_units read (or be annotated with
    `names_units`, and those read for the targets that name some). A commune's own target
    expects that commune; a target the plan splits over communes, those with a share; a
    target naming units, those; the city's infrastructure, the city's own report; any
    other, every commune and ward in its area.
    """
    targets = list(targets)
    split: dict[int, set[int]] = defaultdict(set)
    for target in targets:
        if target.unit.is_grassroots:
            split[target.indicator_id].add(target.unit_id)
    found: dict[int, Expectation] = {}
    for target in targets:
        area = target.unit
        whole_plan = area.pk == plan.unit_id
        # Targets read with `names_units` (whether any unit is named) had only the lists
        # of those that name some read.
        names_units = getattr(target, "names_units", True)
        named = frozenset(u.pk for u in target.named_units.all()) if names_units else frozenset()
        if area.is_grassroots:
            found[target.pk] = Expectation(named=frozenset([area.pk]))
        elif target.indicator_id in split:
            found[target.pk] = Expectation(named=frozenset(split[target.indicator_id]), within=area)
        elif named:
            found[target.pk] = Expectation(named=named, within=None if whole_plan else area)
        elif whole_plan and target.indicator.sector == Sector.INFRASTRUCTURE:
            found[target.pk] = Expectation(named=frozenset([plan.unit_id]))
        else:
            found[target.pk] = Expectation(area=area)
    return found


def _held_under(
    units: list[tuple[int, str]], area: AdministrativeUnit, plan: Plan
) -> frozenset[int]:
    below = f"{area.path}/"
    return frozenset(pk for pk, path in units if area.pk == plan.unit_id or path.startswith(below))


def expected_reporters(
    plan: Plan, targets: Iterable[Target], grassroots: Iterable[tuple[int, str]]
) -> dict[int, frozenset[int]]:
    """Target id → the units expected to report a figure for it (`expectations`), with
    `grassroots` the (id, path) of the plan's communes and wards. Targets on one area
    share one set: a national plan has 100 targets on one area of 3.321 communes."""
    units = list(grassroots)
    areas: dict[int, frozenset[int]] = {}

    def held_under(area: AdministrativeUnit) -> frozenset[int]:
        if area.pk not in areas:
            areas[area.pk] = _held_under(units, area, plan)
        return areas[area.pk]

    expected: dict[int, frozenset[int]] = {}
    for target_id, expectation in expectations(plan, targets).items():
        if expectation.area is not None:
            expected[target_id] = held_under(expectation.area)
        elif expectation.within is not None:
            expected[target_id] = expectation.named & held_under(expectation.within)
        else:
            expected[target_id] = expectation.named
    return expected


def expected_counts(
    plan: Plan, found: dict[int, Expectation], census: GrassrootsCensus
) -> dict[int, int]:
    """Target id → how many units are expected to report a figure for it, from its
    `expectations` and the plan's census, without reading every commune: one query for
    the units targets name or split over, none when no target does."""
    candidates = set().union(*(e.named for e in found.values() if e.within is not None))
    units = (
        list(grassroots_units(plan).filter(pk__in=candidates).order_by().values_list("pk", "path"))
        if candidates
        else []
    )
    under: dict[int, int] = {}
    counts: dict[int, int] = {}
    for target_id, expectation in found.items():
        if expectation.area is not None:
            area = expectation.area
            if area.pk not in under:
                under[area.pk] = census.count_under(area)
            counts[target_id] = under[area.pk]
        elif expectation.within is not None:
            held = _held_under(units, expectation.within, plan)
            counts[target_id] = len(expectation.named & held)
        else:
            counts[target_id] = len(expectation.named)
    return counts

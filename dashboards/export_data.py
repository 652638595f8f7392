"""What the Excel export and the report to the province hold, gathered in a fixed
number of queries whatever the number of units, indicators, tasks and periods.

Built only on the dashboard's public selectors (board.attainment,
activity.reporting_completeness, ocop_register) and their documented attributes, plus a
few reads of its own for what the dashboard does not show (task narratives, difficulties,
works), through reporting's rules for which reports count and a task's latest status.
Rows are produced per unit from indexes built once, so a national plan with thousands of
units streams into a file instead of being copied into one big table first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from common.numbers import format_number
from plans.models import AdministrativeUnit, Body, Plan, Task
from plans.selectors import OcopRegister, ocop_register
from reporting.models import (
    Indicator,
    Report,
    ReportingPeriod,
    Sector,
    TaskProgress,
    WorkProgress,
)
from reporting.states import ReportState
from reporting.tasks import LatestProgress, latest_task_progress
from reporting.values import precedence

from .activity import reporting_completeness
from .board import attainment
from .judging import Status
from .today_map import TodayMap, applies, today_map

if TYPE_CHECKING:
    # Only for hints: the selectors promise these attributes, not these class names.
    from .board import Attainment, Dashboard, UnitValue

NOT_REPORTED = "chua_bao_cao"
TASK_STATUS_LABELS = {
    **{code: str(label) for code, label in TaskProgress.Status.choices},
    NOT_REPORTED: "Chưa báo cáo",
}


@dataclass(frozen=True)
class ExportScope:
    """What the dashboard's query string decided: up to when, which figures, which indicators."""

    plan: Plan
    as_of: date
    today: date
    period: ReportingPeriod | None = None
    include_submitted: bool = False
    sector: str = ""
    status: str = ""
    # ?theo=hien-nay: the per-unit rows on the units standing on `today` (today_map.py).
    on_today_map: bool = False

    @property
    def period_label(self) -> str:
        cut_off = self.as_of.strftime("%d/%m/%Y")
        if self.period is not None:
            return _("Đến hết kỳ %(name)s (số liệu đến %(date)s)") % {
                "name": self.period.name,
                "date": cut_off,
            }
        return _("Đến nay (số liệu đến %(date)s)") % {"date": cut_off}

    @property
    def basis_label(self) -> str:
        if self.include_submitted:
            return _("Gồm cả số liệu đã gửi nhưng chưa được duyệt (ô nền vàng)")
        return _("Chỉ tính số liệu đã được Phòng Kinh tế duyệt")

    @property
    def filter_label(self) -> str:
        parts = []
        if self.sector:
            parts.append(_("Lĩnh vực: %(s)s") % {"s": Sector(self.sector).label})
        if self.status:
            parts.append(_("Tình trạng: %(s)s") % {"s": Status.LABELS[self.status]})
        return "; ".join(parts)

    def shows(self, item: Attainment | None, indicator: Indicator) -> bool:
        """The dashboard's filters: sector on the indicator, status on the plan-wide target."""
        if self.sector and indicator.sector != self.sector:
            return False
        if self.status:
            return item is not None and item.status == self.status
        return True


@dataclass
class UnitColumn:
    """An indicator in the per-unit table; with_target when units have targets of their own."""

    indicator: Indicator
    with_target: bool


@dataclass
class UnitCell:
    contribution: UnitValue | None
    own: Attainment | None


@dataclass
class UnitRow:
    unit: AdministrativeUnit
    name: str
    parent_name: str
    cells: list[UnitCell]


@dataclass
class ColumnTotal:
    target: Decimal | None
    actual: Decimal | None

    @property
    def share(self) -> Decimal | None:
        if self.actual is None or not self.target:
            return None
        return self.actual / self.target


@dataclass
class TaskLine:
    """One task's latest reported status in one unit, up to the cut-off."""

    task: Task
    unit: AdministrativeUnit | None
    unit_name: str
    status: str
    narrative: str = ""
    period_name: str = ""

    @property
    def status_label(self) -> str:
        return TASK_STATUS_LABELS[self.status]

    @property
    def bodies(self) -> list[Body]:
        return list(self.task.bodies.all())


@dataclass
class CompletenessRow:
    unit: AdministrativeUnit
    parent_name: str
    states: list[ReportState]  # one per period, as reporting.states defines them


@dataclass
class DashboardExport:
    scope: ExportScope
    board: Dashboard
    indicators: list[Attainment]
    area_items: list[Attainment]  # targets of a province or district inside the plan's area
    area_names: dict[int, str]
    sections: dict[int, str]
    columns: list[UnitColumn]
    ocop: OcopRegister
    completeness: list
    tasks: list[Task]
    _contributions: dict = field(repr=False, default_factory=dict)
    _own: dict = field(repr=False, default_factory=dict)
    _parents: dict = field(repr=False, default_factory=dict)
    _task_progress: dict = field(repr=False, default_factory=dict)
    # The per-unit rows on today's map, when the scope asks for it and the units have ended.
    today_map: TodayMap | None = None

    @property
    def plan(self) -> Plan:
        return self.scope.plan

    @property
    def multi_level(self) -> bool:
        """Units sit under provinces or districts, so the tables say which."""
        return any(u.parent_id != self.plan.unit_id for u in self.grassroots)

    @property
    def ocop_indicator(self) -> Attainment | None:
        return self.board.ocop

    @cached_property
    def grassroots(self) -> list[AdministrativeUnit]:
        return [u for u in self.board.units if u.pk != self.plan.unit_id]

    @cached_property
    def _kind_labels(self) -> dict[str, str]:
        return {code: str(label) for code, label in AdministrativeUnit.Kind.choices}

    def unit_name(self, unit: AdministrativeUnit) -> str:
        """'Xã San Thàng', as str(unit) says it, without a translation lookup per row."""
        if unit.pk == self.plan.unit_id:
            return _("Phòng Kinh tế (số liệu chung toàn %(unit)s)") % {"unit": self.plan.unit}
        return f"{self._kind_labels[unit.kind]} {unit.name}"

    def parent_name(self, unit: AdministrativeUnit) -> str:
        return self._parents.get(unit.parent_id, "")

    def section_code(self, item: Attainment) -> str:
        return self.sections.get(item.target.section_id, "")

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Status.ORDER, 0)
        for item in self.indicators:
            counts[item.status] += 1
        return counts

    def unit_rows(self) -> Iterator[UnitRow]:
        """The plan's own entries (when there are any), then every commune and ward."""
        for unit in self.board.units:
            row = self.unit_row(
                unit,
                {
                    column.indicator.pk: value
                    for column in self.columns
                    if (value := self._contributions.get((unit.pk, column.indicator.pk)))
                    is not None
                },
            )
            if row is not None:
                yield row

    def unit_row(self, unit: AdministrativeUnit, values: dict[int, UnitValue]) -> UnitRow | None:
        """One unit's row from its values by indicator, wherever they were computed (here,
        or by SQL in export_sql); None for the plan's own unit when it entered nothing."""
        cells = [
            UnitCell(
                contribution=values.get(column.indicator.pk),
                own=self._own.get((unit.pk, column.indicator.pk)),
            )
            for column in self.columns
        ]
        if unit.pk == self.plan.unit_id and not any(c.contribution for c in cells):
            return None
        return UnitRow(
            unit=unit,
            name=self.unit_name(unit),
            parent_name=self.parent_name(unit),
            cells=cells,
        )

    def column_totals(self) -> list[ColumnTotal]:
        """What the per-unit table adds up to, column by column."""
        actuals: dict[int, Decimal] = {}
        targets: dict[int, Decimal] = {}
        for (_unit_id, indicator_id), contribution in self._contributions.items():
            actuals[indicator_id] = actuals.get(indicator_id, Decimal(0)) + contribution.value
        for (_unit_id, indicator_id), item in self._own.items():
            targets[indicator_id] = targets.get(indicator_id, Decimal(0)) + item.target.value
        return [
            ColumnTotal(target=targets.get(c.indicator.pk), actual=actuals.get(c.indicator.pk))
            for c in self.columns
        ]

    def task_lines(self) -> Iterator[TaskLine]:
        """Every task with each unit's latest status; a task nobody reported on, once."""
        units = {u.pk: u for u in self.board.units}
        order = {u.pk: position for position, u in enumerate(self.board.units)}
        for task in self.tasks:
            reported = self._task_progress.get(task.pk)
            if not reported:
                yield TaskLine(task=task, unit=None, unit_name="", status=NOT_REPORTED)
                continue
            for unit_id in sorted(reported, key=lambda pk: order.get(pk, len(order))):
                status, narrative, period_name = reported[unit_id]
                unit = units.get(unit_id)
                yield TaskLine(
                    task=task,
                    unit=unit,
                    unit_name=self.unit_name(unit) if unit else "",
                    status=status,
                    narrative=narrative,
                    period_name=period_name,
                )

    def task_counts(self) -> tuple[dict[str, int], list[tuple[Body, dict[str, int]]]]:
        """By status, and by body (a task with several bodies counts for each)."""
        by_status = dict.fromkeys(TASK_STATUS_LABELS, 0)
        by_body: dict[int, tuple[Body, dict[str, int]]] = {}
        for line in self.task_lines():
            by_status[line.status] += 1
            for body in line.bodies:
                by_body.setdefault(body.pk, (body, dict.fromkeys(TASK_STATUS_LABELS, 0)))
                by_body[body.pk][1][line.status] += 1
        return by_status, sorted(by_body.values(), key=lambda pair: pair[0].position)

    def completeness_rows(self) -> Iterator[CompletenessRow]:
        for unit in self.grassroots:
            yield CompletenessRow(
                unit=unit,
                parent_name=self.parent_name(unit),
                states=[row.states[unit.pk] for row in self.completeness],
            )


def completeness_periods(plan: Plan, scope: ExportScope) -> list[ReportingPeriod]:
    """The dashboard's choice (the quarters up to the cut-off), plus the chosen period."""
    periods = [p for p in plan.periods.order_by("ends_on", "position") if p.ends_on <= scope.as_of]
    chosen = [p for p in periods if p.kind == ReportingPeriod.Kind.QUARTERLY] or periods[-3:]
    if scope.period is not None and scope.period not in chosen:
        chosen.append(scope.period)
    return chosen


def report_period(plan: Plan, as_of: date) -> ReportingPeriod:
    """The period a report defaults to: the widest one that has ended by `as_of` (when
    several end that day, the one covering more of the year, as the value rule prefers)."""
    periods = list(plan.periods.order_by("ends_on", "position"))
    ended = [p for p in periods if p.ends_on <= as_of] or periods[:1]
    return max(ended, key=lambda p: precedence(p.ends_on, p.kind))


def _latest_task_progress(scope: ExportScope) -> dict[int, dict[int, LatestProgress]]:
    """task → unit → (status, narrative, period name), by the dashboard's rule
    (reporting.tasks), so the files show each task as the dashboard does."""
    latest: dict[int, dict[int, LatestProgress]] = defaultdict(dict)
    for (task_id, unit_id), progress in latest_task_progress(
        scope.plan, include_submitted=scope.include_submitted, as_of=scope.as_of
    ).items():
        latest[task_id][unit_id] = progress
    return dict(latest)


def dashboard_export(scope: ExportScope, *, unit_values: bool = True) -> DashboardExport:
    """Everything the Excel file holds; without `unit_values`, each unit's value is left
    for the writer to read as it goes (export_sql.StreamedExport)."""
    plan = scope.plan
    board = attainment(plan, as_of=scope.as_of, include_submitted=scope.include_submitted)
    all_items = [*board.city, *(i for items in board.by_unit.values() for i in items)]
    city = {item.indicator.pk: item for item in board.city}

    grassroots = {unit.pk for unit in board.units if unit.pk != plan.unit_id}
    # Provinces and districts between the plan's area and its communes: (name, path).
    areas = {
        pk: (f"{AdministrativeUnit.Kind(kind).label} {name}", path, name)
        for pk, name, kind, path in AdministrativeUnit.objects.below(plan.unit)
        .exclude(pk__in=grassroots)
        .values_list("pk", "name", "kind", "path")
    }

    contributions = (
        {(v.unit_id, v.indicator_id): v for v in board.unit_values()} if unit_values else {}
    )
    own: dict[tuple[int, int], Attainment] = {}
    for item in all_items:
        if item.target.unit_id in grassroots:
            own[(item.target.unit_id, item.indicator.pk)] = item

    columns: dict[int, UnitColumn] = {}
    for item in sorted(all_items, key=lambda i: i.target.position):
        indicator = item.indicator
        if not scope.shows(city.get(indicator.pk), indicator):
            continue
        column = columns.setdefault(indicator.pk, UnitColumn(indicator, with_target=False))
        if item.target.unit_id in grassroots:
            column.with_target = True

    periods = completeness_periods(plan, scope)
    tasks = list(
        plan.tasks.select_related("section")
        .prefetch_related(Prefetch("bodies", queryset=Body.objects.order_by("position")))
        .order_by("position")
    )
    return DashboardExport(
        scope=scope,
        board=board,
        indicators=[i for i in board.city if scope.shows(i, i.indicator)],
        area_items=[
            item
            for item in sorted(
                (i for items in board.by_unit.values() for i in items if i.target.unit_id in areas),
                key=lambda i: (areas[i.target.unit_id][1], i.target.position),
            )
            if scope.shows(city.get(item.indicator.pk), item.indicator)
        ],
        area_names={pk: label for pk, (label, _path, _name) in areas.items()},
        sections=dict(plan.sections.values_list("pk", "code")),
        columns=list(columns.values()),
        ocop=ocop_register(plan, scope.as_of),  # one date for the whole file
        completeness=reporting_completeness(plan, periods, scope.today) if periods else [],
        tasks=tasks,
        _contributions=contributions,
        _own=own,
        _parents={pk: name for pk, (_label, _path, name) in areas.items()},
        _task_progress=_latest_task_progress(scope),
        today_map=today_map(board, scope.today)
        if scope.on_today_map and applies(board, scope.today)
        else None,
    )


@dataclass
class WorkLine:
    name: str
    kind: str
    disbursed_vnd: Decimal | None
    narratives: list[tuple[str, str]]  # (period name, text), oldest first


@dataclass
class UnitDifficulties:
    unit_name: str
    entries: list[tuple[str, str]]  # (period name, text)


@dataclass
class ProvinceReport:
    export: DashboardExport
    period: ReportingPeriod
    works: list[WorkLine]
    difficulties: list[UnitDifficulties]
    reports_counted: int

    @property
    def plan(self) -> Plan:
        return self.export.plan


def province_report(scope: ExportScope) -> ProvinceReport:
    """The export's figures plus what units wrote in the reports of the chosen period.

    A six-month report gathers what units wrote in every report whose data window ends
    inside those six months (monthly, quarterly and the six-month one itself).
    """
    assert scope.period is not None
    export = dashboard_export(scope)
    plan, period = scope.plan, scope.period
    in_window = {
        "report__period__plan": plan,
        "report__status__in": Report.Status.counted(include_submitted=scope.include_submitted),
        "report__period__ends_on__gte": period.starts_on,
        "report__period__ends_on__lte": period.ends_on,
    }

    works: dict[int, WorkLine] = {
        work.pk: WorkLine(work.name, work.get_kind_display(), None, [])
        for work in plan.works.order_by("position")
    }
    for work_id, disbursed, narrative, name in (
        WorkProgress.objects.filter(**in_window)
        .order_by("report__period__ends_on", "report__period__position")
        .values_list("work_id", "disbursed_vnd", "narrative", "report__period__name")
    ):
        line = works[work_id]
        if disbursed is not None:
            line.disbursed_vnd = (line.disbursed_vnd or Decimal(0)) + disbursed
        if narrative.strip():
            line.narratives.append((name, narrative.strip()))

    units = {u.pk: u for u in export.board.units}
    by_unit: dict[int, list[tuple[str, str]]] = defaultdict(list)
    reports = (
        Report.objects.counted(include_submitted=scope.include_submitted)
        .filter(
            period__plan=plan,
            period__ends_on__gte=period.starts_on,
            period__ends_on__lte=period.ends_on,
        )
        .values_list("unit_id", "period__name", "difficulties")
    )
    counted = 0
    for unit_id, name, text in reports.order_by("period__ends_on", "period__position"):
        counted += 1
        text = text.strip()
        if text and unit_id in units and text not in {t for _n, t in by_unit[unit_id]}:
            by_unit[unit_id].append((name, text))
    difficulties = [
        UnitDifficulties(export.unit_name(unit), by_unit[unit.pk])
        for unit in export.board.units
        if by_unit.get(unit.pk)
    ]
    return ProvinceReport(
        export=export,
        period=period,
        works=list(works.values()),
        difficulties=difficulties,
        reports_counted=counted,
    )


# What the files write where no figure was reported: never 0, never a blank.
NO_FIGURE = "—"


def number_text(value: Decimal | None, unit_of_measure: str = "") -> str:
    if value is None:
        return NO_FIGURE
    text = format_number(value)
    return f"{text} {unit_of_measure}".strip()

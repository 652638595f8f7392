"""Target against actual: the figures behind the dashboard, the exports and the report
to the province.

Everything is computed from a fixed number of queries (targets, figures, profiles, units,
reports), then in Python, so a page costs the same number of queries whatever the number
of units, indicators and periods. Where a plan's running totals are kept (reports.totals),
the plan-wide and province figures are read from them instead of adding up every figure;
each unit's contribution is then read only when a page asks for it.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import NamedTuple

from django.db.models import Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.numbers import format_number
from plans.models import AdministrativeUnit, Plan
from plans.selectors import grassroots_units
from reporting.models import (
    AreaTotal,
    Indicator,
    Report,
    ReportFigure,
    ReportingPeriod,
    SeasonalProfile,
    Target,
    TaskProgress,
)
from reporting.periods import window_end, window_start, year_first_day, year_last_day
from reporting.tasks import latest_task_progress
from reporting.totals import is_kept
from reporting.values import value_to_date

Kind = ReportingPeriod.Kind
HUNDRED = Decimal(100)


class Status:
    ACHIEVED = "dat"
    ON_TRACK = "dung_tien_do"
    AT_RISK = "co_nguy_co"
    BEHIND = "cham"
    NO_DATA = "chua_co_so_lieu"
    LABELS = {
        ACHIEVED: gettext_lazy("Đã đạt"),
        ON_TRACK: gettext_lazy("Đúng tiến độ"),
        AT_RISK: gettext_lazy("Có nguy cơ"),
        BEHIND: gettext_lazy("Chậm"),
        NO_DATA: gettext_lazy("Chưa có số liệu"),
    }
    ORDER = [BEHIND, AT_RISK, NO_DATA, ON_TRACK, ACHIEVED]
    # Below this share of what should be done by now, a target is behind rather than at risk.
    FLOW_AT_RISK = Decimal("0.8")
    STOCK_AT_RISK = Decimal("0.9")


@dataclass
class Contribution:
    unit: AdministrativeUnit
    value: Decimal
    covers_until: date
    periods: list  # (period code, period name, report status) behind the value
    includes_submitted: bool


class UnitValue(NamedTuple):
    unit_id: int
    indicator_id: int
    value: Decimal
    includes_submitted: bool


@dataclass
class Attainment:
    indicator: Indicator
    target: Target
    actual: Decimal | None = None
    expected_share: Decimal | None = None
    status: str = Status.NO_DATA
    explanation: str = ""
    # Filled from the figures, or read on first use from the board that made the item.
    _contributions: list[Contribution] | None = field(default=None, repr=False)
    _board: "Dashboard | None" = field(default=None, repr=False)
    _includes_submitted: bool | None = field(default=None, repr=False)

    @property
    def contributions(self) -> list[Contribution]:
        if self._contributions is None:
            self._contributions = self._board._contributions_of(self) if self._board else []
        return self._contributions

    @contributions.setter
    def contributions(self, value: list[Contribution]) -> None:
        self._contributions = value

    @property
    def includes_submitted(self) -> bool:
        if self._includes_submitted is not None:
            return self._includes_submitted
        return any(c.includes_submitted for c in self.contributions)

    @property
    def share(self) -> Decimal | None:
        if self.actual is None or not self.target.value:
            return None
        return self.actual / self.target.value * HUNDRED

    @property
    def expected_value(self) -> Decimal | None:
        if self.expected_share is None:
            return None
        return self.target.value * self.expected_share

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def is_flow(self) -> bool:
        return self.indicator.behaviour == Indicator.Behaviour.FLOW


def expected_share(profile: SeasonalProfile | None, year: int, as_of: date) -> Decimal:
    """Share of the annual amount that should be in by `as_of`, from 0 to 1.

    Month m is the reporting window from the 15th of m-1 to the 14th of m; without a
    profile the year is a straight line over those windows.
    """
    year_start, year_end = year_first_day(year), year_last_day(year)
    if as_of < year_start:
        return Decimal(0)
    if as_of >= year_end:
        return Decimal(1)
    if profile is None:
        return Decimal((as_of - year_start).days + 1) / Decimal((year_end - year_start).days + 1)
    total = Decimal(0)
    for month, share in enumerate(profile.shares, start=1):
        starts, ends = window_start(year, month), window_end(year, month)
        if ends <= as_of:
            total += share
        elif starts <= as_of:
            total += share * Decimal((as_of - starts).days + 1) / Decimal((ends - starts).days + 1)
    return total / HUNDRED


@dataclass
class _Row:
    unit_id: int
    indicator_id: int
    kind: str
    ends_on: date
    code: str
    name: str
    status: str
    value: Decimal


def _figures(plan: Plan, as_of: date, include_submitted: bool, **filters) -> list[_Row]:
    return list(_figure_rows(plan, as_of, include_submitted, **filters))


def _figure_rows(
    plan: Plan,
    as_of: date,
    include_submitted: bool,
    unit_ids=None,
    area=None,
    indicator_ids=None,
    by_unit=False,
):
    """The figures counted to `as_of`; with by_unit, streamed in unit and indicator order
    so that the whole country never sits in memory at once."""
    figures = ReportFigure.objects.filter(
        report__period__plan=plan,
        report__period__ends_on__lte=as_of,
        report__status__in=Report.Status.counted(include_submitted=include_submitted),
    )
    if unit_ids is not None:
        figures = figures.filter(report__unit_id__in=unit_ids)
    if area is not None and area.pk != plan.unit_id:
        figures = figures.filter(report__unit__path__startswith=f"{area.path}/")
    if indicator_ids is not None:
        figures = figures.filter(indicator_id__in=indicator_ids)
    rows = figures.values_list(
        "report__unit_id",
        "indicator_id",
        "report__period__kind",
        "report__period__ends_on",
        "report__period__code",
        "report__period__name",
        "report__status",
        "value",
    )
    if by_unit and (unit_ids, area, indicator_ids) == (None, None, None):
        # The whole plan: streamed from a server-side cursor.
        rows = rows.order_by("report__unit_id", "indicator_id").iterator(chunk_size=20000)
    elif by_unit:
        # A few units or one indicator: a cursor would make PostgreSQL plan for the first
        # rows of the whole table, so fetch them at once and sort here.
        rows = sorted(rows, key=lambda values: (values[0], values[1]))
    return (_Row(*values) for values in rows)


def _unit_value(rows: list[_Row], is_flow: bool) -> tuple[Decimal, date, list[_Row]]:
    """One unit's figure for one indicator to date (reporting.values), the end of the
    last period it covers, and the rows it rests on; `rows` is never empty."""
    found = value_to_date(rows, is_flow)
    assert found.value is not None and found.ends_on is not None
    return found.value, found.ends_on, found.used


def _judge(item: Attainment, year: int, as_of: date, profile) -> None:
    target = item.target
    uom = item.indicator.unit_of_measure
    value = target.value
    if item.actual is None:
        item.status = Status.NO_DATA
        item.explanation = _("Chưa có số liệu được tính.")
        return
    actual_text = f"{format_number(item.actual)} {uom}"
    target_text = f"{format_number(value)} {uom}"
    if target.comparison == Target.Comparison.AT_MOST:
        item.status = Status.ACHIEVED if item.actual <= value else Status.BEHIND
        item.explanation = _("Không được vượt %(target)s; hiện %(actual)s.") % {
            "target": target_text,
            "actual": actual_text,
        }
        return
    if item.actual >= value:
        item.status = Status.ACHIEVED
        item.explanation = _("Đạt %(actual)s, không thấp hơn chỉ tiêu %(target)s.") % {
            "actual": actual_text,
            "target": target_text,
        }
        return
    if not item.is_flow:
        ratio = item.actual / value if value else Decimal(1)
        item.status = Status.AT_RISK if ratio >= Status.STOCK_AT_RISK else Status.BEHIND
        item.explanation = _(
            "Chỉ tiêu hiện có phải giữ suốt năm: %(actual)s so với %(target)s "
            "(%(share)s%%); từ 90%% là có nguy cơ, dưới 90%% là chậm."
        ) % {
            "actual": actual_text,
            "target": target_text,
            "share": format_number(ratio * HUNDRED, 1),
        }
        return
    item.expected_share = expected_share(profile, year, as_of)
    basis = _("theo mùa vụ của chỉ tiêu") if profile is not None else _("theo đường thẳng cả năm")
    if item.expected_share == 0:
        item.status = Status.ON_TRACK
        item.explanation = _("Đến %(date)s chưa đến vụ (%(basis)s), chưa cần có sản lượng.") % {
            "date": as_of.strftime("%d/%m/%Y"),
            "basis": basis,
        }
        return
    expected = value * item.expected_share
    ratio = item.actual / expected
    if ratio >= 1:
        item.status = Status.ON_TRACK
    elif ratio >= Status.FLOW_AT_RISK:
        item.status = Status.AT_RISK
    else:
        item.status = Status.BEHIND
    item.explanation = _(
        "Đến %(date)s cần đạt %(share)s%% chỉ tiêu năm (%(basis)s) = %(expected)s; "
        "thực hiện %(actual)s, bằng %(ratio)s%% mức cần đạt (từ 80%% là có nguy cơ, "
        "dưới 80%% là chậm)."
    ) % {
        "date": as_of.strftime("%d/%m/%Y"),
        "share": format_number(item.expected_share * HUNDRED, 1),
        "basis": basis,
        "expected": f"{format_number(expected, 1)} {uom}",
        "actual": actual_text,
        "ratio": format_number(ratio * HUNDRED, 1),
    }


@dataclass
class Dashboard:
    plan: Plan
    as_of: date
    include_submitted: bool
    city: list[Attainment]
    by_unit: dict[int, list[Attainment]]
    units: list[AdministrativeUnit]
    # Contributions read on demand: area id -> indicator id -> contributions.
    _loaded: dict = field(default_factory=dict, repr=False)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Status.ORDER, 0)
        for item in self.city:
            counts[item.status] += 1
        return counts

    def unit_contributions(self, unit: AdministrativeUnit) -> list[tuple[Attainment, Contribution]]:
        """What one unit contributes to each plan-wide target (one query for the unit)."""
        found = _contributions(self, self._units(), unit_ids=[unit.pk])
        return [
            (item, contribution)
            for item in self.city
            for contribution in found.get(item.indicator.pk, {}).get(unit.pk, [])
        ]

    def unit_values(self) -> Iterator[UnitValue]:
        """Every unit's value for every indicator, streamed in unit order (one query).

        What an export of the whole country needs: the value and whether unapproved
        figures are in it, without the periods behind each value that `contributions`
        keeps, so 3.300 communes × 100 indicators fit in a few dozen megabytes.
        """
        behaviours = _behaviours(self)
        units = {u.pk for u in self.units}
        rows = _figure_rows(self.plan, self.as_of, self.include_submitted, by_unit=True)
        for (unit_id, indicator_id), group in groupby(
            rows, key=lambda r: (r.unit_id, r.indicator_id)
        ):
            if indicator_id not in behaviours or unit_id not in units:
                continue
            is_flow = behaviours[indicator_id] == Indicator.Behaviour.FLOW
            value, _covers_until, used = _unit_value(list(group), is_flow)
            submitted = any(r.status == Report.Status.SUBMITTED for r in used)
            yield UnitValue(unit_id, indicator_id, value, submitted)

    def _units(self) -> dict[int, AdministrativeUnit]:
        return {u.pk: u for u in self.units}

    def indicator_contributions(self, item: Attainment) -> list[Contribution]:
        """One item's contributions with one query for its indicator alone (a page about
        one indicator), where `item.contributions` reads every indicator at once."""
        if item._contributions is not None or "all" in self._loaded:
            return item.contributions
        area = item.target.unit
        found = _contributions(self, self._units(), area=area, indicator_ids=[item.indicator.pk])
        return _sorted(
            self.plan,
            [c for unit_rows in found.get(item.indicator.pk, {}).values() for c in unit_rows],
        )

    def _contributions_of(self, item: Attainment) -> list[Contribution]:
        """Contributions read on first use, for every item at once (an export reads them
        all): one query whatever the size. A unit's contribution is the same in every
        area it lies in."""
        if "all" not in self._loaded:
            self._loaded["all"] = _contributions(self, self._units())
        area = item.target.unit
        under = f"{area.path}/"
        return _sorted(
            self.plan,
            [
                c
                for unit_rows in self._loaded["all"].get(item.indicator.pk, {}).values()
                for c in unit_rows
                if area.pk == self.plan.unit_id or c.unit.path.startswith(under)
            ],
        )


def _behaviours(board: Dashboard) -> dict[int, str]:
    behaviours = {i.indicator.pk: i.indicator.behaviour for i in board.city}
    for items in board.by_unit.values():
        behaviours.update({i.indicator.pk: i.indicator.behaviour for i in items})
    return behaviours


def _contributions(board: Dashboard, units, **filters) -> dict[int, dict[int, list]]:
    """indicator id -> unit id -> [Contribution], from the figures (one query, streamed)."""
    behaviours = _behaviours(board)
    found: dict[int, dict[int, list]] = defaultdict(dict)
    rows = _figure_rows(board.plan, board.as_of, board.include_submitted, by_unit=True, **filters)
    for (unit_id, indicator_id), group in groupby(rows, key=lambda r: (r.unit_id, r.indicator_id)):
        if indicator_id not in behaviours or unit_id not in units:
            continue
        found[indicator_id][unit_id] = [
            _contribution(units[unit_id], list(group), behaviours[indicator_id])
        ]
    return found


def _contribution(unit, rows: list[_Row], behaviour: str) -> Contribution:
    value, covers_until, used = _unit_value(rows, behaviour == Indicator.Behaviour.FLOW)
    return Contribution(
        unit=unit,
        value=value,
        covers_until=covers_until,
        periods=[(r.code, r.name, r.status) for r in used],
        includes_submitted=any(r.status == Report.Status.SUBMITTED for r in used),
    )


def _sorted(plan: Plan, contributions: list[Contribution]) -> list[Contribution]:
    return sorted(contributions, key=lambda c: (c.unit.pk != plan.unit_id, c.unit.position))


def default_as_of(plan: Plan, today: date) -> date:
    return min(today, year_last_day(plan.year))


def attainment(
    plan: Plan, *, as_of: date, include_submitted: bool = False, for_unit=None
) -> Dashboard:
    """Every target with its actual to date and its status.

    A target's actual is the sum of what the reporting units at or under its area
    reported: the plan's whole area, a province, or one commune. With `for_unit`, only the
    plan-wide targets and that unit's own (a unit's page, whatever the country's size).
    """
    kept = is_kept(plan)
    targets = Target.objects.filter(plan=plan)
    if for_unit is not None:
        targets = targets.filter(unit__in=[plan.unit_id, for_unit.pk])
    if for_unit is not None and kept:
        units = {for_unit.pk: for_unit}
    else:
        units = {u.pk: u for u in grassroots_units(plan)}
    units[plan.unit_id] = plan.unit
    targets = list(targets.select_related("indicator", "unit").order_by("position"))
    profiles = {
        p.indicator_id: p
        for p in SeasonalProfile.objects.filter(indicator__in={t.indicator_id for t in targets})
    }
    board = Dashboard(
        plan=plan,
        as_of=as_of,
        include_submitted=include_submitted,
        city=[],
        by_unit={},
        units=sorted(units.values(), key=lambda u: (u.pk != plan.unit_id, u.position)),
    )
    # With running totals, only targets set for a single commune are added up here.
    summed = [t for t in targets if t.unit.is_grassroots] if kept else targets
    grouped: dict[tuple[int, int], list[_Row]] = defaultdict(list)
    if summed:
        only = {t.unit_id for t in summed} if kept else None
        for row in _figures(plan, as_of, include_submitted, unit_ids=only):
            grouped[(row.indicator_id, row.unit_id)].append(row)

    behaviours = {t.indicator_id: t.indicator.behaviour for t in summed}
    areas = {t.unit.path: t.unit for t in summed}
    by_area: dict[tuple[int, int], list[Contribution]] = defaultdict(list)
    for (indicator_id, unit_id), rows in grouped.items():
        if indicator_id not in behaviours or unit_id not in units:
            continue
        unit = units[unit_id]
        contribution = _contribution(unit, rows, behaviours[indicator_id])
        # Credit the figure to every target area it lies in: the unit, its province, the plan.
        parts = unit.path.split("/")
        for depth in range(1, len(parts) + 1):
            area = areas.get("/".join(parts[:depth]))
            if area is not None:
                by_area[(indicator_id, area.pk)].append(contribution)

    totals = {}
    if kept:
        # The figures to `as_of` are those to the last period end before it.
        cut = (
            ReportingPeriod.objects.filter(plan=plan, ends_on__lte=as_of)
            .order_by("-ends_on")
            .values("ends_on")[:1]
        )
        totals = {
            (row.indicator_id, row.area_id): row
            for row in AreaTotal.objects.filter(
                plan=plan,
                cutoff=Subquery(cut),
                include_submitted=include_submitted,
                area__in={t.unit_id for t in targets if not t.unit.is_grassroots},
                units__gt=0,
            )
        }

    by_unit = defaultdict(list)
    for target in targets:
        item = Attainment(indicator=target.indicator, target=target)
        if kept and not target.unit.is_grassroots:
            total = totals.get((target.indicator_id, target.unit_id))
            item._includes_submitted = False
            if total is not None:
                item.actual = total.value
                item._includes_submitted = total.units_with_submitted > 0
            item._board = board
        else:
            found = _sorted(plan, by_area.get((target.indicator_id, target.unit_id), []))
            item.contributions = found
            if found:
                item.actual = sum((c.value for c in found), Decimal(0))
        _judge(item, plan.year, as_of, profiles.get(target.indicator_id))
        if target.unit_id == plan.unit_id:
            board.city.append(item)
        else:
            by_unit[target.unit_id].append(item)
    board.by_unit = dict(by_unit)
    return board


@dataclass
class Completeness:
    period: ReportingPeriod
    on_time: list
    late: list
    missing: list


def reporting_completeness(plan: Plan, periods, today: date) -> list[Completeness]:
    """For each period: units that reported on time, late, or not at all (submitted or
    approved counts as reported)."""
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
    by_body: list  # (body, {status: count})
    by_unit: list  # (unit, {status: count})
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
    by_body: dict = {}
    by_unit: dict = {}
    reported = defaultdict(list)
    for (task_id, unit_id), progress in latest.items():
        reported[task_id].append((unit_id, progress.status))
    for task in tasks:
        entries = reported.get(task.pk) or [(None, TaskProgress.Status.NOT_STARTED)]
        for unit_id, status in entries:
            by_status[status] += 1
            for body in task.bodies.all():
                by_body.setdefault(body, dict.fromkeys(choices, 0))[status] += 1
            if unit_id in units:
                by_unit.setdefault(units[unit_id], dict.fromkeys(choices, 0))[status] += 1
    return TaskSummary(
        by_status=by_status,
        by_body=sorted(by_body.items(), key=lambda kv: kv[0].position),
        by_unit=sorted(by_unit.items(), key=lambda kv: kv[0].position),
        total=sum(by_status.values()),
    )


def progress_series(plan: Plan, periods, *, include_submitted=False) -> dict[int, list]:
    """For each indicator, the city's actual at the end of each period (one query)."""
    periods = list(periods)
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
    grouped = defaultdict(list)
    for row in _figures(plan, max(p.ends_on for p in periods), include_submitted):
        grouped[row.indicator_id].append(row)
    series = {}
    for indicator_id, behaviour in behaviours.items():
        is_flow = behaviour == Indicator.Behaviour.FLOW
        rows = grouped.get(indicator_id, [])
        points = []
        for period in periods:
            upto = defaultdict(list)
            for row in rows:
                if row.ends_on <= period.ends_on:
                    upto[row.unit_id].append(row)
            total = None
            if upto:
                total = sum((_unit_value(r, is_flow)[0] for r in upto.values()), Decimal(0))
            points.append((period, total))
        series[indicator_id] = points
    return series

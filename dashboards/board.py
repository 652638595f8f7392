"""The board: each target against its actual to date, and what each unit contributes.

Everything is computed from a fixed number of queries (targets, figures, profiles, units,
reports), then in Python, so a page costs the same number of queries whatever the number
of units, indicators and periods. Where a plan's running totals are kept (reporting.totals),
the plan-wide and province figures are read from them instead of adding up every figure;
each unit's contribution is then read only when a page asks for it. A unit's value is
the one value rule's (reporting.values); how a target is judged, judging's.
"""

import copy
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, Subquery, prefetch_related_objects

from planning.selectors import Revision, target_revisions
from plans.models import AdministrativeUnit, Plan
from plans.selectors import GrassrootsCensus, grassroots_census, grassroots_units
from reporting.models import (
    AreaTotal,
    Indicator,
    Report,
    ReportFigure,
    ReportingPeriod,
    SeasonalProfile,
    Sector,
    Target,
)
from reporting.periods import year_last_day
from reporting.selectors import expectations, expected_counts, expected_reporters
from reporting.totals import is_kept
from reporting.values import value_to_date

from .judging import HUNDRED, Status, judge, judge_coverage, value_in_force


@dataclass
class Contribution:
    unit: AdministrativeUnit
    value: Decimal
    covers_until: date
    periods: list[tuple[str, str, str]]  # (period code, period name, report status) behind it
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
    # Coverage: how many of the units expected to report a figure for it have one.
    reported_units: int = 0
    expected_units: int = 0
    # Filled from the figures, or read on first use from the board that made the item.
    _contributions: list[Contribution] | None = field(default=None, repr=False)
    _board: "Dashboard | None" = field(default=None, repr=False)
    _includes_submitted: bool | None = field(default=None, repr=False)
    # What the dashboard page draws beside the item (its line chart, its status colour),
    # set by the view that shows it.
    chart: object | None = field(default=None, repr=False)
    # The amendments that changed the target's value during the year, oldest first.
    revisions: list[Revision] = field(default_factory=list, repr=False)
    color: str = field(default="", repr=False)

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
    def is_fully_reported(self) -> bool:
        return self.reported_units >= self.expected_units

    @property
    def is_flow(self) -> bool:
        return self.indicator.behaviour == Indicator.Behaviour.FLOW


@dataclass
class FigureRow:
    unit_id: int
    indicator_id: int
    kind: str
    ends_on: date
    code: str
    name: str
    status: str
    value: Decimal


def counted_figures(
    plan: Plan,
    as_of: date,
    include_submitted: bool,
    unit_ids: Collection[int] | None = None,
    area: AdministrativeUnit | None = None,
    indicator_ids: Collection[int] | None = None,
    by_unit: bool = False,
) -> Iterator[FigureRow]:
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
    query = figures.values_list(
        "report__unit_id",
        "indicator_id",
        "report__period__kind",
        "report__period__ends_on",
        "report__period__code",
        "report__period__name",
        "report__status",
        "value",
    )
    rows: Iterable[tuple[int, int, str, date, str, str, str, Decimal]] = query
    if by_unit and (unit_ids, area, indicator_ids) == (None, None, None):
        # The whole plan: streamed from a server-side cursor.
        rows = query.order_by("report__unit_id", "indicator_id").iterator(chunk_size=20000)
    elif by_unit:
        # A few units or one indicator: a cursor would make PostgreSQL plan for the first
        # rows of the whole table, so fetch them at once and sort here.
        rows = sorted(query, key=lambda values: (values[0], values[1]))
    return (FigureRow(*values) for values in rows)


def unit_value(rows: list[FigureRow], is_flow: bool) -> tuple[Decimal, date, list[FigureRow]]:
    """One unit's figure for one indicator to date (reporting.values), the end of the
    last period it covers, and the rows it rests on; `rows` is never empty."""
    found = value_to_date(rows, is_flow)
    assert found.value is not None and found.ends_on is not None
    return found.value, found.ends_on, found.used


@dataclass
class Dashboard:
    plan: Plan
    as_of: date
    include_submitted: bool
    city: list[Attainment]
    by_unit: dict[int, list[Attainment]]
    units: list[AdministrativeUnit]
    # Contributions read on demand: area id -> indicator id -> contributions.
    _loaded: dict[str, dict[int, dict[int, list[Contribution]]]] = field(
        default_factory=dict, repr=False
    )
    # False when `units` holds only the units the page shows (a unit's or an area's
    # page): contributions read on demand then read every unit first.
    _all_units: bool = field(default=True, repr=False)

    @property
    def ocop(self) -> Attainment | None:
        """The plan-wide target for new OCOP products, as the units reported it, if the plan
        has one. The OCOP register counts products by their recognition decisions; the
        page and both files show both, each saying where it comes from."""
        return next((i for i in self.city if i.indicator.sector == Sector.OCOP), None)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Status.ORDER, 0)
        for item in self.city:
            counts[item.status] += 1
        return counts

    def unit_contributions(self, unit: AdministrativeUnit) -> list[tuple[Attainment, Contribution]]:
        """What one unit contributes to each plan-wide target (one query for the unit)."""
        units = {u.pk: u for u in self.units}
        units.setdefault(unit.pk, unit)
        found = _contributions(self, units, unit_ids=[unit.pk])
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
        units = set(self._units())
        rows = counted_figures(self.plan, self.as_of, self.include_submitted, by_unit=True)
        for (unit_id, indicator_id), group in groupby(
            rows, key=lambda r: (r.unit_id, r.indicator_id)
        ):
            if indicator_id not in behaviours or unit_id not in units:
                continue
            is_flow = behaviours[indicator_id] == Indicator.Behaviour.FLOW
            value, _covers_until, used = unit_value(list(group), is_flow)
            submitted = any(r.status == Report.Status.SUBMITTED for r in used)
            yield UnitValue(unit_id, indicator_id, value, submitted)

    def contributions_by_unit(self) -> dict[int, dict[int, Contribution]]:
        """indicator id -> unit id -> that unit's contribution, for every unit and
        indicator of the board, read once (one query) and shared with `contributions`."""
        if "all" not in self._loaded:
            self._loaded["all"] = _contributions(self, self._units())
        return {
            indicator_id: {unit_id: found[0] for unit_id, found in units.items() if found}
            for indicator_id, units in self._loaded["all"].items()
        }

    def _units(self) -> dict[int, AdministrativeUnit]:
        if not self._all_units:
            every = [self.plan.unit, *grassroots_units(self.plan)]
            self.units = sorted(every, key=lambda u: (u.pk != self.plan.unit_id, u.position))
            self._all_units = True
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


def _contributions(
    board: Dashboard,
    units: dict[int, AdministrativeUnit],
    *,
    unit_ids: Collection[int] | None = None,
    area: AdministrativeUnit | None = None,
    indicator_ids: Collection[int] | None = None,
) -> dict[int, dict[int, list[Contribution]]]:
    """indicator id -> unit id -> [Contribution], from the figures (one query, streamed)."""
    behaviours = _behaviours(board)
    found: dict[int, dict[int, list[Contribution]]] = defaultdict(dict)
    rows = counted_figures(
        board.plan,
        board.as_of,
        board.include_submitted,
        unit_ids=unit_ids,
        area=area,
        indicator_ids=indicator_ids,
        by_unit=True,
    )
    for (unit_id, indicator_id), group in groupby(rows, key=lambda r: (r.unit_id, r.indicator_id)):
        if indicator_id not in behaviours or unit_id not in units:
            continue
        found[indicator_id][unit_id] = [
            _contribution(units[unit_id], list(group), behaviours[indicator_id])
        ]
    return found


def _contribution(unit: AdministrativeUnit, rows: list[FigureRow], behaviour: str) -> Contribution:
    value, covers_until, used = unit_value(rows, behaviour == Indicator.Behaviour.FLOW)
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
    plan: Plan,
    *,
    as_of: date,
    include_submitted: bool = False,
    for_unit: AdministrativeUnit | None = None,
    area: AdministrativeUnit | None = None,
    census: GrassrootsCensus | None = None,
) -> Dashboard:
    """Every target with its actual to date and its status.

    A target's actual is the sum of what the reporting units at or under its area
    reported: the plan's whole area, a province, or one commune. With `for_unit`, only the
    plan-wide targets and that unit's own (a unit's page, whatever the country's size).
    With `area` (the plan's own, or a province in it), only that area's targets, and the
    communes' own targets under it (they decide who is expected to report): the national
    dashboard judges the 100 targets it shows, not the 3,500 of every province, and counts
    the units expected to report from the plan's census (`grassroots_census`, read here
    unless the caller has it) instead of reading 3.321 communes.
    """
    kept = is_kept(plan)
    wanted = Target.objects.filter(plan=plan)
    if for_unit is not None:
        wanted = wanted.filter(unit__in=[plan.unit_id, for_unit.pk])
    elif area is not None:
        under = Q(
            unit__path__startswith=f"{area.path}/", unit__kind__in=AdministrativeUnit.GRASSROOTS
        )
        wanted = wanted.filter(Q(unit=area) | under)
    targets = list(
        wanted.select_related("indicator", "unit")
        .annotate(
            names_units=Exists(Target.named_units.through.objects.filter(target=OuterRef("pk")))
        )
        .order_by("position")
    )
    # Most targets name no unit: only the lists of those that do are read.
    prefetch_related_objects([t for t in targets if t.names_units], "named_units")
    few = kept and (for_unit is not None or area is not None)
    if few and for_unit is not None:
        units = {for_unit.pk: for_unit}
    elif few:
        units = {t.unit_id: t.unit for t in targets if t.unit.is_grassroots}
    else:
        units = {u.pk: u for u in grassroots_units(plan)}
    units[plan.unit_id] = plan.unit
    revisions = target_revisions(plan)
    expected: dict[int, frozenset[int]]
    if few:
        expecting = expectations(plan, targets)
        census = grassroots_census(plan) if census is None else census
        expected_count = expected_counts(plan, expecting, census)
        # Only a commune's own targets are added up here (the others are kept totals),
        # and each expects that commune alone.
        expected = {
            pk: e.named for pk, e in expecting.items() if e.area is None and e.within is None
        }
    else:
        grassroots = [(u.pk, u.path) for u in units.values() if u.pk != plan.unit_id]
        expected = expected_reporters(plan, targets, grassroots)
        expected_count = {pk: len(units) for pk, units in expected.items()}
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
        _all_units=not few,
    )
    # With running totals, only targets set for a single commune are added up here.
    summed = [t for t in targets if t.unit.is_grassroots] if kept else targets
    grouped: dict[tuple[int, int], list[FigureRow]] = defaultdict(list)
    if summed:
        only = {t.unit_id for t in summed} if kept else None
        for row in counted_figures(plan, as_of, include_submitted, unit_ids=only):
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
        counted_units = AreaTotal.reading(include_submitted)[1]
        totals = {
            (row.indicator_id, row.area_id): row.counted(include_submitted)
            for row in AreaTotal.objects.filter(
                plan=plan,
                cutoff=Subquery(cut),
                area__in={t.unit_id for t in targets if not t.unit.is_grassroots},
                **{f"{counted_units}__gt": 0},
            )
        }

    by_unit = defaultdict(list)
    for target in targets:
        item = Attainment(indicator=target.indicator, target=target)
        if kept and not target.unit.is_grassroots:
            total = totals.get((target.indicator_id, target.unit_id))
            item._includes_submitted = False
            if total is not None:
                item.actual, item.reported_units, with_submitted = total
                item._includes_submitted = with_submitted > 0
            item._board = board
        else:
            found = _sorted(plan, by_area.get((target.indicator_id, target.unit_id), []))
            item.contributions = found
            if found:
                item.actual = sum((c.value for c in found), Decimal(0))
            item.reported_units = len({c.unit.pk for c in found} & expected[target.pk])
        item.expected_units = expected_count[target.pk]
        amended = revisions.get(target.pk, [])
        if amended:
            # Every reader of the board (page, .xlsx, .docx) shows the value in force at
            # the cut-off: the item holds a copy of the target with that value.
            item.target = copy.copy(target)
            item.target.value = value_in_force(target, as_of, amended)
            item.revisions = amended
        judgement = judge(
            target,
            item.actual,
            year=plan.year,
            as_of=as_of,
            profile=profiles.get(target.indicator_id),
            revisions=amended,
        )
        judgement = judge_coverage(
            judgement, target, reported=item.reported_units, expected=item.expected_units
        )
        item.status, item.explanation, item.expected_share = judgement
        if target.unit_id == plan.unit_id:
            board.city.append(item)
        else:
            by_unit[target.unit_id].append(item)
    board.by_unit = dict(by_unit)
    return board

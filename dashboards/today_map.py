"""A past plan's results on today's map ("theo đơn vị hành chính hiện nay", ?theo=hien-nay).

Why here, and only here: a leader asks how the area that is now Phường Tân Phong did in
2023, but the 2023 reports belong to the seven units of the time, and must keep doing so.
Nothing is moved: the board (dashboards/board.py) computes every old unit's target and
result by the value and judging rules, and this module puts them on the units that stand
for them on a day (plans/selectors.successors_on):

- a successor's target and result are the sums of its old units' (the target in force at
  the cut-off, as the board has it); each figure keeps the list of old units and figures
  behind it, so any sum can be checked by hand;
- a successor that also took in units outside the plan is marked "chỉ gồm một phần địa
  bàn", naming them: the plan never measured those;
- a split applies the share its source gives; without a share none is invented: the figure
  stays under the unit it was reported for, with a note saying why;
- plan-wide figures are not touched (they are the board's).

A fixed number of queries whatever the number of units: the board's own, its
contributions (one), the successions forward (one per generation of reorganisations),
the successions backward for the units taken in from outside (one per generation, plus one),
and the seasonal profiles of the summed targets (one).
"""

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _

from common.numbers import format_number
from plans.models import AdministrativeUnit, UnitSuccession
from plans.selectors import successors_on
from reporting.models import Indicator, SeasonalProfile
from reporting.periods import year_last_day

from .board import Attainment, Contribution, Dashboard
from .judging import HUNDRED, Status, judge, judge_coverage

# The query parameter and its value: ?theo=hien-nay
PARAMETER = "theo"
TODAY = "hien-nay"


def wants_today_map(request: HttpRequest) -> bool:
    """Whether the page is asked for on today's map."""
    return request.GET.get(PARAMETER) == TODAY


@dataclass
class OldFigure:
    """One old unit behind a successor's figure: its own target (if it had one) and its
    result, both after the share it passed on."""

    unit: AdministrativeUnit
    share: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    contribution: Contribution | None
    own: Attainment | None


@dataclass
class SuccessorFigure:
    """One indicator for one successor: sums of its old units' figures, and the figures."""

    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    behind: list[OldFigure]
    includes_submitted: bool = False
    status: str = Status.NO_DATA
    explanation: str = ""

    @property
    def share(self) -> Decimal | None:
        if self.actual is None or not self.target:
            return None
        return self.actual / self.target * HUNDRED

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])


@dataclass
class MappedUnit:
    """A row on today's map: a successor, or an old unit kept as it was (`note` says why)."""

    unit: AdministrativeUnit
    old_units: list[tuple[AdministrativeUnit, Decimal | None]]  # (old unit, share passed on)
    outside: list[AdministrativeUnit] = field(default_factory=list)
    figures: dict[int, SuccessorFigure] = field(default_factory=dict)
    note: str = ""
    is_successor: bool = True

    @property
    def partial(self) -> bool:
        """It also took in units outside the plan: the plan measured only part of it."""
        return bool(self.outside)

    @property
    def partial_label(self) -> str:
        if not self.outside:
            return ""
        return _("chỉ gồm một phần địa bàn")

    @property
    def partial_note(self) -> str:
        if not self.outside:
            return ""
        return _("Kế hoạch không gồm %(units)s, nay thuộc %(unit)s.") % {
            "units": ", ".join(str(u) for u in self.outside),
            "unit": self.unit,
        }

    @property
    def old_names(self) -> str:
        return ", ".join(_old_name(unit, share) for unit, share in self.old_units)

    def figure(self, indicator_id: int) -> SuccessorFigure | None:
        return self.figures.get(indicator_id)

    def ordered_figures(self, indicator_ids: list[int]) -> list[SuccessorFigure]:
        return [self.figures[pk] for pk in indicator_ids if pk in self.figures]


def _old_name(unit: AdministrativeUnit, share: Decimal | None) -> str:
    if share is None:
        return str(unit)
    return f"{unit} ({format_number(share * HUNDRED)}%)"


@dataclass
class CountsRow:
    """Counts (tasks by status) of a row of today's map: its old units' own, and their sum
    where every old unit passed on whole (a count of tasks is not divided by a share)."""

    row: MappedUnit
    counts: dict[str, int] | None
    old: list[tuple[AdministrativeUnit, dict[str, int]]]


@dataclass
class TodayMap:
    day: date
    rows: list[MappedUnit]
    # Each old unit's rows on today's map (its successors, or itself).
    of_old_unit: dict[int, list[MappedUnit]]

    def row_for(self, slug: str) -> MappedUnit | None:
        return next((row for row in self.rows if row.unit.slug == slug), None)

    def regroup_counts(
        self, by_unit: Iterable[tuple[AdministrativeUnit, dict[str, int]]]
    ) -> list[CountsRow]:
        """Counts kept per old unit, put on today's map (no query)."""
        counts = {unit.pk: unit_counts for unit, unit_counts in by_unit}
        regrouped = []
        for row in self.rows:
            old = [(unit, counts[unit.pk]) for unit, _share in row.old_units if unit.pk in counts]
            if not old:
                continue
            whole = all(share is None for _unit, share in row.old_units)
            total: dict[str, int] | None = None
            if whole:
                total = {}
                for _unit, unit_counts in old:
                    for key, count in unit_counts.items():
                        total[key] = total.get(key, 0) + count
            regrouped.append(CountsRow(row=row, counts=total, old=old))
        return regrouped

    @property
    def successors(self) -> list[MappedUnit]:
        return [row for row in self.rows if row.is_successor]


def applies(board: Dashboard, day: date) -> bool:
    """Whether today's map differs from the plan's: some of its communes have ended."""
    return any(not u.is_valid_on(day) for u in board.units if u.pk != board.plan.unit_id)


def today_map(board: Dashboard, day: date) -> TodayMap:
    """The board's per-unit targets and results put on the units standing on `day`.

    Only the plan's communes and wards move; the plan's own entries (Phòng Kinh tế's
    city-wide figures) and the plan-wide totals stay as the board has them.
    """
    plan = board.plan
    old_units = [u for u in board.units if u.pk != plan.unit_id]
    successions = successors_on(old_units, day)

    # Whole or with the source's shares: (successor, share) per old unit; None where it
    # cannot be put on today's map without inventing a share, with the reason.
    placed: dict[int, list[tuple[AdministrativeUnit, Decimal | None]]] = {}
    kept: dict[int, str] = {}
    for unit in old_units:
        found = successions.get(unit.pk, [])
        if not found:
            kept[unit.pk] = _("Không có đơn vị kế thừa trong dữ liệu sắp xếp đơn vị.")
        elif len(found) > 1 and any(s.share is None for s in found):
            kept[unit.pk] = _(
                "Đã chia cho %(units)s; nguồn không cho biết tỷ lệ nên số liệu để ở đơn vị "
                "đã báo cáo."
            ) % {"units": ", ".join(str(s.unit) for s in found)}
        else:
            placed[unit.pk] = [(s.unit, s.share) for s in found]

    rows: dict[int, MappedUnit] = {}
    of_old_unit: dict[int, list[MappedUnit]] = defaultdict(list)
    for unit in old_units:
        if unit.pk in kept:
            row = MappedUnit(
                unit=unit, old_units=[(unit, None)], note=kept[unit.pk], is_successor=False
            )
            rows[unit.pk] = row
            of_old_unit[unit.pk].append(row)
            continue
        for successor, share in placed[unit.pk]:
            row = rows.setdefault(successor.pk, MappedUnit(unit=successor, old_units=[]))
            row.old_units.append((unit, share))
            of_old_unit[unit.pk].append(row)

    inside = {u.pk for u in old_units}
    successors = [row.unit for row in rows.values() if row.is_successor]
    for successor_id, outside in _taken_in_from_outside(
        successors, inside, after=year_last_day(plan.year), day=day
    ).items():
        rows[successor_id].outside = outside

    _sum_figures(board, list(rows.values()))
    ordered = sorted(
        rows.values(), key=lambda r: (not r.is_successor, r.unit.position, r.unit.name)
    )
    return TodayMap(day=day, rows=ordered, of_old_unit=dict(of_old_unit))


def _taken_in_from_outside(
    successors: list[AdministrativeUnit], inside: set[int], *, after: date, day: date
) -> dict[int, list[AdministrativeUnit]]:
    """For each successor, the units it took in that the plan did not hold, walked back
    through the reorganisations after the plan's year (one query per generation, and one
    more to learn that the last ones have nothing earlier): a unit reached that is not the
    plan's and has no predecessor on record after the plan came from outside it."""
    found: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    # (successor id, unit reached going back, whether it is the successor itself)
    frontier: list[tuple[int, AdministrativeUnit, bool]] = [(s.pk, s, True) for s in successors]
    seen: set[tuple[int, int]] = set()
    while frontier:
        earlier: dict[int, list[AdministrativeUnit]] = defaultdict(list)
        for row in (
            UnitSuccession.objects.filter(
                successor__in={reached.pk for _origin, reached, _first in frontier},
                effective_on__gt=after,
                effective_on__lte=day,
            )
            .select_related("predecessor")
            .order_by("predecessor__position", "predecessor__name")
        ):
            earlier[row.successor_id].append(row.predecessor)
        following = []
        for origin, reached, is_successor in frontier:
            before = earlier.get(reached.pk, [])
            if not before and not is_successor:
                found[origin].append(reached)
            for predecessor in before:
                if predecessor.pk in inside or (origin, predecessor.pk) in seen:
                    continue  # the plan's own unit, or a cycle in bad data
                seen.add((origin, predecessor.pk))
                following.append((origin, predecessor, False))
        frontier = following
    return dict(found)


def _times(value: Decimal | None, share: Decimal | None) -> Decimal | None:
    if value is None or share is None:
        return value
    return value * share


def _sum_figures(board: Dashboard, rows: list[MappedUnit]) -> None:
    """Each row's figures: its old units' targets (the board's, in force at the cut-off)
    and results (the board's contributions, by the value rule), summed and judged."""
    contributions = board.contributions_by_unit()
    indicators: dict[int, Indicator] = {i.indicator.pk: i.indicator for i in board.city}
    own: dict[tuple[int, int], Attainment] = {}
    for unit_id, items in board.by_unit.items():
        for item in items:
            own[(unit_id, item.indicator.pk)] = item
            indicators.setdefault(item.indicator.pk, item.indicator)
    targeted = {indicator_id for _unit, indicator_id in own}
    profiles = {p.indicator_id: p for p in SeasonalProfile.objects.filter(indicator__in=targeted)}
    for row in rows:
        for indicator_id in indicators:  # the plan's order: plan-wide targets first
            behind = []
            for unit, share in row.old_units:
                contribution = contributions.get(indicator_id, {}).get(unit.pk)
                unit_item = own.get((unit.pk, indicator_id))
                if contribution is None and unit_item is None:
                    continue
                behind.append(
                    OldFigure(
                        unit=unit,
                        share=share,
                        target=_times(unit_item.target.value, share) if unit_item else None,
                        actual=_times(contribution.value, share) if contribution else None,
                        contribution=contribution,
                        own=unit_item,
                    )
                )
            if not behind:
                continue
            row.figures[indicator_id] = _judged(
                board, indicators[indicator_id], behind, profiles.get(indicator_id)
            )


def _judged(
    board: Dashboard,
    indicator: Indicator,
    behind: list[OldFigure],
    profile: SeasonalProfile | None,
) -> SuccessorFigure:
    if len(behind) > 1 and not indicator.adds_up_across_units:
        # A rate or an average of several old units is not their sum (the rule of
        # Indicator.adds_up_across_units, as the carry to next year's plan applies it):
        # no figure is made up, each old unit's own stays listed behind the row.
        return SuccessorFigure(
            indicator=indicator,
            target=None,
            actual=None,
            behind=behind,
            explanation=_(
                "Tỷ lệ hoặc số bình quân không cộng được giữa các đơn vị: xem số liệu của "
                "từng đơn vị cũ."
            ),
        )
    targets = [f.target for f in behind if f.target is not None]
    actuals = [f.actual for f in behind if f.actual is not None]
    figure = SuccessorFigure(
        indicator=indicator,
        target=sum(targets, Decimal(0)) if targets else None,
        actual=sum(actuals, Decimal(0)) if actuals else None,
        behind=behind,
        includes_submitted=any(
            f.contribution is not None and f.contribution.includes_submitted for f in behind
        ),
    )
    owned = [f.own for f in behind if f.own is not None]
    comparisons = {item.target.comparison for item in owned}
    if figure.target is None or len(comparisons) != 1:
        return figure
    # Judged as the board judges a target, on the summed value (in force at the cut-off).
    target = copy.copy(owned[0].target)
    target.value = figure.target
    judgement = judge(
        target, figure.actual, year=board.plan.year, as_of=board.as_of, profile=profile
    )
    judgement = judge_coverage(
        judgement,
        target,
        reported=sum(item.reported_units for item in owned),
        expected=sum(item.expected_units for item in owned),
    )
    figure.status, figure.explanation = judgement.status, judgement.explanation
    return figure

"""Running totals per area, indicator and cut-off date, so that a dashboard for the whole
country reads a few hundred rows instead of adding up millions of figures.

Only a change of a report's status changes what dashboards count (drafts and returned
reports never count, and only they can be edited), so the workflow services call
`snapshot` before and `apply` after each status change, in the same transaction.
`rebuild` recomputes everything from the figures; `differences` proves the two agree.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from plans.models import AdministrativeUnit, Plan
from plans.selectors import grassroots_units

from .models import AreaTotal, Indicator, PlanTotals, Report, ReportFigure
from .values import ValueToDate

SUBMITTED = Report.Status.SUBMITTED
# Totals are kept for both readings of the dashboard: approved only, and with submitted.
COUNTED = {flag: set(Report.Status.counted(include_submitted=flag)) for flag in (False, True)}
ZERO = Decimal(0)
# Remembered on the plan object, as Django caches related objects on it.
_KEPT = "_totals_kept"
UNITS_PER_QUERY = 200

# (indicator_id, cutoff, include_submitted) -> (value, rests on a submitted report)
UnitValues = dict[tuple[int, date, bool], tuple[Decimal, bool]]
# (area, cutoff, include_submitted, indicator): the key of an AreaTotal
TotalKey = tuple[int, date, bool, int]


@dataclass
class _Fig:
    ends_on: date
    kind: str
    status: str
    value: Decimal


def cutoffs(plan: Plan) -> list[date]:
    return sorted(set(plan.periods.values_list("ends_on", flat=True)))


def cutoff_for(cuts: list[date], as_of: date) -> date | None:
    """The last period end on or before `as_of`: the figures counted are the same."""
    index = bisect_right(cuts, as_of)
    return cuts[index - 1] if index else None


def _is_submitted(fig: _Fig) -> bool:
    return fig.status == SUBMITTED


def _series(
    figs: list[_Fig], is_flow: bool, cuts: list[date], out: UnitValues, indicator_id: int
) -> None:
    """The unit's value at each cut-off, by the one value rule (reporting.values), in one
    pass over its figures: each is fed once and the value read at every cut-off."""
    for include_submitted, counted in COUNTED.items():
        rows = sorted((f for f in figs if f.status in counted), key=lambda f: f.ends_on)
        if not rows:
            continue
        i = 0
        found: ValueToDate[_Fig] = ValueToDate(is_flow, marked=_is_submitted)
        for cut in cuts:
            while i < len(rows) and rows[i].ends_on <= cut:
                found.add(rows[i])
                i += 1
            if found.value is not None:
                out[(indicator_id, cut, include_submitted)] = (found.value, found.any_marked)


def unit_values(
    plan: Plan, unit_ids: Iterable[int], cuts: list[date] | None = None
) -> dict[int, UnitValues]:
    """Each unit's value for each indicator, cut-off and class, from its figures (one query)."""
    cuts = cuts if cuts is not None else cutoffs(plan)
    grouped: dict[tuple[int, int], list[_Fig]] = defaultdict(list)
    behaviours: dict[int, str] = {}
    figures = ReportFigure.objects.filter(
        report__period__plan=plan,
        report__status__in=Report.Status.counted(include_submitted=True),
        report__unit_id__in=list(unit_ids),
    )
    for unit_id, indicator_id, behaviour, kind, ends_on, status, value in figures.values_list(
        "report__unit_id",
        "indicator_id",
        "indicator__behaviour",
        "report__period__kind",
        "report__period__ends_on",
        "report__status",
        "value",
    ):
        grouped[(unit_id, indicator_id)].append(_Fig(ends_on, kind, status, value))
        behaviours[indicator_id] = behaviour
    result: dict[int, UnitValues] = defaultdict(dict)
    for (unit_id, indicator_id), figs in grouped.items():
        is_flow = behaviours[indicator_id] == Indicator.Behaviour.FLOW
        _series(figs, is_flow, cuts, result[unit_id], indicator_id)
    return result


def _area_paths(plan: Plan) -> dict[str, int]:
    """The plan's unit and every unit between it and the communes: the areas kept."""
    units = AdministrativeUnit.objects.filter(
        Q(pk=plan.unit_id) | Q(path__startswith=f"{plan.unit.path}/")
    ).exclude(kind__in=AdministrativeUnit.GRASSROOTS)
    return dict(units.values_list("path", "pk"))


def _areas_of(path: str, area_paths: dict[str, int]) -> list[int]:
    parts = path.split("/")
    return [
        area_paths["/".join(parts[:depth])]
        for depth in range(1, len(parts) + 1)
        if "/".join(parts[:depth]) in area_paths
    ]


def _reporting_units(plan: Plan) -> list[tuple[int, str]]:
    return [(plan.unit_id, plan.unit.path)] + list(
        grassroots_units(plan).order_by("pk").values_list("pk", "path")
    )


def recompute(plan: Plan) -> dict[TotalKey, list]:
    """(area, cutoff, include_submitted, indicator) -> [value, units, units_with_submitted]."""
    cuts = cutoffs(plan)
    area_paths = _area_paths(plan)
    units = _reporting_units(plan)
    totals: dict = {}
    for start in range(0, len(units), UNITS_PER_QUERY):
        chunk = dict(units[start : start + UNITS_PER_QUERY])
        for unit_id, values in unit_values(plan, chunk, cuts).items():
            areas = _areas_of(chunk[unit_id], area_paths)
            for (indicator_id, cut, include_submitted), (value, submitted) in values.items():
                for area_id in areas:
                    entry = totals.setdefault(
                        (area_id, cut, include_submitted, indicator_id), [ZERO, 0, 0]
                    )
                    entry[0] += value
                    entry[1] += 1
                    entry[2] += int(submitted)
    return totals


def stored(plan: Plan) -> dict[TotalKey, list]:
    return {
        (area, cut, incl, indicator): [value, units, with_submitted]
        for area, cut, incl, indicator, value, units, with_submitted in AreaTotal.objects.filter(
            plan=plan, units__gt=0
        ).values_list(
            "area_id",
            "cutoff",
            "include_submitted",
            "indicator_id",
            "value",
            "units",
            "units_with_submitted",
        )
    }


def differences(plan: Plan) -> list[tuple]:
    """Every total that is not what a recomputation from the figures gives: (key, kept, right)."""
    kept, right = stored(plan), recompute(plan)
    return [
        (key, kept.get(key), right.get(key))
        for key in sorted(kept.keys() | right.keys(), key=str)
        if kept.get(key) != right.get(key)
    ]


@transaction.atomic
def rebuild(plan: Plan) -> int:
    """Recompute a plan's totals from its figures and mark them as kept from now on."""
    Plan.objects.select_for_update().get(pk=plan.pk)
    totals = recompute(plan)
    AreaTotal.objects.filter(plan=plan).delete()
    AreaTotal.objects.bulk_create(
        (
            AreaTotal(
                plan=plan,
                area_id=area_id,
                cutoff=cut,
                include_submitted=include_submitted,
                indicator_id=indicator_id,
                value=value,
                units=units,
                units_with_submitted=with_submitted,
            )
            for (area_id, cut, include_submitted, indicator_id), (
                value,
                units,
                with_submitted,
            ) in sorted(totals.items())
        ),
        batch_size=2000,
    )
    PlanTotals.objects.update_or_create(plan=plan)
    vars(plan)[_KEPT] = True
    return len(totals)


def is_kept(plan: Plan) -> bool:
    """Whether the plan's totals are kept; asked once per plan object (a page asks often)."""
    known = vars(plan)
    if _KEPT not in known:
        known[_KEPT] = PlanTotals.objects.filter(plan_id=plan.pk).exists()
    return bool(known[_KEPT])


def snapshot(report: Report) -> UnitValues | None:
    """The report's unit's values before a status change; None when totals are not kept."""
    plan = report.period.plan
    unit = report.unit
    reports_here = unit.pk == plan.unit_id or (
        unit.is_grassroots and unit.path.startswith(f"{plan.unit.path}/")
    )
    if not reports_here or not is_kept(plan):
        return None
    return unit_values(plan, [unit.pk]).get(unit.pk, {})


def apply(report: Report, before: UnitValues | None) -> None:
    """Add the change of the unit's values to the totals of every area it lies in."""
    if before is None:
        return
    plan = report.period.plan
    after = unit_values(plan, [report.unit_id]).get(report.unit_id, {})
    deltas = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        deltas[key] = (
            (new[0] if new else ZERO) - (old[0] if old else ZERO),
            (1 if new else 0) - (1 if old else 0),
            (1 if new and new[1] else 0) - (1 if old and old[1] else 0),
        )
    if not deltas:
        return
    areas = _areas_of(report.unit.path, _area_paths(plan))
    wanted = {
        (area_id, cut, incl, indicator_id): delta
        for (indicator_id, cut, incl), delta in deltas.items()
        for area_id in areas
    }
    rows = _locked_rows(plan, wanted)
    missing = sorted(wanted.keys() - rows.keys())
    if missing:
        # Rows are created with zeros first, so that two approvals at once both add to them.
        AreaTotal.objects.bulk_create(
            [
                AreaTotal(plan=plan, area_id=a, cutoff=c, include_submitted=i, indicator_id=ind)
                for a, c, i, ind in missing
            ],
            ignore_conflicts=True,
        )
        rows = _locked_rows(plan, wanted)
    for area_key, (value, units, with_submitted) in wanted.items():
        row = rows[area_key]
        row.value += value
        row.units += units
        row.units_with_submitted += with_submitted
    AreaTotal.objects.bulk_update(
        rows.values(), ["value", "units", "units_with_submitted"], batch_size=500
    )


def _locked_rows(
    plan: Plan, wanted: dict[TotalKey, tuple[Decimal, int, int]]
) -> dict[TotalKey, AreaTotal]:
    areas = {key[0] for key in wanted}
    cuts = {key[1] for key in wanted}
    indicators = {key[3] for key in wanted}
    found = (
        AreaTotal.objects.select_for_update()
        .filter(plan=plan, area_id__in=areas, cutoff__in=cuts, indicator_id__in=indicators)
        .order_by("area_id", "cutoff", "include_submitted", "indicator_id")
    )
    rows: dict[TotalKey, AreaTotal] = {}
    for row in found:
        key = (row.area_id, row.cutoff, row.include_submitted, row.indicator_id)
        if key in wanted:
            rows[key] = row
    return rows

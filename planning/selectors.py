"""Reads of a plan's life for pages and for judging: fixed numbers of queries."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from plans.models import Plan

from .models import Amendment, PlanChange, PlanEvent


@dataclass(frozen=True)
class Revision:
    """A target's value changed by an amendment: from `old` to `new` on `decided_on`."""

    decided_on: date
    decision_number: str
    old: Decimal
    new: Decimal


def target_revisions(plan: Plan) -> dict[int, list[Revision]]:
    """Each amended target's value changes, oldest first: one query, none for a plan never
    amended (only an amended plan, or a closed one, can have any)."""
    revisions: dict[int, list[Revision]] = {}
    if plan.status not in (Plan.Status.AMENDED, Plan.Status.CLOSED):
        return revisions
    rows = (
        PlanChange.objects.filter(
            plan=plan,
            model="targets.target",
            field="value",
            event__amendment__isnull=False,
            old_number__isnull=False,
            new_number__isnull=False,
        )
        .select_related("event__amendment")
        .order_by("event__amendment__decided_on", "pk")
    )
    for row in rows:
        if row.object_id is None or row.old_number is None or row.new_number is None:
            continue
        amendment = row.event.amendment
        revisions.setdefault(row.object_id, []).append(
            Revision(
                amendment.decided_on, amendment.decision_number, row.old_number, row.new_number
            )
        )
    return revisions


def plan_amendments(plan: Plan) -> list[Amendment]:
    """The plan's amendments with what each changed and who recorded it: two queries,
    none for a plan never amended."""
    if plan.status not in (Plan.Status.AMENDED, Plan.Status.CLOSED):
        return []
    return list(
        Amendment.objects.filter(plan=plan)
        .select_related("event__actor")
        .prefetch_related(Prefetch("event__changes", queryset=PlanChange.objects.order_by("pk")))
        .order_by("decided_on", "pk")
    )


def plan_history(plan: Plan) -> list[PlanEvent]:
    """Every step of the plan, newest first, with its changes: two queries."""
    return list(
        PlanEvent.objects.filter(plan=plan)
        .select_related("actor", "amendment")
        .prefetch_related(Prefetch("changes", queryset=PlanChange.objects.order_by("pk")))
        .order_by("-at", "-pk")
    )


@dataclass
class Split:
    """A city-wide target beside its per-unit targets: do the units add up to it?"""

    name: str
    unit_of_measure: str
    city: Decimal | None
    units_sum: Decimal
    units: list[tuple[str, Decimal]]

    @property
    def difference(self) -> Decimal | None:
        return None if self.city is None else self.units_sum - self.city

    @property
    def adds_up(self) -> bool:
        return self.city is None or self.units_sum == self.city


def target_splits(
    plan: Plan,
    targets: list,
    *,
    editing: object | None = None,
    typed: Decimal | None = None,
) -> dict[int, Split]:
    """For each indicator with both a city-wide target and per-unit targets, the city's
    figure and the sum of the units'. No query: `targets` are the plan's, with units.
    `typed` stands for the value of the target `editing` (what is in the form)."""
    by_indicator: dict[int, list] = {}
    for target in targets:
        by_indicator.setdefault(target.indicator_id, []).append(target)
    splits: dict[int, Split] = {}
    for indicator_id, group in by_indicator.items():
        city = [t for t in group if t.unit_id == plan.unit_id]
        units = [t for t in group if t.unit_id != plan.unit_id]
        if not city or not units:
            continue

        def value(t: object) -> Decimal:
            if typed is not None and editing is not None and t.pk == editing.pk:  # type: ignore[attr-defined]
                return typed
            return t.value  # type: ignore[attr-defined]

        splits[indicator_id] = Split(
            name=city[0].indicator.name,
            unit_of_measure=city[0].indicator.unit_of_measure,
            city=value(city[0]),
            units_sum=sum((value(t) for t in units), Decimal(0)),
            units=[(t.unit.name, value(t)) for t in units],
        )
    return splits

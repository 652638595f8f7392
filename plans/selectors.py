"""Reads of the plan for pages: a fixed number of queries whatever the plan's size."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)

from .models import (
    AdministrativeUnit,
    Body,
    Citation,
    LegalDocument,
    OcopProduct,
    Plan,
    Section,
    UnitSuccession,
)


def latest_plan() -> Plan | None:
    """The plan people work on: the latest one issued (a draft of next year's plan is
    Phòng Kinh tế's work in progress, not yet where units report), else the latest."""
    issued = Plan.objects.exclude(status=Plan.Status.DRAFT).order_by("-year").first()
    return issued or Plan.objects.order_by("-year").first()


@dataclass(frozen=True)
class Successor:
    """A unit standing on a day for an older one, and the share of the older one it took
    (None: all of it, as in a merge, or a split whose source gives no share)."""

    unit: AdministrativeUnit
    share: Decimal | None = None


def successors_on(units: Iterable[AdministrativeUnit], day: date) -> dict[int, list[Successor]]:
    """For each unit, the units that stand for it on `day`: itself while it is valid, else
    its successors, followed through every later reorganisation up to `day` (shares
    multiply along the way). A unit that ended with no successor on record maps to [].

    One query per generation of history (one for the 2025 reform), whatever the number
    of units: the one place old units are put on a later map.
    """
    result: dict[int, list[Successor]] = {}
    # (original unit id, unit reached so far, share so far)
    pending: list[tuple[int, AdministrativeUnit, Decimal | None]] = []
    for unit in units:
        if unit.is_valid_on(day):
            result[unit.pk] = [Successor(unit)]
        else:
            result[unit.pk] = []
            pending.append((unit.pk, unit, None))
    seen: set[tuple[int, int]] = set()
    while pending:
        rows = (
            UnitSuccession.objects.filter(
                predecessor__in={reached.pk for _, reached, _ in pending}, effective_on__lte=day
            )
            .select_related("successor")
            .order_by("successor__position", "successor__name")
        )
        by_predecessor: dict[int, list[UnitSuccession]] = {}
        for row in rows:
            by_predecessor.setdefault(row.predecessor_id, []).append(row)
        following = []
        for origin, reached, share in pending:
            for row in by_predecessor.get(reached.pk, []):
                if (origin, row.successor_id) in seen:
                    continue  # a cycle in bad data must not loop for ever
                seen.add((origin, row.successor_id))
                combined = _times(share, row.share)
                if row.successor.is_valid_on(day):
                    result[origin].append(Successor(row.successor, combined))
                else:
                    following.append((origin, row.successor, combined))
        pending = following
    return result


@dataclass
class AreaOnDay:
    """A plan's area and units as they stand on a later day: the first day of the plan
    drafted from it.

    `successors` maps each of the old plan's units (and its area) to the units standing
    for it; `moved` says whether any is another unit. `units` is the new plan's list of
    communes and wards (`Plan.units`): the successors when units moved, the old plan's
    own list when it had one, None otherwise (the new plan holds its area's units, as the
    old one did). `outside` names, for each successor, the units it also took in from
    outside the old plan: its targets then cover only part of it.
    """

    area: AdministrativeUnit | None
    successors: dict[int, list[Successor]]
    units: list[AdministrativeUnit] | None
    moved: bool = False
    outside: dict[int, list[AdministrativeUnit]] = field(default_factory=dict)

    def units_for(self, unit_id: int) -> list[AdministrativeUnit]:
        """The units standing for an old unit; the area for the old plan's area."""
        return [s.unit for s in self.successors.get(unit_id, [])]


def plan_area_on(plan: Plan, day: date) -> AreaOnDay:
    """Where the plan's area and its units stand on `day`, the one place next year's plan
    asks which units it holds. A unit still valid stands for itself; one that ended is
    followed to its successors (`successors_on`). The plan's own area, when it ended, is
    its one successor if it has exactly one, else the nearest unit above it still valid:
    the 2025 reform abolished the district level, so a city's plan passes to the province.

    Two queries while nothing ended; four across the 2025 reform, whatever the plan's size
    (the plan read with its unit).
    """
    old_units = list(grassroots_units(plan))
    successors = successors_on([plan.unit, *old_units], day)
    moved = any([s.unit.pk for s in successors[u.pk]] != [u.pk] for u in [plan.unit, *old_units])
    if not moved:
        lists = Plan.units.through.objects.filter(plan_id=plan.pk).exists()
        return AreaOnDay(area=plan.unit, successors=successors, units=old_units if lists else None)
    area: AdministrativeUnit | None
    own = successors[plan.unit.pk]
    if plan.unit.is_valid_on(day):
        area = plan.unit
    elif len(own) == 1:
        area = own[0].unit
    else:
        slugs = plan.unit.path.split("/")[:-1]
        above = sorted(
            (u for u in AdministrativeUnit.objects.filter(slug__in=slugs) if u.is_valid_on(day)),
            key=lambda u: u.path.count("/"),
        )
        area = above[-1] if above else None
    successors[plan.unit.pk] = [Successor(area)] if area is not None else []
    units: list[AdministrativeUnit] = []
    for old in old_units:
        for successor in successors[old.pk]:
            below = area is not None and successor.unit.path.startswith(f"{area.path}/")
            if below and successor.unit.is_grassroots and successor.unit not in units:
                units.append(successor.unit)
    units.sort(key=lambda u: (u.parent_id or 0, u.position, u.pk))  # siblings in plan order
    old_ids = {u.pk for u in old_units}
    outside: dict[int, list[AdministrativeUnit]] = {}
    taken_in = (
        UnitSuccession.objects.filter(successor__in=[u.pk for u in units], effective_on__lte=day)
        .exclude(predecessor__in=old_ids)
        .select_related("predecessor")
        .order_by(*(f"predecessor__{key}" for key in PLAN_ORDER))
    )
    for row in taken_in:
        outside.setdefault(row.successor_id, []).append(row.predecessor)
    return AreaOnDay(area=area, successors=successors, units=units, moved=True, outside=outside)


def _times(left: Decimal | None, right: Decimal | None) -> Decimal | None:
    if left is None:
        return right
    if right is None:
        return left
    return left * right


# The plan's order of its communes and wards: by the unit above them, then their own.
PLAN_ORDER = ("parent__position", "parent_id", "position", "pk")


def _listed(plan: Plan, unit: str = "pk") -> Q:
    """The plan's own list of units when it has one (`Plan.units`), else every unit: in
    the same query, so that asking costs nothing for the plans that list none. `unit`
    names the unit's id in the outer query (a report's "unit_id").

    "Lists none" comes first: PostgreSQL evaluates it once and then skips the look-up of
    each unit in the list, which cost a sub-plan per row (3.356 at national size)."""
    listed = Plan.units.through.objects.filter(plan_id=plan.pk)
    return ~Q(Exists(listed)) | Q(Exists(listed.filter(administrativeunit_id=OuterRef(unit))))


def in_plan_grassroots(plan: Plan, through: str, unit: str) -> Q:
    """The rows whose unit, reached by `through` ("unit__" for a report), is one of the
    plan's communes and wards (`grassroots_units`), for a query that joins the unit
    anyway; `unit` is the unit's id in that query ("unit_id")."""
    return Q(
        **{
            f"{through}path__startswith": f"{plan.unit.path}/",
            f"{through}kind__in": AdministrativeUnit.GRASSROOTS,
        }
    ) & _listed(plan, unit)


def grassroots_units(plan: Plan) -> QuerySet[AdministrativeUnit]:
    """The communes and wards a plan's area holds, at any depth, in the plan's order; only
    those the plan lists when it lists some (a plan after the 2025 reform holds the wards
    that succeeded the old city's units, not every commune of the province)."""
    return (
        AdministrativeUnit.objects.below(plan.unit)
        .grassroots()
        .filter(_listed(plan))
        .order_by(*PLAN_ORDER)
    )


@dataclass(frozen=True)
class GrassrootsCensus:
    """How many of a plan's communes and wards lie right under each unit that holds some
    (a province, or a district of the old map): what the national dashboard needs to know
    of 3.321 communes, in one grouped query."""

    # parent id -> (the parent's path, how many of the plan's units are right under it)
    by_parent: dict[int, tuple[str, int]]

    def under(self, area: AdministrativeUnit) -> dict[int, tuple[str, int]]:
        """`by_parent` for the parents at or under `area`: its units, at any depth."""
        below = f"{area.path}/"
        return {
            parent_id: (path, count)
            for parent_id, (path, count) in self.by_parent.items()
            if path == area.path or path.startswith(below)
        }

    def count_under(self, area: AdministrativeUnit) -> int:
        """How many of the plan's communes and wards lie under `area`, at any depth."""
        return sum(count for _path, count in self.under(area).values())


def grassroots_census(plan: Plan) -> GrassrootsCensus:
    """The plan's communes and wards (`grassroots_units`) counted by the unit right above
    each: one query whatever the plan's size."""
    rows = (
        grassroots_units(plan)
        .order_by()
        .values_list("parent_id", "parent__path")
        .annotate(count=Count("pk"))
    )
    return GrassrootsCensus({parent_id: (path, count) for parent_id, path, count in rows})


def subareas_of(
    plan: Plan, area: AdministrativeUnit, census: GrassrootsCensus | None = None
) -> tuple[list[AdministrativeUnit], int]:
    """The areas right under `area` that hold communes of the plan (a nation's provinces),
    and how many of the plan's communes and wards are right under it, from the plan's
    census (`grassroots_census`, one query unless the caller has it) and one query for
    the areas, none when there are none (a city's plan). Areas holding none of the plan's
    units are left out (after the 2025 reform the province's plan holds two wards; the
    city and the districts that ended hold none of them)."""
    census = grassroots_census(plan) if census is None else census
    # A unit's path holds its ancestors' slugs: the area right under `area` on the way to
    # each parent of the plan's units is that many slugs of the parent's path.
    below, depth = f"{area.path}/", area.path.count("/") + 2
    paths = {
        "/".join(path.split("/")[:depth])
        for path, _count in census.by_parent.values()
        if path.startswith(below)
    }
    subareas = (
        list(
            AdministrativeUnit.objects.filter(path__in=paths)
            .exclude(kind__in=AdministrativeUnit.GRASSROOTS)
            .order_by("position", "name")
        )
        if paths
        else []
    )
    communes = census.by_parent.get(area.pk, ("", 0))[1]
    return subareas, communes


def grassroots_in_force(day: date) -> QuerySet[AdministrativeUnit]:
    """The communes, wards and special zones valid on `day`, with the unit above each:
    those an official's account may be made for (after the 2025 reform, the new wards,
    not the units they replaced)."""
    return (
        AdministrativeUnit.objects.grassroots()
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("parent")
        .order_by("path")
    )


def reportable_units(plan: Plan) -> QuerySet[AdministrativeUnit]:
    """The plan's own unit (for city-wide entries) followed by its communes and wards, as
    one query, so that a page of 50 is read from the database instead of cut from all
    3.332 communes of a national plan."""
    return (
        AdministrativeUnit.objects.filter(
            Q(pk=plan.unit_id)
            | (
                Q(
                    path__startswith=f"{plan.unit.path}/",
                    kind__in=AdministrativeUnit.GRASSROOTS,
                )
                & _listed(plan)
            )
        )
        .annotate(after_plan_unit=Case(When(pk=plan.unit_id, then=Value(0)), default=Value(1)))
        .order_by("after_plan_unit", *PLAN_ORDER)
    )


@dataclass
class SectionView:
    section: Section
    targets: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    works: list = field(default_factory=list)
    policies: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    body: Body | None = None


@dataclass
class CitedDocument:
    document: LegalDocument
    citations: list[Citation] = field(default_factory=list)

    @property
    def cited_dates(self) -> list:
        return sorted({c.cited_date for c in self.citations if c.cited_date})

    @property
    def dates_disagree(self) -> bool:
        return len(self.cited_dates) > 1


@dataclass
class PlanDocument:
    plan: Plan
    sections: list[SectionView]
    basis_citations: list[Citation]
    units: list[AdministrativeUnit]
    bodies: list[Body]
    documents: list[CitedDocument]


def plan_document(plan: Plan) -> PlanDocument:
    """Everything the plan page shows, grouped by the section it belongs to."""
    sections = list(plan.sections.all())
    by_section = {section.pk: SectionView(section=section) for section in sections}

    # The targets are the reporting app's; the plan reads them through the relation that
    # app declares (Target.plan, related_name "targets"), so plans imports nothing of it.
    targets = (
        plan.targets.all()
        .select_related("indicator", "unit")
        .prefetch_related(
            Prefetch("named_units", queryset=AdministrativeUnit.objects.order_by("position"))
        )
    )
    carried = [target for target in targets if target.carry]
    # The old targets behind those carried onto a successor (the 2025 reform): two more
    # queries for such a plan, none for the others.
    prefetch_related_objects(carried, "sources__unit")
    for target in targets:
        by_section[target.section_id].targets.append(target)

    tasks = plan.tasks.prefetch_related(
        Prefetch("bodies", queryset=Body.objects.order_by("position")),
        Prefetch("units", queryset=AdministrativeUnit.objects.order_by("position")),
    )
    for task in tasks:
        by_section[task.section_id].tasks.append(task)

    for work in plan.works.select_related("policy__document").prefetch_related(
        Prefetch("units", queryset=AdministrativeUnit.objects.order_by("position"))
    ):
        by_section[work.section_id].works.append(work)

    for policy in plan.policies.select_related("document"):
        by_section[policy.section_id].policies.append(policy)

    basis = []
    documents: dict[int, CitedDocument] = {}
    for citation in plan.citations.select_related("document", "section"):
        cited = documents.setdefault(citation.document_id, CitedDocument(citation.document))
        cited.citations.append(citation)
        if citation.section_id is None:
            basis.append(citation)
        else:
            by_section[citation.section_id].citations.append(citation)

    bodies = list(
        plan.bodies.prefetch_related(
            Prefetch("units", queryset=AdministrativeUnit.objects.order_by("position"))
        )
    )
    for body in bodies:
        if body.section_id:
            by_section[body.section_id].body = body

    units = list(grassroots_units(plan))
    return PlanDocument(
        plan=plan,
        sections=[by_section[section.pk] for section in sections],
        basis_citations=basis,
        units=units,
        bodies=bodies,
        documents=sorted(documents.values(), key=lambda cited: cited.document.number),
    )


@dataclass
class OcopRegister:
    products: list
    expiring: list
    expired: list
    new_in_year: list
    stars: dict


def ocop_register(plan: Plan, today: date) -> OcopRegister:
    """The city's OCOP products as they stood on `today`, with what needs attention: one query.

    A file made as of a past period passes that period's last day, so it neither counts a
    product recognised later nor calls expired one that was still valid then.
    """
    products = list(
        OcopProduct.objects.filter(in_plan_grassroots(plan, "unit__", "unit_id"))
        .exclude(decision_date__gt=today)
        .select_related("unit")
        .order_by("-decision_date", "name")
    )
    soon = today + timedelta(days=30)
    active = [p for p in products if p.status == OcopProduct.Status.ACTIVE]
    stars: dict = {5: 0, 4: 0, 3: 0}
    for product in active:
        if product.stars in stars:
            stars[product.stars] += 1
    return OcopRegister(
        products=products,
        expiring=[p for p in active if p.expires_on and today <= p.expires_on <= soon],
        expired=[p for p in products if p.expires_on and p.expires_on < today],
        new_in_year=[p for p in products if p.decision_date and p.decision_date.year == plan.year],
        stars=stars,
    )

"""Reads of the plan for pages: a fixed number of queries whatever the plan's size."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

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


def unit_in_force(unit: AdministrativeUnit, day: date) -> AdministrativeUnit | None:
    """The unit that stands for `unit` on `day`: the unit itself while it is valid, None once
    it is not. The one place next year's plan asks which units it holds; a unit's
    successor (a merger, a new code) is to be followed from here."""
    return unit if unit.is_valid_on(day) else None


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


def _times(left: Decimal | None, right: Decimal | None) -> Decimal | None:
    if left is None:
        return right
    if right is None:
        return left
    return left * right


# The plan's order of its communes and wards: by the unit above them, then their own.
PLAN_ORDER = ("parent__position", "parent_id", "position", "pk")


def grassroots_units(plan: Plan) -> QuerySet[AdministrativeUnit]:
    """The communes and wards a plan's area holds, at any depth, in the plan's order."""
    return AdministrativeUnit.objects.below(plan.unit).grassroots().order_by(*PLAN_ORDER)


def reportable_units(plan: Plan) -> QuerySet[AdministrativeUnit]:
    """The plan's own unit (for city-wide entries) followed by its communes and wards, as
    one query, so that a page of 50 is read from the database instead of cut from all
    3.332 communes of a national plan."""
    return (
        AdministrativeUnit.objects.filter(
            Q(pk=plan.unit_id)
            | Q(
                path__startswith=f"{plan.unit.path}/",
                kind__in=AdministrativeUnit.GRASSROOTS,
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
        OcopProduct.objects.filter(unit__in=grassroots_units(plan))
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

"""Next year's plan, drafted from this year's: what is copied, what is left to fill in.

Copied, as they stand: the plan's wording (the year in its title moved on), its sections
and their text, the cited documents (the parent five-year plan kept) except the decision
that gave this year's targets (next year has its own, to fill in), the bodies of section
III, the tasks with their bodies and units, the support policies, the infrastructure
works, and the targets, each with this year's value as the starting point, marked "chưa
xác nhận" and pointing at the target it was copied from (`Target.carried_from`).

Shared, not copied: indicators and their seasonal profiles are one row each across the
years (`reporting.Indicator` belongs to no plan), which is how a 2024 target is known to
measure the same thing as a 2023 one: the same indicator, the same unit.

Units: as they stand on 1 January of the new year (`plans.selectors.plan_area_on`). Across
the 2025 reform the old units are followed to their successors: the city's plan passes to
the province, its communes and wards to the two wards that succeeded them, and each
ward's targets are the old units' targets added up, marked for review with the old
targets behind them (`reporting.TargetSource`). A figure that does not add up (a rate,
an average: `Indicator.adds_up_across_units`), or an old unit split without a share from
a source, gives no starting value: the target is left for the planner to enter, with the
old values listed. A successor that also took in units outside the old plan has them
listed too: the added-up figure covers only part of it.

The new plan is next year's by default; Phòng Kinh tế may choose a later year, since a
plan may have been skipped (the 2023 plan drafts the 2026 one directly).

Nothing of the reports is copied. The new year's reporting periods are made from the
calendar (`reporting.periods`). The old plan is not touched.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.access import may_draft_next_plan
from plans.models import (
    AdministrativeUnit,
    Body,
    Citation,
    InfrastructureWork,
    Plan,
    Section,
    SupportPolicy,
    Task,
)
from plans.selectors import AreaOnDay, Successor, plan_area_on
from reporting.models import Target, TargetSource
from reporting.periods import periods_create_for_plan

from .models import PlanEvent
from .services import PlanError, locked_plan

# Years ahead a plan may be drafted, counted from the plan it is drafted from.
LATEST_YEARS_AHEAD = 10


def _year_moved_on(text: str, old: int, new: int) -> str:
    """The plan's own words with its year moved on: "năm 2023" → "năm 2024"."""
    return re.sub(rf"\b{old}\b", str(new), text)


def _units(units: list[AdministrativeUnit], area: AreaOnDay, day: date) -> list[AdministrativeUnit]:
    """The units standing on `day` for `units`, each once, in their order."""
    kept: list[AdministrativeUnit] = []
    for unit in units:
        if unit.pk in area.successors:
            carried = area.units_for(unit.pk)
        else:
            carried = [unit] if unit.is_valid_on(day) else []
        kept.extend(u for u in carried if u not in kept)
    return kept


@dataclass(frozen=True)
class _Part:
    """One old target's part in a new one: all of it, or `share` of it."""

    target: Target
    share: Decimal | None
    split: bool  # the old unit went to several successors

    @property
    def divisible(self) -> bool:
        return self.share is not None or not self.split


def _carried_target(
    parts: list[_Part], *, unit: AdministrativeUnit, outside: list[AdministrativeUnit]
) -> tuple[str, Decimal]:
    """How a target carried onto `unit` from `parts` is made, and its starting value."""
    first = parts[0].target
    if len(parts) == 1 and first.unit_id == unit.pk and not parts[0].split:
        return Target.Carry.SAME, first.value
    whole_and_alone = len(parts) == 1 and parts[0].share is None and not outside
    adds_up = first.indicator.adds_up_across_units or whole_and_alone
    if adds_up and all(part.divisible for part in parts):
        total = sum((p.target.value * (p.share or 1) for p in parts), Decimal(0))
        return Target.Carry.SUCCESSOR, total.quantize(Decimal("0.001"))
    return Target.Carry.TO_ENTER, Decimal(0)


def _copy(instance: models.Model, **changes: object) -> models.Model:
    fields = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    fields.update(changes)
    return type(instance)(**fields)


@transaction.atomic
def plan_draft_next_year(*, actor: User, plan: Plan, year: int | None = None) -> Plan:
    """Create the draft plan of `year` (by default plan.year + 1) from `plan`; refused when
    a plan of that year exists already or one was drafted from `plan` before."""
    if not may_draft_next_plan(actor, plan):
        raise PermissionDenied
    plan = locked_plan(plan)
    year = plan.year + 1 if year is None else year
    if plan.is_draft:
        raise PlanError(_("Kế hoạch còn là dự thảo: ban hành trước khi lập kế hoạch năm sau."))
    if not plan.year < year <= plan.year + LATEST_YEARS_AHEAD:
        raise PlanError(
            _("Năm của kế hoạch mới phải sau năm %(year)s, không quá %(ahead)s năm.")
            % {"year": plan.year, "ahead": LATEST_YEARS_AHEAD}
        )
    existing = Plan.objects.filter(Q(year=year) | Q(previous=plan)).first()
    if existing is not None:
        raise PlanError(_("Kế hoạch năm %(year)s đã được lập.") % {"year": existing.year})
    new_year = date(year, 1, 1)
    area = plan_area_on(plan, new_year)
    if area.area is None:
        raise PlanError(
            _(
                "Địa bàn %(unit)s đã kết thúc và không có đơn vị kế thừa: không lập được kế "
                "hoạch năm %(year)s từ kế hoạch này."
            )
            % {"unit": plan.unit, "year": year}
        )

    try:
        with transaction.atomic():
            new = Plan(
                year=year,
                status=Plan.Status.DRAFT,
                title=_year_moved_on(plan.title, plan.year, year),
                issuer=plan.issuer,
                unit=area.area,
                parent_document=plan.parent_document,
                preamble=_year_moved_on(plan.preamble, plan.year, year),
                closing=_year_moved_on(plan.closing, plan.year, year),
                recipients=plan.recipients,
                previous=plan,
            )
            new._history_user = actor  # type: ignore[attr-defined]
            new.save()
    except IntegrityError as exc:  # drafted by someone else a moment ago
        raise PlanError(_("Kế hoạch năm %(year)s đã được lập.") % {"year": year}) from exc
    if area.units is not None:
        new.units.set(area.units)

    sections = list(plan.sections.order_by("position"))
    new_sections = bulk_create_with_history(
        [_copy(s, plan_id=new.pk, parent_id=None) for s in sections],
        Section,
        default_user=actor,
    )
    section_map = {old.pk: made for old, made in zip(sections, new_sections, strict=True)}
    with_parent = []
    for old, made in zip(sections, new_sections, strict=True):
        if old.parent_id:
            made.parent = section_map[old.parent_id]
            with_parent.append(made)
    Section.objects.bulk_update(with_parent, ["parent"])

    def section_of(section_id: int | None) -> int | None:
        return section_map[section_id].pk if section_id else None

    citations = [
        c
        for c in plan.citations.order_by("position")
        if not (c.section_id is None and c.document_id == plan.targets_decision_id)
    ]
    bulk_create_with_history(
        [_copy(c, plan_id=new.pk, section_id=section_of(c.section_id)) for c in citations],
        Citation,
        default_user=actor,
    )

    bodies = list(plan.bodies.prefetch_related("units").order_by("position"))
    new_bodies = bulk_create_with_history(
        [_copy(b, plan_id=new.pk, section_id=section_of(b.section_id)) for b in bodies],
        Body,
        default_user=actor,
    )
    body_map = {old.pk: made for old, made in zip(bodies, new_bodies, strict=True)}
    Body.units.through.objects.bulk_create(
        Body.units.through(body_id=made.pk, administrativeunit_id=unit.pk)
        for old, made in zip(bodies, new_bodies, strict=True)
        for unit in _units(list(old.units.all()), area, new_year)
    )

    tasks = list(plan.tasks.prefetch_related("bodies", "units").order_by("position"))
    new_tasks = bulk_create_with_history(
        [_copy(t, plan_id=new.pk, section_id=section_of(t.section_id)) for t in tasks],
        Task,
        default_user=actor,
    )
    Task.bodies.through.objects.bulk_create(
        Task.bodies.through(task_id=made.pk, body_id=body_map[body.pk].pk)
        for old, made in zip(tasks, new_tasks, strict=True)
        for body in old.bodies.all()
    )
    Task.units.through.objects.bulk_create(
        Task.units.through(task_id=made.pk, administrativeunit_id=unit.pk)
        for old, made in zip(tasks, new_tasks, strict=True)
        for unit in _units(list(old.units.all()), area, new_year)
    )

    policies = list(plan.policies.order_by("position"))
    new_policies = bulk_create_with_history(
        [_copy(p, plan_id=new.pk, section_id=section_of(p.section_id)) for p in policies],
        SupportPolicy,
        default_user=actor,
    )
    policy_map = {old.pk: made.pk for old, made in zip(policies, new_policies, strict=True)}

    works = list(plan.works.prefetch_related("units").order_by("position"))
    new_works = bulk_create_with_history(
        [
            _copy(
                w,
                plan_id=new.pk,
                section_id=section_of(w.section_id),
                policy_id=policy_map.get(w.policy_id) if w.policy_id else None,
            )
            for w in works
        ],
        InfrastructureWork,
        default_user=actor,
    )
    InfrastructureWork.units.through.objects.bulk_create(
        InfrastructureWork.units.through(infrastructurework_id=made.pk, administrativeunit_id=u.pk)
        for old, made in zip(works, new_works, strict=True)
        for u in _units(list(old.units.all()), area, new_year)
    )

    # Each new target: the old targets of the units it stands for (the plan-wide target
    # for the new plan's area), in the old plan's order.
    groups: dict[tuple[int, int], list[_Part]] = {}
    plan_wide: set[tuple[int, int]] = set()
    old_targets = plan.targets.select_related("unit", "indicator").prefetch_related("named_units")
    for target in old_targets.order_by("position", "pk"):
        if target.unit_id == plan.unit_id:
            key = (target.indicator_id, new.unit_id)
            plan_wide.add(key)
            groups[key] = [_Part(target, None, False)]
            continue
        standing = [s for s in area.successors.get(target.unit_id, []) if s.unit != new.unit]
        if target.unit_id not in area.successors and target.unit.is_valid_on(new_year):
            standing = [Successor(target.unit)]
        for successor in standing:
            key = (target.indicator_id, successor.unit.pk)
            if key not in plan_wide:
                part = _Part(target, successor.share, len(standing) > 1)
                groups.setdefault(key, []).append(part)
    units_by_pk = {u.pk: u for u in [new.unit, *(area.units or [])]}
    everything_outside = [u for units in area.outside.values() for u in units]
    carried: list[tuple[Target, list[_Part], list[AdministrativeUnit]]] = []
    for (_indicator, unit_id), parts in groups.items():
        first = parts[0].target
        unit = units_by_pk.get(unit_id) or first.unit
        if (_indicator, unit_id) in plan_wide:
            outside = everything_outside if area.moved else []
        else:
            outside = area.outside.get(unit_id, [])
        carry: str
        if (_indicator, unit_id) in plan_wide and not area.moved:
            carry, value = Target.Carry.SAME, first.value
        else:
            carry, value = _carried_target(parts, unit=unit, outside=outside)
            if carry == Target.Carry.SAME and outside:
                carry = Target.Carry.SUCCESSOR
        wording = [p.target.source_text for p in parts if p.target.source_text]
        copied = _copy(
            first,
            plan_id=new.pk,
            unit_id=unit_id,
            section_id=section_of(first.section_id),
            value=value,
            confirmed=False,
            carried_from_id=first.pk,
            carry=carry,
            source_text="; ".join(dict.fromkeys(wording)),
        )
        carried.append((copied, parts, outside))  # type: ignore[arg-type]
    new_targets = bulk_create_with_history(
        [target for target, _parts, _outside in carried], Target, default_user=actor
    )
    Target.named_units.through.objects.bulk_create(
        Target.named_units.through(target_id=target.pk, administrativeunit_id=u.pk)
        for (target, parts, _outside) in carried
        for u in _units([n for p in parts for n in p.target.named_units.all()], area, new_year)
    )
    TargetSource.objects.bulk_create(
        [
            *(
                TargetSource(
                    target_id=target.pk,
                    unit_id=part.target.unit_id,
                    source_id=part.target.pk,
                    value=part.target.value,
                    share=part.share,
                    position=position,
                )
                for target, parts, _outside in carried
                if target.carry != Target.Carry.SAME
                for position, part in enumerate(parts)
            ),
            *(
                TargetSource(target_id=target.pk, unit_id=unit.pk, position=len(parts) + position)
                for target, parts, outside in carried
                if target.carry != Target.Carry.SAME
                for position, unit in enumerate(outside)
            ),
        ]
    )

    periods_create_for_plan(plan=new)
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Lập từ kế hoạch năm %(year)s: %(targets)s chỉ tiêu chưa xác nhận.") % {
            "year": plan.year,
            "targets": len(new_targets),
        }
        if area.moved:
            note += " " + _(
                "Theo đơn vị hành chính ngày %(day)s: địa bàn %(area)s, đơn vị báo cáo "
                "%(units)s; %(summed)s chỉ tiêu chuyển sang đơn vị kế thừa, %(to_enter)s chỉ "
                "tiêu cần nhập."
            ) % {
                "day": new_year.strftime("%d/%m/%Y"),
                "area": new.unit,
                "units": ", ".join(str(u) for u in area.units or []),
                "summed": sum(1 for t in new_targets if t.carry == Target.Carry.SUCCESSOR),
                "to_enter": sum(1 for t in new_targets if t.carry == Target.Carry.TO_ENTER),
            }
        PlanEvent.objects.create(plan=new, action=PlanEvent.Action.CARRIED, actor=actor, note=note)
    return new

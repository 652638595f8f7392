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

Units: those in force on 1 January of the new year (`plans.selectors.unit_in_force`);
a unit no longer in force is left out of what is copied.

Nothing of the reports is copied. The new year's reporting periods are made from the
calendar (`reporting.periods`). The old plan is not touched.
"""

import re
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
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
from plans.selectors import unit_in_force
from reporting.models import Target
from reporting.periods import periods_create_for_plan

from .models import PlanEvent
from .services import PlanError, locked_plan


def _next_year_text(text: str, year: int) -> str:
    """The plan's own words with its year moved on: "năm 2023" → "năm 2024"."""
    return re.sub(rf"\b{year}\b", str(year + 1), text)


def _units(
    units: list[AdministrativeUnit], day: date, cache: dict[int, AdministrativeUnit | None]
) -> list[AdministrativeUnit]:
    kept = []
    for unit in units:
        if unit.pk not in cache:
            cache[unit.pk] = unit_in_force(unit, day)
        carried = cache[unit.pk]
        if carried is not None and carried not in kept:
            kept.append(carried)
    return kept


def _copy(instance: models.Model, **changes: object) -> models.Model:
    fields = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    fields.update(changes)
    return type(instance)(**fields)


@transaction.atomic
def plan_draft_next_year(*, actor: User, plan: Plan) -> Plan:
    """Create the draft plan of plan.year + 1 from `plan`; refused when it exists already."""
    if not may_draft_next_plan(actor, plan):
        raise PermissionDenied
    plan = locked_plan(plan)
    year = plan.year + 1
    if plan.is_draft:
        raise PlanError(_("Kế hoạch còn là dự thảo: ban hành trước khi lập kế hoạch năm sau."))
    if Plan.objects.filter(year=year, unit_id=plan.unit_id).exists():
        raise PlanError(_("Kế hoạch năm %(year)s đã được lập.") % {"year": year})
    new_year = date(year, 1, 1)
    in_force: dict[int, AdministrativeUnit | None] = {}

    try:
        with transaction.atomic():
            new = Plan(
                year=year,
                status=Plan.Status.DRAFT,
                title=_next_year_text(plan.title, plan.year),
                issuer=plan.issuer,
                unit=plan.unit,
                parent_document=plan.parent_document,
                preamble=_next_year_text(plan.preamble, plan.year),
                closing=_next_year_text(plan.closing, plan.year),
                recipients=plan.recipients,
                previous=plan,
            )
            new._history_user = actor  # type: ignore[attr-defined]
            new.save()
    except IntegrityError as exc:  # drafted by someone else a moment ago
        raise PlanError(_("Kế hoạch năm %(year)s đã được lập.") % {"year": year}) from exc

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
        for unit in _units(list(old.units.all()), new_year, in_force)
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
        for unit in _units(list(old.units.all()), new_year, in_force)
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
        for u in _units(list(old.units.all()), new_year, in_force)
    )

    targets = []
    for target in plan.targets.select_related("unit").prefetch_related("named_units"):
        if target.unit_id == plan.unit_id:
            scope: AdministrativeUnit | None = new.unit
        else:
            kept = _units([target.unit], new_year, in_force)
            scope = kept[0] if kept else None
        if scope is None:
            continue  # the unit is gone; next year's plan sets its own targets there
        targets.append((target, scope))
    new_targets = bulk_create_with_history(
        [
            _copy(
                t,
                plan_id=new.pk,
                unit_id=scope.pk,
                section_id=section_of(t.section_id),
                confirmed=False,
                carried_from_id=t.pk,
            )
            for t, scope in targets
        ],
        Target,
        default_user=actor,
    )
    Target.named_units.through.objects.bulk_create(
        Target.named_units.through(target_id=made.pk, administrativeunit_id=u.pk)
        for (old, _scope), made in zip(targets, new_targets, strict=True)
        for u in _units(list(old.named_units.all()), new_year, in_force)
    )

    periods_create_for_plan(plan=new)
    with translation.override(settings.LANGUAGE_CODE):
        PlanEvent.objects.create(
            plan=new,
            action=PlanEvent.Action.CARRIED,
            actor=actor,
            note=_("Lập từ kế hoạch năm %(year)s: %(targets)s chỉ tiêu chưa xác nhận.")
            % {"year": plan.year, "targets": len(new_targets)},
        )
    return new

"""A plan's life: every change to plan data and every step, atomic and on record.

One door for every write to a plan, wherever it is made (the plan pages, the admin):

- `plan_save` saves one record of a plan (the plan itself, a section, a target, a task, a
  body, a citation, an indicator, a seasonal profile) and records who, when and each
  value old → new. A draft is edited freely; an issued plan only through an amendment
  (a decision number, its date and a reason), or, from the admin, as a correction
  ("đính chính") that is on record as such; a closed plan not at all.
- `plan_issue`, `plan_close`: dự thảo → ban hành → (điều chỉnh) → kết thúc.
- `plan_draft_next_year` (in `planning.carry`): next year's draft from this year's plan.

Every function is keyword-only, atomic, asks `accounts.access` who may, and locks the
plan's row first, so that two requests at once are taken one after the other. What it
refuses it says in Vietnamese (`PlanError`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.access import may_edit_plan, may_keep_plan
from common.numbers import format_number
from plans.models import Citation, LegalDocument, Plan
from reporting.models import ReportingPeriod, SeasonalProfile, Target
from reporting.periods import periods_create_for_plan

from .models import Amendment, PlanChange, PlanEvent

Action = PlanEvent.Action
MAX_VALUE = 2000


class PlanError(Exception):
    """A step that cannot be taken in the plan's current state; the message says why."""


@dataclass(frozen=True)
class AmendmentInput:
    """The decision that amends an issued plan."""

    decision_number: str
    decided_on: date
    reason: str


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str
    old_number: Decimal | None = None
    new_number: Decimal | None = None


def locked_plan(plan: Plan) -> Plan:
    """The plan's row, locked until the transaction ends: steps and edits queue behind it."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


# --- What a record is, as the history writes it ----------------------------------------


def _shown(field: models.Field, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        return format_number(value)
    if isinstance(field, models.BooleanField):
        return _("có") if value else _("không")
    if isinstance(field, models.DateField) and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)[:MAX_VALUE]


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in {"path"}
    ]


def _snapshot(instance: models.Model) -> dict[str, object]:
    values: dict[str, object] = {}
    for f in _fields(type(instance)):
        if f.is_relation:
            related_id = getattr(instance, f.attname)
            values[f.name] = (related_id, str(getattr(instance, f.name)) if related_id else "")
        else:
            values[f.name] = getattr(instance, f.attname)
    return values


def _m2m_shown(objects: Iterable[models.Model]) -> tuple[frozenset[int], str]:
    items = list(objects)
    return frozenset(o.pk for o in items), "; ".join(str(o) for o in items)


def changes_between(
    model: type[models.Model],
    before: dict[str, object],
    after: dict[str, object],
    m2m_before: dict[str, tuple[frozenset[int], str]],
    m2m_after: dict[str, tuple[frozenset[int], str]],
) -> list[Change]:
    """Each field whose value differs, labelled and shown as the plan page shows it."""
    result = []
    for f in _fields(model):
        old, new = before.get(f.name), after.get(f.name)
        if f.is_relation:
            old_id, old_text = old if isinstance(old, tuple) else (None, "")
            new_id, new_text = new if isinstance(new, tuple) else (None, "")
            if old_id != new_id:
                result.append(Change(f.name, capfirst(str(f.verbose_name)), old_text, new_text))
            continue
        if old == new:
            continue
        numbers = (
            (old if isinstance(old, Decimal) else None, new if isinstance(new, Decimal) else None)
            if isinstance(f, models.DecimalField)
            else (None, None)
        )
        result.append(
            Change(
                f.name,
                capfirst(str(f.verbose_name)),
                _shown(f, old),
                _shown(f, new),
                *numbers,
            )
        )
    for name, (new_ids, new_text) in m2m_after.items():
        old_ids, old_text = m2m_before.get(name, (frozenset(), ""))
        if old_ids != new_ids:
            label = capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))
            result.append(Change(name, label, old_text, new_text))
    return result


def _subject(instance: models.Model) -> str:
    return f"{capfirst(str(instance._meta.verbose_name))}: {instance}"[:500]


def _record(
    *,
    plan: Plan,
    actor: User | None,
    action: str,
    note: str = "",
    items: Sequence[tuple[models.Model, Sequence[Change]]] = (),
) -> PlanEvent:
    event = PlanEvent.objects.create(plan=plan, action=action, actor=actor, note=note)
    _changes_of(event, items)
    return event


# --- Saving plan data --------------------------------------------------------------------


def plan_of(instance: models.Model) -> Plan:
    """The plan a record belongs to: itself, its `plan`, or (an indicator, a seasonal
    profile, shared by every year) the plan it is edited from, given by the caller."""
    if isinstance(instance, Plan):
        return instance
    plan = getattr(instance, "plan", None)
    if not isinstance(plan, Plan):
        raise ValueError(f"{instance!r} belongs to no plan")
    return plan


def _amendment(
    *, plan: Plan, event: PlanEvent, amendment: AmendmentInput
) -> tuple[Amendment, PlanEvent]:
    """The decision's amendment: a second change under the same decision joins the first."""
    existing = (
        Amendment.objects.select_related("event")
        .filter(plan=plan, decision_number=amendment.decision_number)
        .first()
    )
    if existing is not None:
        if existing.decided_on != amendment.decided_on:
            raise PlanError(
                _("Quyết định %(number)s đã được ghi với ngày %(date)s.")
                % {
                    "number": amendment.decision_number,
                    "date": existing.decided_on.strftime("%d/%m/%Y"),
                }
            )
        event.delete()
        return existing, existing.event
    created = Amendment.objects.create(
        plan=plan,
        event=event,
        decision_number=amendment.decision_number,
        decided_on=amendment.decided_on,
        reason=amendment.reason,
    )
    return created, event


@transaction.atomic
def plan_save(
    *,
    actor: User,
    instance: models.Model,
    plan: Plan | None = None,
    m2m: dict[str, Sequence[models.Model]] | None = None,
    amendment: AmendmentInput | None = None,
    correction: bool = False,
    note: str = "",
) -> PlanEvent | None:
    """Save one record of a plan with its many-to-many fields, and put each change on record.

    `instance` carries the new values (unsaved); `m2m` the new members of its
    many-to-many fields. On a draft the step is an edit. On an issued plan it needs
    `amendment` (the page) or `correction=True` (the admin, for a mistake in what was
    entered). Saving a carried-over target confirms it. Returns the step, or None when
    nothing changed.
    """
    plan = plan or plan_of(instance)
    if not may_edit_plan(actor, plan):
        raise PermissionDenied
    plan = locked_plan(plan)
    if plan.is_closed:
        raise PlanError(_("Kế hoạch đã kết thúc: chỉ còn để đọc."))
    if plan.is_draft:
        action = Action.EDITED
    elif amendment is not None:
        action = Action.AMENDED
    elif correction:
        action = Action.CORRECTED
    else:
        raise PlanError(_("Kế hoạch đã ban hành: mọi thay đổi phải theo quyết định điều chỉnh."))
    model = type(instance)
    m2m = m2m or {}
    if instance.pk is not None:
        saved = model._default_manager.get(pk=instance.pk)
        before = _snapshot(saved)
        m2m_before = {name: _m2m_shown(getattr(saved, name).all()) for name in m2m}
    else:
        before, m2m_before = {}, {}
    if isinstance(instance, Target) and not instance.confirmed:
        instance.confirmed = True  # someone has looked at it and saved it
    after = _snapshot(instance)
    m2m_after = {name: _m2m_shown(objects) for name, objects in m2m.items()}
    with translation.override(settings.LANGUAGE_CODE):
        changes = changes_between(model, before, after, m2m_before, m2m_after)
    if not changes and instance.pk is not None:
        return None
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save()
    for name, objects in m2m.items():
        getattr(instance, name).set(objects)
    with translation.override(settings.LANGUAGE_CODE):
        event = _record(plan=plan, actor=actor, action=action, note=note, items=[])
        if amendment is not None:
            event = _amendment(plan=plan, event=event, amendment=amendment)[1]
            if plan.status == Plan.Status.ISSUED:
                _set_status(plan, Plan.Status.AMENDED, actor)
        _changes_of(event, [(instance, changes)])
    return event


def _changes_of(event: PlanEvent, items: Sequence[tuple[models.Model, Sequence[Change]]]) -> None:
    """Each field changed, old → new, under the step that changed it (one INSERT)."""
    PlanChange.objects.bulk_create(
        PlanChange(
            plan_id=event.plan_id,
            event=event,
            model=instance._meta.label_lower,
            object_id=instance.pk,
            subject=_subject(instance),
            field=change.field,
            field_label=change.label,
            old_value=change.old,
            new_value=change.new,
            old_number=change.old_number,
            new_number=change.new_number,
        )
        for instance, changes in items
        for change in changes
    )


def _set_status(plan: Plan, status: str, actor: User | None) -> None:
    plan.status = status
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save(update_fields=["status"])


@transaction.atomic
def plan_create(*, actor: User, plan: Plan) -> PlanEvent:
    """A new plan written by hand (the admin): a draft, on record. Next year's plan is
    usually drafted from this year's instead (planning.carry)."""
    if not may_keep_plan(actor):
        raise PermissionDenied
    plan.status = Plan.Status.DRAFT
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save()
    with translation.override(settings.LANGUAGE_CODE):
        return _record(plan=plan, actor=actor, action=Action.CREATED)


@transaction.atomic
def plan_delete(*, actor: User, instance: models.Model, plan: Plan) -> PlanEvent:
    """Remove a record from a draft (an issued plan keeps what it was issued with)."""
    if not may_edit_plan(actor, plan):
        raise PermissionDenied
    plan = locked_plan(plan)
    if not plan.is_draft:
        raise PlanError(_("Chỉ xóa được nội dung của kế hoạch dự thảo."))
    subject = _subject(instance)
    with translation.override(settings.LANGUAGE_CODE):
        event = _record(plan=plan, actor=actor, action=Action.EDITED)
        PlanChange.objects.create(
            plan=plan,
            event=event,
            model=instance._meta.label_lower,
            object_id=instance.pk,
            subject=subject,
            field="",
            field_label=_("Xóa"),
            old_value=str(instance),
            new_value="",
        )
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.delete()
    return event


@transaction.atomic
def targets_confirm(*, actor: User, plan: Plan) -> int:
    """Confirm every carried-over target not yet confirmed, as it stands; returns how many.
    A target left to enter (its old figures could not be added up onto a successor) has
    no value to confirm: it is confirmed by saving the value someone entered."""
    if not may_edit_plan(actor, plan):
        raise PermissionDenied
    plan = locked_plan(plan)
    if not plan.is_draft:
        raise PlanError(_("Chỉ tiêu chỉ được xác nhận khi kế hoạch còn là dự thảo."))
    pending = list(
        plan.targets.filter(confirmed=False)
        .exclude(carry=Target.Carry.TO_ENTER)
        .select_related("indicator", "unit")
    )
    if not pending:
        return 0
    plan.targets.filter(pk__in=[t.pk for t in pending]).update(confirmed=True)
    with translation.override(settings.LANGUAGE_CODE):
        label = capfirst(str(Target._meta.get_field("confirmed").verbose_name))
        _record(
            plan=plan,
            actor=actor,
            action=Action.CONFIRMED,
            items=[(t, [Change("confirmed", label, _("không"), _("có"))]) for t in pending],
        )
    return len(pending)


# --- The plan's states -------------------------------------------------------------------


@transaction.atomic
def plan_issue(
    *,
    actor: User,
    plan: Plan,
    number: str,
    issued_on: date,
    signer: str,
) -> PlanEvent:
    """Dự thảo → ban hành: the plan gets its number, date and signer, its periods exist and
    the units may report on it."""
    if not may_keep_plan(actor):
        raise PermissionDenied
    plan = locked_plan(plan)
    if not plan.is_draft:
        raise PlanError(_("Kế hoạch này đã được ban hành."))
    number, signer = number.strip(), signer.strip()
    if not number or not signer:
        raise PlanError(_("Cần có số, ký hiệu và người ký để ban hành."))
    pending = plan.targets.filter(confirmed=False).count()
    if pending:
        raise PlanError(
            _(
                "Còn %(count)s chỉ tiêu chép từ năm trước chưa xác nhận: xác nhận hoặc sửa "
                "từng chỉ tiêu trước khi ban hành."
            )
            % {"count": pending}
        )
    with translation.override(settings.LANGUAGE_CODE):
        before = _snapshot(plan)
        plan.number, plan.issued_on, plan.signer = number, issued_on, signer
        plan.status = Plan.Status.ISSUED
        plan._history_user = actor  # type: ignore[attr-defined]
        plan.save()
        changes = changes_between(Plan, before, _snapshot(plan), {}, {})
        periods_create_for_plan(plan=plan)
        return _record(plan=plan, actor=actor, action=Action.ISSUED, items=[(plan, changes)])


@transaction.atomic
def plan_close(*, actor: User, plan: Plan, today: date | None = None, note: str = "") -> PlanEvent:
    """Ban hành → kết thúc, once the year's data are in (after the annual cut-off): the plan
    and its reports become read-only."""
    if not may_keep_plan(actor):
        raise PermissionDenied
    plan = locked_plan(plan)
    if not plan.is_open_for_reporting:
        raise PlanError(_("Chỉ kết thúc được kế hoạch đã ban hành."))
    today = today or timezone.localdate()
    annual = plan.periods.filter(kind=ReportingPeriod.Kind.ANNUAL).order_by("-ends_on").first()
    if annual is None or today <= annual.ends_on:
        raise PlanError(
            _("Chỉ kết thúc kế hoạch sau ngày chốt số liệu của báo cáo năm (%(date)s).")
            % {"date": annual.ends_on.strftime("%d/%m/%Y") if annual else "—"}
        )
    with translation.override(settings.LANGUAGE_CODE):
        old = plan.get_status_display()
        _set_status(plan, Plan.Status.CLOSED, actor)
        label = capfirst(str(Plan._meta.get_field("status").verbose_name))
        return _record(
            plan=plan,
            actor=actor,
            action=Action.CLOSED,
            note=note,
            items=[(plan, [Change("status", label, str(old), plan.get_status_display())])],
        )


@transaction.atomic
def targets_decision_set(
    *,
    actor: User,
    plan: Plan,
    number: str,
    issued_on: date,
    issuer: str,
    title: str,
    amendment: AmendmentInput | None = None,
) -> PlanEvent | None:
    """The year's targets decision: the document (found by its number, or recorded), the
    plan's basis citing it, and `Plan.targets_decision` pointing at it."""
    if not may_edit_plan(actor, plan):
        raise PermissionDenied
    document = LegalDocument.objects.filter(number=number).first()
    if document is None:
        document = LegalDocument(
            kind=LegalDocument.Kind.DECISION,
            number=number,
            issuer=issuer,
            issued_on=issued_on,
            title=title,
        )
        document._history_user = actor  # type: ignore[attr-defined]
        document.save()
    # The plan's own words, as the document cites its bases: Vietnamese, not translated.
    quote = "Căn cứ Quyết định số {number} ngày {date} của {issuer} {title}.".format(
        number=number,
        date=f"{issued_on.day:02d}/{issued_on.month}/{issued_on.year}",
        issuer=document.issuer,
        title=document.title,
    )
    citation = plan.citations.filter(section__isnull=True, document=document).first()
    if citation is None:
        last = plan.citations.filter(section__isnull=True).order_by("-position").first()
        citation = Citation(
            plan=plan,
            document=document,
            role=Citation.Role.BASIS,
            cited_date=issued_on,
            quote=quote,
            position=(last.position + 1) if last else 1,
        )
        plan_save(actor=actor, instance=citation, amendment=amendment, correction=False)
    plan = Plan.objects.get(pk=plan.pk)
    plan.targets_decision = document
    return plan_save(actor=actor, instance=plan, amendment=amendment)


def profile_for_saving(indicator_id: int) -> SeasonalProfile:
    """The indicator's seasonal profile, or a new one to fill in."""
    return SeasonalProfile.objects.filter(indicator_id=indicator_id).first() or SeasonalProfile(
        indicator_id=indicator_id
    )

"""Who may open and change which report. Every report view goes through here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, role_of
from plans.models import AdministrativeUnit, Plan
from plans.selectors import grassroots_units

from .models import Report, ReportingPeriod


def plan_for_reporting(user, year: int) -> Plan:
    if role_of(user) is None:
        raise PermissionDenied
    return get_object_or_404(Plan.objects.select_related("unit"), year=year)


def units_visible_to(user, plan: Plan) -> list[AdministrativeUnit]:
    """Phòng Kinh tế and leadership see every unit; an official sees only their own."""
    from .selectors import reportable_units

    if role_of(user) == Role.UNIT_OFFICIAL:
        return list(grassroots_units(plan).filter(pk=user.profile.unit_id))
    return reportable_units(plan)


def unit_for_user(user, plan: Plan, unit_slug: str) -> AdministrativeUnit:
    """The unit behind a report URL, or 404 when the user may not see it.

    404 rather than 403 for another unit's report, so that an official learns nothing
    about units that are not theirs.
    """
    role = role_of(user)
    if role is None:
        raise PermissionDenied
    if unit_slug == plan.unit.slug:
        unit = plan.unit
    else:
        unit = get_object_or_404(grassroots_units(plan), slug=unit_slug)
    if role == Role.UNIT_OFFICIAL and unit.pk != user.profile.unit_id:
        raise Http404
    return unit


def period_for_plan(plan: Plan, period_code: str) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, plan=plan, code=period_code)


def can_edit_for_unit(user, plan: Plan, unit: AdministrativeUnit) -> bool:
    """Edit and submit: the unit's own official, or Phòng Kinh tế on its behalf."""
    role = role_of(user)
    if role == Role.ECONOMIC_OFFICE:
        return True
    return (
        role == Role.UNIT_OFFICIAL and unit.pk != plan.unit_id and user.profile.unit_id == unit.pk
    )


def can_review(user) -> bool:
    """Return, approve and reopen: Phòng Kinh tế only."""
    return role_of(user) == Role.ECONOMIC_OFFICE


def require_edit(user, plan: Plan, unit: AdministrativeUnit) -> None:
    if not can_edit_for_unit(user, plan, unit):
        raise PermissionDenied


def require_review(user) -> None:
    if not can_review(user):
        raise PermissionDenied


def report_is_locked_for(report: Report | None) -> bool:
    return report is not None and not report.is_editable

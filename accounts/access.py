"""Who may see and do what: the one place every view asks.

A user's role (accounts.models.Role) decides what they reach:

- Phòng Kinh tế keeps the plan, enters city-wide progress, reviews the units' reports,
  downloads the report to the province, manages officials' passwords, reads the audit log;
- a commune or ward official sees and edits their own unit's reports only;
- leadership reads everything and changes nothing.

Each function answers one question about one object, as healthchecks does with one
helper per object: the `may_*` predicates say yes or no (for templates and services),
the `*_for_user` lookups return the object or raise 404/403 (for views). An official asking
for another unit's page gets 404 rather than 403, so that it learns nothing about units
that are not theirs. Services check again with the same predicates, so a write refused
here is refused there too.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from plans.models import AdministrativeUnit, OcopProduct, Plan
from plans.selectors import grassroots_units, reportable_units, successors_on

from .models import Role, role_of

User = AbstractBaseUser | AnonymousUser


# --- Predicates -----------------------------------------------------------------------


def has_role(user: User) -> bool:
    """A signed-in user with a role in the plan (not merely an account)."""
    return role_of(user) is not None


def is_economic_office(user: User) -> bool:
    return role_of(user) == Role.ECONOMIC_OFFICE


def may_see_dashboards(user: User) -> bool:
    """Dashboards and their Excel are for leadership and Phòng Kinh tế; officials see their
    own reports."""
    return role_of(user) in (Role.LEADERSHIP, Role.ECONOMIC_OFFICE)


def may_download_province_report(user: User) -> bool:
    """The report to the province is Phòng Kinh tế's document to sign."""
    return is_economic_office(user)


def may_review(user: User) -> bool:
    """Return, approve and reopen reports: Phòng Kinh tế only."""
    return is_economic_office(user)


def may_edit_plan_data(user: User) -> bool:
    """Plan data kept outside the reports (the OCOP register): Phòng Kinh tế only."""
    return is_economic_office(user)


def may_keep_plan(user: User) -> bool:
    """Edit a draft plan, issue it, amend and close an issued one, draft next year's:
    Phòng Kinh tế, who keeps the plan. Leadership and officials read it."""
    return is_economic_office(user)


def may_edit_plan(user: User, plan: Plan) -> bool:
    """Change a plan's content: its keeper, while the plan is not closed (a draft freely,
    an issued plan through an amendment)."""
    return may_keep_plan(user) and not plan.is_closed


def may_draft_next_plan(user: User, plan: Plan) -> bool:
    """Draft next year's plan from this one: its keeper, from a plan that is not a draft
    (a draft is still being written) and has no next plan yet."""
    return may_keep_plan(user) and not plan.is_draft


def may_manage_officials(user: User) -> bool:
    """Give a unit official a new password: Phòng Kinh tế only."""
    return is_economic_office(user)


def may_read_audit_log(user: User) -> bool:
    return is_economic_office(user)


def may_receive_notifications(user: User) -> bool:
    """Anyone with a role in the plan has an inbox."""
    return has_role(user)


def may_read_sent_emails(user: User) -> bool:
    """The log of e-mails sent to whom, and which failed: Phòng Kinh tế only."""
    return is_economic_office(user)


def may_open_notification(user: User, notification: Model) -> bool:
    """A notification is its recipient's alone."""
    return has_role(user) and getattr(notification, "recipient_id", None) == user.pk


def may_open_export(user: User, export: Model) -> bool:
    """A queued dashboard workbook (dashboards.ExportRequest) is for the person who asked,
    while they may still see the dashboards. It carries that person's filters, and anyone
    else who may see the dashboards asks for their own in one click."""
    return may_see_dashboards(user) and getattr(export, "requested_by_id", None) == user.pk


def may_set_email(actor: User, user: AbstractBaseUser) -> bool:
    """A person sets their own address; Phòng Kinh tế sets the unit officials'."""
    if not has_role(actor):
        return False
    if actor.pk == user.pk:
        return True
    return may_manage_officials(actor) and role_of(user) == Role.UNIT_OFFICIAL


def ended_before(unit: AdministrativeUnit, plan: Plan) -> bool:
    """The unit ended before the plan's year began (the city's units, which ended on
    30/06/2025, for a plan of 2026): it has nothing to report on that plan. A unit that
    ended during the year still reports on that year's plan."""
    return unit.valid_to is not None and unit.valid_to < date(plan.year, 1, 1)


def may_edit_for_unit(user: User, plan: Plan, unit: AdministrativeUnit) -> bool:
    """Edit and submit a unit's report: the unit's own official, or Phòng Kinh tế on its
    behalf (and for the plan's own city-wide report); never for a unit that ended before
    the plan's year (its official keeps reading the old plans' reports)."""
    if not plan.is_open_for_reporting:
        return False  # a draft is not open yet; a closed plan is read-only
    if ended_before(unit, plan):
        return False
    role = role_of(user)
    if role == Role.ECONOMIC_OFFICE:
        return True
    return (
        role == Role.UNIT_OFFICIAL and unit.pk != plan.unit_id and user.profile.unit_id == unit.pk  # type: ignore[union-attr]
    )


def may_discuss_figures(user: User, plan: Plan, unit: AdministrativeUnit) -> bool:
    """Read and write the comments and follow-up marks on a report's figures: the people
    the review is between, the unit's own official and Phòng Kinh tế (leadership reads the
    figures, not the exchange about them)."""
    return may_edit_for_unit(user, plan, unit)


def ended_account_reason(user: User, plan: Plan) -> str:
    """Why an official may not report on `plan`: their unit ended before its year (one
    query, for officials only); "" for everyone else. The accounts of ended units stay,
    to read the reports they wrote; the successor's officials report from then on."""
    if role_of(user) != Role.UNIT_OFFICIAL:
        return ""
    unit = user.profile.unit  # type: ignore[union-attr]
    if unit is None or not ended_before(unit, plan):
        return ""
    day = date(plan.year, 1, 1)
    successors = [s.unit.name for s in successors_on([unit], day)[unit.pk]]
    reason = _(
        "%(unit)s đã kết thúc ngày %(ended)s theo sắp xếp đơn vị hành chính: tài khoản này "
        "vẫn xem được các báo cáo cũ nhưng không báo cáo cho kế hoạch năm %(year)s."
    ) % {"unit": unit, "ended": f"{unit.valid_to:%d/%m/%Y}", "year": plan.year}
    if successors:
        reason += " " + _(
            "Báo cáo của %(successors)s do cán bộ của đơn vị đó gửi; Phòng Kinh tế cấp "
            "tài khoản cho họ."
        ) % {"successors": ", ".join(successors)}
    return reason


def edit_refusal(user: User, plan: Plan, unit: AdministrativeUnit) -> str:
    """Why `user` may not edit `unit`'s report on `plan`, when the reason is one a person
    can act on (the plan's state, a unit that ended); "" otherwise. For the services'
    refusals (`may_edit_for_unit` said no)."""
    if plan.is_draft:
        return _("Kế hoạch năm %(year)s đang là dự thảo, chưa mở báo cáo.") % {"year": plan.year}
    if plan.is_closed:
        return _("Kế hoạch năm %(year)s đã kết thúc: báo cáo chỉ còn để đọc.") % {"year": plan.year}
    reason = ended_account_reason(user, plan)
    if not reason and ended_before(unit, plan):
        reason = _(
            "%(unit)s đã kết thúc ngày %(ended)s: không báo cáo cho kế hoạch năm %(year)s."
        ) % {"unit": unit, "ended": f"{unit.valid_to:%d/%m/%Y}", "year": plan.year}
    return reason


def own_unit_id(user: User) -> int | None:
    """The unit an official reports for; None for every other role."""
    if role_of(user) != Role.UNIT_OFFICIAL:
        return None
    return user.profile.unit_id  # type: ignore[union-attr]


# --- Lookups for views ----------------------------------------------------------------


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def plan_for_user(user: User, year: int) -> Plan:
    """The plan of `year` for anyone with a role: reports, OCOP register."""
    require(has_role(user))
    return get_object_or_404(Plan.objects.select_related("unit"), year=year)


def plan_for_reporting(user: User, year: int) -> Plan:
    """The plan of `year` for its reports: refused while it is a draft (not issued, so
    there is nothing to report on yet), and to the official of a unit that ended before
    the plan's year (the reason says which unit took over). A closed plan's reports stay
    readable, and so do a plan's whose units ended later."""
    plan = plan_for_user(user, year)
    if plan.is_draft:
        raise PermissionDenied(
            _(
                "Kế hoạch năm %(year)s đang là dự thảo, chưa ban hành: chưa mở báo cáo. "
                "Báo cáo được mở khi Phòng Kinh tế ban hành kế hoạch."
            )
            % {"year": plan.year}
        )
    reason = ended_account_reason(user, plan)
    if reason:
        raise PermissionDenied(reason)
    return plan


def plan_for_reading(user: User, year: int) -> Plan:
    """The plan page: every signed-in user reads it, whatever its state (it is the
    city's published plan; a draft says it is one)."""
    return get_object_or_404(
        Plan.objects.select_related(
            "unit", "parent_document", "targets_decision", "previous__unit", "next_plan"
        ),
        year=year,
    )


def plan_for_editing(user: User, year: int) -> Plan:
    """A plan whose content its keeper changes; closed plans are read-only (403)."""
    require(may_keep_plan(user))
    plan = get_object_or_404(Plan.objects.select_related("unit"), year=year)
    require(may_edit_plan(user, plan))
    return plan


def plan_for_keeping(user: User, year: int) -> Plan:
    """A plan whose life its keeper moves on (issue, close, draft next year's)."""
    require(may_keep_plan(user))
    return get_object_or_404(Plan.objects.select_related("unit"), year=year)


def plan_for_dashboards(user: User, year: int) -> Plan:
    require(may_see_dashboards(user))
    return get_object_or_404(Plan.objects.select_related("unit"), year=year)


def plan_for_province_report(user: User, year: int) -> Plan:
    require(may_download_province_report(user))
    return get_object_or_404(Plan.objects.select_related("unit__parent"), year=year)


def units_visible_to(user: User, plan: Plan) -> QuerySet[AdministrativeUnit]:
    """Phòng Kinh tế and leadership see every unit; an official sees only their own.
    A query, in the plan's order, so that a page of units is read alone."""
    own = own_unit_id(user)
    if own is not None:
        return grassroots_units(plan).filter(pk=own)
    return reportable_units(plan)


def unit_for_user(user: User, plan: Plan, unit_slug: str) -> AdministrativeUnit:
    """The unit behind a report URL (a commune, a ward or the plan's own unit), or 404
    when the user may not see it."""
    require(has_role(user))
    if unit_slug == plan.unit.slug:
        unit = plan.unit
    else:
        unit = get_object_or_404(grassroots_units(plan), slug=unit_slug)
    own = own_unit_id(user)
    if own is not None and unit.pk != own:
        raise Http404
    return unit


def unit_for_dashboards(user: User, plan: Plan, unit_slug: str) -> AdministrativeUnit:
    require(may_see_dashboards(user))
    return get_object_or_404(grassroots_units(plan), slug=unit_slug)


def ocop_product_for_user(user: User, plan: Plan, pk: int) -> OcopProduct:
    """An OCOP product of the plan's area, for Phòng Kinh tế to correct."""
    require(may_edit_plan_data(user))
    return get_object_or_404(OcopProduct, pk=pk, unit__in=grassroots_units(plan))


def officials() -> QuerySet:
    """Every unit official's account, in the units' order."""
    return (
        get_user_model()
        .objects.filter(profile__role=Role.UNIT_OFFICIAL)
        .select_related("profile__unit")
        .order_by("profile__unit__path", "username")
    )


def officials_for_user(user: User) -> QuerySet:
    require(may_manage_officials(user))
    return officials()


def official_for_user(user: User, pk: int) -> AbstractBaseUser:
    return get_object_or_404(officials_for_user(user), pk=pk)


def notification_for_user(user: User, queryset: QuerySet, pk: int) -> Model:
    """One of the user's own notifications, or 404 (someone else's is not theirs to see)."""
    require(may_receive_notifications(user))
    notification = get_object_or_404(queryset, pk=pk)
    if not may_open_notification(user, notification):
        raise Http404
    return notification


def export_for_user(user: User, queryset: QuerySet, pk: int) -> Model:
    """A queued export the user asked for; 403 without the dashboards, 404 for someone
    else's (its page says nothing about another person's request)."""
    require(may_see_dashboards(user))
    export = get_object_or_404(queryset, pk=pk)
    if not may_open_export(user, export):
        raise Http404
    return export

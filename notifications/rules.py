"""Who is told what, and when: the date-driven rules `send_reminders` applies each day.

Report steps (returned, reopened, approved) are told as they happen (signals.py); these
rules work out, for a given day, the reminders that are due. Each candidate carries a key
that names its occasion, so a rule that holds on several days still tells each person once.

- An official is told, on the first working day with at most REMINDER_WORKING_DAYS working
  days left, that their unit's report is due, unless it has been sent.
- After the deadline, a report not sent (none, or a draft) is overdue; a returned report
  is waiting for its correction and is never called overdue.
- Phòng Kinh tế is told when a unit is still overdue ESCALATION_WORKING_DAYS working days
  after the deadline (one notice per period, naming the units), when a report waits for
  review, and when an OCOP certificate expires within OCOP_NOTICE_DAYS days or has expired.
- Reminders are given on working days only, and a period whose deadline passed more than
  REMINDER_LOOKBACK_DAYS ago is no longer chased (so a first run does not drag up old years).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse

from accounts.models import Role
from plans.models import AdministrativeUnit, OcopProduct, Plan
from plans.selectors import grassroots_units, latest_plan
from reporting.models import Report, ReportingPeriod
from reporting.workdays import WorkingCalendar

from .models import Kind, Notification

NOT_SENT = (None, Report.Status.DRAFT)


@dataclass(frozen=True)
class Settings:
    days_before: int
    escalate_after: int
    ocop_notice_days: int
    lookback_days: int

    @classmethod
    def current(cls) -> "Settings":
        return cls(
            days_before=settings.REMINDER_WORKING_DAYS,
            escalate_after=settings.ESCALATION_WORKING_DAYS,
            ocop_notice_days=settings.OCOP_NOTICE_DAYS,
            lookback_days=settings.REMINDER_LOOKBACK_DAYS,
        )


def _report_url(period: ReportingPeriod, unit: AdministrativeUnit) -> str:
    return reverse(
        "reporting:report",
        kwargs={"year": period.plan.year, "unit_slug": unit.slug, "period_code": period.code},
    )


def people_with_role(role: str) -> QuerySet[User]:
    return get_user_model().objects.filter(is_active=True, profile__role=role)


def due_notifications(today: date, rules: Settings | None = None) -> list[Notification]:
    """The notifications due on `today`, unsaved; recording them skips those already given."""
    rules = rules or Settings.current()
    calendar = WorkingCalendar.for_years(today.year - 1, today.year + 1)
    if not calendar.is_working_day(today):
        return []
    found: list[Notification] = []
    found += _report_reminders(today, calendar, rules)
    found += _awaiting_review(today)
    found += _ocop_notices(today, rules)
    return found


def _report_reminders(
    today: date, calendar: WorkingCalendar, rules: Settings
) -> list[Notification]:
    periods = list(
        ReportingPeriod.objects.filter(
            deadline__gte=today - timedelta(days=rules.lookback_days),
            starts_on__lte=today,
            # Nobody is chased for a draft (not open yet) or a closed plan (read-only).
            plan__status__in=Plan.Status.open_for_reporting(),
        )
        .select_related("plan")
        .order_by("deadline", "position")
    )
    if not periods:
        return []
    statuses = {
        (period_id, unit_id): status
        for period_id, unit_id, status in Report.objects.filter(period__in=periods).values_list(
            "period_id", "unit_id", "status"
        )
    }
    units_by_plan = {}
    for plan in {period.plan for period in periods}:
        units_by_plan[plan.pk] = list(grassroots_units(plan))
    officials = defaultdict(list)
    for user in people_with_role(Role.UNIT_OFFICIAL).select_related("profile"):
        officials[user.profile.unit_id].append(user)
    office = list(people_with_role(Role.ECONOMIC_OFFICE))

    found = []
    for period in periods:
        overdue_long = []
        escalate_on = calendar.add_working_days(period.deadline, rules.escalate_after)
        for unit in units_by_plan[period.plan_id]:
            status = statuses.get((period.pk, unit.pk))
            url = _report_url(period, unit)
            common = {"period": period, "unit": unit, "due_on": period.deadline, "url": url}
            if today <= period.deadline:
                left = calendar.working_days_between(today, period.deadline)
                if status in (*NOT_SENT, Report.Status.RETURNED) and left <= rules.days_before:
                    found += [
                        Notification(
                            recipient=user,
                            kind=Kind.DEADLINE_SOON,
                            key=f"{Kind.DEADLINE_SOON}:{period.pk}:{unit.pk}",
                            **common,
                        )
                        for user in officials[unit.pk]
                    ]
            elif status in NOT_SENT:
                found += [
                    Notification(
                        recipient=user,
                        kind=Kind.OVERDUE,
                        key=f"{Kind.OVERDUE}:{period.pk}:{unit.pk}",
                        **common,
                    )
                    for user in officials[unit.pk]
                ]
                if today >= escalate_on:
                    overdue_long.append(unit.name)
        if overdue_long:
            overview = reverse("reporting:overview", kwargs={"year": period.plan.year})
            found += [
                Notification(
                    recipient=user,
                    kind=Kind.ESCALATION,
                    key=f"{Kind.ESCALATION}:{period.pk}",
                    period=period,
                    due_on=period.deadline,
                    detail=", ".join(overdue_long),
                    url=overview,
                )
                for user in office
            ]
    return found


def _awaiting_review(today: date) -> list[Notification]:
    reports = list(
        Report.objects.filter(status=Report.Status.SUBMITTED, submitted_at__date__lte=today)
        .select_related("period__plan", "unit")
        .order_by("submitted_at")
    )
    if not reports:
        return []
    office = list(people_with_role(Role.ECONOMIC_OFFICE))
    return [
        Notification(
            recipient=user,
            kind=Kind.AWAITING_REVIEW,
            key=f"{Kind.AWAITING_REVIEW}:{report.pk}:{report.submitted_at:%Y%m%d%H%M%S}",
            report=report,
            due_on=report.period.deadline,
            url=report.get_absolute_url(),
        )
        for report in reports
        for user in office
    ]


def _ocop_notices(today: date, rules: Settings) -> list[Notification]:
    products = list(
        OcopProduct.objects.filter(
            Q(status=OcopProduct.Status.ACTIVE) | Q(status=OcopProduct.Status.EXPIRED),
            expires_on__lte=today + timedelta(days=rules.ocop_notice_days),
        ).order_by("expires_on", "pk")
    )
    plan = latest_plan() if products else None
    if plan is None:
        return []
    office = list(people_with_role(Role.ECONOMIC_OFFICE))
    found: list[Notification] = []
    for product in products:
        assert product.expires_on is not None  # filtered on it above
        kind = Kind.OCOP_EXPIRED if product.expires_on <= today else Kind.OCOP_EXPIRING
        url = reverse("ocop:edit", kwargs={"year": plan.year, "pk": product.pk})
        found += [
            Notification(
                recipient=user,
                kind=kind,
                key=f"{kind}:{product.pk}:{product.expires_on:%Y%m%d}",
                ocop_product=product,
                unit_id=product.unit_id,
                due_on=product.expires_on,
                url=url,
            )
            for user in office
        ]
    return found

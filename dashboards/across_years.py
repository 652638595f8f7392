"""One indicator across the plan years: each year's target beside its result, and the
five-year plan's target where Phòng Kinh tế has entered one.

The same indicator is the same row in every year (`reporting.Indicator` belongs to no
plan), so a year is a plan with a city-wide target on it. A year's result is what the
dashboard of that year says on its last day (today for the current year): approved
figures, each unit's value by the value rule (`reporting.values`), summed over the plan's
area, judged by `judging.judge`. Four queries whatever the number of years and units:
the targets with their plans, the figures of every year at once, the seasonal profile
and the five-year targets.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F

from plans.models import LegalDocument, Plan
from reporting.models import (
    Indicator,
    Report,
    ReportFigure,
    SeasonalProfile,
    StageTarget,
    Target,
)
from reporting.values import PeriodFigure, value_to_date

from .board import default_as_of
from .judging import HUNDRED, Status, judge


@dataclass
class YearResult:
    plan: Plan
    target: Target
    as_of: date
    actual: Decimal | None
    status: str
    reporting_open: bool

    @property
    def share(self) -> Decimal | None:
        if self.actual is None or not self.target.value:
            return None
        return self.actual / self.target.value * HUNDRED

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def includes_submitted(self) -> bool:
        return False  # a year's result counts approved figures only


@dataclass
class StageLine:
    document: LegalDocument
    target: StageTarget | None


@dataclass
class AcrossYears:
    indicator: Indicator
    years: list[YearResult]
    stages: list[StageLine]


def _reporting_open(plan: Plan) -> bool:
    """A draft plan has no results yet (plans without states are all open)."""
    return bool(getattr(plan, "is_open_for_reporting", True)) or bool(
        getattr(plan, "is_closed", False)
    )


def indicator_across_years(indicator: Indicator, *, today: date) -> AcrossYears:
    targets = list(
        Target.objects.filter(indicator=indicator, unit=F("plan__unit"))
        .select_related("plan__unit", "plan__parent_document", "unit", "indicator")
        .order_by("plan__year")
    )
    plans = {t.plan_id: t.plan for t in targets}
    as_of = {plan.pk: default_as_of(plan, today) for plan in plans.values()}
    rows = ReportFigure.objects.filter(
        indicator=indicator,
        report__period__plan__in=list(plans),
        report__status__in=Report.Status.counted(include_submitted=False),
    ).values_list(
        "report__period__plan_id",
        "report__unit_id",
        "report__unit__path",
        "report__period__kind",
        "report__period__ends_on",
        "value",
    )
    by_unit: dict[tuple[int, int], list[PeriodFigure]] = defaultdict(list)
    for plan_id, unit_id, path, kind, ends_on, value in rows:
        plan = plans[plan_id]
        inside = unit_id == plan.unit_id or path.startswith(f"{plan.unit.path}/")
        if inside and ends_on <= as_of[plan_id]:
            by_unit[(plan_id, unit_id)].append(PeriodFigure(kind, ends_on, value))
    is_flow = indicator.behaviour == Indicator.Behaviour.FLOW
    actual: dict[int, Decimal] = {}
    for (plan_id, _unit_id), figures in by_unit.items():
        found = value_to_date(figures, is_flow)
        if found.value is not None:
            actual[plan_id] = actual.get(plan_id, Decimal(0)) + found.value

    profile = SeasonalProfile.objects.filter(indicator=indicator).first()
    years = []
    for target in targets:
        plan = plans[target.plan_id]
        result = actual.get(plan.pk)
        status, _explanation, _share = judge(
            target, result, year=plan.year, as_of=as_of[plan.pk], profile=profile
        )
        years.append(
            YearResult(
                plan=plan,
                target=target,
                as_of=as_of[plan.pk],
                actual=result,
                status=status,
                reporting_open=_reporting_open(plan),
            )
        )

    documents: dict[int, LegalDocument] = {}
    for plan in plans.values():
        if plan.parent_document is not None:
            documents.setdefault(plan.parent_document.pk, plan.parent_document)
    entered = {
        t.document_id: t
        for t in StageTarget.objects.filter(indicator=indicator, document__in=list(documents))
    }
    stages = [StageLine(document=d, target=entered.get(pk)) for pk, d in documents.items()]
    return AcrossYears(indicator=indicator, years=years, stages=stages)

"""Synthetic data for benchmarks: the same seed gives the same country, every workflow
state is there, and the dashboard totals agree with the figures."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from dashboards.board import attainment
from plans.models import AdministrativeUnit, Plan
from reporting import totals
from reporting.models import Report, ReportEvent, ReportFigure

pytestmark = pytest.mark.django_db


def generate(prefix, seed=1):
    call_command(
        "generate_synthetic",
        provinces=2,
        units_per_province=3,
        indicators=4,
        years=1,
        fill=0.8,
        seed=seed,
        prefix=prefix,
        stdout=None,
    )
    return Plan.objects.get(unit__slug=prefix)


def contents(plan, prefix):
    """What a reader sees, with the prefix taken out of every code."""

    def bare(code):
        return code.replace(prefix, "")

    return (
        sorted(
            (bare(u.path), u.name.replace(prefix, ""), u.kind)
            for u in AdministrativeUnit.objects.filter(path__startswith=prefix)
        ),
        sorted(
            (bare(t.unit.slug), bare(t.indicator.code), t.value, t.comparison)
            for t in plan.targets.select_related("unit", "indicator")
        ),
        sorted(
            (bare(r.unit.slug), r.period.code, r.status, r.version, r.submitted_late)
            for r in Report.objects.filter(period__plan=plan).select_related("unit", "period")
        ),
        sorted(
            (bare(f.report.unit.slug), f.report.period.code, bare(f.indicator.code), f.value)
            for f in ReportFigure.objects.filter(report__period__plan=plan).select_related(
                "report__unit", "report__period", "indicator"
            )
        ),
        sorted(
            (bare(e.report.unit.slug), e.report.period.code, e.action, e.at, e.changes.count())
            for e in ReportEvent.objects.filter(report__period__plan=plan).select_related(
                "report__unit", "report__period"
            )
        ),
    )


def test_the_same_seed_gives_the_same_country():
    first, second = generate("aa"), generate("bb")
    assert contents(first, "aa") == contents(second, "bb")
    other = generate("cc", seed=2)
    assert contents(other, "cc") != contents(first, "aa")


def test_every_workflow_state_and_step_is_there_with_its_history():
    plan = generate("aa")
    reports = Report.objects.filter(period__plan=plan)
    assert set(reports.values_list("status", flat=True)) == set(Report.Status.values)
    actions = set(ReportEvent.objects.filter(report__in=reports).values_list("action", flat=True))
    assert {"tao", "luu", "gui", "tra_lai", "duyet", "mo_lai"} <= actions
    # Every report has its figures, one per indicator, and a status change per step.
    per_report = Counter(
        ReportFigure.objects.filter(report__in=reports).values_list("report_id", flat=True)
    )
    assert set(per_report.values()) == {4}
    assert not reports.annotate(n=Count("events")).filter(n=0).exists()
    assert AdministrativeUnit.objects.below(plan.unit).grassroots().count() == 6


def test_totals_after_generation_equal_a_recomputation_and_feed_the_dashboard():
    plan = generate("aa")
    assert totals.is_kept(plan)
    assert totals.differences(plan) == []
    board = attainment(plan, as_of=plan.periods.order_by("-ends_on").first().ends_on)
    assert len(board.city) == 4 and all(item.actual is not None for item in board.city)
    assert len(board.by_unit) == 2  # the two provinces

"""Running totals: kept by every workflow step in the same transaction, always equal to a
recomputation from the figures, and read by the dashboard at a cost that does not grow."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.activity import progress_series
from dashboards.board import attainment
from reporting import services, totals
from reporting.models import AreaTotal, Report, ReportingPeriod

pytestmark = pytest.mark.django_db

END_OF_YEAR = date(2023, 12, 14)


def tea_total(plan, include_submitted=False):
    row = AreaTotal.objects.filter(
        plan=plan, area=plan.unit, indicator__code="che-bup-tuoi-san-luong", cutoff=END_OF_YEAR
    ).first()
    value, units, _ = row.counted(include_submitted) if row else (None, 0, 0)
    return value if units else None


def test_every_workflow_step_keeps_totals_equal_to_a_recomputation(
    plan, report_figures, economic_officer
):
    totals.rebuild(plan)
    report = report_figures("san-thang", "2023-q1", Report.Status.DRAFT, che_bup_tuoi_san_luong=10)
    assert totals.differences(plan) == [] and tea_total(plan, True) is None

    report = services.report_submit(report=report, actor=economic_officer)
    assert totals.differences(plan) == []
    assert (tea_total(plan), tea_total(plan, True)) == (None, Decimal("10"))

    report = services.report_return(report=report, actor=economic_officer, reason="Sai số")
    assert totals.differences(plan) == [] and tea_total(plan, True) is None

    report = report_figures(
        "san-thang", "2023-q1", Report.Status.SUBMITTED, che_bup_tuoi_san_luong=12
    )
    report = services.report_approve(report=report, actor=economic_officer)
    assert totals.differences(plan) == []
    assert (tea_total(plan), tea_total(plan, True)) == (Decimal("12"), Decimal("12"))

    report = services.report_reopen(report=report, actor=economic_officer, reason="Đính chính")
    assert totals.differences(plan) == [] and tea_total(plan) is None

    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=15)
    report_figures("sung-phai", "2023-q2", che_bup_tuoi_san_luong=20)
    assert totals.differences(plan) == []
    assert tea_total(plan) == Decimal("35")


def test_any_sequence_of_steps_keeps_every_total_equal_to_a_recomputation(
    plan, report_figures, economic_officer
):
    """A stock and a flow, reported by month, quarter and from the year's start, by three
    units whose reports are submitted, returned, corrected, approved and reopened in a
    random order: after every step each kept total (value, units, units resting on a
    submitted report, in both classes) is what the figures give."""
    totals.rebuild(plan)
    rng = random.Random(18)
    filed = [
        ("san-thang", "2023-02"),
        ("san-thang", "2023-q1"),
        ("san-thang", "2023-6t"),
        ("san-thang", "2023-q4"),
        ("sung-phai", "2023-q2"),
        ("sung-phai", "2023-9t"),
        ("dong-phong", "2023-q1"),
        ("dong-phong", "2023-nam"),
    ]

    def figures():
        return {"che_bup_tuoi_san_luong": rng.randint(1, 90), "che_dien_tich": rng.randint(1, 90)}

    reports = [
        report_figures(unit, code, rng.choice(list(Report.Status)), **figures())
        for unit, code in filed
    ]
    assert totals.differences(plan) == []
    steps = set()
    for _ in range(40):
        index = rng.randrange(len(reports))
        report = Report.objects.get(pk=reports[index].pk)
        if report.status == Report.Status.SUBMITTED:
            if rng.random() < 0.7:
                report = services.report_approve(report=report, actor=economic_officer)
            else:
                report = services.report_return(report=report, actor=economic_officer, reason="Sai")
        elif report.status == Report.Status.APPROVED:
            report = services.report_reopen(report=report, actor=economic_officer, reason="Sửa")
        else:
            report = report_figures(*filed[index], Report.Status.SUBMITTED, **figures())
        reports[index] = report
        steps.add(report.status)
        assert totals.differences(plan) == [], report
    assert steps == set(Report.Status) - {Report.Status.DRAFT}  # every step was taken


def test_a_step_that_fails_leaves_the_totals_as_they_were(plan, report_figures, economic_officer):
    totals.rebuild(plan)
    report = report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=10)
    before = totals.stored(plan)
    with pytest.raises(services.WorkflowError):
        services.report_approve(report=report, actor=economic_officer)
    assert totals.stored(plan) == before


def test_rebuild_totals_check_finds_a_figure_changed_behind_the_workflows_back(
    plan, report_figures
):
    call_command("rebuild_totals", year=2023)
    report = report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=10)
    call_command("rebuild_totals", year=2023, check=True)
    report.figures.update(value=Decimal("11"))
    with pytest.raises(CommandError):
        call_command("rebuild_totals", year=2023, check=True)
    call_command("rebuild_totals", year=2023)
    call_command("rebuild_totals", year=2023, check=True)


def test_dashboard_reads_the_same_figures_from_totals_as_from_the_reports(plan, report_figures):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=10, che_dien_tich=5)
    report_figures("san-thang", "2023-02", Report.Status.SUBMITTED, che_bup_tuoi_san_luong=4)
    report_figures("sung-phai", "2023-6t", che_bup_tuoi_san_luong=30, che_dien_tich=8)
    report_figures("dong-phong", "2023-q2", Report.Status.SUBMITTED, lua_chat_luong_dien_tich=30)
    periods = list(ReportingPeriod.objects.filter(plan=plan, kind="quy"))

    def seen(board, series):
        return (
            [(i.target.pk, i.actual, i.status, i.includes_submitted) for i in board.city],
            {
                u: [(i.target.pk, i.actual, i.status) for i in items]
                for u, items in board.by_unit.items()
            },
            [
                (c.unit.pk, c.value, c.covers_until, c.periods)
                for i in board.city
                for c in i.contributions
            ],
            series,
        )

    looks = {}
    for kept in (False, True):
        if kept:
            totals.rebuild(plan)
        plan.refresh_from_db()
        for as_of in (date(2023, 3, 20), date(2023, 7, 1), END_OF_YEAR):
            for include_submitted in (False, True):
                board = attainment(plan, as_of=as_of, include_submitted=include_submitted)
                series = progress_series(plan, periods, include_submitted=include_submitted)
                looks[(kept, as_of, include_submitted)] = seen(board, series)
    for key, look in looks.items():
        if key[0]:
            assert look == looks[(False, *key[1:])]


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/{year}/",
        "/dashboard/{year}/don-vi/{unit}/",
        "/dashboard/{year}/chi-tieu/{indicator}/",
        "/reports/{year}/",
        "/reports/{year}/{unit}/{year}-q1/",
    ],
)
def test_query_counts_do_not_grow_with_the_number_of_units(
    client_for, economic_officer, django_assert_max_num_queries, url
):
    client = client_for(economic_officer)
    counted = []
    for year, provinces, units, prefix in ((2025, 1, 2, "nho"), (2026, 3, 6, "lon")):
        call_command(
            "generate_synthetic",
            provinces=provinces,
            units_per_province=units,
            indicators=3,
            first_year=year,
            prefix=prefix,
            stdout=None,
        )
        address = url.format(year=year, unit=f"{prefix}-t01-x001", indicator=f"{prefix}-ct-001")
        client.get(address)  # sessions and caches warm
        with django_assert_max_num_queries(40) as queries:
            assert client.get(address).status_code == 200
        counted.append(len(queries.captured_queries))
    assert counted[0] == counted[1]


def test_an_approval_keeps_the_totals_in_a_few_set_based_statements(
    plan, report_figures, economic_officer
):
    """Not one statement, nor one CASE branch, per total row: a national approval moves
    thousands of rows and bulk_update's CASE cost ten times the rest of the approval."""
    totals.rebuild(plan)
    report = report_figures(
        "san-thang",
        "2023-q1",
        Report.Status.SUBMITTED,
        che_bup_tuoi_san_luong=12,
        che_dien_tich=5,
    )
    with CaptureQueriesContext(connection) as captured:
        services.report_approve(report=report, actor=economic_officer)
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if "areatotal" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(writes) == 1
    assert not any("CASE" in sql for sql in writes)
    assert totals.differences(plan) == []

    services.report_reopen(report=report, actor=economic_officer, reason="Đính chính")
    assert totals.differences(plan) == []


def test_boards_of_an_area_or_a_unit_count_the_units_expected_as_the_whole_board(
    plan, report_figures
):
    """A page of an area or of a unit counts who must report from the plan's census; the
    whole board, from every commune: the same counts, for targets on the city, split over
    communes (rice) and naming units."""
    totals.rebuild(plan)
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=10)
    report_figures("sung-phai", "2023-q2", che_bup_tuoi_san_luong=20, che_dien_tich=5)
    whole = attainment(plan, as_of=END_OF_YEAR)
    named = [i for i in whole.city if i.target.named_units.exists()]
    split = [i for units in whole.by_unit.values() for i in units]
    assert named and split  # the plan has both kinds
    counted = [(i.target.pk, i.expected_units, i.reported_units, i.status) for i in whole.city]
    area = attainment(plan, as_of=END_OF_YEAR, area=plan.unit)
    assert [(i.target.pk, i.expected_units, i.reported_units, i.status) for i in area.city] == (
        counted
    )
    commune = plan.unit.children.get(slug="san-thang")
    one = attainment(plan, as_of=END_OF_YEAR, for_unit=commune)
    assert [(i.target.pk, i.expected_units) for i in one.by_unit.get(commune.pk, [])] == [
        (i.target.pk, i.expected_units) for i in whole.by_unit.get(commune.pk, [])
    ]

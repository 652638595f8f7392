"""The national dashboard a leader can read: one row per province with a drill-down to it
and then its communes, completeness as counts with the missing units one click away, and
the same number of queries whatever the number of communes."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from dashboards.activity import completeness_counts, reporting_completeness
from dashboards.board import attainment
from plans.models import AdministrativeUnit, Plan
from reporting.models import Report

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 12, 14)


def country(prefix, provinces, communes, year=2025):
    call_command(
        "generate_synthetic",
        provinces=provinces,
        units_per_province=communes,
        indicators=3,
        first_year=year,
        seed=1,
        prefix=prefix,
        stdout=None,
    )
    return Plan.objects.select_related("unit").get(year=year)


def test_the_national_page_shows_one_row_per_province_not_every_commune(client_for, leader):
    plan = country("aa", 3, 4)
    page = client_for(leader).get(f"/dashboard/{plan.year}/?ky=2025-q4")
    html = page.content.decode()
    rows = re.findall(r'<tr data-area="([^"]+)">', html)
    assert rows == [p.slug for p in plan.unit.children.order_by("position")]
    # No commune is linked from the national page: its dashboard is two clicks down.
    assert "/don-vi/" not in html
    assert 'data-testid="units"' not in html


def test_a_province_drills_down_to_its_communes(client_for, leader):
    plan = country("aa", 3, 4)
    province = plan.unit.children.order_by("position")[1]
    page = client_for(leader).get(f"/dashboard/{plan.year}/?khu_vuc={province.slug}")
    html = page.content.decode()
    assert page.status_code == 200
    assert province.name in html
    linked = set(re.findall(r"/dashboard/2025/don-vi/([^/]+)/", html))
    assert linked == set(province.children.values_list("slug", flat=True))
    # Its table holds the province's own targets.
    board = attainment(plan, as_of=AS_OF, area=province)
    shown = re.findall(r'<tr data-indicator="([^"]+)">', html)
    assert shown == [i.indicator.code for i in board.by_unit[province.pk]]


def test_an_unknown_or_commune_area_is_not_found(client_for, leader):
    plan = country("aa", 2, 2)
    commune = plan.unit.children.first().children.first()
    client = client_for(leader)
    assert client.get(f"/dashboard/{plan.year}/?khu_vuc=khong-co").status_code == 404
    assert client.get(f"/dashboard/{plan.year}/?khu_vuc={commune.slug}").status_code == 404


def test_province_rows_add_up_to_the_national_figures():
    plan = country("aa", 3, 4)
    periods = list(plan.periods.filter(kind="quy").order_by("ends_on"))
    provinces = list(plan.unit.children.order_by("position"))
    national, rows = completeness_counts(plan, periods, plan.unit, provinces)
    for index, counts in enumerate(national):
        for name in ("units", "on_time", "late", "sent_back", "missing"):
            assert getattr(counts, name) == sum(getattr(r.periods[index], name) for r in rows)
    # The counts are the named lists' own, by ReportState (reporting.states).
    named = reporting_completeness(plan, periods, AS_OF)
    for counts, lists in zip(national, named, strict=True):
        assert (counts.on_time, counts.late, counts.sent_back, counts.missing) == (
            len(lists.on_time),
            len(lists.late),
            len(lists.sent_back),
            len(lists.missing),
        )
    # Each indicator's national actual is the sum of the provinces' actuals.
    whole = {i.indicator.pk: i.actual for i in attainment(plan, as_of=AS_OF).city}
    by_province = [
        {i.indicator.pk: i.actual or 0 for i in attainment(plan, as_of=AS_OF, area=p).by_unit[p.pk]}
        for p in provinces
    ]
    for indicator_id, actual in whole.items():
        assert actual == sum(p[indicator_id] for p in by_province)


def test_the_national_figures_are_those_of_the_whole_board():
    """Judging only the 100 targets shown changes none of them."""
    plan = country("aa", 3, 4)
    full = attainment(plan, as_of=AS_OF).city
    shown = attainment(plan, as_of=AS_OF, area=plan.unit).city
    assert [
        (i.target.pk, i.actual, i.status, i.reported_units, i.expected_units) for i in full
    ] == [(i.target.pk, i.actual, i.status, i.reported_units, i.expected_units) for i in shown]


def test_the_missing_count_links_to_the_units_that_have_not_reported(client_for, leader):
    plan = country("aa", 3, 4)
    period = plan.periods.get(code="2025-q4")
    client = client_for(leader)
    html = client.get(f"/dashboard/{plan.year}/?ky=2025-q4").content.decode()
    url = reverse("dashboards:missing_reports", args=[plan.year, period.code])
    assert url in html
    listed = client.get(url).content.decode()
    sent = Report.objects.filter(
        period=period, status__in=[*Report.Status.reported(), Report.Status.RETURNED]
    ).values("unit_id")
    missing = AdministrativeUnit.objects.below(plan.unit).grassroots().exclude(pk__in=sent)
    assert sorted(re.findall(r"/reports/2025/([^/]+)/2025-q4/", listed)) == sorted(
        missing.values_list("slug", flat=True)
    )


def test_national_pages_cost_the_same_queries_with_more_provinces_and_communes(
    client_for, leader, django_assert_max_num_queries
):
    small = country("aa", 2, 2, year=2025)
    large = country("bb", 5, 9, year=2026)
    client = client_for(leader)
    counts = {}
    for plan in (small, large):
        province = plan.unit.children.order_by("position").first()
        for page, url in enumerate(
            (
                f"/dashboard/{plan.year}/",
                f"/dashboard/{plan.year}/?khu_vuc={province.slug}",
                reverse("dashboards:missing_reports", args=[plan.year, f"{plan.year}-q1"]),
            )
        ):
            client.get(url)  # sessions, first-request caches
            with django_assert_max_num_queries(40) as captured:
                assert client.get(url).status_code == 200
            counts.setdefault(page, []).append(len(captured.captured_queries))
    for url, (few, many) in counts.items():
        assert many <= few, url

"""Who has reported what: the overview, the official's to-do list, and their cost."""

import pytest
from django.test import Client

from reporting.models import Report

from .conftest import SAN_THANG_Q1

pytestmark = pytest.mark.django_db

OVERVIEW = "/reports/2023/"


def state_of(response, unit_slug, period_code):
    for unit, cells in response.context["rows"]:
        if unit.slug == unit_slug:
            return next(s for s, _link in cells if s.period.code == period_code)
    raise AssertionError(unit_slug)


def test_official_lands_on_their_reports(client_for, san_thang_official):
    response = client_for(san_thang_official).get("/")
    assert response.url == OVERVIEW


def test_overview_shows_each_state(client_for, san_thang_official, economic_officer):
    official = client_for(san_thang_official)
    official.post(SAN_THANG_Q1, {"version": 0, "difficulties": "x", "action": "submit"})
    office = Client()
    office.force_login(economic_officer)
    office.post("/reports/2023/sung-phai/2023-q1/", {"version": 0, "difficulties": "y"})

    response = office.get(OVERVIEW, {"ky": "quy"})
    san_thang = state_of(response, "san-thang", "2023-q1")
    assert (san_thang.label, san_thang.submitted_late) == ("Đã gửi", True)
    # A draft past its deadline is overdue; so is a report never started.
    assert state_of(response, "sung-phai", "2023-q1").label == "Quá hạn"
    assert state_of(response, "tan-phong", "2023-q4").label == "Quá hạn"
    page = response.content.decode()
    assert "nộp muộn" in page

    office.post(f"{SAN_THANG_Q1}xu-ly/", {"action": "approve"})
    assert state_of(office.get(OVERVIEW), "san-thang", "2023-q1").label == "Đã duyệt"


def test_the_officials_to_do_list_shows_what_is_returned_and_overdue(
    client_for, san_thang_official, economic_officer
):
    official = client_for(san_thang_official)
    official.post(SAN_THANG_Q1, {"version": 0, "difficulties": "x", "action": "submit"})
    office = Client()
    office.force_login(economic_officer)
    office.post(f"{SAN_THANG_Q1}xu-ly/", {"action": "return", "reason": "Bổ sung số liệu chè"})

    response = official.get(OVERVIEW)
    todo = {state.period.code: state for state in response.context["todo"]}
    assert todo["2023-q1"].is_returned
    assert todo["2023-nam"].label == "Quá hạn"
    assert len(todo) == 19
    assert "Bổ sung số liệu chè" in response.content.decode()


def test_period_kinds_filter_the_columns(client_for, leader):
    client = client_for(leader)
    months = client.get(OVERVIEW, {"ky": "thang"}).context["periods"]
    assert [p.code for p in months][:2] == ["2023-01", "2023-02"]
    assert len(months) == 12
    assert len(client.get(OVERVIEW, {"ky": "tat-ca"}).context["periods"]) == 19


def test_overview_costs_a_fixed_number_of_queries(
    client_for, economic_officer, django_assert_max_num_queries, plan
):
    from reporting.models import ReportingPeriod

    for period in ReportingPeriod.objects.filter(plan=plan):
        for unit in plan.unit.children.all():
            Report.objects.create(unit=unit, period=period)
    client = client_for(economic_officer)
    # Session, user, profile, plan, periods, the count of units, a page of them, their
    # reports' states; the navbar's plan and the bell's unread count.
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        response = client.get(OVERVIEW, {"ky": "tat-ca"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 8


OVERVIEW_QUERIES = 10


def test_the_overview_reads_one_page_of_50_units_from_the_database_in_the_plans_order(
    client_for, economic_officer, django_assert_max_num_queries, plan
):
    from plans.models import AdministrativeUnit

    for number in range(60):
        AdministrativeUnit.objects.create(
            name=f"Thêm {number:02d}",
            slug=f"them-{number:02d}",
            kind=AdministrativeUnit.Kind.COMMUNE,
            parent=plan.unit,
            position=100 + number,
        )
    client = client_for(economic_officer)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        first = client.get(OVERVIEW)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        second = client.get(OVERVIEW, {"trang": 2})
    names = [str(unit) for page in (first, second) for unit, _states in page.context["rows"]]
    assert len(first.context["rows"]) == 50
    # The plan's own unit first, then its 7 communes and wards, then the 60 new ones.
    assert first.context["rows"][0][0] == plan.unit
    assert len(names) == 68 and len(set(names)) == 68
    assert names[8:] == [f"Xã Thêm {n:02d}" for n in range(60)]
    assert "2 / 2" in second.content.decode()
    # Each cell links to its report.
    unit, cells = second.context["rows"][-1]
    assert cells[0][1] == f"/reports/2023/{unit.slug}/{cells[0][0].period.code}/"
    assert f'href="{cells[0][1]}"' in second.content.decode()


def test_report_page_costs_a_fixed_number_of_queries(
    client_for, economic_officer, django_assert_max_num_queries, report_form_data, plan
):
    client = client_for(economic_officer)
    tasks = {
        f"task_{task.pk}_narrative": f"Kết quả {task.code}"
        for task in plan.tasks.filter(bodies__units__slug="san-thang")
    }
    client.post(
        SAN_THANG_Q1,
        report_form_data(
            client.get(SAN_THANG_Q1),
            **{"figure_lua-chat-luong-dien-tich": "135", "figure_che-dien-tich": "400"},
            **tasks,
        ),
    )
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES["economic_officer"]):
        response = client.get(SAN_THANG_Q1)
    assert response.status_code == 200
    assert len(response.context["contents"].events[-1].changes.all()) == 2 + len(tasks)


def test_a_returned_report_is_shown_as_returned_not_overdue(
    client_for, san_thang_official, economic_officer
):
    official = client_for(san_thang_official)
    official.post(SAN_THANG_Q1, {"version": 0, "difficulties": "x", "action": "submit"})
    office = Client()
    office.force_login(economic_officer)
    office.post(f"{SAN_THANG_Q1}xu-ly/", {"action": "return", "reason": "Bổ sung số liệu chè"})

    # Quý 1's deadline has long passed; the report is waiting for the unit's fix.
    in_grid = state_of(office.get(OVERVIEW, {"ky": "quy"}), "san-thang", "2023-q1")
    assert in_grid.label == "Bị trả lại"
    todo = {state.period.code: state for state in official.get(OVERVIEW).context["todo"]}
    assert todo["2023-q1"].label == "Bị trả lại"


def _more_indicators(plan, unit_slug, report, count):
    """`count` more indicators with a target for the unit, a figure in its report for
    each, and a plan-wide target naming the unit: a longer form, nothing else."""
    from decimal import Decimal

    from plans.models import AdministrativeUnit
    from reporting.models import Indicator, ReportFigure, Sector, Target

    unit = AdministrativeUnit.objects.get(slug=unit_slug)
    section = plan.sections.first()
    for number in range(count):
        indicator = Indicator.objects.create(
            code=f"them-{number}",
            name=f"Chỉ tiêu thêm {number}",
            unit_of_measure="ha",
            sector=Sector.CROPS,
            behaviour=Indicator.Behaviour.FLOW if number % 2 else Indicator.Behaviour.STOCK,
            position=1000 + number,
        )
        at_least = Target.Comparison.AT_LEAST
        Target.objects.create(
            plan=plan, indicator=indicator, unit=unit, value=10, comparison=at_least,
            section=section, position=1000 + number,
        )  # fmt: skip
        named = Target.objects.create(
            plan=plan, indicator=indicator, unit=plan.unit, value=50, comparison=at_least,
            section=section, position=2000 + number,
        )  # fmt: skip
        named.named_units.add(unit)
        ReportFigure.objects.create(report=report, indicator=indicator, value=Decimal(number))


# The page's own reads: plan, unit, period; the unit's targets, the units they name, its
# tasks; the report (with whether it has flags and comments: they are read only then, two
# more), its task progress, events and their changes; its figures with the cumulative; for
# Phòng Kinh tế the next report waiting. Besides them: session, user, profile, the
# navbar's plan and its bell's unread count; for an official, their unit (has it ended
# before the plan's year? `accounts.access.ended_account_reason`).
REPORT_PAGE_QUERIES = {"economic_officer": 12 + 5, "san_thang_official": 11 + 6}


@pytest.mark.parametrize("who", list(REPORT_PAGE_QUERIES))
def test_a_units_report_page_costs_the_same_queries_however_many_indicators_it_has(
    who, request, client_for, saved_report, plan, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    client.get(SAN_THANG_Q1)
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES[who]) as few:
        client.get(SAN_THANG_Q1)
    _more_indicators(plan, "san-thang", saved_report, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(SAN_THANG_Q1)
    assert response.status_code == 200
    assert "Chỉ tiêu thêm 11" in response.content.decode()

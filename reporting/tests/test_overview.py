"""Who has reported what: the overview, the official's to-do list, and their cost."""

import pytest
from django.test import Client

from reporting.models import Report

from .conftest import SAN_THANG_Q1

pytestmark = pytest.mark.django_db

OVERVIEW = "/reports/2023/"


def state_of(response, unit_slug, period_code):
    for unit, states in response.context["rows"]:
        if unit.slug == unit_slug:
            return next(s for s in states if s.period.code == period_code)
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
    with django_assert_max_num_queries(9):  # 8 + the navbar bell's unread count
        response = client.get(OVERVIEW, {"ky": "tat-ca"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 8


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
    # 17 + the navbar bell's unread count + the next report waiting for review
    with django_assert_max_num_queries(19):
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

"""Reporting periods follow the state reporting windows and can be moved by Phòng Kinh tế."""

from datetime import date

import pytest

from reporting.models import ReportingPeriod
from reporting.periods import periods_create_for_plan

pytestmark = pytest.mark.django_db


def period(plan, code):
    return ReportingPeriod.objects.get(plan=plan, code=code)


def test_a_year_has_twelve_months_four_quarters_and_three_longer_reports(plan):
    codes = set(plan.periods.values_list("code", flat=True))
    assert {f"2023-{m:02d}" for m in range(1, 13)} <= codes
    assert {"2023-q1", "2023-q2", "2023-q3", "2023-q4", "2023-6t", "2023-9t", "2023-nam"} <= codes
    assert len(codes) == 19


@pytest.mark.parametrize(
    ("code", "starts_on", "ends_on"),
    [
        ("2023-01", date(2022, 12, 15), date(2023, 1, 14)),
        ("2023-03", date(2023, 2, 15), date(2023, 3, 14)),
        ("2023-q2", date(2023, 3, 15), date(2023, 6, 14)),
        ("2023-6t", date(2022, 12, 15), date(2023, 6, 14)),
        ("2023-9t", date(2022, 12, 15), date(2023, 9, 14)),
        ("2023-nam", date(2022, 12, 15), date(2023, 12, 14)),
    ],
)
def test_data_windows_run_from_the_15th_to_the_14th(plan, code, starts_on, ends_on):
    p = period(plan, code)
    assert (p.starts_on, p.ends_on) == (starts_on, ends_on)


def test_deadline_is_the_next_working_day_after_the_cut_off(plan):
    # 14/1/2023 is a Saturday: the deadline falls on Monday 16/1.
    assert period(plan, "2023-01").deadline == date(2023, 1, 16)
    assert period(plan, "2023-q1").deadline == date(2023, 3, 15)


def test_a_moved_deadline_survives_creating_periods_again(plan):
    q1 = period(plan, "2023-q1")
    q1.deadline = date(2023, 3, 20)
    q1.save()
    assert periods_create_for_plan(plan=plan) == []
    assert period(plan, "2023-q1").deadline == date(2023, 3, 20)


def test_phong_kinh_te_changes_a_deadline_in_the_admin(client_for, economic_officer, plan):
    q1 = period(plan, "2023-q1")
    client = client_for(economic_officer)
    page = client.get("/admin/targets/reportingperiod/", {"plan__id__exact": plan.pk})
    assert page.status_code == 200
    form = page.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(len(form.forms)),
        "form-INITIAL_FORMS": str(len(form.forms)),
        "_save": "Lưu",
    }
    for i, subform in enumerate(form.forms):
        data[f"form-{i}-id"] = subform.instance.pk
        deadline = date(2023, 3, 22) if subform.instance.pk == q1.pk else subform.instance.deadline
        data[f"form-{i}-deadline"] = deadline.strftime("%d/%m/%Y")
    response = client.post(f"/admin/targets/reportingperiod/?plan__id__exact={plan.pk}", data)
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.deadline == date(2023, 3, 22)
    assert q1.history.first().history_user == economic_officer

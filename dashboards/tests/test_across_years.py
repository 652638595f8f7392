"""An indicator across the plan years: each year's target beside its result, the
five-year plan's target where Phòng Kinh tế entered one, and a chart."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dashboards.across_years import indicator_across_years
from dashboards.board import attainment
from dashboards.judging import Status
from planning.carry import plan_draft_next_year
from planning.services import plan_issue, plan_save, targets_confirm
from plans.models import Plan
from reporting import services
from reporting.models import Indicator, ReportingPeriod, StageTarget
from reporting.periods import year_last_day
from reporting.selectors import report_scope

pytestmark = pytest.mark.django_db

RICE = "lua-chat-luong-dien-tich"
TEA = "che-bup-tuoi-san-luong"


def next_year(plan: Plan, changes: dict[tuple[str, str], Decimal] | None = None) -> Plan:
    """Next year's plan as Phòng Kinh tế makes it: drafted from this one, a target changed,
    the rest confirmed, issued."""
    keeper = get_user_model().objects.get(username="kinhte")
    new = plan_draft_next_year(actor=keeper, plan=plan)
    for (code, slug), value in (changes or {}).items():
        target = new.targets.get(indicator__code=code, unit__slug=slug)
        target.value = value
        plan_save(actor=keeper, instance=target, plan=new)
    targets_confirm(actor=keeper, plan=new)
    plan_issue(
        actor=keeper,
        plan=new,
        number=f"{new.year}/KH-UBND",
        issued_on=date(new.year, 1, 15),
        signer="Nguyễn Văn A",
    )
    new.refresh_from_db()
    return new


@pytest.fixture
def plan_2024(plan):
    return next_year(plan, {(RICE, "thanh-pho-lai-chau"): Decimal("332.2")})


@pytest.fixture
def today(monkeypatch):
    """The dashboard's today: April 2024, the first quarter of 2024 reported."""
    day = date(2024, 4, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    return day


def test_each_year_shows_its_own_target_and_its_result_to_its_last_day(
    plan, plan_2024, report_figures, today
):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=135)
    report_figures("sung-phai", "2023-q2", lua_chat_luong_dien_tich=140)
    report_figures("san-thang", "2023-q4", che_bup_tuoi_san_luong="9000")
    report_figures("sung-phai", "2023-q3", che_bup_tuoi_san_luong="2500.5")
    rice = Indicator.objects.get(code=RICE)
    years = indicator_across_years(rice, today=today).years
    assert [(y.plan.year, y.target.value, y.actual) for y in years] == [
        (2023, Decimal("329.2"), Decimal(275)),
        (2024, Decimal("332.2"), None),
    ]
    assert years[0].as_of == year_last_day(2023) and years[1].as_of == today
    tea = indicator_across_years(Indicator.objects.get(code=TEA), today=today).years
    assert tea[0].actual == Decimal("11500.5") and tea[0].status == Status.ACHIEVED
    # The same figure the 2023 dashboard gives on its last day.
    board = attainment(plan, as_of=year_last_day(2023))
    assert {i.indicator.code: i.actual for i in board.city}[TEA] == tea[0].actual


def file_figure(plan, actor, unit_slug, period_code, code, value):
    """An approved report of one unit with one figure, in any year's plan."""
    unit = plan.unit.children.get(slug=unit_slug)
    scope = report_scope(plan, unit)
    indicator = next(line.indicator for line in scope.lines if line.indicator.code == code)
    report = services.report_save(
        scope=scope,
        period=ReportingPeriod.objects.get(plan=plan, code=period_code),
        actor=actor,
        expected_version=None,
        data=services.ReportInput(figures={indicator.pk: Decimal(value)}),
    )
    report = services.report_submit(report=report, actor=actor)
    return services.report_approve(report=report, actor=actor)


def test_a_year_counts_its_own_reports_only(plan, plan_2024, economic_officer, today):
    file_figure(plan, economic_officer, "san-thang", "2023-q2", RICE, "135")
    file_figure(plan_2024, economic_officer, "san-thang", "2024-q1", RICE, "138")
    file_figure(plan_2024, economic_officer, "sung-phai", "2024-q1", RICE, "145")
    years = indicator_across_years(Indicator.objects.get(code=RICE), today=today).years
    assert [(y.plan.year, y.actual) for y in years] == [(2023, 135), (2024, 283)]


def test_the_years_cost_the_same_queries_however_many_there_are(
    plan, plan_2024, today, django_assert_num_queries
):
    rice = Indicator.objects.get(code=RICE)
    with django_assert_num_queries(4):
        indicator_across_years(rice, today=today)
    next_year(plan_2024)
    with django_assert_num_queries(4):
        assert len(indicator_across_years(rice, today=today).years) == 3


def test_no_five_year_target_is_shown_until_phong_kinh_te_enters_one(
    client_for, leader, plan, plan_2024, today
):
    page = client_for(leader).get(f"/dashboard/2024/chi-tieu/{RICE}/").content.decode()
    years = section(page)
    assert re.search(r'data-year="2023".*?329,2.*?data-year="2024".*?332,2', years, re.S)
    assert "Kế hoạch giai đoạn 2169/KH-UBND" in years
    assert "Chưa nhập chỉ tiêu giai đoạn." in years
    assert StageTarget.objects.count() == 0
    assert "Nhập chỉ tiêu giai đoạn" not in years  # leadership reads, does not enter


def section(page: str) -> str:
    start = page.index('data-testid="across-years"')
    return page[start : page.index("</section>", start)]


def test_phong_kinh_te_enters_a_five_year_target_the_vietnamese_way_and_the_page_shows_it(
    client_for, economic_officer, leader, plan, plan_2024, today
):
    client = client_for(economic_officer)
    form = client.get("/plans/2024/chi-tieu-giai-doan/")
    assert form.status_code == 200 and "2169/KH-UBND" in form.content.decode()
    response = client.post(
        "/plans/2024/chi-tieu-giai-doan/",
        {f"gia_tri_{RICE}": "1.350,5", f"nguyen_van_{RICE}": "Đến năm 2025 đạt 1.350,5ha"},
    )
    assert response.status_code == 302
    target = StageTarget.objects.get(indicator__code=RICE)
    assert target.value == Decimal("1350.5") and target.document.number == "2169/KH-UBND"
    record = target.history.latest()
    assert record.history_user == economic_officer
    page = client_for(leader).get(f"/dashboard/2023/chi-tieu/{RICE}/").content.decode()
    years = section(page)
    assert "1.350,5" in years and "Đến năm 2025 đạt 1.350,5ha" in years
    assert "chỉ tiêu giai đoạn 1.350,5" in years  # the chart's dashed line


def test_a_five_year_target_typed_wrong_is_refused_at_the_field_and_kept(
    client_for, economic_officer, plan
):
    response = client_for(economic_officer).post(
        "/plans/2023/chi-tieu-giai-doan/", {f"gia_tri_{RICE}": "12,3,4"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="12,3,4"' in page and "is-invalid" in page
    assert StageTarget.objects.count() == 0


def test_changing_and_clearing_a_five_year_target_is_on_record(client_for, economic_officer, plan):
    client = client_for(economic_officer)
    url = "/plans/2023/chi-tieu-giai-doan/"
    client.post(url, {f"gia_tri_{TEA}": "11.000"})
    client.post(url, {f"gia_tri_{TEA}": "12.000"})
    target = StageTarget.objects.get()
    assert [r.value for r in target.history.order_by("history_date")] == [11000, 12000]
    client.post(url, {f"gia_tri_{TEA}": ""})
    assert not StageTarget.objects.exists()
    assert StageTarget.history.filter(history_type="-").get().history_user == economic_officer


def test_only_phong_kinh_te_may_enter_five_year_targets(
    client_for, leader, san_thang_official, plan
):
    for user in (leader, san_thang_official):
        client = client_for(user)
        assert client.get("/plans/2023/chi-tieu-giai-doan/").status_code == 200
        assert (
            client.post("/plans/2023/chi-tieu-giai-doan/", {f"gia_tri_{RICE}": "1"}).status_code
            == 403
        )
    assert not StageTarget.objects.exists()


def test_the_indicator_page_costs_the_same_queries_with_another_year(
    client_for, leader, plan, plan_2024, today, django_assert_max_num_queries
):
    client = client_for(leader)
    client.get(f"/dashboard/2023/chi-tieu/{RICE}/")
    with django_assert_max_num_queries(60) as before:
        client.get(f"/dashboard/2023/chi-tieu/{RICE}/")
    next_year(plan_2024)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert (
            'data-year="2025"' in client.get(f"/dashboard/2023/chi-tieu/{RICE}/").content.decode()
        )

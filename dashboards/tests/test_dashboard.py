"""Leadership's dashboard: each target against what units reported and Phòng Kinh tế approved."""

from datetime import date
from decimal import Decimal

import pytest

from dashboards.board import attainment
from dashboards.charts import line_chart
from dashboards.judging import Status, expected_share
from reporting.models import Report, SeasonalProfile, Sector, Target

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("totals_mode")]

DASHBOARD = "/dashboard/2023/"
END_OF_YEAR = date(2023, 12, 14)


def city_item(plan, code, **kwargs):
    board = attainment(plan, as_of=kwargs.pop("as_of", END_OF_YEAR), **kwargs)
    return next(item for item in board.city if item.indicator.code == code)


def test_approved_rice_areas_add_up_for_the_city(plan, report_figures):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=135)
    report_figures("sung-phai", "2023-q2", lua_chat_luong_dien_tich=142)
    report_figures("quyet-thang", "2023-q2", lua_chat_luong_dien_tich="22.2")
    report_figures("dong-phong", "2023-q2", lua_chat_luong_dien_tich=30)
    item = city_item(plan, "lua-chat-luong-dien-tich")
    assert item.actual == Decimal("329.2")
    assert item.status == Status.ACHIEVED


def test_submitted_figures_count_only_when_asked_and_are_marked(plan, report_figures):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=1000)
    report_figures("sung-phai", "2023-q1", Report.Status.SUBMITTED, che_bup_tuoi_san_luong=500)
    approved_only = city_item(plan, "che-bup-tuoi-san-luong")
    assert approved_only.actual == Decimal("1000")
    assert not approved_only.includes_submitted
    with_submitted = city_item(plan, "che-bup-tuoi-san-luong", include_submitted=True)
    assert with_submitted.actual == Decimal("1500")
    assert with_submitted.includes_submitted


def test_drafts_never_count(plan, report_figures):
    report_figures("san-thang", "2023-q1", Report.Status.DRAFT, che_bup_tuoi_san_luong=1000)
    assert city_item(plan, "che-bup-tuoi-san-luong", include_submitted=True).actual is None


def test_flows_add_up_over_the_periods_and_stocks_take_the_latest(plan, report_figures):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=1000, che_dien_tich=400)
    report_figures("san-thang", "2023-q2", che_bup_tuoi_san_luong=2500, che_dien_tich=410)
    assert city_item(plan, "che-bup-tuoi-san-luong").actual == Decimal("3500")
    assert city_item(plan, "che-dien-tich").actual == Decimal("410")


def test_monthly_and_quarterly_reports_are_not_counted_twice(plan, report_figures):
    for month, amount in (("2023-04", 300), ("2023-05", 400), ("2023-06", 500)):
        report_figures("san-thang", month, che_bup_tuoi_san_luong=amount)
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=800)
    report_figures("san-thang", "2023-q2", che_bup_tuoi_san_luong=1200)
    report_figures("san-thang", "2023-6t", che_bup_tuoi_san_luong=2000)
    # The six-month report covers 15/12 to 14/6, the same as both quarters together.
    assert city_item(plan, "che-bup-tuoi-san-luong").actual == Decimal("2000")


def test_a_period_filter_looks_at_figures_up_to_its_end(plan, report_figures):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=1000)
    report_figures("san-thang", "2023-q3", che_bup_tuoi_san_luong=3000)
    item = city_item(plan, "che-bup-tuoi-san-luong", as_of=date(2023, 6, 14))
    assert item.actual == Decimal("1000")


def test_a_stock_must_hold_all_year(plan, report_figures):
    report_figures("san-thang", "2023-q1", lua_chat_luong_dien_tich=130)
    unit_item = attainment(plan, as_of=date(2023, 3, 14)).by_unit[
        plan.unit.children.get(slug="san-thang").pk
    ][0]
    assert unit_item.status == Status.AT_RISK
    assert "giữ suốt năm" in unit_item.explanation
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=100)
    unit_item = attainment(plan, as_of=date(2023, 6, 14)).by_unit[
        plan.unit.children.get(slug="san-thang").pk
    ][0]
    assert unit_item.status == Status.BEHIND


def every_commune_reports(report_figures, period_code, **figures):
    """Each of the seven communes and wards files 0 (a figure, not none), so that a test
    judges a target on all the units it needs."""
    for slug in COMMUNES:
        report_figures(slug, period_code, **dict.fromkeys(figures, 0))


COMMUNES = ["sung-phai", "quyet-thang", "dong-phong", "quyet-tien", "doan-ket", "tan-phong"]


def test_tea_is_judged_against_its_season_not_a_straight_line(plan, report_figures):
    # By 14/3 the tea season has just begun: 11,11% of 10.900 t (1.211 t) is expected.
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=1300)
    every_commune_reports(report_figures, "2023-q1", che_bup_tuoi_san_luong=0)
    item = city_item(plan, "che-bup-tuoi-san-luong", as_of=date(2023, 3, 14))
    assert item.expected_share == Decimal("0.1111")
    assert item.status == Status.ON_TRACK
    assert "theo mùa vụ" in item.explanation


def test_before_the_season_nothing_is_expected(plan):
    profile = SeasonalProfile.objects.get(indicator__code="mac-ca-san-luong")
    assert expected_share(profile, 2023, date(2023, 6, 14)) == 0


def test_a_flow_without_a_profile_follows_a_straight_line(plan, report_figures):
    report_figures("thanh-pho-lai-chau", "2023-q2", kenh_muong_noi_dong="0.9")
    item = city_item(plan, "kenh-muong-noi-dong", as_of=date(2023, 6, 14))
    # 15/12/2022 → 14/6/2023 is 182 of the window's 365 days: 1,25 km expected, 0,9 done.
    assert item.expected_share == Decimal(182) / Decimal(365)
    assert item.status == Status.BEHIND
    assert "theo đường thẳng" in item.explanation


def test_a_flow_at_80_percent_of_what_is_due_is_at_risk(plan, report_figures):
    report_figures("thanh-pho-lai-chau", "2023-q2", kenh_muong_noi_dong="1.1")
    item = city_item(plan, "kenh-muong-noi-dong", as_of=date(2023, 6, 14))
    assert item.status == Status.AT_RISK


def test_the_dashboard_page_shows_the_numbers_the_vietnamese_way(
    client_for, leader, report_figures
):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong="1250.5")
    page = client_for(leader).get(DASHBOARD).content.decode()
    assert "1.250,5 tấn" in page
    assert "10.900 tấn" in page
    assert "Chỉ tính số liệu đã được Phòng Kinh tế duyệt" in page


def test_filters_are_in_the_url(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=100)
    every_commune_reports(report_figures, "2023-q1", che_bup_tuoi_san_luong=0)
    client = client_for(leader)
    crops = client.get(DASHBOARD, {"linh_vuc": "ha_tang"}).context["items"]
    assert [i.indicator.code for i in crops] == ["kenh-muong-noi-dong", "duong-noi-dong-vung-che"]
    behind = client.get(DASHBOARD, {"trang_thai": Status.BEHIND}).context["items"]
    assert [i.indicator.code for i in behind] == ["che-bup-tuoi-san-luong"]
    q1 = client.get(DASHBOARD, {"ky": "2023-q1"})
    assert q1.context["as_of"] == date(2023, 3, 14)
    assert "Đến hết kỳ Quý 1/2023" in q1.content.decode()


def test_drill_down_from_an_indicator_to_its_units_and_reports(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=1000)
    report_figures("sung-phai", "2023-q1", Report.Status.SUBMITTED, che_bup_tuoi_san_luong=700)
    client = client_for(leader)
    page = client.get("/dashboard/2023/chi-tieu/che-bup-tuoi-san-luong/", {"gom_da_gui": "true"})
    rows = {unit.slug: contribution for unit, contribution, _ in page.context["rows"]}
    assert rows["san-thang"].value == Decimal("1000")
    assert rows["sung-phai"].includes_submitted
    html = page.content.decode()
    assert 'href="/reports/2023/san-thang/2023-q1/"' in html
    assert "(chưa duyệt)" in html
    assert client.get("/dashboard/2023/chi-tieu/khong-co/").status_code == 404


def test_drill_down_from_a_unit_to_all_its_indicators(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q1", lua_chat_luong_dien_tich=135, che_dien_tich=400)
    page = client_for(leader).get("/dashboard/2023/don-vi/san-thang/")
    own = [i.indicator.code for i in page.context["own_targets"]]
    assert own == ["lua-chat-luong-dien-tich"]
    contributed = {item.indicator.code: c.value for item, c in page.context["contributions"]}
    assert contributed == {
        "lua-chat-luong-dien-tich": Decimal("135"),
        "che-dien-tich": Decimal("400"),
    }


def test_completeness_shows_who_reported_on_time_late_or_not_at_all(
    client_for, leader, report_figures
):
    report_figures("san-thang", "2023-q1", Report.Status.SUBMITTED, lua_chat_luong_dien_tich=135)
    q1 = client_for(leader).get(DASHBOARD).context["completeness"][0]
    assert q1.period.code == "2023-q1"
    assert [u.slug for u in q1.late] == ["san-thang"]
    assert len(q1.missing) == 6


def test_tasks_are_counted_by_status_and_body(client_for, leader, report_figures, plan):
    duty = plan.tasks.get(code="III.1.5")
    report_figures(
        "thanh-pho-lai-chau", "2023-q1", tasks={duty.pk: ("hoan_thanh", "Đã gửi báo cáo")}
    )
    tasks = client_for(leader).get(DASHBOARD).context["tasks"]
    economic = dict(tasks.by_body)[duty.bodies.get()]
    assert economic["hoan_thanh"] == 1
    assert tasks.by_status["hoan_thanh"] == 1


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, 302), ("nguoingoai", 403), ("santhang", 403), ("lanhdao", 200), ("kinhte", 200)],
)
@pytest.mark.parametrize(
    "url",
    [DASHBOARD, "/dashboard/2023/chi-tieu/che-dien-tich/", "/dashboard/2023/don-vi/san-thang/"],
)
def test_dashboards_are_for_leadership_and_phong_kinh_te(client, outsider, username, url, expected):
    from django.contrib.auth import get_user_model

    if username:
        client.force_login(get_user_model().objects.get(username=username))
    assert client.get(url).status_code == expected


def test_leadership_lands_on_the_dashboard(client_for, leader):
    assert client_for(leader).get("/").url == DASHBOARD


@pytest.mark.parametrize(
    "url",
    [
        DASHBOARD,
        "/dashboard/2023/chi-tieu/che-bup-tuoi-san-luong/",
        "/dashboard/2023/don-vi/san-thang/",
    ],
)
def test_pages_cost_the_same_queries_with_one_report_or_many(
    client_for, leader, report_figures, django_assert_max_num_queries, url, plan
):
    client = client_for(leader)
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=10)
    # 21 for the dashboard, 22 for an indicator's page, 19 for a unit's (running totals).
    with django_assert_max_num_queries(22) as few:
        client.get(url)
    for slug in ("sung-phai", "quyet-thang", "dong-phong", "quyet-tien", "doan-ket", "tan-phong"):
        for quarter in ("2023-q1", "2023-q2", "2023-q3", "2023-q4"):
            report_figures(slug, quarter, che_bup_tuoi_san_luong=10, che_dien_tich=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_phong_kinh_te_edits_a_season_and_the_months_must_add_up_to_100(
    client_for, economic_officer
):
    profile = SeasonalProfile.objects.get(indicator__code="mac-ca-san-luong")
    url = f"/admin/targets/seasonalprofile/{profile.pk}/change/"
    client = client_for(economic_officer)
    data = {"indicator": profile.indicator_id, "note": "Thu hoạch tháng 8 đến 10"}
    data.update({f"month_{m}": "0" for m in range(1, 13)})
    data.update({"month_8": "40", "month_9": "40", "month_10": "10"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tổng tỷ lệ 12 tháng phải bằng 100%, hiện là 90" in response.content.decode()
    data["month_10"] = "20"
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.month_10 == Decimal("20")


def test_task_counts_for_a_past_period_ignore_later_reports(
    client_for, leader, report_figures, plan
):
    duty = plan.tasks.get(code="III.1.5")
    report_figures(
        "thanh-pho-lai-chau", "2023-q1", tasks={duty.pk: ("dang_thuc_hien", "Đang tổng hợp")}
    )
    report_figures(
        "thanh-pho-lai-chau", "2023-q3", tasks={duty.pk: ("hoan_thanh", "Đã gửi báo cáo")}
    )
    leadership = client_for(leader)

    first_half = leadership.get(DASHBOARD, {"ky": "2023-6t"}).context["tasks"]
    whole_year = leadership.get(DASHBOARD, {"ky": "2023-nam"}).context["tasks"]

    assert first_half.by_status["dang_thuc_hien"] == 1
    assert first_half.by_status["hoan_thanh"] == 0
    assert whole_year.by_status["hoan_thanh"] == 1


def test_each_units_value_streamed_for_exports_matches_its_contributions(report_figures, plan):
    report_figures("san-thang", "2023-q1", lua_chat_luong_dien_tich=135)
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=140)
    report_figures("sung-phai", "2023-q1", Report.Status.SUBMITTED, lua_chat_luong_dien_tich=60)
    board = attainment(plan, as_of=date(2023, 12, 14), include_submitted=True)

    contributions = {
        (c.unit.pk, item.indicator.pk): (c.value, c.includes_submitted)
        for item in [*board.city, *(i for items in board.by_unit.values() for i in items)]
        for c in item.contributions
    }
    streamed = {
        (v.unit_id, v.indicator_id): (v.value, v.includes_submitted) for v in board.unit_values()
    }

    assert streamed == contributions
    assert sorted(value for value, _submitted in streamed.values()) == [60, 140]
    assert sorted(submitted for _value, submitted in streamed.values()) == [False, True]


def test_a_value_close_to_its_target_is_labelled_below_its_dot_not_on_the_targets_label(plan):
    periods = list(plan.periods.filter(kind="quy").order_by("ends_on"))[:4]
    values = [Decimal("200"), Decimal("500"), Decimal("800"), Decimal("963.45")]
    chart = line_chart(list(zip(periods, values, strict=True)), Decimal("1060"))
    offsets = {shown: dy for _x, _y, _name, shown, dy in chart.dots}
    assert offsets["963,45"] > 0  # below: "963,45" no longer sits on "chỉ tiêu 1.060"
    assert offsets["200"] < 0 and offsets["500"] < 0  # far from the target: above


def test_the_ocop_box_reads_its_target_from_the_plan_and_its_count_as_of_the_period(
    client_for, leader, plan
):
    target = Target.objects.get(plan=plan, indicator__sector=Sector.OCOP, unit=plan.unit)
    page = client_for(leader).get(DASHBOARD, {"ky": "2023-q1"}).content.decode()
    box = page[page.index('data-testid="ocop"') :][:600]
    assert f"/ {int(target.value)} " in box and "chỉ tiêu kế hoạch" in box
    Target.objects.filter(pk=target.pk).update(value=5)
    page = client_for(leader).get(DASHBOARD, {"ky": "2023-q1"}).content.decode()
    assert "/ 5 " in page[page.index('data-testid="ocop"') :][:600]

"""Data-quality checks when a figure is saved, explanations, comments and follow-up."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from reporting import services
from reporting.models import (
    FigureFlag,
    Indicator,
    QualityRule,
    Report,
    ReportEvent,
    ReportingPeriod,
)
from reporting.quality import check_figures
from reporting.selectors import report_scope

from .conftest import SAN_THANG_Q1

pytestmark = pytest.mark.django_db

RICE_AREA = "figure_lua-chat-luong-dien-tich"  # San Thàng's own target: 135 ha
TEA_AREA = "figure_che-dien-tich"
TEA_IN_BUSINESS = "figure_che-kinh-doanh-dien-tich"


def open_report(client):
    return client.get(SAN_THANG_Q1)


def report():
    return Report.objects.get(unit__slug="san-thang", period__code="2023-q1")


def test_a_part_above_its_whole_is_refused_at_the_field(
    client_for, san_thang_official, report_form_data
):
    official = client_for(san_thang_official)
    data = report_form_data(open_report(official), **{TEA_AREA: "400", TEA_IN_BUSINESS: "450"})
    response = official.post(SAN_THANG_Q1, data)
    assert response.status_code == 400
    errors = response.context["form"].errors[TEA_IN_BUSINESS]
    assert "không được lớn hơn Diện tích chè" in errors[0]
    assert 'value="450"' in response.content.decode()  # what was typed is kept
    assert not Report.objects.filter(unit__slug="san-thang").exists()


def test_a_figure_far_from_its_target_is_saved_with_a_warning_to_explain(
    client_for, san_thang_official, report_form_data
):
    official = client_for(san_thang_official)
    official.post(SAN_THANG_Q1, report_form_data(open_report(official), **{RICE_AREA: "300"}))
    (flag,) = FigureFlag.objects.filter(report=report(), kind=FigureFlag.Kind.CHECK)
    assert "so với chỉ tiêu của đơn vị (135 ha)" in flag.message
    assert flag.value == Decimal("300")

    # Sending is refused until it is explained, on the confirmation page and the service.
    confirm = official.get(f"{SAN_THANG_Q1}gui/")
    assert [f.indicator.code for f in confirm.context["unexplained"]] == [
        "lua-chat-luong-dien-tich"
    ]
    assert "cần giải trình" in confirm.content.decode()
    official.post(f"{SAN_THANG_Q1}gui/")
    assert report().status == Report.Status.DRAFT
    with pytest.raises(services.WorkflowError):
        services.report_submit(report=report(), actor=san_thang_official)

    page = open_report(official)
    assert "Cảnh báo" in page.content.decode()
    explained = report_form_data(
        page, **{"explain_lua-chat-luong-dien-tich": "Mở rộng vụ mùa ở bản Sin Chải"}
    )
    official.post(SAN_THANG_Q1, explained)
    flag.refresh_from_db()
    assert flag.explanation == "Mở rộng vụ mùa ở bản Sin Chải"
    step = report().events.get(action=ReportEvent.Action.EXPLAINED)
    assert "Mở rộng vụ mùa" in step.reason
    official.post(f"{SAN_THANG_Q1}gui/")
    assert report().status == Report.Status.SUBMITTED


def test_saving_and_sending_at_once_with_a_figure_to_explain_says_the_figures_are_saved(
    client_for, san_thang_official, report_form_data
):
    official = client_for(san_thang_official)
    data = report_form_data(open_report(official), "submit", **{RICE_AREA: "300"})
    page = official.post(SAN_THANG_Q1, data, follow=True).content.decode()
    assert "Đã lưu báo cáo." in page
    assert "Cần giải trình trước khi gửi: " in page
    assert report().status == Report.Status.DRAFT
    assert report().figures.get(indicator__code="lua-chat-luong-dien-tich").value == 300


def test_a_changed_figure_must_be_explained_again(client_for, san_thang_official, report_form_data):
    official = client_for(san_thang_official)
    data = report_form_data(
        open_report(official), **{RICE_AREA: "300"}, **{"explain_lua-chat-luong-dien-tich": "x"}
    )
    official.post(SAN_THANG_Q1, data)
    official.post(SAN_THANG_Q1, report_form_data(open_report(official), **{RICE_AREA: "310"}))
    flag = FigureFlag.objects.get(report=report(), kind=FigureFlag.Kind.CHECK)
    assert (flag.value, flag.explanation) == (Decimal("310"), "x")  # re-sent with the form
    official.post(
        SAN_THANG_Q1,
        report_form_data(
            open_report(official), **{RICE_AREA: "140"}, **{"explain_lua-chat-luong-dien-tich": ""}
        ),
    )
    assert not FigureFlag.objects.filter(report=report()).exists()  # close to 135: no warning


def history_of(plan, unit, economic_officer, values):
    """Approved quarterly figures of San Thàng's tea area, one per quarter."""
    scope = report_scope(plan, unit("san-thang"))
    tea = next(line.indicator for line in scope.lines if line.indicator.code == "che-dien-tich")
    for code, value in values.items():
        saved = services.report_save(
            scope=scope,
            period=ReportingPeriod.objects.get(plan=plan, code=code),
            actor=economic_officer,
            expected_version=None,
            data=services.ReportInput(figures={tea.pk: Decimal(value)}),
        )
        services.report_submit(report=saved, actor=economic_officer)
        services.report_approve(report=saved, actor=economic_officer)
    return scope, tea


def test_an_outlier_against_the_units_approved_history_is_warned(plan, unit, economic_officer):
    scope, tea = history_of(
        plan, unit, economic_officer, {"2023-q1": "400", "2023-q2": "402", "2023-q3": "405"}
    )
    q4 = ReportingPeriod.objects.get(plan=plan, code="2023-q4")
    QualityRule.objects.filter(kind=QualityRule.Kind.PLAN).update(active=False)
    (far,) = check_figures(scope, q4, {tea.pk: Decimal("900")})
    assert "trung vị 402 ha của 3 kỳ đã duyệt" in far.message
    assert not far.is_error
    assert check_figures(scope, q4, {tea.pk: Decimal("404")}) == []


def test_too_little_history_checks_nothing(plan, unit, economic_officer):
    scope, tea = history_of(plan, unit, economic_officer, {"2023-q1": "400", "2023-q2": "402"})
    q4 = ReportingPeriod.objects.get(plan=plan, code="2023-q4")
    QualityRule.objects.filter(kind=QualityRule.Kind.PLAN).update(active=False)
    assert check_figures(scope, q4, {tea.pk: Decimal("900")}) == []


def test_yield_is_checked_only_where_bounds_are_entered(plan, unit, q1):
    scope = report_scope(plan, unit("san-thang"))
    area = Indicator.objects.get(code="lua-chat-luong-dien-tich")
    output = Indicator.objects.get(code="lua-chat-luong-san-luong")
    figures = {area.pk: Decimal("135"), output.pk: Decimal("2000")}  # 14,8 t/ha
    assert check_figures(scope, q1, figures) == []
    QualityRule.objects.create(
        kind=QualityRule.Kind.YIELD,
        severity=QualityRule.Severity.WARNING,
        indicator=output,
        area_indicator=area,
        lower=Decimal("4"),
        upper=Decimal("8"),
    )
    (finding,) = check_figures(scope, q1, figures)
    assert "Năng suất 14,81 tấn/ha" in finding.message


def test_phong_kinh_te_switches_a_rule_off_for_one_indicator(plan, unit, q1):
    scope = report_scope(plan, unit("san-thang"))
    rice = Indicator.objects.get(code="lua-chat-luong-dien-tich")
    assert len(check_figures(scope, q1, {rice.pk: Decimal("300")})) == 1
    QualityRule.objects.create(
        kind=QualityRule.Kind.PLAN,
        severity=QualityRule.Severity.WARNING,
        indicator=rice,
        active=False,
    )
    assert check_figures(scope, q1, {rice.pk: Decimal("300")}) == []


def test_comments_and_follow_up_are_in_the_history_for_the_right_roles_only(
    client_for, san_thang_official, economic_officer, leader, report_form_data
):
    official = client_for(san_thang_official)
    official.post(SAN_THANG_Q1, report_form_data(open_report(official), "submit"))
    office = Client()
    office.force_login(economic_officer)
    note = f"{SAN_THANG_Q1}y-kien/"
    office.post(note, {"chi_tieu": "lua-chat-luong-dien-tich", "y_kien": "Số này lấy ở đâu?"})
    office.post(note, {"chi_tieu": "lua-chat-luong-dien-tich", "theo_doi": "bat"})
    official.post(note, {"chi_tieu": "lua-chat-luong-dien-tich", "y_kien": "Theo thống kê xã"})
    # A figure the report does not hold is refused with a message.
    official.post(note, {"chi_tieu": "khong-co", "y_kien": "x"})
    assert not report().figure_comments.filter(text="x").exists()

    mine = official.get(SAN_THANG_Q1).content.decode()
    assert "Số này lấy ở đâu?" in mine and "Theo thống kê xã" in mine
    assert "Cần theo dõi" in mine
    actions = list(report().events.values_list("action", flat=True))
    assert actions.count(ReportEvent.Action.COMMENTED) == 2
    assert ReportEvent.Action.FOLLOW_UP in actions
    queue = office.get("/reports/2023/cho-duyet/").context["items"]
    assert [item.flagged for item in queue] == [1]

    # Leadership reads the figures, not the exchange about them.
    leadership = Client()
    leadership.force_login(leader)
    theirs = leadership.get(SAN_THANG_Q1).content.decode()
    assert "Số này lấy ở đâu?" not in theirs and "Theo thống kê xã" not in theirs
    assert (
        leadership.post(note, {"chi_tieu": "lua-chat-luong-dien-tich", "y_kien": "x"}).status_code
        == 403
    )
    # Only Phòng Kinh tế marks a figure for follow-up.
    with pytest.raises(PermissionDenied):
        services.figure_follow_up(
            report=report(),
            indicator=Indicator.objects.get(code="lua-chat-luong-dien-tich"),
            actor=san_thang_official,
            on=False,
        )


def test_the_figures_needing_attention_come_first_with_their_marks_and_comments(
    client_for,
    san_thang_official,
    economic_officer,
    report_form_data,
    django_assert_max_num_queries,
):
    official = client_for(san_thang_official)
    official.post(SAN_THANG_Q1, report_form_data(open_report(official), **{RICE_AREA: "300"}))
    explained = {"explain_lua-chat-luong-dien-tich": "Mở rộng vụ mùa ở bản Sin Chải"}
    official.post(SAN_THANG_Q1, report_form_data(open_report(official), "submit", **explained))
    office = Client()
    office.force_login(economic_officer)
    note = f"{SAN_THANG_Q1}y-kien/"
    office.post(note, {"chi_tieu": "lua-chat-luong-dien-tich", "y_kien": "Số này lấy ở đâu?"})
    office.post(note, {"chi_tieu": "lua-chat-luong-dien-tich", "theo_doi": "bat"})

    # The report's flags and comments: two reads more than a report without any.
    with django_assert_max_num_queries(17 + 2):
        page = official.get(SAN_THANG_Q1).content.decode()
    flagged = page[page.index('data-testid="flagged"') : page.index('id="figures-heading"')]
    rice = flagged[flagged.index('data-testid="flagged-lua-chat-luong-dien-tich"') :]
    assert "300 ha" in rice
    assert "Cảnh báo" in rice and "so với chỉ tiêu của đơn vị (135 ha)" in rice
    assert "Giải trình" in rice and "Mở rộng vụ mùa ở bản Sin Chải" in rice
    assert "Cần theo dõi" in rice
    assert 'data-testid="comments-lua-chat-luong-dien-tich"' in rice
    assert "Số này lấy ở đâu?" in rice
    # Only the figure discussed is there.
    assert flagged.count('data-testid="flagged-') == 1

    # Below, each figure's row: its target (the unit's own, or the city's marked so), the
    # figure, the cumulative of a flow, "không cộng dồn" for a stock.
    rows = page[page.index('data-testid="figures"') :]
    rice_row = rows[rows.index('id="so-lieu-lua-chat-luong-dien-tich"') :]
    rice_row = rice_row[: rice_row.index('id="so-lieu-', 10)]
    assert "135 ha" in rice_row and "300 ha" in rice_row
    assert "không cộng dồn" in rice_row
    assert "toàn TP" in rows

"""Who reports on a plan started after the 2025 reform: the two wards' officials, once it
is issued; the city's old officials keep reading their old reports and report no more."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.access import may_edit_for_unit
from planning.carry import plan_draft_next_year
from planning.services import plan_issue, targets_confirm
from reporting import services
from reporting.models import Report
from reporting.selectors import report_scope

pytestmark = pytest.mark.django_db

RICE = "lua-chat-luong-dien-tich"


@pytest.fixture
def draft_2026(economic_officer, plan):
    return plan_draft_next_year(actor=economic_officer, plan=plan, year=2026)


@pytest.fixture
def plan_2026(economic_officer, draft_2026):
    targets_confirm(actor=economic_officer, plan=draft_2026)
    plan_issue(
        actor=economic_officer,
        plan=draft_2026,
        number="05/KH-UBND",
        issued_on=date(2026, 1, 8),
        signer="Nguyễn Văn A",
    )
    draft_2026.refresh_from_db()
    return draft_2026


@pytest.fixture
def ward_official(db):
    return get_user_model().objects.get(username="phuongtanphong")


def rice_figure(plan, unit, value):
    scope = report_scope(plan, unit)
    code = {line.indicator.code: line.indicator.pk for line in scope.lines}[RICE]
    return scope, services.ReportInput(figures={code: Decimal(value)})


def save(plan, unit, actor, value="160"):
    scope, data = rice_figure(plan, unit, value)
    return services.report_save(
        scope=scope,
        period=plan.periods.get(code=f"{plan.year}-q1"),
        actor=actor,
        expected_version=None,
        data=data,
    )


def test_an_old_official_still_reads_the_old_reports(
    client_for, san_thang_official, plan, plan_2026, unit
):
    save(plan, unit("san-thang"), san_thang_official)  # written in 2023
    client = client_for(san_thang_official)
    assert client.get(reverse("reporting:overview", args=[2023])).status_code == 200
    page = client.get(reverse("reporting:report", args=[2023, "san-thang", "2023-q1"]))
    assert page.status_code == 200 and 'value="160"' in page.content.decode()


def test_an_old_official_is_told_why_the_new_plan_is_not_theirs(
    client_for, san_thang_official, plan_2026
):
    client = client_for(san_thang_official)
    for url in (
        reverse("reporting:overview", args=[2026]),
        reverse("reporting:report", args=[2026, "san-thang", "2026-q1"]),
        reverse("reporting:report", args=[2026, "phuong-tan-phong", "2026-q1"]),
    ):
        page = client.get(url)
        assert page.status_code == 403, url
        reason = page.content.decode()
        assert "Xã San Thàng đã kết thúc ngày 30/06/2025" in reason
        assert "không báo cáo cho kế hoạch năm 2026" in reason
        assert "Báo cáo của Tân Phong do cán bộ của đơn vị đó gửi" in reason


def test_the_service_refuses_an_old_official_with_the_reason(san_thang_official, plan_2026, unit):
    ward = unit("phuong-tan-phong")
    assert not may_edit_for_unit(san_thang_official, plan_2026, ward)
    with pytest.raises(PermissionDenied, match="San Thàng đã kết thúc ngày 30/06/2025"):
        save(plan_2026, ward, san_thang_official)
    assert not Report.objects.filter(period__plan=plan_2026).exists()


def test_an_old_official_lands_on_the_plans_not_on_a_refusal(
    client_for, san_thang_official, plan_2026
):
    answer = client_for(san_thang_official).get(reverse("home"), follow=True)
    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == reverse("plans:list")
    assert "Xã San Thàng đã kết thúc" in answer.content.decode()


def test_the_ward_reports_once_the_new_plan_is_issued(
    client_for, ward_official, draft_2026, economic_officer, unit
):
    client = client_for(ward_official)
    url = reverse("reporting:report", args=[2026, "phuong-tan-phong", "2026-q1"])
    assert client.get(url).status_code == 403  # a draft: not open for reporting yet
    targets_confirm(actor=economic_officer, plan=draft_2026)
    plan_issue(
        actor=economic_officer, plan=draft_2026, number="5", issued_on=date(2026, 1, 8), signer="A"
    )
    draft_2026.refresh_from_db()
    overview = client.get(reverse("reporting:overview", args=[2026]))
    assert overview.status_code == 200 and "Tân Phong" in overview.content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "165" in page.content.decode()  # the ward's target
    report = save(draft_2026, unit("phuong-tan-phong"), ward_official, "162.5")
    assert report.figures.get().value == Decimal("162.5")
    other = reverse("reporting:report", args=[2026, "phuong-doan-ket", "2026-q1"])
    assert client.get(other).status_code == 404  # not theirs


def test_the_new_wards_official_has_no_report_on_the_old_plans(client_for, ward_official):
    client = client_for(ward_official)
    page = client.get(reverse("reporting:report", args=[2023, "san-thang", "2023-q1"]))
    assert page.status_code == 404


@pytest.mark.parametrize(
    "name, args",
    [
        ("plans:detail", [2026]),
        ("plans:history", [2026]),
        ("plan_document:docx", [2026]),
        ("reporting:overview", [2026]),
        ("reporting:queue", [2026]),
        ("reporting:report", [2026, "lai-chau", "2026-q1"]),
        ("reporting:report", [2026, "phuong-doan-ket", "2026-q1"]),
        ("dashboards:dashboard", [2026]),
    ],
)
def test_the_plan_after_the_reform_opens_on_every_page(
    client_for, economic_officer, plan_2026, name, args
):
    page = client_for(economic_officer).get(reverse(name, args=args))
    assert page.status_code == 200, name


def test_the_dashboard_of_the_plan_after_the_reform_names_its_two_wards(
    client_for, leader, plan_2026
):
    page = client_for(leader).get(reverse("dashboards:dashboard", args=[2026]))
    assert page.status_code == 200 and page.context["named"]
    first_quarter = page.context["completeness"][0]
    assert [u.slug for u in first_quarter.missing] == ["phuong-doan-ket", "phuong-tan-phong"]
    text = page.content.decode()
    assert "Phong Thổ" not in text and "Tam Đường" not in text  # districts that ended

"""Each report state in each list: the overview, the to-do list, the dashboard's
completeness and the Excel's *Tiến độ báo cáo* say the same (reporting.states)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reporting import services
from reporting.models import Report, ReportingPeriod
from reporting.selectors import report_scope

pytestmark = pytest.mark.django_db

OVERVIEW = "/reports/2023/"


@pytest.fixture
def san_thang_q1(plan, unit, economic_officer, san_thang_official):
    """San Thàng's first-quarter report with a figure, submitted."""
    san_thang = unit("san-thang")
    scope = report_scope(plan, san_thang)
    rice = next(line.indicator for line in scope.lines if line.indicator.code.startswith("lua"))
    report = services.report_save(
        scope=scope,
        period=ReportingPeriod.objects.get(plan=plan, code="2023-q1"),
        actor=san_thang_official,
        expected_version=None,
        data=services.ReportInput(figures={rice.pk: Decimal("130")}),
    )
    return services.report_submit(report=report, actor=san_thang_official)


def returned(report, officer):
    return services.report_return(report=report, actor=officer, reason="Thiếu số liệu chè")


def reopened(report, officer):
    report = services.report_approve(report=report, actor=officer)
    return services.report_reopen(report=report, actor=officer, reason="Sửa diện tích lúa")


def overview_state(client, unit_slug, period_code):
    response = client.get(OVERVIEW, {"ky": "quy"})
    for row_unit, cells in response.context["rows"]:
        if row_unit.slug == unit_slug:
            return next(s for s, _link in cells if s.period.code == period_code)
    raise AssertionError(unit_slug)


def completeness_cell(client, unit_name):
    response = client.get("/dashboard/2023/export.xlsx", {"ky": "2023-q1"})
    sheet = load_workbook(io.BytesIO(response.content))["Tiến độ báo cáo"]
    for row in sheet.iter_rows(values_only=True):
        if unit_name in row:
            return row[-1]
    raise AssertionError(unit_name)


@pytest.mark.parametrize(
    ("step", "label", "reason_word"),
    [(returned, "Bị trả lại", "Lý do trả lại"), (reopened, "Mở lại", "Lý do mở lại")],
)
def test_a_report_sent_back_is_never_called_overdue_in_any_list(
    client_for, san_thang_q1, economic_officer, san_thang_official, step, label, reason_word
):
    report = step(san_thang_q1, economic_officer)

    office = client_for(economic_officer)
    state = overview_state(office, "san-thang", "2023-q1")
    assert state.label == label
    page = office.get(OVERVIEW, {"ky": "quy"}).content.decode()
    assert f'title="{report.return_reason}"' in page

    dashboard = office.get("/dashboard/2023/")
    q1 = next(r for r in dashboard.context["completeness"] if r.period.code == "2023-q1")
    assert [u.slug for u in q1.sent_back] == ["san-thang"]
    assert "san-thang" not in {u.slug for u in q1.missing}
    assert report.get_absolute_url() in dashboard.content.decode()
    assert completeness_cell(office, "Xã San Thàng") == label

    official = client_for(san_thang_official)
    todo = {s.period.code: s for s in official.get(OVERVIEW).context["todo"]}
    assert todo["2023-q1"].label == label
    page = official.get(OVERVIEW).content.decode()
    assert f"{reason_word}: {report.return_reason}" in page
    report_page = official.get(report.get_absolute_url()).content.decode()
    assert report.return_reason in report_page
    assert f'data-state="{state.code}"' in report_page


def test_overdue_means_nothing_sent_after_the_deadline(client_for, economic_officer, plan):
    office = client_for(economic_officer)
    assert overview_state(office, "tan-phong", "2023-q1").label == "Quá hạn"
    dashboard = office.get("/dashboard/2023/")
    q1 = next(r for r in dashboard.context["completeness"] if r.period.code == "2023-q1")
    assert "tan-phong" in {u.slug for u in q1.missing}
    assert completeness_cell(office, "Phường Tân Phong") == "Chưa nộp"


def test_a_submitted_report_is_sent_in_every_list(client_for, economic_officer, san_thang_q1):
    office = client_for(economic_officer)
    assert overview_state(office, "san-thang", "2023-q1").label == "Đã gửi"
    assert completeness_cell(office, "Xã San Thàng") == "Muộn"  # 2023's deadline passed
    Report.objects.filter(pk=san_thang_q1.pk).update(submitted_late=False)
    assert completeness_cell(office, "Xã San Thàng") == "Đúng hạn"

"""A unit's report goes draft → submitted → returned → resubmitted → approved, on record."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reporting.models import Report, ReportEvent, ReportFigure, TaskProgress

from .conftest import SAN_THANG_Q1

pytestmark = pytest.mark.django_db

RICE_AREA = "figure_lua-chat-luong-dien-tich"
TEA_OUTPUT = "figure_che-bup-tuoi-san-luong"


def open_report(client, url=SAN_THANG_Q1):
    response = client.get(url)
    assert response.status_code == 200
    return response


def figures_of(report):
    return dict(report.figures.values_list("indicator__code", "value"))


def test_official_saves_figures_typed_the_vietnamese_way(
    client_for, san_thang_official, report_form_data
):
    client = client_for(san_thang_official)
    data = report_form_data(
        open_report(client), **{RICE_AREA: "134,5", TEA_OUTPUT: "1.250"}, difficulties="Mưa đá"
    )
    response = client.post(SAN_THANG_Q1, data)
    assert response.status_code == 302
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.status == Report.Status.DRAFT
    assert figures_of(report) == {
        "lua-chat-luong-dien-tich": Decimal("134.5"),
        "che-bup-tuoi-san-luong": Decimal("1250"),
    }
    page = client.get(SAN_THANG_Q1).content.decode()
    assert 'value="134,5"' in page and 'value="1.250"' in page


def test_saved_changes_are_on_the_report_page_with_who_when_old_and_new(
    client_for, san_thang_official, report_form_data
):
    client = client_for(san_thang_official)
    client.post(SAN_THANG_Q1, report_form_data(open_report(client), **{RICE_AREA: "130"}))
    client.post(SAN_THANG_Q1, report_form_data(open_report(client), **{RICE_AREA: "134,5"}))
    history = open_report(client).context["contents"].events
    saves = [event for event in history if event.action == ReportEvent.Action.SAVED]
    assert [(c.old_value, c.new_value) for e in saves for c in e.changes.all()] == [
        ("", "130"),
        ("130", "134,5"),
    ]
    assert all(event.actor == san_thang_official for event in saves)
    page = open_report(client).content.decode()
    assert "Diện tích lúa chất lượng (ha)" in page
    assert "130</span> → <strong>134,5</strong>" in page


def test_flow_figures_show_the_cumulative_to_date(client_for, san_thang_official, report_form_data):
    client = client_for(san_thang_official)
    client.post(SAN_THANG_Q1, report_form_data(open_report(client), **{TEA_OUTPUT: "1.200"}))
    q2 = "/reports/2023/san-thang/2023-q2/"
    client.post(q2, report_form_data(open_report(client, q2), **{TEA_OUTPUT: "3.000,5"}))
    lines = {
        line.indicator.code: line
        for line in open_report(client, q2).context["contents"].scope.lines
    }
    assert lines["che-bup-tuoi-san-luong"].cumulative == Decimal("4200.5")
    assert lines["lua-chat-luong-dien-tich"].cumulative is None


def test_the_full_journey_submit_return_resubmit_approve(
    client_for, san_thang_official, economic_officer, report_form_data
):
    official = client_for(san_thang_official)
    official.post(
        SAN_THANG_Q1, report_form_data(open_report(official), "submit", **{RICE_AREA: "135"})
    )
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.status == Report.Status.SUBMITTED

    from django.test import Client

    office = Client()
    office.force_login(economic_officer)
    review = f"{SAN_THANG_Q1}xu-ly/"
    office.post(review, {"action": "return", "reason": "Thiếu sản lượng chè"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (Report.Status.RETURNED, "Thiếu sản lượng chè")
    assert "Thiếu sản lượng chè" in official.get("/reports/2023/").content.decode()

    official.post(
        SAN_THANG_Q1, report_form_data(open_report(official), "submit", **{TEA_OUTPUT: "2.100"})
    )
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    office.post(review, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    actions = list(report.events.values_list("action", "actor__username"))
    assert actions == [
        ("tao", "santhang"),
        ("luu", "santhang"),
        ("gui", "santhang"),
        ("tra_lai", "kinhte"),
        ("luu", "santhang"),
        ("gui", "santhang"),
        ("duyet", "kinhte"),
    ]


def submitted(client, data_builder, **figures):
    client.post(SAN_THANG_Q1, data_builder(open_report(client), "submit", **figures))
    return Report.objects.get(unit__slug="san-thang", period__code="2023-q1")


def test_an_approved_report_is_locked_even_against_a_forged_post(
    client_for, san_thang_official, economic_officer, report_form_data
):
    from reporting import services

    official = client_for(san_thang_official)
    data = report_form_data(open_report(official), **{RICE_AREA: "999"})
    report = submitted(official, report_form_data, **{RICE_AREA: "135"})
    services.report_approve(report=report, actor=economic_officer)

    page = official.get(SAN_THANG_Q1).content.decode()
    assert 'name="figure_lua-chat-luong-dien-tich"' not in page
    response = official.post(SAN_THANG_Q1, data)
    assert response.status_code == 302
    assert figures_of(report)["lua-chat-luong-dien-tich"] == Decimal("135")


def test_only_phong_kinh_te_reopens_an_approved_report_and_only_with_a_reason(
    client_for, san_thang_official, economic_officer, report_form_data
):
    from reporting import services

    official = client_for(san_thang_official)
    report = submitted(official, report_form_data, **{RICE_AREA: "135"})
    services.report_approve(report=report, actor=economic_officer)

    assert (
        official.post(f"{SAN_THANG_Q1}xu-ly/", {"action": "reopen", "reason": "x"}).status_code
        == 403
    )

    from django.test import Client

    office = Client()
    office.force_login(economic_officer)
    response = office.post(f"{SAN_THANG_Q1}xu-ly/", {"action": "reopen", "reason": ""})
    assert response.status_code == 400
    assert "Hãy ghi lý do." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED

    office.post(f"{SAN_THANG_Q1}xu-ly/", {"action": "reopen", "reason": "Sai diện tích"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (Report.Status.RETURNED, "Sai diện tích")
    assert report.events.last().action == ReportEvent.Action.REOPENED


def test_returning_needs_a_reason(
    client_for, san_thang_official, economic_officer, report_form_data
):
    report = submitted(client_for(san_thang_official), report_form_data, **{RICE_AREA: "135"})
    from django.test import Client

    office = Client()
    office.force_login(economic_officer)
    response = office.post(f"{SAN_THANG_Q1}xu-ly/", {"action": "return", "reason": "  "})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_a_double_clicked_submit_makes_one_submission(
    client_for, san_thang_official, report_form_data
):
    client = client_for(san_thang_official)
    data = report_form_data(open_report(client), "submit", **{RICE_AREA: "135"})
    client.post(SAN_THANG_Q1, data)
    second = client.post(SAN_THANG_Q1, data, follow=True)
    assert "Báo cáo đã được gửi." in second.content.decode()
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.events.filter(action=ReportEvent.Action.SUBMITTED).count() == 1


def test_a_report_submitted_after_the_deadline_is_marked_late(
    client_for, san_thang_official, report_form_data, q1
):
    client = client_for(san_thang_official)
    report = submitted(client, report_form_data, **{RICE_AREA: "135"})
    assert timezone.localdate() > q1.deadline
    assert report.submitted_late
    assert "nộp muộn" in open_report(client).content.decode()


def test_a_report_submitted_on_the_deadline_day_is_on_time(
    san_thang_official, q1, monkeypatch, unit
):
    from reporting import services
    from reporting.selectors import report_scope

    on_deadline = datetime(2023, 3, 15, 23, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: on_deadline)
    scope = report_scope(q1.plan, unit("san-thang"))
    report = services.report_save(
        scope=scope,
        period=q1,
        actor=san_thang_official,
        expected_version=0,
        data=services.ReportInput(difficulties="Đúng hạn"),
    )
    report = services.report_submit(report=report, actor=san_thang_official)
    assert not report.submitted_late


def test_task_status_and_narrative_are_kept_and_recorded(
    client_for, san_thang_official, report_form_data, plan
):
    client = client_for(san_thang_official)
    task = plan.tasks.get(code="II.2.1.a")
    data = report_form_data(
        open_report(client),
        **{
            f"task_{task.pk}_status": TaskProgress.Status.IN_PROGRESS,
            f"task_{task.pk}_narrative": "Hỗ trợ 12 hộ làm chuồng",
        },
    )
    client.post(SAN_THANG_Q1, data)
    progress = TaskProgress.objects.get(task=task, report__unit__slug="san-thang")
    assert (progress.status, progress.narrative) == ("dang_thuc_hien", "Hỗ trợ 12 hộ làm chuồng")
    fields = list(
        Report.objects.get(unit__slug="san-thang").changes.values_list("field", "new_value")
    )
    assert ("Nhiệm vụ II.2.1.a – tình hình", "Đang thực hiện") in fields


def test_clearing_a_figure_removes_it_and_is_recorded(
    client_for, san_thang_official, report_form_data
):
    client = client_for(san_thang_official)
    client.post(SAN_THANG_Q1, report_form_data(open_report(client), **{RICE_AREA: "135"}))
    client.post(SAN_THANG_Q1, report_form_data(open_report(client), **{RICE_AREA: ""}))
    assert not ReportFigure.objects.filter(report__unit__slug="san-thang").exists()
    last = Report.objects.get(unit__slug="san-thang").changes.last()
    assert (last.old_value, last.new_value) == ("135", "")


def test_phong_kinh_te_enters_the_city_wide_report(
    client_for, economic_officer, report_form_data, plan
):
    client = client_for(economic_officer)
    url = "/reports/2023/thanh-pho-lai-chau/2023-q2/"
    response = open_report(client, url)
    lines = [line.indicator.code for line in response.context["contents"].scope.lines]
    assert lines == ["kenh-muong-noi-dong"]
    canal = plan.works.get(kind="kenh_muong")
    duty = plan.tasks.get(code="III.1.5")
    data = report_form_data(
        response,
        **{
            "figure_kenh-muong-noi-dong": "0,8",
            f"work_{canal.pk}_disbursed": "1.250.000.000",
            f"work_{canal.pk}_narrative": "Hoàn thành 800 m",
            f"task_{duty.pk}_status": "hoan_thanh",
        },
    )
    assert client.post(url, data).status_code == 302
    report = Report.objects.get(unit=plan.unit, period__code="2023-q2")
    assert figures_of(report) == {"kenh-muong-noi-dong": Decimal("0.8")}
    progress = report.work_progress.get()
    assert progress.disbursed_vnd == Decimal("1250000000")
    assert report.task_progress.get().task == duty

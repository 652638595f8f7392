"""Phòng Kinh tế's review queue, confirmations before sending and approving, withdrawing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from reporting import services
from reporting.models import FigureFlag, Report, ReportEvent, ReportingPeriod
from reporting.review import next_waiting
from reporting.selectors import report_scope

pytestmark = pytest.mark.django_db

QUEUE = "/reports/2023/cho-duyet/"


@pytest.fixture
def submit(plan, unit, economic_officer):
    """Save and send a unit's report for a period, sent `days_ago` days ago."""

    def send(unit_slug, period_code="2023-q1", days_ago=0):
        scope = report_scope(plan, unit(unit_slug))
        line = scope.lines[0]
        report = services.report_save(
            scope=scope,
            period=ReportingPeriod.objects.get(plan=plan, code=period_code),
            actor=economic_officer,
            expected_version=None,
            data=services.ReportInput(
                figures={line.indicator.pk: Decimal("10")},
                explanations={line.indicator.pk: "Số liệu thử nghiệm"},
            ),
        )
        report = services.report_submit(report=report, actor=economic_officer)
        Report.objects.filter(pk=report.pk).update(
            submitted_at=timezone.now() - timedelta(days=days_ago)
        )
        report.refresh_from_db()
        return report

    return send


def queued(response):
    return [(i.report.unit.slug, i.report.period.code) for i in response.context["items"]]


def test_the_queue_lists_submitted_reports_oldest_first_with_days_waiting(
    client_for, economic_officer, submit
):
    submit("sung-phai", days_ago=2)
    submit("san-thang", days_ago=9)
    submit("tan-phong", "2023-q2", days_ago=5)
    draft = submit("doan-ket")
    services.report_withdraw(report=draft, actor=economic_officer)

    response = client_for(economic_officer).get(QUEUE)
    assert queued(response) == [
        ("san-thang", "2023-q1"),
        ("tan-phong", "2023-q2"),
        ("sung-phai", "2023-q1"),
    ]
    assert [i.days_waiting for i in response.context["items"]] == [9, 5, 2]
    page = response.content.decode()
    assert page.count("nộp muộn") == 3  # every 2023 deadline has passed


def test_the_queue_counts_flagged_figures(client_for, economic_officer, submit):
    report = submit("san-thang")
    indicator = report.figures.first().indicator
    FigureFlag.objects.create(report=report, indicator=indicator, kind=FigureFlag.Kind.FOLLOW_UP)
    response = client_for(economic_officer).get(QUEUE)
    (item,) = response.context["items"]
    assert (item.flagged, item.is_clean) == (1, False)
    assert f'value="{report.pk}"' not in response.content.decode()  # no bulk checkbox


@pytest.mark.parametrize("username", ["lanhdao", "santhang"])
def test_only_phong_kinh_te_sees_the_queue(client, username, submit):
    from django.contrib.auth import get_user_model

    submit("san-thang")
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"bao_cao": "1", "xac_nhan": "1"}).status_code == 403


def test_the_queue_costs_the_same_whatever_its_length(
    client_for, economic_officer, submit, django_assert_max_num_queries
):
    office = client_for(economic_officer)
    submit("san-thang")
    with django_assert_max_num_queries(9) as few:
        office.get(QUEUE)
    for slug in ["sung-phai", "tan-phong", "doan-ket", "dong-phong"]:
        submit(slug)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(office.get(QUEUE).context["items"]) == 5


def test_clean_reports_are_approved_together_each_on_its_own_report(
    client_for, economic_officer, submit
):
    reports = [submit(slug) for slug in ["san-thang", "sung-phai", "tan-phong"]]
    office = client_for(economic_officer)
    chosen = {"bao_cao": [str(r.pk) for r in reports[:2]]}

    confirm = office.post(QUEUE, chosen)
    assert confirm.status_code == 200
    assert "Xác nhận duyệt 2 báo cáo" in confirm.content.decode()
    assert Report.objects.filter(status=Report.Status.APPROVED).count() == 0

    office.post(QUEUE, {**chosen, "xac_nhan": "1"})
    for report in reports[:2]:
        report.refresh_from_db()
        assert report.status == Report.Status.APPROVED
        steps = report.events.filter(action=ReportEvent.Action.APPROVED)
        assert [e.actor.username for e in steps] == ["kinhte"]
    reports[2].refresh_from_db()
    assert reports[2].status == Report.Status.SUBMITTED


def test_a_flagged_report_cannot_be_approved_in_bulk(client_for, economic_officer, submit):
    report = submit("san-thang")
    # A warning whose explanation is gone (as if it had been sent without one).
    FigureFlag.objects.update_or_create(
        report=report,
        indicator=report.figures.first().indicator,
        kind=FigureFlag.Kind.CHECK,
        defaults={"explanation": ""},
    )
    client_for(economic_officer).post(QUEUE, {"bao_cao": [str(report.pk)], "xac_nhan": "1"})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_sending_from_the_page_asks_for_confirmation(client_for, san_thang_official):
    official = client_for(san_thang_official)
    url = "/reports/2023/san-thang/2023-q1/"
    response = official.post(url, {"version": 0, "difficulties": "x", "action": "send"})
    assert response.url == f"{url}gui/"
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert (report.status, report.difficulties) == (Report.Status.DRAFT, "x")
    assert "Xác nhận gửi" in official.get(f"{url}gui/").content.decode()
    official.post(f"{url}gui/")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_approving_asks_for_confirmation_then_goes_to_the_next_waiting(
    client_for, economic_officer, submit
):
    first = submit("san-thang", days_ago=3)
    second = submit("sung-phai", days_ago=1)
    office = client_for(economic_officer)
    page = office.get(first.get_absolute_url())
    assert page.context["next_waiting"] == second
    confirm_url = f"{first.get_absolute_url()}duyet/"
    assert confirm_url in page.content.decode()
    assert "Xác nhận duyệt" in office.get(confirm_url).content.decode()
    first.refresh_from_db()
    assert first.status == Report.Status.SUBMITTED

    response = office.post(confirm_url)
    first.refresh_from_db()
    assert first.status == Report.Status.APPROVED
    assert response.url == second.get_absolute_url()


def test_the_next_waiting_follows_the_queue_and_wraps_to_its_start(submit, economic_officer):
    oldest = submit("san-thang", days_ago=9)
    middle = submit("sung-phai", days_ago=5)
    # Sent at the same moment as the middle one: after it in the queue (by id).
    tie = submit("tan-phong", days_ago=5)
    Report.objects.filter(pk=tie.pk).update(submitted_at=middle.submitted_at)
    newest = submit("doan-ket", days_ago=1)
    assert next_waiting(oldest) == middle
    assert next_waiting(middle) == tie
    assert next_waiting(tie) == newest
    assert next_waiting(newest) == oldest  # past the end: the oldest waiting
    # A report not waiting (approved here) leads to the oldest that is.
    approved = services.report_approve(report=newest, actor=economic_officer)
    assert next_waiting(approved) == oldest
    for report in (middle, tie):
        services.report_approve(report=report, actor=economic_officer)
    assert next_waiting(oldest) is None  # nothing else waits


def test_an_official_may_withdraw_until_review_starts(
    client_for, economic_officer, san_thang_official, submit
):
    report = submit("san-thang")
    official = client_for(san_thang_official)
    page = official.get(report.get_absolute_url()).content.decode()
    assert "Rút lại báo cáo" in page
    official.post(f"{report.get_absolute_url()}rut-lai/")
    report.refresh_from_db()
    assert (report.status, report.submitted_at) == (Report.Status.DRAFT, None)
    assert report.events.filter(action=ReportEvent.Action.WITHDRAWN).exists()

    services.report_submit(report=report, actor=san_thang_official)
    # Phòng Kinh tế opens it: the review has started, recorded in the history.
    office = Client()
    office.force_login(economic_officer)
    office.get(report.get_absolute_url())
    assert report.events.filter(action=ReportEvent.Action.REVIEW_STARTED).count() == 1

    page = official.get(report.get_absolute_url()).content.decode()
    assert "Rút lại báo cáo" not in page
    official.post(f"{report.get_absolute_url()}rut-lai/")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    with pytest.raises(services.WorkflowError):
        services.report_withdraw(report=report, actor=san_thang_official)

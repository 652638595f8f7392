"""Who is told what, and when: send_reminders run on chosen days with --today."""

from datetime import date

import pytest

from notifications.models import Kind, Notification
from plans.models import OcopProduct
from reporting.models import Report

from .conftest import told

pytestmark = pytest.mark.django_db

UNITS = [
    "san-thang",
    "sung-phai",
    "quyet-thang",
    "dong-phong",
    "quyet-tien",
    "doan-ket",
    "tan-phong",
]


def test_official_is_told_three_working_days_before_the_deadline(run):
    # Q1 and March are due on Wednesday 15/3/2023: 13, 14 and 15/3 are the last three
    # working days, so the reminder comes on Friday 10/3, not on Thursday 9/3.
    run(date(2023, 3, 9))
    assert told("santhang", Kind.DEADLINE_SOON, "2023-q1") == []
    run(date(2023, 3, 10))
    assert told("santhang", Kind.DEADLINE_SOON, "2023-q1") == [
        (Kind.DEADLINE_SOON, "2023-q1", "san-thang")
    ]
    assert told("sungphai", Kind.DEADLINE_SOON, "2023-q1") == [
        (Kind.DEADLINE_SOON, "2023-q1", "sung-phai")
    ]


def test_nothing_is_sent_on_a_weekend(run):
    run(date(2023, 3, 11))
    assert Notification.objects.count() == 0


def test_a_report_already_sent_gets_no_reminder(run, report_in):
    report_in("san-thang", "2023-q1", Report.Status.SUBMITTED, submitted=(2023, 3, 8))
    run(date(2023, 3, 10))
    assert told("santhang", Kind.DEADLINE_SOON, "2023-q1") == []
    assert told("santhang", Kind.DEADLINE_SOON, "2023-03") != []


def test_a_missing_or_draft_report_is_overdue_the_working_day_after_the_deadline(run, report_in):
    report_in("sung-phai", "2023-q1", Report.Status.DRAFT)
    run(date(2023, 3, 15))
    assert told("santhang", Kind.OVERDUE, "2023-q1") == []
    run(date(2023, 3, 16))
    assert told("santhang", Kind.OVERDUE, "2023-q1") == [(Kind.OVERDUE, "2023-q1", "san-thang")]
    assert told("sungphai", Kind.OVERDUE, "2023-q1") == [(Kind.OVERDUE, "2023-q1", "sung-phai")]


def test_a_returned_report_is_never_called_overdue(run, report_in):
    report_in("san-thang", "2023-q1", Report.Status.RETURNED, reason="Thiếu số liệu chè")
    for day in (16, 17, 20, 21, 22, 23):
        run(date(2023, 3, day))
    assert told("santhang", Kind.OVERDUE, "2023-q1") == []
    escalation = Notification.objects.get(
        recipient__username="kinhte", kind=Kind.ESCALATION, period__code="2023-q1"
    )
    assert "San Thàng" not in escalation.detail


def test_phong_kinh_te_is_told_of_units_overdue_five_working_days(run, report_in):
    # Deadline Wednesday 15/3/2023; five working days later is Wednesday 22/3.
    report_in("sung-phai", "2023-q1", Report.Status.SUBMITTED, submitted=(2023, 3, 14))
    report_in("quyet-thang", "2023-q1", Report.Status.APPROVED, submitted=(2023, 3, 14))
    run(date(2023, 3, 21))
    assert told("kinhte", Kind.ESCALATION, "2023-q1") == []
    run(date(2023, 3, 22))
    escalation = Notification.objects.get(
        recipient__username="kinhte", kind=Kind.ESCALATION, period__code="2023-q1"
    )
    assert escalation.detail == "San Thàng, Đông Phong, Quyết Tiến, Đoàn Kết, Tân Phong"
    assert escalation.url == "/reports/2023/"
    # Officials are not told of escalation; leadership is not chased.
    assert told("santhang", Kind.ESCALATION) == [] and told("lanhdao") == []


def test_phong_kinh_te_is_told_of_each_report_waiting_for_review_once(run, report_in):
    report = report_in("san-thang", "2023-q1", Report.Status.SUBMITTED, submitted=(2023, 3, 13))
    run(date(2023, 3, 13))
    run(date(2023, 3, 14))
    assert told("kinhte", Kind.AWAITING_REVIEW) == [(Kind.AWAITING_REVIEW, "2023-q1", "san-thang")]
    notification = Notification.objects.get(kind=Kind.AWAITING_REVIEW)
    assert notification.url == report.get_absolute_url()
    assert told("santhang", Kind.AWAITING_REVIEW) == []


@pytest.fixture
def tea(unit):
    return OcopProduct.objects.create(
        name="Chè Shan tuyết San Thàng",
        owner="HTX San Thàng",
        unit=unit("san-thang"),
        score=72,
        decision_date=date(2020, 6, 30),
        expires_on=date(2023, 6, 30),
    )


def test_ocop_certificate_is_announced_thirty_days_before_it_expires(run, tea):
    run(date(2023, 5, 30))
    assert told("kinhte", Kind.OCOP_EXPIRING) == []
    run(date(2023, 5, 31))
    run(date(2023, 6, 1))
    notices = Notification.objects.filter(recipient__username="kinhte", kind=Kind.OCOP_EXPIRING)
    assert [(n.ocop_product, n.due_on) for n in notices] == [(tea, date(2023, 6, 30))]
    assert notices[0].url.startswith("/plans/2023/ocop/")
    assert told("santhang", Kind.OCOP_EXPIRING) == []


def test_ocop_certificate_is_announced_when_it_has_expired(run, tea):
    run(date(2023, 6, 29))
    assert told("kinhte", Kind.OCOP_EXPIRED) == []
    run(date(2023, 6, 30))
    run(date(2023, 7, 3))
    expired = Notification.objects.filter(recipient__username="kinhte", kind=Kind.OCOP_EXPIRED)
    assert [(n.ocop_product, n.due_on) for n in expired] == [(tea, date(2023, 6, 30))]


def test_a_product_under_re_evaluation_is_not_announced(run, tea):
    tea.status = OcopProduct.Status.REEVALUATING
    tea.save()
    run(date(2023, 6, 30))
    assert told("kinhte", Kind.OCOP_EXPIRED) == []


def test_running_twice_records_nothing_new(run):
    run(date(2023, 3, 16))
    first = Notification.objects.count()
    run(date(2023, 3, 16))
    run(date(2023, 3, 17))
    assert first > 0
    assert Notification.objects.count() == first
    keys = list(Notification.objects.values_list("recipient_id", "key"))
    assert len(keys) == len(set(keys))


def test_deadlines_follow_tet(run, plan):
    # The February 2024 cut-off falls in Tết (8–14/02/2024): no reminder is given during
    # the holiday; the deadline is Thursday 15/02/2024.
    from reporting.periods import periods_create_for_plan

    plan_2024 = type(plan).objects.create(
        year=2024,
        title="Kế hoạch 2024",
        issuer=plan.issuer,
        unit=plan.unit,
        status=type(plan).Status.ISSUED,  # units report on it, so they are reminded
    )
    periods_create_for_plan(plan=plan_2024)
    for day in range(5, 16):
        run(date(2024, 2, day))
    reminders = Notification.objects.filter(
        recipient__username="santhang", kind=Kind.DEADLINE_SOON, period__code="2024-02"
    )
    assert [(n.created_on, n.due_on) for n in reminders] == [(date(2024, 2, 5), date(2024, 2, 15))]

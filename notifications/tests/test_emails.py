"""E-mail: urgent notices at once, the rest in one digest a day, as each person chooses."""

import socket
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from notifications.models import EmailDelivery, Kind, Notification, Preference
from reporting.models import Report
from reporting.services import report_approve, report_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_emails(django_user_model):
    django_user_model.objects.filter(username="santhang").update(email="santhang@laichau.gov.vn")
    django_user_model.objects.filter(username="kinhte").update(email="kinhte@laichau.gov.vn")


def returned(report_in, economic_officer, reason="Sản lượng chè chưa khớp số liệu thu mua"):
    report = report_in("san-thang", "2023-q1", Report.Status.SUBMITTED, submitted=(2023, 3, 14))
    return report_return(report=report, actor=economic_officer, reason=reason)


def test_a_returned_report_is_emailed_at_once_with_the_reason_and_the_link(
    with_emails, report_in, economic_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = returned(report_in, economic_officer)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["santhang@laichau.gov.vn"]
    assert message.subject == (
        "[Nông nghiệp TP Lai Châu] Báo cáo Quý 1/2023 của San Thàng bị Phòng Kinh tế trả lại"
    )
    assert "Lý do: Sản lượng chè chưa khớp số liệu thu mua" in message.body
    assert f"http://127.0.0.1:8000{report.get_absolute_url()}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000{report.get_absolute_url()}"' in html
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.sort, delivery.attempts) == ("da_gui", "khan", 1)


def test_an_approval_waits_for_the_daily_digest(
    with_emails, report_in, economic_officer, django_capture_on_commit_callbacks, run
):
    report = report_in("san-thang", "2023-q1", Report.Status.SUBMITTED, submitted=(2023, 3, 14))
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=report, actor=economic_officer)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient__username="santhang", kind=Kind.APPROVED).exists()
    run(timezone.localdate())  # the step was told today; today's digest carries it
    santhang = [m for m in mail.outbox if m.to == ["santhang@laichau.gov.vn"]]
    assert len(santhang) == 1
    assert "Báo cáo Quý 1/2023 của San Thàng đã được duyệt" in santhang[0].body


def test_one_digest_per_person_and_day_and_never_the_same_reminder_twice(with_emails, run):
    run(date(2023, 3, 10))  # Q1 and March due soon, February overdue
    santhang = [m for m in mail.outbox if m.to == ["santhang@laichau.gov.vn"]]
    assert len(santhang) == 1
    digest = santhang[0]
    assert digest.subject == "[Nông nghiệp TP Lai Châu] 3 thông báo ngày 10/03/2023"
    assert "Báo cáo Quý 1/2023 của San Thàng đến hạn nộp ngày 15/03/2023" in digest.body
    assert "Báo cáo Tháng 3/2023 của San Thàng đến hạn nộp ngày 15/03/2023" in digest.body
    assert "Báo cáo Tháng 2/2023 của San Thàng đã quá hạn nộp (hạn 15/02/2023)" in digest.body
    assert "http://127.0.0.1:8000/reports/2023/san-thang/2023-q1/" in digest.body

    mail.outbox.clear()
    run(date(2023, 3, 10))
    run(date(2023, 3, 13))
    assert mail.outbox == []  # nothing new on the next working day either
    run(date(2023, 3, 16))
    bodies = [m.body for m in mail.outbox if m.to == ["santhang@laichau.gov.vn"]]
    assert len(bodies) == 1
    assert "Quý 1/2023 của San Thàng đã quá hạn" in bodies[0]
    assert "đến hạn nộp" not in bodies[0]


def test_nobody_without_an_address_is_emailed_but_the_inbox_keeps_everything(run):
    run(date(2023, 3, 10))
    assert mail.outbox == []
    assert Notification.objects.filter(recipient__username="santhang").count() == 3
    assert not Notification.objects.filter(email_state="cho").exists()


def test_a_person_who_turned_off_reminders_gets_no_email_for_them(
    with_emails, run, san_thang_official
):
    Preference.objects.create(user=san_thang_official, email_kinds=[Kind.RETURNED, Kind.OVERDUE])
    run(date(2023, 3, 10))
    bodies = [m.body for m in mail.outbox if m.to == ["santhang@laichau.gov.vn"]]
    assert len(bodies) == 1
    assert "quá hạn" in bodies[0] and "đến hạn nộp" not in bodies[0]
    assert (
        Notification.objects.filter(
            recipient=san_thang_official, kind=Kind.DEADLINE_SOON, email_state="khong_gui"
        ).count()
        == 2
    )


def test_phong_kinh_te_digest_names_the_overdue_units(with_emails, run):
    run(date(2023, 3, 22))
    kinhte = [m for m in mail.outbox if m.to == ["kinhte@laichau.gov.vn"]]
    assert len(kinhte) == 1
    assert (
        "Quý 1/2023: đơn vị quá hạn nhiều ngày chưa nộp báo cáo (hạn 15/03/2023)" in kinhte[0].body
    )
    assert "Đơn vị chưa nộp: San Thàng, Sùng Phài, Quyết Thắng" in kinhte[0].body


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_smtp_failure_is_shown_kept_and_retried(with_emails, run):
    failing = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": _closed_port(),
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**failing), pytest.raises(CommandError, match="chưa gửi được"):
        call_command("send_reminders", "--today", "10/03/2023")
    failed = EmailDelivery.objects.get(address="santhang@laichau.gov.vn")
    assert failed.status == "loi" and failed.attempts == 1
    assert "ConnectionRefusedError" in failed.last_error

    call_command("send_reminders", "--today", "10/03/2023")  # the server is back
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("da_gui", 2)
    assert [m.to for m in mail.outbox].count(["santhang@laichau.gov.vn"]) == 1

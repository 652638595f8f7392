"""End to end through a real SMTP server started by the test on a loopback port."""

import email
import socket
from datetime import date
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def _free_port():
    # aiosmtpd 1.4 checks its server by connecting to the given port, so port 0 (let the
    # system choose) fails its start; ask the system for a free port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_the_daily_digest_arrives_through_smtp_in_vietnamese_with_the_link(
    smtp_server, django_user_model
):
    controller, inbox = smtp_server
    port = controller.port
    django_user_model.objects.filter(username="santhang").update(email="santhang@laichau.gov.vn")
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "SITE_URL": "https://nongnghiep.laichau.gov.vn",
    }
    with override_settings(**smtp):
        call_command("send_reminders", "--today", "10/03/2023", verbosity=0)
    assert len(inbox.messages) == 1
    recipients, raw = inbox.messages[0]
    assert recipients == ["santhang@laichau.gov.vn"]
    message = email.message_from_bytes(raw, policy=default)
    assert message["To"] == "santhang@laichau.gov.vn"
    assert message["Subject"].strip() == "[Nông nghiệp TP Lai Châu] 3 thông báo ngày 10/03/2023"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Báo cáo Quý 1/2023 của San Thàng đến hạn nộp ngày 15/03/2023" in text
    assert "https://nongnghiep.laichau.gov.vn/reports/2023/san-thang/2023-q1/" in text
    assert 'href="https://nongnghiep.laichau.gov.vn/reports/2023/san-thang/2023-q1/"' in html
    assert date(2023, 3, 10).strftime("%d/%m/%Y") in html

"""The bell, the inbox, the preferences page and Phòng Kinh tế's log of e-mails sent."""

from datetime import date

import pytest

from notifications.models import EmailDelivery, Kind, Notification
from reporting.models import Indicator, Report
from reporting.services import figure_comment, figure_follow_up, report_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned_report(report_in, economic_officer):
    report = report_in("san-thang", "2023-q1", Report.Status.SUBMITTED, submitted=(2023, 3, 14))
    return report_return(report=report, actor=economic_officer, reason="Thiếu diện tích lúa")


def test_a_returned_report_lights_the_officials_bell(
    client_for, san_thang_official, returned_report
):
    page = client_for(san_thang_official).get("/reports/2023/").content.decode()
    assert 'data-testid="unread-count">1</span>' in page


def test_the_inbox_says_what_was_returned_and_why(client_for, san_thang_official, returned_report):
    page = client_for(san_thang_official).get("/notifications/").content.decode()
    assert "Báo cáo Quý 1/2023 của San Thàng bị Phòng Kinh tế trả lại" in page
    assert "Lý do: Thiếu diện tích lúa" in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_report(
    client_for, san_thang_official, returned_report
):
    client = client_for(san_thang_official)
    notification = Notification.objects.get(recipient=san_thang_official)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/2023/san-thang/2023-q1/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-testid="unread-count"' not in client.get("/reports/2023/").content.decode()


def test_nobody_opens_someone_elses_notification(client_for, returned_report, django_user_model):
    notification = Notification.objects.get(recipient__username="santhang")
    for username in ("sungphai", "kinhte", "lanhdao"):
        client = client_for(django_user_model.objects.get(username=username))
        assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client_for, san_thang_official, returned_report):
    client = client_for(san_thang_official)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_inbox_reads_in_a_fixed_number_of_queries(
    client_for, run, san_thang_official, django_assert_num_queries
):
    client = client_for(san_thang_official)
    run(date(2023, 3, 10))
    assert Notification.objects.filter(recipient=san_thang_official).count() == 3
    # session, user, profile (role), latest plan, the page's count and rows, the bell
    with django_assert_num_queries(7):
        assert client.get("/notifications/").status_code == 200
    for day in (16, 22, 29):
        run(date(2023, 3, day))
    run(date(2023, 4, 12))
    assert Notification.objects.filter(recipient=san_thang_official).count() >= 6
    with django_assert_num_queries(7):
        assert client.get("/notifications/").status_code == 200


def test_an_official_sets_their_own_email_and_what_they_receive(client_for, san_thang_official):
    client = client_for(san_thang_official)
    page = client.get("/notifications/settings/").content.decode()
    assert "Báo cáo bị trả lại" in page and "Chứng nhận OCOP sắp hết hạn" not in page
    response = client.post(
        "/notifications/settings/",
        {"email": "santhang@laichau.gov.vn", "email_kinds": [Kind.RETURNED, Kind.OVERDUE]},
    )
    assert response.status_code == 302
    san_thang_official.refresh_from_db()
    assert san_thang_official.email == "santhang@laichau.gov.vn"
    kinds = san_thang_official.notification_preference.email_kinds
    assert Kind.DEADLINE_SOON not in kinds and Kind.RETURNED in kinds


def test_a_mistyped_email_is_refused_at_the_field_and_kept(client_for, san_thang_official):
    response = client_for(san_thang_official).post(
        "/notifications/settings/", {"email": "santhang@@laichau"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Địa chỉ e-mail không hợp lệ" in page
    assert 'value="santhang@@laichau"' in page


def test_phong_kinh_te_sets_an_officials_email_on_the_accounts_page(
    client_for, economic_officer, san_thang_official
):
    client = client_for(economic_officer)
    response = client.post(
        f"/accounts/users/{san_thang_official.pk}/email/", {"email": "st@laichau.gov.vn"}
    )
    assert response.status_code == 302
    page = client.get("/accounts/users/").content.decode()
    assert 'data-testid="email-santhang">st@laichau.gov.vn</td>' in page


def test_the_sent_log_shows_who_was_sent_what_and_what_failed(
    client_for, economic_officer, san_thang_official, django_assert_max_num_queries
):
    for i in range(5):
        EmailDelivery.objects.create(
            recipient=san_thang_official,
            address="santhang@laichau.gov.vn",
            sort="tong_hop" if i else "khan",
            digest_on=date(2023, 3, 10 + i) if i else None,
            subject=f"Thông báo {i}",
            status="loi" if i == 0 else "da_gui",
            attempts=1,
            last_error="ConnectionRefusedError: [Errno 111] Connection refused" if i == 0 else "",
        )
    client = client_for(economic_officer)
    with django_assert_max_num_queries(8):
        page = client.get("/notifications/sent/").content.decode()
    assert "santhang@laichau.gov.vn" in page and "Thông báo 4" in page
    assert "Connection refused" in page
    failed = client.get("/notifications/sent/?trang_thai=loi").content.decode()
    assert "Thông báo 0" in failed and "Thông báo 4" not in failed


def test_a_comment_on_a_figure_is_told_to_the_other_side_and_not_to_its_author(
    client_for, report_in, san_thang_official, economic_officer
):
    report = report_in("san-thang", "2023-q1", Report.Status.SUBMITTED, submitted=(2023, 3, 14))
    rice = Indicator.objects.get(code="lua-chat-luong-dien-tich")
    figure_comment(report=report, indicator=rice, actor=economic_officer, text="Số cao bất thường?")
    inbox = client_for(san_thang_official).get("/notifications/").content.decode()
    assert "Ý kiến về số liệu trong báo cáo Quý 1/2023 của San Thàng" in inbox
    assert "Số cao bất thường?" in inbox
    assert not Notification.objects.filter(recipient=economic_officer).exists()

    figure_comment(
        report=report, indicator=rice, actor=san_thang_official, text="Đã gộp bản Sin Chải"
    )
    told_office = Notification.objects.filter(
        recipient=economic_officer, kind=Kind.FIGURE_DISCUSSED
    )
    assert [n.detail for n in told_office] == [f"{rice.name}: Đã gộp bản Sin Chải"]
    assert Notification.objects.filter(recipient=san_thang_official).count() == 1

    figure_follow_up(report=report, indicator=rice, actor=economic_officer, on=True)
    assert Notification.objects.filter(recipient=san_thang_official).count() == 2

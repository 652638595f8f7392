"""Who may download, upload and confirm a report's spreadsheet."""

import pytest

from reporting.models import Report

from .excel_helpers import SAN_THANG_Q1, download, set_figure, stored_report_state, upload

pytestmark = pytest.mark.django_db

OTHER_UNIT_Q1 = "/reports/2023/sung-phai/2023-q1/"
CITY_Q1 = "/reports/2023/thanh-pho-lai-chau/2023-q1/"


@pytest.fixture
def sung_phai_preview(client_for, economic_officer):
    """A preview Phòng Kinh tế started for Sùng Phài, to try confirming as someone else."""
    client = client_for(economic_officer)
    workbook = download(client, OTHER_UNIT_Q1)
    set_figure(workbook, "lua-chat-luong-dien-tich", 100)
    return upload(client, workbook, report_url=OTHER_UNIT_Q1)["Location"]


def test_official_cannot_reach_another_units_spreadsheet(client_for, san_thang_official):
    client = client_for(san_thang_official)
    assert client.get(f"{OTHER_UNIT_Q1}tai-xuong.xlsx").status_code == 404
    assert client.get(f"{OTHER_UNIT_Q1}tai-len/").status_code == 404
    assert client.post(f"{OTHER_UNIT_Q1}tai-len/", {}).status_code == 404


def test_official_cannot_confirm_another_units_preview(
    client_for, san_thang_official, sung_phai_preview
):
    before = stored_report_state()
    client = client_for(san_thang_official)
    assert client.get(sung_phai_preview).status_code == 404
    assert client.post(f"{sung_phai_preview}xac-nhan/", {"version": 0}).status_code == 404
    assert stored_report_state() == before


def test_official_cannot_upload_the_city_report(client_for, san_thang_official):
    client = client_for(san_thang_official)
    assert client.get(f"{CITY_Q1}tai-xuong.xlsx").status_code == 404
    assert client.get(f"{CITY_Q1}tai-len/").status_code == 404


def test_leadership_downloads_but_cannot_upload_or_confirm(client_for, leader, sung_phai_preview):
    client = client_for(leader)
    assert client.get(f"{SAN_THANG_Q1}tai-xuong.xlsx").status_code == 200
    assert client.get(f"{SAN_THANG_Q1}tai-len/").status_code == 403
    assert client.post(f"{SAN_THANG_Q1}tai-len/", {}).status_code == 403
    assert client.post(f"{sung_phai_preview}xac-nhan/", {"version": 0}).status_code == 403
    page = client.get(SAN_THANG_Q1).content.decode()
    assert "Tải mẫu Excel" in page and "Tải lên tệp Excel" not in page
    assert not Report.objects.exists()


def test_a_preview_belongs_to_the_session_that_uploaded_it(
    client, economic_officer, sung_phai_preview
):
    client.logout()
    client.force_login(economic_officer)  # a new session: the stored upload is not in it
    answer = client.post(f"{sung_phai_preview}xac-nhan/", {"version": 0}, follow=True)
    assert "đã hết hạn hoặc đã được lưu" in answer.content.decode()
    assert not Report.objects.exists()


def test_someone_without_a_role_gets_nothing(client_for, outsider):
    client = client_for(outsider)
    assert client.get(f"{SAN_THANG_Q1}tai-xuong.xlsx").status_code == 403
    assert client.get(f"{SAN_THANG_Q1}tai-len/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(f"{SAN_THANG_Q1}tai-xuong.xlsx")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

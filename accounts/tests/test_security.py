"""Lockout after failed logins, sessions ending when idle, password resets by Phòng Kinh tế."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from audit.models import AuditEntry
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Chè-Shan-tuyết-2024"


def _fail(client, username="santhang", times=1):
    for _ in range(times):
        response = client.post("/accounts/login/", {"username": username, "password": "sai"})
    return response


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account_with_a_vietnamese_page(client):
    assert _fail(client, times=2).status_code == 200
    response = _fail(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tài khoản tạm bị khóa đăng nhập" in page
    assert "sai mật khẩu 3 lần" in page and "liên hệ Phòng Kinh tế" in page
    # Even the right password is refused while locked.
    response = client.post("/accounts/login/", {"username": "santhang", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lockout_is_in_the_audit_log(client):
    _fail(client, times=3)
    entry = AuditEntry.objects.get(action__startswith="Khóa đăng nhập")
    assert entry.subject == "Tài khoản santhang" and entry.client_ip == "127.0.0.1"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_economic_office_resets_a_locked_out_officials_password(
    client, client_for, economic_officer
):
    _fail(client, times=3)
    office = client_for(economic_officer)
    official = get_user_model().objects.get(username="santhang")
    listing = office.get("/accounts/users/").content.decode()
    assert "santhang" in listing and "kinhte" not in listing.split("<tbody>")[1]

    url = f"/accounts/users/{official.pk}/password/"
    response = office.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    entry = AuditEntry.objects.get(action="Đặt lại mật khẩu")
    assert entry.actor == economic_officer and entry.subject == "Tài khoản santhang"
    office.logout()
    response = client.post("/accounts/login/", {"username": "santhang", "password": NEW_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan", "Mật khẩu này quá ngắn"),
        ("1234567890123", "Mật khẩu này hoàn toàn là số"),
        ("password123", "Mật khẩu này quá phổ biến"),
    ],
)
def test_a_weak_password_is_refused_at_the_field(client_for, economic_officer, password, message):
    official = get_user_model().objects.get(username="santhang")
    before = official.password
    response = client_for(economic_officer).post(
        f"/accounts/users/{official.pk}/password/", {"password1": password, "password2": password}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    official.refresh_from_db()
    assert official.password == before


def test_passwords_that_differ_are_refused(client_for, economic_officer):
    official = get_user_model().objects.get(username="santhang")
    response = client_for(economic_officer).post(
        f"/accounts/users/{official.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert "Hai lần nhập mật khẩu không giống nhau" in response.content.decode()


def test_only_unit_officials_passwords_can_be_reset_here(client_for, economic_officer, leader):
    office = client_for(economic_officer)
    assert office.get(f"/accounts/users/{leader.pk}/password/").status_code == 404


def test_an_official_cannot_reset_another_officials_password(client_for, san_thang_official):
    other = get_user_model().objects.get(username="tanphong")
    response = client_for(san_thang_official).post(
        f"/accounts/users/{other.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 403


@override_settings(SESSION_COOKIE_AGE=1800)
def test_a_session_ends_after_thirty_idle_minutes(client, monkeypatch):
    client.post("/accounts/login/", {"username": "santhang", "password": PASSWORD})
    assert client.get("/reports/2023/").status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60)
    assert client.get("/reports/2023/").status_code == 200  # activity renews the session
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60 + 31 * 60)
    response = client.get("/reports/2023/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_admin_is_refused_to_non_staff(client_for, leader):
    response = client_for(leader).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

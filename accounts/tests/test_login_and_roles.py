"""People and roles: logging in, out, changing a password, and the demo accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Profile, Role, role_of
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_vietnamese(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page


def test_official_logs_in_and_lands_on_their_reports(client):
    response = client.post(
        "/accounts/login/", {"username": "santhang", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/reports/2023/"
    page = response.content.decode()
    assert "Cán bộ Xã San Thàng" in page
    assert "Việc cần làm của Xã San Thàng" in page


def test_wrong_password_is_refused_in_vietnamese_and_keeps_the_username(client):
    response = client.post("/accounts/login/", {"username": "santhang", "password": "sai"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác" in page
    assert 'value="santhang"' in page


def test_logout_ends_the_session(client_for, san_thang_official):
    client = client_for(san_thang_official)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/plans/2023/").status_code == 302


def test_password_change_takes_the_new_password(client_for, san_thang_official):
    client = client_for(san_thang_official)
    response = client.post(
        "/accounts/password-change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Lua-che-2023-moi",
            "new_password2": "Lua-che-2023-moi",
        },
    )
    assert response.status_code == 302
    san_thang_official.refresh_from_db()
    assert san_thang_official.check_password("Lua-che-2023-moi")


def test_password_change_errors_are_shown_at_the_field(client_for, san_thang_official):
    response = client_for(san_thang_official).post(
        "/accounts/password-change/",
        {"old_password": "sai", "new_password1": "abc", "new_password2": "abd"},
    )
    page = response.content.decode()
    assert 'id="id_old_password-errors"' in page
    assert 'id="id_new_password2-errors"' in page


def test_demo_users_have_the_three_roles_and_one_unit_each():
    profiles = {
        p.user.username: (p.role, p.unit.slug if p.unit else None)
        for p in Profile.objects.select_related("user", "unit")
    }
    assert profiles == {
        "kinhte": (Role.ECONOMIC_OFFICE, None),
        "lanhdao": (Role.LEADERSHIP, None),
        "santhang": (Role.UNIT_OFFICIAL, "san-thang"),
        "sungphai": (Role.UNIT_OFFICIAL, "sung-phai"),
        "quyetthang": (Role.UNIT_OFFICIAL, "quyet-thang"),
        "dongphong": (Role.UNIT_OFFICIAL, "dong-phong"),
        "quyettien": (Role.UNIT_OFFICIAL, "quyet-tien"),
        "doanket": (Role.UNIT_OFFICIAL, "doan-ket"),
        "tanphong": (Role.UNIT_OFFICIAL, "tan-phong"),
        "phuongdoanket": (Role.UNIT_OFFICIAL, "phuong-doan-ket"),
        "phuongtanphong": (Role.UNIT_OFFICIAL, "phuong-tan-phong"),
    }


def test_create_demo_users_twice_changes_nothing_but_the_password():
    call_command("create_demo_users", password="lan-thu-hai-2023", verbosity=0)
    call_command("create_demo_users", password="lan-thu-hai-2023", verbosity=0)
    User = get_user_model()
    assert User.objects.count() == 11  # the city's seven units and the two wards after them
    assert Profile.objects.count() == 11
    assert User.objects.get(username="doanket").check_password("lan-thu-hai-2023")


def test_only_phong_kinh_te_gets_into_the_admin(
    client_for, economic_officer, leader, san_thang_official
):
    assert client_for(economic_officer).get("/admin/").status_code == 200
    for user in (leader, san_thang_official):
        response = client_for(user).get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_an_official_without_a_unit_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    user = get_user_model().objects.create_user("xa-khong-don-vi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=user, role=Role.UNIT_OFFICIAL, unit=None)


def test_role_of_anonymous_is_none(rf):
    from django.contrib.auth.models import AnonymousUser

    assert role_of(AnonymousUser()) is None

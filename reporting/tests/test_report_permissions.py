"""Every role against every reporting view, checked on the server."""

import pytest
from django.contrib.auth import get_user_model

from reporting.models import Report, ReportEvent

pytestmark = pytest.mark.django_db

OWN = "/reports/2023/san-thang/2023-q1/"
OTHER = "/reports/2023/sung-phai/2023-q1/"
CITY = "/reports/2023/thanh-pho-lai-chau/2023-q1/"
OVERVIEW = "/reports/2023/"


def login(client, username):
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def as_user(client, outsider):
    return lambda username: login(client, username)


@pytest.mark.parametrize(
    ("username", "url", "expected"),
    [
        (None, OVERVIEW, 302),
        (None, OWN, 302),
        ("nguoingoai", OVERVIEW, 403),
        ("nguoingoai", OWN, 403),
        ("santhang", OVERVIEW, 200),
        ("santhang", OWN, 200),
        ("santhang", OTHER, 404),
        ("santhang", CITY, 404),
        ("lanhdao", OVERVIEW, 200),
        ("lanhdao", OWN, 200),
        ("lanhdao", CITY, 200),
        ("kinhte", OWN, 200),
        ("kinhte", CITY, 200),
        ("kinhte", "/reports/2023/san-thang/2023-khong-co/", 404),
        ("kinhte", "/reports/2023/khong-co/2023-q1/", 404),
        ("kinhte", "/reports/1999/", 404),
    ],
)
def test_who_may_open_which_page(as_user, username, url, expected):
    assert as_user(username).get(url).status_code == expected


@pytest.mark.parametrize(
    ("username", "url", "expected"),
    [
        (None, OWN, 302),
        ("nguoingoai", OWN, 403),
        ("santhang", OTHER, 404),
        ("santhang", CITY, 404),
        ("lanhdao", OWN, 403),
        ("lanhdao", CITY, 403),
    ],
)
def test_forged_saves_change_nothing(as_user, username, url, expected):
    response = as_user(username).post(
        url, {"version": 0, "difficulties": "giả mạo", "action": "submit"}
    )
    assert response.status_code == expected
    assert not Report.objects.exists()


@pytest.mark.parametrize("username", ["santhang", "kinhte"])
def test_the_official_and_phong_kinh_te_may_save_the_units_report(as_user, username):
    response = as_user(username).post(
        OWN, {"version": 0, "difficulties": "Hạn hán", "action": "save"}
    )
    assert response.status_code == 302
    report = Report.objects.get(unit__slug="san-thang")
    assert report.difficulties == "Hạn hán"
    assert report.events.get(action=ReportEvent.Action.SAVED).actor.username == username


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, 302), ("nguoingoai", 403), ("santhang", 403), ("sungphai", 404), ("lanhdao", 403)],
)
def test_only_phong_kinh_te_approves(as_user, client_for, san_thang_official, username, expected):
    client_for(san_thang_official).post(
        OWN, {"version": 0, "difficulties": "x", "action": "submit"}
    )
    client_for(san_thang_official).logout()
    response = as_user(username).post(f"{OWN}xu-ly/", {"action": "approve"})
    assert response.status_code == expected
    assert Report.objects.get().status == Report.Status.SUBMITTED


def test_phong_kinh_te_approves(as_user, client_for, san_thang_official):
    client_for(san_thang_official).post(
        OWN, {"version": 0, "difficulties": "x", "action": "submit"}
    )
    response = as_user("kinhte").post(f"{OWN}xu-ly/", {"action": "approve"})
    assert response.status_code == 302
    assert Report.objects.get().status == Report.Status.APPROVED


def test_review_only_answers_post(as_user):
    assert as_user("kinhte").get(f"{OWN}xu-ly/").status_code == 405


def test_leadership_sees_the_report_without_a_form(as_user, client_for, san_thang_official):
    client_for(san_thang_official).post(
        OWN, {"version": 0, "difficulties": "Rét đậm", "action": "save"}
    )
    page = as_user("lanhdao").get(OWN).content.decode()
    assert "Rét đậm" in page
    assert 'data-testid="report-form"' not in page
    assert 'data-testid="review"' not in page


def test_overview_shows_an_official_only_their_own_unit(as_user):
    page = as_user("santhang").get(OVERVIEW)
    rows = [unit.slug for unit, _ in page.context["rows"]]
    assert rows == ["san-thang"]
    assert "/reports/2023/sung-phai/" not in page.content.decode()


def test_overview_shows_phong_kinh_te_every_unit_and_the_city(as_user):
    rows = [unit.slug for unit, _ in as_user("kinhte").get(OVERVIEW).context["rows"]]
    assert rows == [
        "thanh-pho-lai-chau", "san-thang", "sung-phai", "quyet-thang",
        "dong-phong", "quyet-tien", "doan-ket", "tan-phong",
    ]  # fmt: skip

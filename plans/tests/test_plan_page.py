"""The plan as a page: what any logged-in user reads at /plans/2023/."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from plans.models import Body, LegalDocument, Task

pytestmark = pytest.mark.django_db

PLAN_URL = "/plans/2023/"


def test_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(PLAN_URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={PLAN_URL}"


@pytest.mark.parametrize("username", ["santhang", "lanhdao", "kinhte", "nguoingoai"])
def test_every_logged_in_user_can_read_the_plan(client_for, outsider, username):
    from django.contrib.auth import get_user_model

    response = client_for(get_user_model().objects.get(username=username)).get(PLAN_URL)
    assert response.status_code == 200
    assert "Kế hoạch sản xuất nông nghiệp hàng hóa năm 2023" in response.content.decode()


def test_targets_are_shown_with_vietnamese_numbers_and_units(client_for, san_thang_official):
    page = client_for(san_thang_official).get(PLAN_URL).content.decode()
    for shown in [
        "329,2 ha",
        "135 ha",
        "22,2 ha",
        "1.600 tấn",
        "963,45 ha",
        "950 ha",
        "10.900 tấn",
        "160,4 ha",
        "280,4 ha",
        "50 tấn",
        "6 cơ sở",
        "3 sản phẩm",
        "2,5 km",
        "6,5 km",
    ]:
        assert shown in page, shown
    assert "329.2" not in page and "10900" not in page


def test_every_task_body_and_cited_document_is_on_the_page(client_for, san_thang_official, plan):
    page = client_for(san_thang_official).get(PLAN_URL).content.decode()
    for task in Task.objects.filter(plan=plan):
        assert f'data-testid="task-{task.code}"' in page
    for body in Body.objects.filter(plan=plan):
        assert escape(body.name) in page
    for document in LegalDocument.objects.all():
        assert document.number in page


def test_the_nq_07_date_discrepancy_is_shown(client_for, leader):
    page = client_for(leader).get(PLAN_URL).content.decode()
    assert "Văn bản ghi hai ngày khác nhau" in page
    assert "23/03/2021" in page and "22/03/2021" in page


def test_assignments_show_bodies_and_named_units(client_for, leader):
    page = client_for(leader).get(PLAN_URL).content.decode()
    assert "Địa bàn: Quyết Thắng" in page
    assert "Địa bàn: San Thàng, Sùng Phài" in page
    assert "Thực hiện: Phòng Tài chính - Kế hoạch" in page


def test_plan_page_reads_the_plan_in_a_fixed_number_of_queries(
    client_for, leader, django_assert_max_num_queries
):
    client = client_for(leader)
    with django_assert_max_num_queries(19):  # 18 + the navbar bell's unread count
        response = client.get(PLAN_URL)
    assert response.status_code == 200


def test_unknown_year_answers_not_found(client_for, leader):
    assert client_for(leader).get("/plans/1999/").status_code == 404


def test_home_sends_a_user_without_a_role_to_the_latest_plan(client_for, outsider):
    response = client_for(outsider).get("/")
    assert response.status_code == 302
    assert response.url == PLAN_URL

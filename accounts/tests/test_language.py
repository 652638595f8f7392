"""Vietnamese by default; English for whoever picks it in the footer's language switcher.

Whatever the language of the screens, figures stay Vietnamese data: shown and typed as
329,2 and 10.900, dates as dd/mm/yyyy, and the report history is kept in Vietnamese.
"""

from datetime import date
from decimal import Decimal

import pytest

from conftest import PASSWORD
from plans.models import OcopProduct
from reporting.models import Report, ReportChange
from reporting.tests.conftest import SAN_THANG_Q1

pytestmark = pytest.mark.django_db

RICE_AREA = "figure_lua-chat-luong-dien-tich"
TEA_OUTPUT = "figure_che-bup-tuoi-san-luong"


def choose(client, language, page="/accounts/login/"):
    """What the footer's switcher sends: the language and the page to come back to."""
    response = client.post("/i18n/setlang/", {"language": language, "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    return client


def form_data(response, action="save", **changes):
    """What the browser sends back for the report page, with some fields changed."""
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    return {**data, **changes, "action": action}


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_vietnamese_is_the_default_even_for_a_browser_set_up_in_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in page
    assert '<h1 class="h3 mb-3">Đăng nhập</h1>' in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page
    assert '<option value="vi" selected>Tiếng Việt</option>' in page


def test_login_page_in_english_after_choosing_english(client):
    page = page_of(choose(client, "en"), "/accounts/login/")
    assert '<html lang="en">' in page
    assert '<h1 class="h3 mb-3">Log in</h1>' in page
    assert "Tracking the Lai Châu City commodity agriculture production plan." in page
    assert "Username" in page and "Password" in page
    assert '<option value="en" selected>English</option>' in page
    assert "Đăng nhập" not in page


def test_english_survives_logging_in_and_a_wrong_password_is_explained_in_english(client):
    choose(client, "en")
    refused = client.post("/accounts/login/", {"username": "santhang", "password": "sai"})
    assert "Please enter a correct username and password" in refused.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "santhang", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "To do for Commune San Thàng" in page
    assert "Log out" in page and "Progress reports" in page


def test_plan_page_in_english_keeps_the_plans_own_wording_and_vietnamese_numbers(
    client_for, san_thang_official
):
    page = page_of(choose(client_for(san_thang_official), "en"), "/plans/2023/")
    for heading in ("Legal basis", "Quantitative targets", "Tracked tasks", "Cited documents"):
        assert heading in page
    assert "<th>Section</th><th>Target</th><th>Scope</th>" in page
    assert "Assigned to:" in page
    # The plan is a Vietnamese document: its text and figures are shown as written.
    assert "Diện tích lúa chất lượng" in page
    assert "329,2" in page and "10.900" in page
    assert 'id="basis-heading">Legal basis</h2>' in page
    assert "Các chỉ tiêu định lượng" not in page


def test_report_overview_in_english(client_for, san_thang_official):
    page = page_of(choose(client_for(san_thang_official), "en"), "/reports/2023/")
    assert "To do for Commune San Thàng" in page
    assert "Reporting period type" in page
    assert "Overdue" in page or "Not started" in page
    assert "Việc cần làm" not in page and "Quá hạn" not in page


def test_dashboard_in_english_with_vietnamese_numbers(client_for, leader):
    page = page_of(choose(client_for(leader), "en"), "/dashboard/2023/")
    for heading in ("Targets", "Report submission", "Quarterly progress against the target"):
        assert heading in page
    assert '<th>Target</th><th class="num">Plan</th><th class="num">Actual</th>' in page
    assert "No data yet" in page  # a status label, translated when the page is drawn
    assert '<option value="cham">Behind</option>' in page  # the status filter
    assert "329,2" in page
    assert "Chưa có số liệu" not in page and "Tình hình nộp báo cáo" not in page


def test_choosing_vietnamese_again_brings_vietnamese_back(client_for, leader):
    client = choose(client_for(leader), "en", page="/dashboard/2023/")
    assert "Report submission" in page_of(client, "/dashboard/2023/")
    page = page_of(choose(client, "vi", page="/dashboard/2023/"), "/dashboard/2023/")
    assert "Tình hình nộp báo cáo" in page and "Report submission" not in page


def test_the_choice_outlives_the_browser_session(client):
    choose(client, "en")
    assert client.cookies["django_language"].value == "en"
    assert client.cookies["django_language"]["max-age"] == 365 * 24 * 60 * 60


def test_an_unknown_language_is_ignored(client):
    client.cookies["django_language"] = "fr"
    assert "Đăng nhập" in page_of(client, "/accounts/login/")


def test_english_reader_types_figures_the_vietnamese_way_and_history_stays_vietnamese(
    client_for, san_thang_official, plan
):
    client = choose(client_for(san_thang_official), "en", page=SAN_THANG_Q1)
    task = plan.tasks.get(code="II.2.1.a")
    data = form_data(
        client.get(SAN_THANG_Q1),
        **{
            RICE_AREA: "134,5",
            TEA_OUTPUT: "1.250",
            f"task_{task.pk}_status": "dang_thuc_hien",
        },
    )
    response = client.post(SAN_THANG_Q1, data, follow=True)
    assert "Report saved." in response.content.decode()
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert dict(report.figures.values_list("indicator__code", "value")) == {
        "lua-chat-luong-dien-tich": Decimal("134.5"),
        "che-bup-tuoi-san-luong": Decimal("1250"),
    }
    page = page_of(client, SAN_THANG_Q1)
    assert 'value="134,5"' in page and 'value="1.250"' in page
    assert "Report of Commune San Thàng" in page and "Report history" in page
    # The history is the official record, read by Vietnamese staff: never in English.
    changes = set(ReportChange.objects.filter(report=report).values_list("field", "new_value"))
    assert ("Nhiệm vụ II.2.1.a – tình hình", "Đang thực hiện") in changes

    client.post(SAN_THANG_Q1, form_data(client.get(SAN_THANG_Q1), action="submit"))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert ReportChange.objects.filter(report=report).last().field == "Trạng thái"
    assert ReportChange.objects.filter(report=report).last().new_value == "Đã gửi"


def test_an_english_readers_save_records_only_what_changed_and_in_vietnamese(
    client_for, san_thang_official, plan
):
    client = choose(client_for(san_thang_official), "en", page=SAN_THANG_Q1)
    client.post(SAN_THANG_Q1, form_data(client.get(SAN_THANG_Q1)))
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert not ReportChange.objects.filter(report=report).exists()

    task = plan.tasks.get(code="II.2.1.a")
    client.post(
        SAN_THANG_Q1,
        form_data(client.get(SAN_THANG_Q1), **{f"task_{task.pk}_status": "dang_thuc_hien"}),
    )
    assert list(ReportChange.objects.values_list("field", "old_value", "new_value")) == [
        ("Nhiệm vụ II.2.1.a – tình hình", "Chưa thực hiện", "Đang thực hiện")
    ]


def test_a_number_typed_wrong_is_explained_in_english(client_for, san_thang_official):
    client = choose(client_for(san_thang_official), "en", page=SAN_THANG_Q1)
    data = form_data(client.get(SAN_THANG_Q1), **{RICE_AREA: "-5"})
    response = client.post(SAN_THANG_Q1, data)
    assert response.status_code == 400
    assert "Figures cannot be negative." in response.content.decode()


def test_dates_are_typed_day_first_in_english_too(client_for, economic_officer, unit):
    client = choose(client_for(economic_officer), "en", page="/plans/2023/ocop/")
    response = client.post(
        "/plans/2023/ocop/them/",
        {
            "name": "Chè Shan tuyết San Thàng",
            "group": "Đồ uống",
            "owner": "HTX Chè San Thàng",
            "unit": unit("san-thang").pk,
            "score": "74",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": "03/04/2023",
            "issuing_level": "tinh",
            "status": "con_hieu_luc",
        },
    )
    assert response.status_code == 302
    assert OcopProduct.objects.get().decision_date == date(2023, 4, 3)
    page = page_of(client, "/plans/2023/ocop/")
    assert "03/04/2023" in page and "Newly recognized in 2023" in page


def test_admin_in_english_for_phong_kinh_te(client_for, economic_officer):
    page = page_of(choose(client_for(economic_officer), "en", page="/admin/"), "/admin/")
    assert "Commodity agriculture plan administration" in page
    assert "Targets and progress" in page and "Users and roles" in page
    assert "Plan target" in page and "Reporting period" in page


def test_error_pages_follow_the_chosen_language(client):
    assert "Không tìm thấy trang (404)" in client.get("/khong-co/").content.decode()
    page = choose(client, "en").get("/khong-co/").content.decode()
    assert '<html lang="en">' in page and "Page not found (404)" in page

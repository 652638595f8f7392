"""Bad input is refused at the field in Vietnamese, keeps what was typed, and saves nothing."""

from decimal import Decimal

import pytest
from django.test import Client

from reporting.models import Report

from .conftest import SAN_THANG_Q1

pytestmark = pytest.mark.django_db

RICE_AREA = "figure_lua-chat-luong-dien-tich"
TEA_OUTPUT = "figure_che-bup-tuoi-san-luong"


@pytest.fixture
def official(client_for, san_thang_official):
    return client_for(san_thang_official)


def save(client, data_builder, **changes):
    return client.post(SAN_THANG_Q1, data_builder(client.get(SAN_THANG_Q1), **changes))


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Số liệu không được âm."),
        ("mười", "Nhập một số, ví dụ 22,2 hoặc 1.600."),
        ("12,5,3", "Nhập một số, ví dụ 22,2 hoặc 1.600."),
        ("1,23456", "Chỉ nhập tối đa 3 chữ số sau dấu phẩy."),
    ],
)
def test_a_bad_number_is_refused_at_its_field(official, report_form_data, typed, message):
    response = save(official, report_form_data, **{RICE_AREA: typed, TEA_OUTPUT: "1.200"})
    assert response.status_code == 400
    assert field_errors(response, RICE_AREA) == [message]
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page
    assert 'value="1.200"' in page
    assert not Report.objects.exists()


def test_an_absurd_area_is_refused_against_the_units_target(official, report_form_data):
    response = save(official, report_form_data, **{RICE_AREA: "1.350"})
    assert field_errors(response, RICE_AREA) == [
        "1.350 ha vượt xa chỉ tiêu (135 ha). Kiểm tra lại số và đơn vị tính."
    ]


def test_an_absurd_output_is_refused_against_the_city_target(official, report_form_data):
    response = save(official, report_form_data, **{TEA_OUTPUT: "10900000"})
    assert field_errors(response, TEA_OUTPUT) == [
        "10.900.000 tấn vượt xa chỉ tiêu (10.900 tấn). Kiểm tra lại số và đơn vị tính."
    ]


def test_a_refused_save_keeps_what_was_saved_before(official, report_form_data):
    save(official, report_form_data, **{RICE_AREA: "135", TEA_OUTPUT: "1.200"})
    response = save(official, report_form_data, **{RICE_AREA: "-1", TEA_OUTPUT: "2.000"})
    assert response.status_code == 400
    figures = dict(Report.objects.get().figures.values_list("indicator__code", "value"))
    assert figures == {
        "lua-chat-luong-dien-tich": Decimal("135"),
        "che-bup-tuoi-san-luong": Decimal("1200"),
    }


def test_a_second_editor_sees_the_conflict_and_loses_nothing(
    official, economic_officer, report_form_data
):
    office = Client()
    office.force_login(economic_officer)
    first_view = report_form_data(official.get(SAN_THANG_Q1), **{RICE_AREA: "134"})
    second_view = report_form_data(office.get(SAN_THANG_Q1), **{RICE_AREA: "133,5"})

    assert official.post(SAN_THANG_Q1, first_view).status_code == 302
    response = office.post(SAN_THANG_Q1, second_view)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Chưa lưu: báo cáo vừa được người khác lưu." in page
    assert 'value="133,5"' in page
    assert "Vừa được lưu: 134" in page
    report = Report.objects.get()
    assert report.figures.get().value == Decimal("134")

    # Saving again, having seen the other value, is a deliberate overwrite.
    again = report_form_data(response, **{RICE_AREA: "133,5"})
    assert office.post(SAN_THANG_Q1, again).status_code == 302
    assert report.figures.get().value == Decimal("133.5")
    assert list(report.changes.values_list("old_value", "new_value")) == [
        ("", "134"),
        ("134", "133,5"),
    ]


def test_saving_with_nothing_changed_records_nothing(official, report_form_data):
    save(official, report_form_data, **{RICE_AREA: "135"})
    save(official, report_form_data)
    report = Report.objects.get()
    assert report.changes.count() == 1
    assert report.version == 2

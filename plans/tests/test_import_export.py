"""Phòng Kinh tế loads and saves plan data through Excel in the admin."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.formats.base_formats import XLSX
from openpyxl import load_workbook

from common.spreadsheets import SafeXLSX
from plans.models import InfrastructureWork, OcopProduct, Task
from plans.resources import InfrastructureWorkResource, OcopProductResource, TaskResource
from reporting.models import Indicator, Target
from reporting.resources import IndicatorResource, TargetResource

pytestmark = pytest.mark.django_db

RESOURCES = [IndicatorResource, TargetResource, TaskResource, InfrastructureWorkResource]


@pytest.fixture
def ocop_products(unit):
    from datetime import date

    OcopProduct.objects.create(
        name="Chè Shan tuyết San Thàng",
        owner="HTX Chè San Thàng",
        unit=unit("san-thang"),
        score=72,
        decision_date=date(2022, 11, 3),
        decision_number="=1234/QĐ-UBND",
    )
    return OcopProduct.objects.all()


def exported(resource_class) -> bytes:
    return SafeXLSX().export_data(resource_class().export())


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def history_count():
    return sum(
        model.history.count()
        for model in (Indicator, Target, Task, InfrastructureWork, OcopProduct)
    )


def reimport(resource_class, content: bytes, dry_run=False):
    dataset = XLSX().create_dataset(content)
    return resource_class().import_data(dataset, dry_run=dry_run, raise_errors=False)


@pytest.mark.parametrize(
    "resource_class", [*RESOURCES, OcopProductResource], ids=lambda r: r.__name__
)
def test_importing_the_exported_file_changes_nothing(resource_class, ocop_products):
    content = exported(resource_class)
    before = history_count()

    result = reimport(resource_class, content)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == resource_class._meta.model.objects.count() > 0
    assert result.totals["update"] == result.totals["new"] == 0
    assert history_count() == before


def test_target_export_has_vietnamese_headers_numbers_and_slugs(plan):
    sheet = sheet_of(exported(TargetResource))
    headers = [cell.value for cell in sheet[1]]
    assert headers[:5] == [
        "Kế hoạch (năm/địa bàn)",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu (chỉ để đọc)",
        "Phạm vi (mã đơn vị)",
        "Giá trị",
    ]
    rows = {(row[1].value, row[3].value): row for row in sheet.iter_rows(min_row=2)}
    rice_city = rows[("lua-chat-luong-dien-tich", "thanh-pho-lai-chau")]
    assert rice_city[0].value == "2023/thanh-pho-lai-chau"
    assert rice_city[4].value == 329.2 and rice_city[4].data_type == "n"
    assert rice_city[6].value == "Duy trì"
    assert rows[("lua-chat-luong-dien-tich", "quyet-thang")][4].value == 22.2
    assert rice_city[2].value == "Diện tích lúa chất lượng"  # accents intact


def test_user_text_that_looks_like_a_formula_stays_text(ocop_products):
    sheet = sheet_of(exported(OcopProductResource))
    headers = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Số quyết định công nhận") + 1)
    assert cell.data_type == "s" and cell.value == "=1234/QĐ-UBND"
    date_cell = sheet.cell(row=2, column=headers.index("Ngày quyết định") + 1)
    assert date_cell.is_date


def test_a_changed_target_is_updated_with_history_and_the_rest_skipped(plan):
    content = exported(TargetResource)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        if (row[1].value, row[3].value) == ("lua-chat-luong-dien-tich", "san-thang"):
            row[4].value = "140,5"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = reimport(TargetResource, buffer.getvalue())

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1
    target = Target.objects.get(indicator__code="lua-chat-luong-dien-tich", unit__slug="san-thang")
    assert target.value == Decimal("140.5")
    assert target.history.latest().value == Decimal("140.5")


def modified(content: bytes, column: str, value, match=None) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if match is None or match(row, headers):
            row[headers.index(column)].value = value
            break
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("resource_class", "column", "value", "message"),
    [
        (TargetResource, "Giá trị", -5, "Số không được âm (-5)."),
        (TargetResource, "Giá trị", "nhiều", "“nhiều” không phải là số"),
        (TargetResource, "Mã chỉ tiêu", "lua-nep", "Không có chỉ tiêu có mã “lua-nep”."),
        (TargetResource, "Phạm vi (mã đơn vị)", "ha-noi", "Không có đơn vị có mã “ha-noi”."),
        (TargetResource, "Cách đánh giá", "Gấp đôi", "“Gấp đôi” không hợp lệ"),
        (TaskResource, "Cơ quan thực hiện", "Bộ Ngoại giao", "Không có cơ quan: Bộ Ngoại giao."),
        (TaskResource, "Mục (mã)", "IX.9", "Không có mục có mã “IX.9”."),
        (IndicatorResource, "Tính chất", "Tăng", "“Tăng” không hợp lệ"),
        (InfrastructureWorkResource, "Kế hoạch (năm/địa bàn)", "2031/x", "Không có kế hoạch"),
    ],
)
def test_a_bad_cell_fails_its_row_in_vietnamese_and_nothing_is_written(
    resource_class, column, value, message
):
    content = modified(exported(resource_class), column, value)
    before = history_count()

    result = reimport(resource_class, content)

    assert result.has_errors() or result.has_validation_errors()
    errors = [
        str(error)
        for invalid in result.invalid_rows
        for messages in invalid.error_dict.values()
        for error in messages
    ]
    errors += [
        str(error.error) for _line, row_errors in result.row_errors() for error in row_errors
    ]
    assert any(message in error for error in errors), errors
    assert history_count() == before


def test_next_years_targets_load_from_this_years_file(plan):
    from plans.models import Plan, Section

    next_year = Plan.objects.create(year=2024, unit=plan.unit, title="Kế hoạch 2024", issuer="UBND")
    for section in plan.sections.all():
        Section.objects.create(
            plan=next_year,
            code=section.code,
            number=section.number,
            title=section.title,
            position=section.position,
        )
    workbook = load_workbook(io.BytesIO(exported(TargetResource)))
    for row in workbook.active.iter_rows(min_row=2):
        row[0].value = "2024/thanh-pho-lai-chau"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = reimport(TargetResource, buffer.getvalue())

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == plan.targets.count()
    assert next_year.targets.get(
        indicator__code="lua-chat-luong-dien-tich", unit__slug="quyet-thang"
    ).value == Decimal("22.2")
    assert next_year.targets.city_wide().count() == plan.targets.city_wide().count()


def admin_upload(client, url, content):
    return client.post(
        f"{url}import/",
        {
            "import_file": SimpleUploadedFile("chi-tieu.xlsx", content),
            "format": "0",
            "resource": "0",
        },
    )


def test_economic_office_previews_then_confirms_an_import_in_the_admin(
    client_for, economic_officer
):
    client = client_for(economic_officer)
    url = "/admin/targets/target/"
    assert client.get(f"{url}import/").status_code == 200
    content = modified(
        exported(TargetResource),
        "Giá trị",
        "140,5",
        match=lambda row, headers: (
            (row[1].value, row[3].value) == ("lua-chat-luong-dien-tich", "san-thang")
        ),
    )

    preview = admin_upload(client, url, content)

    assert preview.status_code == 200
    assert preview.context["result"].totals["update"] == 1
    assert "Diện tích lúa chất lượng" in preview.content.decode()
    target = Target.objects.get(indicator__code="lua-chat-luong-dien-tich", unit__slug="san-thang")
    assert target.value == Decimal("135")  # the dry run wrote nothing
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    client.post(f"{url}process_import/", data)
    target.refresh_from_db()
    assert target.value == Decimal("140.5")
    assert target.history.latest().history_user == economic_officer


def test_export_from_the_admin_is_a_safe_xlsx(client_for, economic_officer):
    client = client_for(economic_officer)
    response = client.post(
        "/admin/plans/task/export/",
        {
            "format": "0",
            "resource": "0",
            **{f"taskresource_{f}": "on" for f in TaskResource._meta.fields},
        },
    )
    assert response.status_code == 200, response.content[:500]
    assert re.search(r"\.xlsx", response["Content-Disposition"])
    sheet = sheet_of(response.content)
    assert sheet.cell(row=1, column=2).value == "Mã nhiệm vụ"
    assert sheet.max_row == Task.objects.count() + 1

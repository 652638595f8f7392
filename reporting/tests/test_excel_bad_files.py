"""Every kind of bad file gets a Vietnamese answer naming where, and changes nothing."""

import io

import pytest
from openpyxl import Workbook

from reporting import services
from reporting.models import Report

from .excel_helpers import (
    FIGURES,
    SAN_THANG_Q1,
    TASKS,
    download,
    row_of,
    set_difficulties,
    set_figure,
    stored_report_state,
    upload,
)

pytestmark = pytest.mark.django_db

RICE = "lua-chat-luong-dien-tich"


@pytest.fixture
def official(client_for, san_thang_official, saved_report):
    return client_for(san_thang_official)


def rejected(client, workbook, **kwargs):
    """Upload, check nothing changed, and return the problems the page lists."""
    before = stored_report_state()
    response = upload(client, workbook, **kwargs)
    assert response.status_code == 400, response.status_code
    assert stored_report_state() == before
    assert SAN_THANG_Q1 + "tai-len/" not in response.get("Location", "")
    page = response.content.decode()
    assert "không có gì được lưu" in page
    return response.context["problems"]


def test_a_file_that_is_not_a_spreadsheet(official):
    problems = rejected(official, b"%PDF-1.4 bao cao", name="bao-cao.pdf")
    assert problems == ["Tệp không phải là bảng tính Excel (.xlsx)."]


def test_a_damaged_spreadsheet(official):
    problems = rejected(official, b"PK\x03\x04 not really a zip")
    assert "tệp bị hỏng hoặc không phải bảng tính Excel" in problems[0]


def test_an_old_xls_file_is_asked_to_be_saved_as_xlsx(official):
    problems = rejected(official, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="a.xls")
    assert "(.xls)" in problems[0] and ".xlsx" in problems[0]


def test_a_csv_saved_with_a_utf8_byte_order_mark_is_refused_clearly(official):
    content = "\ufeffMã chỉ tiêu,Số liệu kỳ này\nlua-chat-luong-dien-tich,140\n".encode()
    problems = rejected(official, content, name="bao-cao.csv", content_type="text/csv")
    assert "Tệp CSV không được nhận (kể cả CSV UTF-8 có BOM)" in problems[0]


def test_an_oversized_file(official):
    problems = rejected(official, b"PK\x03\x04" + b"0" * (2 * 1024 * 1024 + 1))
    assert problems[0].startswith("Tệp quá lớn (2,0 MB); tối đa 2 MB")


def test_a_workbook_that_was_not_downloaded_from_the_report(official):
    workbook = Workbook()
    workbook.active["A1"] = "Số liệu"
    problems = rejected(official, workbook)
    assert "không phải mẫu báo cáo tải từ hệ thống" in problems[0]


def test_another_units_sheet(official, client_for, economic_officer, san_thang_official):
    sung_phai = download(client_for(economic_officer), "/reports/2023/sung-phai/2023-q1/")
    set_figure(sung_phai, RICE, 100)
    client = client_for(san_thang_official)
    problems = rejected(client, sung_phai)
    assert "báo cáo của đơn vị “sung-phai”, kỳ “2023-q1”" in problems[0]
    assert "không phải của San Thàng, Quý 1/2023" in problems[0]


def test_another_periods_sheet(official):
    second_quarter = download(official, "/reports/2023/san-thang/2023-q2/")
    problems = rejected(official, second_quarter)
    assert "kỳ “2023-q2”" in problems[0]


def test_an_unknown_indicator(official):
    workbook = download(official)
    workbook[FIGURES].cell(row=row_of(workbook[FIGURES], RICE), column=1).value = "lua-nep"
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Số liệu”, dòng 5, cột A (Mã chỉ tiêu): chỉ tiêu “lua-nep” không có trong "
        "báo cáo của đơn vị này."
    ]


def test_text_in_a_number_cell(official):
    workbook = download(official)
    set_figure(workbook, RICE, "khoảng 140")
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Số liệu”, dòng 5, cột F (Số liệu kỳ này): “khoảng 140” không phải là số; "
        "nhập ví dụ 22,2 hoặc 1.600."
    ]


def test_a_negative_number(official):
    workbook = download(official)
    set_figure(workbook, RICE, -3)
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Số liệu”, dòng 5, cột F (Số liệu kỳ này): số liệu không được âm (-3)."
    ]


def test_too_many_decimals_and_a_date_are_both_listed(official):
    workbook = download(official)
    set_figure(workbook, RICE, "22,2345")
    set_figure(workbook, "che-dien-tich", "12/3")
    problems = rejected(official, workbook)
    assert problems[0].endswith("chỉ nhập tối đa 3 chữ số sau dấu phẩy.")
    assert "dòng 7, cột F" in problems[1] and "“12/3” không phải là số" in problems[1]


def test_a_vietnamese_decimal_comma_typed_as_text_is_read_as_a_decimal(official):
    workbook = download(official)
    set_figure(workbook, RICE, "22,2")
    response = upload(official, workbook)
    changes = official.get(response["Location"]).context["changes"]
    assert [(c.old, c.new) for c in changes] == [("130", "22,2")]


def test_merged_cells(official):
    workbook = download(official)
    workbook[FIGURES].merge_cells("B6:C6")
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Số liệu”, dòng 6, cột B: có ô gộp (B6:C6); hãy bỏ gộp ô rồi tải lên lại."
    ]


def test_the_difficulties_cells_are_merged_by_the_template_and_no_other(official):
    workbook = download(official)
    workbook[TASKS].merge_cells("B5:C5")
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Nhiệm vụ”, dòng 5, cột B: có ô gộp (B5:C5); hãy bỏ gộp ô rồi tải lên lại."
    ]


def test_a_file_without_the_difficulties_under_the_tasks(official):
    workbook = download(official)
    tasks = workbook[TASKS]
    heading = next(
        row
        for row in range(5, tasks.max_row + 1)
        if tasks.cell(row=row, column=1).value == "Khó khăn, vướng mắc, đề xuất"
    )
    tasks.cell(row=heading, column=1).value = "Ghi chú"
    problems = rejected(official, workbook)
    assert problems == [
        "Nhiệm vụ: không thấy ô “Khó khăn, vướng mắc, đề xuất” dưới bảng nhiệm vụ; hãy dùng "
        "tệp tải về từ trang báo cáo."
    ]


def test_a_file_of_a_template_newer_than_the_reader_asks_for_the_new_template(official):
    workbook = download(official)
    meta = workbook["_thong_tin"]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "phien-ban-mau")
    meta.cell(row=row, column=2).value = 99
    problems = rejected(official, workbook)
    assert problems == [
        "Tệp được tạo theo mẫu báo cáo khác với mẫu hệ thống đang dùng. Hãy bấm “Tải mẫu "
        "Excel” trên trang báo cáo để tải mẫu mới, điền vào rồi tải lên."
    ]


def test_a_blank_row_inside_the_table(official):
    workbook = download(official)
    workbook[FIGURES].insert_rows(7)
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Số liệu”, dòng 7: dòng trống giữa bảng; hãy xóa dòng trống hoặc dùng lại "
        "tệp tải về."
    ]


def test_a_row_with_a_figure_but_no_indicator_code(official):
    workbook = download(official)
    workbook[FIGURES].cell(row=6, column=1).value = None
    problems = rejected(official, workbook)
    assert problems == ["Trang “Số liệu”, dòng 6, cột A (Mã chỉ tiêu): thiếu mã chỉ tiêu."]


def test_a_formula(official):
    workbook = download(official)
    set_figure(workbook, RICE, "=E5*0,9")
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Số liệu”, dòng 5, cột F (Số liệu kỳ này): ô chứa công thức (=E5*0,9); hãy "
        "nhập giá trị, không dùng công thức."
    ]


def test_an_inserted_column(official):
    workbook = download(official)
    workbook[FIGURES].insert_cols(3)
    problems = rejected(official, workbook)
    assert problems[0].startswith(
        "Trang “Số liệu”, dòng 4, cột C: tiêu đề cột phải là “Đơn vị tính”, tệp ghi “”."
    )


def test_a_status_that_is_not_one_of_the_choices(official):
    workbook = download(official)
    tasks = workbook[TASKS]
    assert row_of(tasks, "III.6.2") == 7
    tasks.cell(row=7, column=3).value = "Gần xong"
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Nhiệm vụ”, dòng 7, cột C (Tình hình): “Gần xong” không phải tình hình hợp lệ; "
        "chọn một trong: Chưa thực hiện, Đang thực hiện, Hoàn thành."
    ]


def test_a_figure_far_above_the_target_is_a_typing_mistake(official):
    workbook = download(official)
    set_figure(workbook, RICE, 1350)
    problems = rejected(official, workbook)
    assert problems == [
        "Trang “Số liệu”, dòng 5, cột F (Số liệu kỳ này): 1.350 ha vượt xa chỉ tiêu (135 ha). "
        "Kiểm tra lại số và đơn vị tính."
    ]


def test_one_bad_cell_rejects_the_whole_file(official):
    workbook = download(official)
    set_figure(workbook, RICE, 140)
    set_figure(workbook, "che-dien-tich", -1)
    set_difficulties(workbook, "Đã sửa")
    rejected(official, workbook)
    assert Report.objects.get().difficulties == "Mưa đá tháng 2"


def test_no_file_chosen(official):
    before = stored_report_state()
    response = official.post(f"{SAN_THANG_Q1}tai-len/", {})
    assert response.status_code == 400
    assert "Hãy chọn tệp Excel để tải lên." in response.content.decode()
    assert stored_report_state() == before


@pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.APPROVED])
def test_a_submitted_or_approved_report_cannot_be_changed_by_upload(
    official, saved_report, economic_officer, status
):
    workbook = download(official)
    set_figure(workbook, RICE, 140)
    preview = upload(official, workbook)
    report = services.report_submit(report=saved_report, actor=economic_officer)
    if status == Report.Status.APPROVED:
        services.report_approve(report=report, actor=economic_officer)
    before = stored_report_state()

    upload_answer = upload(official, workbook)
    confirm_answer = official.post(f"{preview['Location']}xac-nhan/", {"version": 1}, follow=True)

    assert upload_answer.status_code == 302 and upload_answer["Location"] == SAN_THANG_Q1
    assert "không sửa được, kể cả bằng tệp Excel" in confirm_answer.content.decode()
    assert stored_report_state() == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(official):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/huge.xml", b"0" * (25 * 1024 * 1024))
    problems = rejected(official, buffer.getvalue())
    assert problems == ["Tệp quá lớn khi giải nén; đây không phải mẫu báo cáo."]

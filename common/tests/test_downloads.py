import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from common.downloads import XLSX, file_response, safe_csv_text, set_text


def reopened(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer).active


def test_text_typed_by_a_user_stays_text_in_a_spreadsheet():
    workbook = Workbook()
    sheet = workbook.active
    set_text(sheet["A1"], '=HYPERLINK("http://x","bấm")')
    set_text(sheet["A2"], "- Đã trồng 5 ha chè")
    set_text(sheet["A3"], 329.2)

    sheet = reopened(workbook)

    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == '=HYPERLINK("http://x","bấm")'
    assert sheet["A2"].value == "- Đã trồng 5 ha chè"
    assert sheet["A3"].value == 329.2


def test_write_only_cells_are_protected_too():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Báo cáo")
    sheet.append([set_text(WriteOnlyCell(sheet), "=1+1")])

    assert reopened(workbook)["A1"].value == "=1+1"


def test_csv_text_that_would_start_a_formula_gets_an_apostrophe():
    assert safe_csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_csv_text("Sùng Phài") == "Sùng Phài"
    assert safe_csv_text(-5) == -5


def test_a_vietnamese_file_name_survives_the_download():
    response = file_response(b"x", "Báo cáo Sùng Phài.xlsx", XLSX)

    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o" in response["Content-Disposition"]
    assert response["Content-Type"] == XLSX


def test_text_pasted_from_word_with_control_characters_still_opens():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Báo cáo")
    sheet.append([set_text(WriteOnlyCell(sheet), "Dòng 1\x0bDòng 2\x07")])

    assert reopened(workbook)["A1"].value == "Dòng 1\nDòng 2"

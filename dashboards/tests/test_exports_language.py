"""Downloads are Vietnamese documents whoever asks for them, in whatever language they read."""

import io
from urllib.parse import unquote

import pytest
from docx import Document
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/2023/"})
    return client


def test_the_report_to_the_province_is_vietnamese_for_an_english_reader(
    client_for, economic_officer
):
    client = in_english(client_for(economic_officer))
    assert "Report to the province (.docx)" in client.get("/dashboard/2023/").content.decode()
    response = client.get("/dashboard/2023/bao-cao.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "I. KẾT QUẢ THỰC HIỆN" in text
    assert "SOCIALIST REPUBLIC" not in text
    assert "Báo cáo kết quả thực hiện" in unquote(response["Content-Disposition"])


def test_the_dashboard_workbook_is_vietnamese_for_an_english_reader(client_for, leader):
    client = in_english(client_for(leader))
    assert "Download Excel" in client.get("/dashboard/2023/").content.decode()
    response = client.get("/dashboard/2023/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    values = {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row}
    assert "STT" in values and "No." not in values
    assert "Chỉ tiêu và thực hiện 2023" in unquote(response["Content-Disposition"])

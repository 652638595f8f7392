"""The Nghị định 30/2020 layout every state document shares: header, number and date,
"Nơi nhận", signature, page numbers. The office tests print it with LibreOffice and read
the pages back: the motto on one line, page numbers from page 2 only."""

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from dashboards import state_document as doc

from .office import page_count, page_lines, render_pdf, words

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def long_document(agency_superior="UBND thành phố Lai Châu", agency=("Phòng Kinh tế",)):
    document = doc.new_document(title="Thử", author="Phòng Kinh tế")
    doc.header_block(
        document,
        superior=agency_superior,
        agency=list(agency),
        number=doc.number_line("", "BC-KT"),
        dated=doc.place_date("Lai Châu", None, 2023),
    )
    doc.title_block(document, "Báo cáo", ["Kết quả thực hiện năm 2023"])
    for number in range(1, 80):
        doc.paragraph(document, f"Đoạn thứ {number} của văn bản, đủ dài để sang trang sau.")
    doc.closing_block(
        document,
        recipients=["- UBND thành phố (b/c);", "Lưu: VT, KT."],
        signature=doc.Signature(authority=["Trưởng phòng"]),
    )
    return document


def reopened(document):
    return Document(io.BytesIO(doc.to_bytes(document)))


def test_the_motto_is_one_paragraph_at_13_pt_bold_with_the_subtitle_centred_under_it():
    document = reopened(long_document())
    motto_cell = document.tables[0].rows[0].cells[1]
    motto, subtitle = motto_cell.paragraphs[:2]
    assert motto.text == MOTTO
    assert all(run.bold and run.font.size == Pt(13) for run in motto.runs)
    assert subtitle.text == "Độc lập - Tự do - Hạnh phúc"
    assert subtitle.alignment == doc.CENTER and all(run.bold for run in subtitle.runs)
    rule = motto_cell.paragraphs[2]
    assert rule._p.pPr.find(qn("w:pBdr")) is not None


def test_the_agency_block_names_the_superior_agency_then_the_issuing_one_in_bold():
    document = reopened(long_document())
    superior, agency = document.tables[0].rows[0].cells[0].paragraphs[:2]
    assert superior.text == "UBND THÀNH PHỐ LAI CHÂU" and not superior.runs[0].bold
    assert agency.text == "PHÒNG KINH TẾ" and agency.runs[0].bold


def test_number_and_date_are_left_blank_until_the_document_is_issued():
    assert doc.number_line("", "KH-UBND") == "Số:        /KH-UBND"
    assert doc.place_date("Lai Châu", None, 2024) == "Lai Châu, ngày      tháng      năm 2024"


def test_an_issued_number_and_date_are_written_with_the_decrees_leading_zeros():
    assert doc.number_line("125", "KH-UBND") == "Số: 125/KH-UBND"
    assert doc.number_line("125/KH-UBND", "KH-UBND") == "Số: 125/KH-UBND"
    assert doc.place_date("Lai Châu", date(2024, 1, 5), 2024) == (
        "Lai Châu, ngày 05 tháng 01 năm 2024"
    )
    assert doc.place_date("Lai Châu", date(2023, 12, 19), 2023) == (
        "Lai Châu, ngày 19 tháng 12 năm 2023"
    )
    assert doc.place_date("Lai Châu", date(2023, 3, 9), 2023).endswith("ngày 09 tháng 3 năm 2023")


def test_recipients_and_signature_leave_room_to_sign_and_a_line_for_the_name():
    document = doc.new_document(title="Thử", author="Phòng Kinh tế")
    doc.closing_block(
        document,
        recipients=["TT. Thành uỷ;", "- Lưu: VT."],
        signature=doc.Signature(authority=["TM. Ủy ban nhân dân", "Chủ tịch"], name="Nguyễn Văn A"),
    )
    recipients, signature = reopened(document).tables[-1].rows[0].cells
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- TT. Thành uỷ;", "- Lưu: VT."]
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    lines = [p.text for p in signature.paragraphs]
    assert lines[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert lines[2 : 2 + doc.SIGNATURE_SPACE] == [""] * doc.SIGNATURE_SPACE
    assert lines[-1] == "Nguyễn Văn A" and signature.paragraphs[-1].runs[0].bold


def test_page_numbers_are_a_page_field_in_the_header_and_the_first_page_has_none():
    section = reopened(long_document()).sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    header = section.header._element
    fields = header.findall(".//" + qn("w:fldSimple"))
    assert [f.get(qn("w:instr")).strip() for f in fields] == ["PAGE"]


def test_typed_control_characters_do_not_break_the_file():
    document = doc.new_document(title="Thử\x00", author="Phòng\x07 Kinh tế")
    doc.paragraph(document, "Diện tích\x0b lúa <b>&")
    text = reopened(document).paragraphs[-1].text
    assert "Diện tích" in text and "<b>&" in text


@pytest.mark.office
def test_printed_the_motto_stays_on_one_line_and_pages_are_numbered_from_page_two(tmp_path):
    pdf = render_pdf(doc.to_bytes(long_document()), tmp_path)
    pages = page_count(pdf)
    assert pages >= 3
    first = page_lines(pdf, 1)
    assert any(MOTTO in line for line in first)
    assert any("UBND THÀNH PHỐ LAI CHÂU" in line for line in first)
    assert not any(line.endswith("VIỆT") or line == "NAM" for line in first)
    assert "Độc lập - Tự do - Hạnh phúc" in first[1] + first[2]
    assert not first[0].isdigit()
    for page in range(2, pages + 1):
        assert page_lines(pdf, page)[0] == str(page)
        number = words(pdf, page)[0]
        # Centred in the top margin (20 mm = 56,7 pt), printed at 13–14 pt.
        assert number[0] == str(page) and number[2] < 56.7
        assert 13 * 1.2 <= number[3] <= 14 * 1.4
        assert abs(number[1] - (30 + 165 / 2) / 25.4 * 72) < 10


@pytest.mark.office
@pytest.mark.django_db
def test_the_report_to_the_province_prints_its_motto_on_one_line(
    client_for, economic_officer, tmp_path
):
    response = client_for(economic_officer).get("/dashboard/2023/bao-cao.docx", {"ky": "2023-6t"})
    assert response.status_code == 200
    pdf = render_pdf(response.content, tmp_path)
    first = page_lines(pdf, 1)
    assert first[0] == f"UBND THÀNH PHỐ LAI CHÂU {MOTTO}"
    assert first[1] == "PHÒNG KINH TẾ Độc lập - Tự do - Hạnh phúc"
    if page_count(pdf) > 1:
        assert page_lines(pdf, 2)[0] == "2"

"""The plan written back out as a state document: /plans/<year>/ke-hoach.docx.

For 2023 the file is compared with the source document programmatically: every figure,
heading, paragraph, body, cited document and recipient of `fixtures/source/` must be in it.
"""

import io
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from docx import Document

from dashboards.plan_document import signature_of
from planning.carry import plan_draft_next_year
from planning.services import AmendmentInput, plan_issue, plan_save, targets_confirm
from plans.models import Section, Task
from reporting.models import Target

from .office import page_count, page_lines, render_pdf

pytestmark = pytest.mark.django_db

URL = "/plans/2023/ke-hoach.docx"
SOURCE = Path(settings.BASE_DIR) / "fixtures/source/ke-hoach-san-xuat-nong-nghiep-hang-hoa-2023.txt"
# A heading as the source numbers it: "II. NỘI DUNG…", "1. Đối với…", "2.4. Xây dựng…".
HEADING = re.compile(r"^((?:I|II|III)\.|\d+(?:\.\d+)*\.)\s+\S")
FIGURE = re.compile(r"\d+(?:[.,/]\d+)*")
CITED = re.compile(r"(?:Kế hoạch|Quyết định|Nghị quyết) số [\w/.\-]+", re.UNICODE)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def download(client) -> tuple[list[str], str]:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert unquote(response["Content-Disposition"]).endswith("Kế hoạch SXNN hàng hóa năm 2023.docx")
    document = Document(io.BytesIO(response.content))
    lines = [p.text for p in document.paragraphs]
    lines += [p.text for t in document.tables for c in t.rows[0].cells for p in c.paragraphs]
    return lines, squeeze(" ".join(lines))


def source_lines() -> list[str]:
    """The source's paragraphs; a heading written inline ("2.6. Chính sách hỗ trợ:Thực
    hiện…") is two: the heading, then its text."""
    lines = []
    for raw in SOURCE.read_text(encoding="utf-8").splitlines():
        line = squeeze(raw)
        if not line:
            continue
        heading, colon, rest = line.partition(":")
        if HEADING.match(line) and colon and rest.strip() and len(heading) < 80:
            lines.extend([heading.strip(), rest.strip()])
        else:
            lines.append(line)
    return lines


def test_the_2023_plan_holds_every_figure_of_the_source_as_often_as_the_source(
    client_for, economic_officer
):
    _lines, text = download(client_for(economic_officer))
    source = squeeze(SOURCE.read_text(encoding="utf-8"))
    wanted = Counter(FIGURE.findall(source))
    found = Counter(FIGURE.findall(text))
    assert {figure: n for figure, n in wanted.items() if found[figure] < n} == {}
    assert {"329,2", "22,2", "1.600", "963,45", "10.900", "160,4", "280,4", "2,5", "6,5"} <= set(
        found
    )


def test_the_2023_plan_has_every_heading_of_the_source_as_a_bold_paragraph_of_its_own(
    client_for, economic_officer
):
    lines, _text = download(client_for(economic_officer))
    headings = [line for line in source_lines() if HEADING.match(line) and len(line) < 80]
    assert len(headings) == 27  # I–III and their 24 parts, as the plan's sections are
    assert [h for h in headings if h not in lines] == []
    assert "KẾ HOẠCH" in lines
    assert lines.index("I. MỤC ĐÍCH, YÊU CẦU") < lines.index("III. TỔ CHỨC THỰC HIỆN")


def test_the_2023_plan_reads_like_the_source_paragraph_by_paragraph(client_for, economic_officer):
    _lines, text = download(client_for(economic_officer))
    assert [line for line in source_lines() if line not in text] == []


def test_the_2023_plan_names_every_body_cited_document_and_recipient_of_the_source(
    client_for, economic_officer
):
    lines, text = download(client_for(economic_officer))
    source = SOURCE.read_text(encoding="utf-8")
    cited = set(CITED.findall(source))
    assert "Nghị quyết số 66/NQ-HĐND" in cited and "Quyết định số 3038/QĐ-UBND" in cited
    assert sorted(c for c in cited if c not in text) == []
    for body in (
        "Phòng Tài chính - Kế hoạch",
        "Trung tâm Dịch vụ Nông nghiệp",
        "UBND các xã, phường",
    ):
        assert body in text
    recipients = [squeeze(r) for r in source.split("Nơi nhận:")[1].splitlines() if r.strip()]
    assert len(recipients) == 9
    assert [r for r in recipients if r not in lines] == []


def test_the_plan_is_laid_out_as_a_state_document_of_the_city(client_for, leader):
    response = client_for(leader).get(URL)
    document = Document(io.BytesIO(response.content))
    agency, motto = (cell.text for cell in document.tables[0].rows[0].cells)
    assert agency == "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ LAI CHÂU\n\nSố:        /KH-UBND"
    assert motto.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert motto.endswith("Lai Châu, ngày      tháng      năm 2023")
    paragraphs = [p.text for p in document.paragraphs]
    title = paragraphs.index("KẾ HOẠCH")
    assert paragraphs[title + 1 : title + 3] == [
        "Sản xuất nông nghiệp hàng hóa năm 2023",
        "trên địa bàn thành phố Lai Châu",
    ]
    assert paragraphs[title + 4].startswith("Căn cứ Kế hoạch số 2169/KH-UBND ngày 09/7/2021")
    recipients, signature = document.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in signature.paragraphs][:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert document.sections[0].different_first_page_header_footer


def test_an_issued_plan_carries_its_number_and_date(client_for, economic_officer, plan):
    plan.number, plan.issued_on = "25/KH-UBND", date(2023, 1, 5)
    plan.save()
    document = Document(io.BytesIO(client_for(economic_officer).get(URL).content))
    agency, motto = (cell.text for cell in document.tables[0].rows[0].cells)
    assert agency.endswith("Số: 25/KH-UBND")
    assert motto.endswith("Lai Châu, ngày 05 tháng 01 năm 2023")


def test_a_changed_target_is_written_with_its_new_value_in_the_vietnamese_format(
    client_for, economic_officer, plan, unit
):
    Target.objects.filter(
        plan=plan, unit=unit("sung-phai"), indicator__code="lua-chat-luong-dien-tich"
    ).update(value=Decimal("145"))
    Target.objects.filter(plan=plan, indicator__code="che-bup-tuoi-san-luong").update(
        value=Decimal("11250.5")
    )
    Target.objects.filter(plan=plan, indicator__code="co-so-nuoi-ong").update(value=Decimal("8"))
    _lines, text = download(client_for(economic_officer))
    assert "Sùng Phài 145ha" in text and "Sùng Phài 142ha" not in text
    assert "năm 2023 đạt trên 11.250,5 tấn" in text and "10.900" not in text
    assert "nhân rộng 08 cơ sở nuôi ong" in text
    assert "Duy trì sản xuất 329,2ha lúa chất lượng" in text  # the city's own target, unchanged


def test_a_target_the_text_does_not_quote_is_written_after_its_sections_text(
    client_for, economic_officer, plan
):
    rice = Target.objects.get(plan=plan, unit=plan.unit, indicator__code="lua-chat-luong-san-luong")
    Target.objects.filter(pk=rice.pk).update(source_text="", value=Decimal("1650"))
    lines, _text = download(client_for(economic_officer))
    heading = lines.index("1.1. Sản xuất lúa chất lượng")
    following = lines[heading + 1 : lines.index("1.2. Phát triển vùng nguyên liệu chè")]
    assert following[-1] == "- Sản lượng lúa chất lượng: 1.650 tấn."


def test_an_edited_task_replaces_its_paragraph_and_a_new_task_follows_its_sections_text(
    client_for, economic_officer, plan
):
    task = Task.objects.get(plan=plan, code="II.1.2.a")
    task.description = task.description.replace("trồng mới năm 2022", "trồng mới năm 2022 và 2023")
    task.save()
    flowers = Section.objects.get(plan=plan, code="II.1.5")
    Task.objects.create(
        plan=plan,
        section=flowers,
        code="II.1.5.c",
        title="Hoa lan",
        description="Thử nghiệm trồng hoa lan trong nhà lưới tại phường Đông Phong.",
        position=99,
    )
    lines, text = download(client_for(economic_officer))
    assert "bảo vệ diện tích chè trồng mới năm 2022 và 2023, chỉ đạo trồng dặm" in text
    assert text.count("chỉ đạo trồng dặm đối với cây chè bị chết") == 1
    heading = lines.index("1.5. Trồng hoa chất lượng cao")
    following = lines[heading + 1 : lines.index("1.6. Phát triển trồng rau an toàn")]
    assert following[-1] == "Thử nghiệm trồng hoa lan trong nhà lưới tại phường Đông Phong."


def test_section_three_is_written_body_by_body_from_the_tasks_given_to_each(
    client_for, economic_officer, plan
):
    finance = Task.objects.get(plan=plan, code="III.2.1")
    finance.description = "Tham mưu bố trí kinh phí thực hiện kế hoạch năm 2023."
    finance.save()
    rice = Task.objects.get(plan=plan, code="II.1.1.b")
    rice.bodies.add(finance.bodies.get())
    lines, _text = download(client_for(economic_officer))
    heading = lines.index("2. Phòng Tài chính - Kế hoạch")
    assert lines[heading + 1 : heading + 3] == [
        "Tham mưu bố trí kinh phí thực hiện kế hoạch năm 2023.",
        "- Thực hiện nhiệm vụ II.1.1.b: " + rice.title + ".",
    ]


def test_text_nobody_can_print_does_not_break_the_file(client_for, economic_officer, plan):
    Section.objects.filter(plan=plan, code="II.1.3").update(
        body="Tăng cường <quản lý> & bảo vệ\x01 160,4ha\x0bcây ăn quả hiện có."
    )
    _lines, text = download(client_for(economic_officer))
    assert "Tăng cường <quản lý> & bảo vệ 160,4ha" in text


def test_the_document_costs_the_same_queries_with_more_tasks(
    client_for, economic_officer, plan, django_assert_max_num_queries
):
    client = client_for(economic_officer)
    client.get(URL)
    with django_assert_max_num_queries(17) as before:
        client.get(URL)
    section = Section.objects.get(plan=plan, code="II.1.6")
    for number in range(10):
        Task.objects.create(
            plan=plan,
            section=section,
            code=f"II.1.6.x{number}",
            title="t",
            description=f"Việc {number}.",
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(URL)


def test_someone_without_a_role_in_the_plan_is_refused(client_for, outsider):
    assert client_for(outsider).get(URL).status_code == 403


@pytest.mark.office
def test_printed_the_2023_plan_keeps_its_motto_on_one_line_and_numbers_pages_from_two(
    client_for, economic_officer, tmp_path
):
    pdf = render_pdf(client_for(economic_officer).get(URL).content, tmp_path)
    pages = page_count(pdf)
    assert 5 <= pages <= 12
    first = page_lines(pdf, 1)
    assert first[0] == "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert first[1] == "THÀNH PHỐ LAI CHÂU Độc lập - Tự do - Hạnh phúc"
    assert "KẾ HOẠCH" in first
    assert [page_lines(pdf, page)[0] for page in range(2, pages + 1)] == [
        str(page) for page in range(2, pages + 1)
    ]


@pytest.mark.parametrize(
    "signer, lines",
    [
        ("Nguyễn Văn A", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]),
        (
            "KT. Chủ tịch – Nguyễn Văn A",
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"],
        ),
        ("CHỦ TỊCH - Lò Văn B", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lò Văn B"]),
        ("", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ""]),
    ],
)
def test_the_signature_block_says_in_what_capacity_the_signer_signs(plan, signer, lines):
    plan.signer = signer
    signature = signature_of(plan, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ LAI CHÂU"])
    assert [*signature.authority, signature.name] == lines


def test_next_years_draft_says_it_is_a_draft_and_carries_no_number_yet(
    client_for, economic_officer, leader, plan
):
    draft = plan_draft_next_year(actor=economic_officer, plan=plan)
    page = client_for(leader).get("/plans/2024/").content.decode()
    assert 'href="/plans/2024/ke-hoach.docx"' in page
    response = client_for(leader).get("/plans/2024/ke-hoach.docx")
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "DỰ THẢO"
    agency, motto = (cell.text for cell in document.tables[0].rows[0].cells)
    assert agency.endswith("Số:        /KH-UBND") and motto.endswith("năm 2024")
    assert "Sản xuất nông nghiệp hàng hóa năm 2024" in [p.text for p in document.paragraphs]
    assert draft.year == 2024


def test_an_issued_plan_is_signed_in_the_capacity_its_signer_was_entered_with(
    client_for, economic_officer, plan
):
    draft = plan_draft_next_year(actor=economic_officer, plan=plan)
    targets_confirm(actor=economic_officer, plan=draft)
    plan_issue(
        actor=economic_officer,
        plan=draft,
        number="25/KH-UBND",
        issued_on=date(2024, 1, 15),
        signer="KT. CHỦ TỊCH – Nguyễn Văn A",
    )
    document = Document(
        io.BytesIO(client_for(economic_officer).get("/plans/2024/ke-hoach.docx").content)
    )
    assert document.paragraphs[0].text != "DỰ THẢO"
    agency, motto = (cell.text for cell in document.tables[0].rows[0].cells)
    assert agency.endswith("Số: 25/KH-UBND")
    assert motto.endswith("Lai Châu, ngày 15 tháng 01 năm 2024")
    signature = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs]
    assert signature[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signature[-1] == "Nguyễn Văn A"


def test_an_amended_plan_names_its_decision_and_prints_the_amended_value(
    client_for, economic_officer, plan
):
    draft = plan_draft_next_year(actor=economic_officer, plan=plan)
    targets_confirm(actor=economic_officer, plan=draft)
    plan_issue(
        actor=economic_officer,
        plan=draft,
        number="25/KH-UBND",
        issued_on=date(2024, 1, 15),
        signer="Nguyễn Văn A",
    )
    target = draft.targets.get(indicator__code="lua-chat-luong-dien-tich", unit__slug="san-thang")
    target.value = Decimal("150")
    plan_save(
        actor=economic_officer,
        instance=target,
        plan=draft,
        amendment=AmendmentInput("1520/QĐ-UBND", date(2024, 7, 1), "Mở rộng vùng lúa"),
    )
    response = client_for(economic_officer).get("/plans/2024/ke-hoach.docx")
    document = Document(io.BytesIO(response.content))
    lines = [p.text for p in document.paragraphs]
    assert "(Điều chỉnh theo Quyết định số 1520/QĐ-UBND ngày 01/07/2024)" in lines
    text = squeeze(" ".join(lines))
    assert "San Thàng 150ha" in text and "San Thàng 135ha" not in text

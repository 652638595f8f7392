"""The report Phòng Kinh tế sends to the province, as a .docx in the state format."""

import io
from datetime import date

import pytest
from docx import Document
from docx.shared import Mm, Pt

from plans.models import AdministrativeUnit, OcopProduct
from reporting import services
from reporting.models import Report, ReportingPeriod
from reporting.selectors import report_scope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("totals_mode")]

REPORT = "/dashboard/2023/bao-cao.docx"


def download(client, **query):
    response = client.get(REPORT, query)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return Document(io.BytesIO(response.content))


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def figures_table(document):
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    return {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}


def file_difficulties(plan, economic_officer, slug, period_code, text):
    unit = AdministrativeUnit.objects.get(slug=slug)
    period = ReportingPeriod.objects.get(plan=plan, code=period_code)
    report = Report.objects.get(unit=unit, period=period)
    services.report_reopen(report=report, actor=economic_officer, reason="Bổ sung khó khăn")
    report = services.report_save(
        scope=report_scope(plan, unit),
        period=period,
        actor=economic_officer,
        expected_version=None,
        data=services.ReportInput(difficulties=text),
    )
    report = services.report_submit(report=report, actor=economic_officer)
    return services.report_approve(report=report, actor=economic_officer)


def test_the_report_is_on_a4_in_times_new_roman_with_the_state_margins(
    client_for, economic_officer
):
    document = download(client_for(economic_officer), ky="2023-6t")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert Mm(20) <= section.top_margin <= Mm(25)
    assert Mm(20) <= section.bottom_margin <= Mm(25)
    assert Mm(30) <= section.left_margin <= Mm(35)
    assert Mm(15) <= section.right_margin <= Mm(20)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)


def test_the_header_block_title_and_signature_follow_nghi_dinh_30(client_for, economic_officer):
    document = download(client_for(economic_officer), ky="2023-6t")
    agency, motto = (cell.text for cell in document.tables[0].rows[0].cells)
    assert agency.startswith("UBND THÀNH PHỐ LAI CHÂU\nPHÒNG KINH TẾ")
    assert "Số:" in agency and "/BC-KT" in agency
    assert motto.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert "Lai Châu, ngày" in motto and "tháng" in motto
    paragraphs = [p.text for p in document.paragraphs]
    title = paragraphs.index("BÁO CÁO")
    assert paragraphs[title + 1] == (
        "Kết quả thực hiện Kế hoạch sản xuất nông nghiệp hàng hóa năm 2023"
    )
    assert paragraphs[title + 2] == "trên địa bàn thành phố Lai Châu – 6 tháng đầu năm 2023"
    recipients, signature = (cell.text for cell in document.tables[-1].rows[0].cells)
    assert recipients.startswith("Nơi nhận:")
    assert "Sở Nông nghiệp và PTNT tỉnh Lai Châu" in recipients
    assert signature.startswith("TRƯỞNG PHÒNG")


def test_approved_figures_are_summed_with_their_status(
    client_for, economic_officer, report_figures
):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong="1000")
    report_figures("sung-phai", "2023-q2", che_bup_tuoi_san_luong="250.5")
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=135)
    report_figures("san-thang", "2023-q3", che_bup_tuoi_san_luong="9000")
    document = download(client_for(economic_officer), ky="2023-6t")
    rows = figures_table(document)
    # Up to 14/6 only: the third quarter's 9.000 t is not in yet.
    assert rows["Sản lượng chè búp tươi"] == [
        "5",
        "Sản lượng chè búp tươi",
        "tấn",
        "10.900",
        "1.250,5",
        "11,5",
        "Chậm",
    ]
    assert rows["Diện tích lúa chất lượng"][3:] == ["329,2", "135", "41,0", "Chậm"]
    text = text_of(document)
    assert "Thực hiện đến 14/06/2023" in text
    assert "Xã San Thàng: Diện tích lúa chất lượng 135 ha; Sản lượng chè búp tươi 1.000 tấn." in (
        text
    )


def test_narratives_difficulties_and_proposals_are_gathered_as_typed(
    client_for, economic_officer, report_figures, plan
):
    duty = plan.tasks.get(code="III.6.7")
    report_figures(
        "san-thang",
        "2023-q1",
        tasks={duty.pk: ("dang_thuc_hien", "=Đã tổng hợp <b>3 thôn</b> & gửi")},
        che_bup_tuoi_san_luong=1000,
    )
    file_difficulties(
        plan, economic_officer, "san-thang", "2023-q1", "Thiếu giống chè\x0bĐề nghị hỗ trợ"
    )
    report_figures("sung-phai", "2023-q3", che_bup_tuoi_san_luong=500)
    file_difficulties(plan, economic_officer, "sung-phai", "2023-q3", "Khó khăn quý 3")
    text = text_of(download(client_for(economic_officer), ky="2023-6t"))
    assert "=Đã tổng hợp <b>3 thôn</b> & gửi" in text
    assert "Xã San Thàng (Quý 1/2023): Thiếu giống chè\nĐề nghị hỗ trợ" in text
    assert "Khó khăn quý 3" not in text


def test_without_a_period_the_report_covers_the_latest_one_that_ended(client_for, economic_officer):
    response = client_for(economic_officer).get(REPORT)
    assert "N%C4%83m%202023.docx" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, 302), ("nguoingoai", 403), ("santhang", 403), ("lanhdao", 403), ("kinhte", 200)],
)
def test_only_phong_kinh_te_downloads_the_report(client, outsider, username, expected):
    from django.contrib.auth import get_user_model

    if username:
        client.force_login(get_user_model().objects.get(username=username))
    assert client.get(REPORT, {"ky": "2023-q1"}).status_code == expected


def test_the_report_costs_the_same_queries_with_more_units_and_reports(
    client_for, economic_officer, report_figures, plan, django_assert_max_num_queries
):
    client = client_for(economic_officer)
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=10)
    with django_assert_max_num_queries(25) as few:
        client.get(REPORT, {"ky": "2023-nam"})
    for number in range(3):
        AdministrativeUnit.objects.create(
            name=f"Mới {number}",
            slug=f"moi-{number}",
            kind=AdministrativeUnit.Kind.WARD,
            parent=plan.unit,
            position=20 + number,
        )
    duty = plan.tasks.get(code="III.6.7")
    for slug in ("sung-phai", "quyet-thang", "dong-phong", "quyet-tien", "doan-ket"):
        for quarter in ("2023-q1", "2023-q2", "2023-q3", "2023-q4"):
            report_figures(
                slug, quarter, tasks={duty.pk: ("hoan_thanh", slug)}, che_bup_tuoi_san_luong=10
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        document = download(client, ky="2023-nam")
    assert figures_table(document)["Sản lượng chè búp tươi"][4] == "210"


def ocop_paragraphs(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("2. Phát triển sản phẩm OCOP")
    end = texts.index("3. Hạ tầng thiết yếu phục vụ sản xuất")
    return texts[start + 1 : end]


def test_the_ocop_figures_say_where_they_come_from_and_why_they_differ(
    client_for, economic_officer, report_figures
):
    report_figures("san-thang", "2023-q2", ocop_san_pham_moi=1)
    lines = ocop_paragraphs(download(client_for(economic_officer), ky="2023-6t"))
    assert lines[0] == (
        "- Theo sổ theo dõi sản phẩm OCOP (quyết định công nhận đến ngày 14/06/2023): "
        "công nhận mới năm 2023 0/3 sản phẩm theo Kế hoạch."
    )
    assert lines[1] == (
        "- Theo báo cáo của các đơn vị (chỉ tiêu “Sản phẩm OCOP phát triển mới” ở bảng mục 1): "
        "1/3 sản phẩm theo Kế hoạch."
    )
    assert lines[2].startswith("Hai số trên chưa khớp: sổ theo dõi chỉ tính sản phẩm")


def test_ocop_figures_that_agree_need_no_explanation(
    client_for, economic_officer, report_figures, unit
):
    OcopProduct.objects.create(
        name="Chè Shan tuyết San Thàng",
        owner="HTX Chè San Thàng",
        unit=unit("san-thang"),
        score=72,
        decision_number="12/QĐ-UBND",
        decision_date=date(2023, 3, 1),
    )
    report_figures("san-thang", "2023-q2", ocop_san_pham_moi=1)
    lines = ocop_paragraphs(download(client_for(economic_officer), ky="2023-6t"))
    assert "1/3 sản phẩm theo Kế hoạch (Chè Shan tuyết San Thàng)." in lines[0]
    assert lines[1].endswith("1/3 sản phẩm theo Kế hoạch.")
    assert not any(line.startswith("Hai số trên chưa khớp") for line in lines)

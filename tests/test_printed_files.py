"""Every file the application hands out, printed as an official would print it.

Each file is converted once with LibreOffice headless (Calibri drawn with Carlito and Times
New Roman with Liberation Serif, of the same widths, so what wraps here wraps in Office)
and its PDF is read back: page count and size, the printed size of every piece of text,
the lines as laid out, and words drawn over each other.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client

from conftest import _user
from dashboards.tests.office import (
    convert_all,
    overlapping_words,
    page_count,
    page_lines,
    page_size,
    printed_sizes,
)
from plans.models import AdministrativeUnit, Plan
from reporting import services
from reporting.models import ReportingPeriod
from reporting.selectors import report_scope

# Marked for the database only so pytest-django creates it; the tests read PDFs.
pytestmark = [pytest.mark.office, pytest.mark.django_db]

A4_LANDSCAPE = (841.89, 595.3)
A4_PORTRAIT = (595.3, 841.89)
LONG_NARRATIVE = (
    "Đã tổ chức 3 lớp tập huấn kỹ thuật chăm sóc chè cho 120 lượt hộ dân tại các thôn "
    "Lùng Thàng, Phan Lìn và Sin Chải; phối hợp với HTX chè San Thàng bao tiêu sản phẩm, "
    "hỗ trợ 2.000 cây giống chè Shan tuyết trồng dặm; tiếp tục vận động các hộ chuyển đổi "
    "diện tích lúa kém hiệu quả sang trồng rau an toàn theo chuỗi liên kết."
)
LONG_DIFFICULTIES = (
    "Thời tiết rét đậm kéo dài đầu năm làm chậm tiến độ gieo cấy vụ xuân; giá phân bón tăng "
    "cao, một số hộ chưa mạnh dạn đầu tư thâm canh. Đề nghị thành phố hỗ trợ giống lúa chất "
    "lượng và kinh phí làm đường nội đồng vùng chè."
)


def _file_reports() -> None:
    """Every commune reports Quý 2/2023 and is approved; San Thàng with long narratives."""
    plan = Plan.objects.get(year=2023)
    officer = _user("kinhte")
    period = ReportingPeriod.objects.get(plan=plan, code="2023-q2")
    for unit in AdministrativeUnit.objects.below(plan.unit).grassroots().order_by("path"):
        scope = report_scope(plan, unit)
        figures = {}
        for number, line in enumerate(scope.lines, start=1):
            target = line.unit_target or line.city_target
            base = target.value if target else Decimal(100)
            figures[line.indicator.pk] = (base * Decimal(number % 4 + 3) / 10).quantize(
                Decimal("0.01")
            )
        for line in scope.lines:  # a part never above its whole (reporting.quality)
            whole = line.indicator.part_of_id
            if whole in figures:
                figures[line.indicator.pk] = min(figures[line.indicator.pk], figures[whole])
        tasks = {}
        difficulties = ""
        if unit.slug == "san-thang":
            tasks = {task.pk: ("dang_thuc_hien", LONG_NARRATIVE) for task in scope.tasks}
            difficulties = LONG_DIFFICULTIES
        report = services.report_save(
            scope=scope,
            period=period,
            actor=officer,
            expected_version=None,
            data=services.ReportInput(
                figures=figures,
                tasks=tasks,
                difficulties=difficulties,
                # Made-up figures: any warning of the checks is explained.
                explanations=dict.fromkeys(figures, "Số liệu thử nghiệm"),
            ),
        )
        report = services.report_submit(report=report, actor=officer)
        services.report_approve(report=report, actor=officer)


def _download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker, tmp_path_factory):
    """The four files made from one set of reports, converted in one LibreOffice run; the
    reports are rolled back afterwards so no other test sees them."""
    with django_db_blocker.unblock(), transaction.atomic():
        _file_reports()
        office, official = Client(), Client()
        office.force_login(_user("kinhte"))
        official.force_login(_user("santhang"))
        files = {
            "dashboard.xlsx": _download(office, "/dashboard/2023/export.xlsx?ky=2023-6t"),
            "province.docx": _download(office, "/dashboard/2023/bao-cao.docx?ky=2023-6t"),
            "template.xlsx": _download(official, "/reports/2023/san-thang/2023-q2/tai-xuong.xlsx"),
            "plan.docx": _download(office, "/plans/2023/ke-hoach.docx"),
        }
        transaction.set_rollback(True)
    return convert_all(files, tmp_path_factory.mktemp("printed"))


def _all_lines(pdf):
    return [line for page in range(1, page_count(pdf) + 1) for line in page_lines(pdf, page)]


def _smallest(pdf) -> tuple[float, str]:
    return min((size, text) for page in printed_sizes(pdf) for text, size in page)


def test_the_report_template_prints_a4_landscape_as_wide_as_the_page_at_10_pt_or_more(printed):
    pdf = printed["template.xlsx"]
    pages = page_count(pdf)
    for page in range(1, pages + 1):
        assert page_size(pdf, page) == pytest.approx(A4_LANDSCAPE, abs=1)
    size, text = _smallest(pdf)
    assert size >= 10, text
    figures = page_lines(pdf, 1)
    assert figures[0].startswith("Báo cáo tiến độ Kế hoạch sản xuất nông nghiệp hàng hóa 2023")
    header = next(line for line in figures if line.startswith("Mã chỉ tiêu"))
    assert header.endswith("Phạm vi chỉ")  # the last column is on the first page too
    # A commune's report on two pages: the figures on one; on the other the eight tasks,
    # each with a long narrative, and the difficulties under them. Each sheet starts a page.
    assert pages <= 2
    tasks = page_lines(pdf, 2)
    assert tasks[0] == "Nhiệm vụ; khó khăn, vướng mắc, đề xuất"
    assert tasks[3].startswith("Mã nhiệm Nhiệm vụ Tình hình Kết quả thực hiện")
    assert "Khó khăn, vướng mắc, đề xuất" in tasks
    assert tasks[-2].startswith("phí làm đường nội đồng vùng chè")  # the difficulties end it


def test_wrapped_text_in_the_template_is_shown_whole_and_runs_into_no_other_row(printed):
    pdf = printed["template.xlsx"]
    text = " ".join(_all_lines(pdf))
    assert all(word in text for word in LONG_NARRATIVE.split())
    assert all(word in text for word in LONG_DIFFICULTIES.split())
    for page in range(1, page_count(pdf) + 1):
        assert overlapping_words(pdf, page) == [], page


def test_every_printed_page_of_the_dashboard_workbook_reads_at_9_pt_or_more(printed):
    pdf = printed["dashboard.xlsx"]
    pages = printed_sizes(pdf)
    for number, page in enumerate(pages, start=1):
        assert page_size(pdf, number) == pytest.approx(A4_LANDSCAPE, abs=1)
        size, text = min((size, text) for text, size in page)
        assert size >= 9, (number, text)
        assert overlapping_words(pdf, number) == [], number


def test_the_dashboard_sheets_keep_their_first_columns_on_every_page(printed):
    pdf = printed["dashboard.xlsx"]
    first = page_lines(pdf, 1)
    assert first[0] == (
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH SẢN XUẤT NÔNG NGHIỆP HÀNG HÓA NĂM 2023"
    )
    header = next(line for line in first if line.startswith("STT Mục"))
    assert "Thực hiện" in header and "Tình trạng" in header
    # How each indicator was judged goes on the next page, beside the same names.
    second = page_lines(pdf, 2)
    header = next(line for line in second if line.startswith("STT Mục"))
    assert "Cách đánh giá" in header
    assert any(line.startswith("1 II.1.1 Diện tích lúa chất lượng") for line in second)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("theo tình trạng", "Tổng số chỉ tiêu"),
        ("Tổng hợp theo cơ quan thực hiện", "Tổng cộng (mỗi nhiệm vụ"),
        ("Sản phẩm mới năm 2023", "Tổng số sản phẩm"),
    ],
)
def test_a_summary_under_a_table_of_the_workbook_prints_whole_on_one_page(printed, first, last):
    pdf = printed["dashboard.xlsx"]
    pages = [page_lines(pdf, number) for number in range(1, page_count(pdf) + 1)]
    starts = [n for n, lines in enumerate(pages) if any(first in line for line in lines)]
    ends = [n for n, lines in enumerate(pages) if any(last in line for line in lines)]
    assert starts and ends
    # Its total on the page of its heading: no total left alone at the top of a page.
    assert starts[0] == ends[0], (starts, ends)


def test_the_report_to_the_province_prints_its_motto_and_table_headers_on_one_line(printed):
    pdf = printed["province.docx"]
    for page in range(1, page_count(pdf) + 1):
        assert page_size(pdf, page) == pytest.approx(A4_PORTRAIT, abs=1)
    first = page_lines(pdf, 1)
    assert any(line.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in first)
    header = next(line for line in first if line.startswith("STT"))
    assert header.startswith("STT Chỉ tiêu ĐVT")
    assert not any(line.startswith("ST ") for line in first)
    size, text = _smallest(pdf)
    assert size >= 11, text


@pytest.mark.parametrize("name", ["province.docx", "plan.docx"])
def test_a_document_signs_on_one_page_with_the_last_of_the_text_it_closes(printed, name):
    pdf = printed[name]
    pages = page_count(pdf)
    for page in range(1, pages + 1):
        assert page_size(pdf, page) == pytest.approx(A4_PORTRAIT, abs=1)
    last = page_lines(pdf, pages)
    assert last[0] == str(pages)  # numbered in the top margin from page 2
    closing = next(n for n, line in enumerate(last) if line.startswith("Nơi nhận:"))
    assert closing > 1, last  # not alone on its page, away from what it signs
    assert any(line.startswith("- Lưu: VT") for line in last[closing:])  # the list is whole
    assert not any(line.startswith("Nơi nhận:") for line in page_lines(pdf, pages - 1))

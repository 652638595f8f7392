import io
import unicodedata

import tablib
from openpyxl import load_workbook

from common.spreadsheets import ChoiceWidget, SafeXLSX, TextWidget
from common.text import clean_text, xml_safe

IN_PROGRESS = "Đang thực hiện"
DECOMPOSED = unicodedata.normalize("NFD", IN_PROGRESS)


def test_decomposed_vietnamese_becomes_the_composed_text_it_looks_like():
    assert DECOMPOSED != IN_PROGRESS
    assert clean_text(DECOMPOSED) == IN_PROGRESS


def test_what_xml_cannot_hold_is_dropped_and_word_line_breaks_stay_line_breaks():
    assert xml_safe("a\ufffeb\uffffc\x00d\x0be\tf\n") == "abcd\ne\tf\n"


def test_an_admin_import_reads_a_choice_typed_in_decomposed_unicode():
    widget = ChoiceWidget([("dang_thuc_hien", IN_PROGRESS), ("xong", "Hoàn thành")])

    assert widget.clean(DECOMPOSED) == "dang_thuc_hien"
    assert TextWidget().clean(DECOMPOSED) == IN_PROGRESS


def test_an_admin_export_of_text_with_characters_xml_cannot_hold_still_opens():
    dataset = tablib.Dataset(["Chè\uffff Tân Uyên\ufffe"], headers=["Tên"], title="Sản phẩm")

    sheet = load_workbook(io.BytesIO(SafeXLSX().export_data(dataset))).active

    assert sheet["A2"].value == "Chè Tân Uyên"

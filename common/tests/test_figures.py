"""One rule for a typed figure, said in a form field's words or a file cell's words."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from common.figures import MAX_FIGURE, FigureRefused, Noun, read_figure


@pytest.fixture(autouse=True)
def in_vietnamese():
    # A request earlier in the same worker may have left another language active.
    with translation.override("vi"):
        yield


def refusal(value, *, places=3, noun=Noun.FIGURE) -> FigureRefused:
    with pytest.raises(FigureRefused) as caught:
        read_figure(value, places=places, noun=noun)
    return caught.value


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("22,2", Decimal("22.2")),
        ("1.600", Decimal("1600")),
        (" 10.900,5 ", Decimal("10900.5")),
        (130, Decimal("130")),
        (22.2, Decimal("22.2")),
        (Decimal("0"), Decimal("0")),
        (MAX_FIGURE, MAX_FIGURE),
    ],
)
def test_a_number_typed_or_stored_by_excel_is_read(value, number):
    assert read_figure(value, places=3, noun=Noun.FIGURE) == number


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_blank_is_no_figure_rather_than_an_error(value):
    assert read_figure(value, places=3, noun=Noun.FIGURE) is None


def test_zeros_after_the_last_decimal_do_not_count():
    assert read_figure("22,2000", places=3, noun=Noun.FIGURE) == Decimal("22.2")
    assert read_figure(12.0, places=0, noun=Noun.NUMBER) == 12


@pytest.mark.parametrize(
    ("value", "places", "code"),
    [
        ("khoảng 140", 3, "invalid"),
        ("12,5,3", 3, "invalid"),
        (float("inf"), 3, "invalid"),
        (True, 3, "not_a_number"),
        (date(2023, 3, 12), 3, "not_a_number"),
        (datetime(2023, 3, 12, 8, 0), 3, "not_a_number"),
        ("-5", 3, "negative"),
        (MAX_FIGURE + 1, 3, "too_large"),
        ("1,23456", 3, "too_precise"),
        ("12,5", 0, "not_whole"),
    ],
)
def test_each_kind_of_bad_figure_is_refused_for_its_own_reason(value, places, code):
    assert refusal(value, places=places).code == code


@pytest.mark.parametrize(
    ("value", "places", "in_field", "at_place"),
    [
        (
            "mười",
            3,
            "Nhập một số, ví dụ 22,2 hoặc 1.600.",
            "“mười” không phải là số; nhập ví dụ 22,2 hoặc 1.600.",
        ),
        (-3, 3, "Số liệu không được âm.", "số liệu không được âm (-3)."),
        (
            "22,2345",
            3,
            "Chỉ nhập tối đa 3 chữ số sau dấu phẩy.",
            "có quá nhiều chữ số lẻ (22,2345); chỉ nhập tối đa 3 chữ số sau dấu phẩy.",
        ),
        ("1,5", 0, "Chỉ nhập số nguyên.", "có phần lẻ (1,5); chỉ nhập số nguyên."),
        (
            "100.000.000.000",
            3,
            "Số quá lớn.",
            "số quá lớn (100.000.000.000).",
        ),
    ],
)
def test_a_field_message_leaves_out_the_typed_text_and_a_cell_message_quotes_it(
    value, places, in_field, at_place
):
    refused = refusal(value, places=places)
    assert refused.in_field() == in_field
    assert refused.at_place() == at_place


def test_a_plan_number_is_called_so_and_a_standalone_message_is_a_sentence():
    refused = refusal(-5, noun=Noun.NUMBER)
    assert refused.in_field() == "Số không được âm."
    assert refused.as_sentence() == "Số không được âm (-5)."
    assert refusal("nhiều", noun=Noun.NUMBER).as_sentence().startswith("“nhiều” không phải là số")


def test_a_long_pasted_text_is_quoted_only_in_part():
    assert "x" * 41 not in refusal("x" * 500).at_place()


def test_the_messages_speak_the_readers_language():
    with translation.override("en"):
        refused = refusal(-3)
        assert refused.in_field() == "Figures cannot be negative."
        assert refused.at_place() == "figures cannot be negative (-3)."

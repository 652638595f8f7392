from decimal import Decimal

import pytest

from common.numbers import InvalidNumber, format_number, parse_number


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("329.200"), "329,2"),
        (Decimal("10900.000"), "10.900"),
        (Decimal("963.45"), "963,45"),
        (Decimal("1600"), "1.600"),
        (Decimal("0.000"), "0"),
        (Decimal("1234567.5"), "1.234.567,5"),
        (Decimal("-2.5"), "-2,5"),
        (None, ""),
    ],
)
def test_numbers_are_shown_the_vietnamese_way(value, shown):
    assert format_number(value) == shown


def test_fixed_decimal_places_keep_their_zeros():
    assert format_number(Decimal("1600"), 1) == "1.600,0"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("22,2", Decimal("22.2")),
        ("1.600", Decimal("1600")),
        ("10.900,5", Decimal("10900.5")),
        ("1.234.567", Decimal("1234567")),
        (" 135 ", Decimal("135")),
        ("2.5", Decimal("2.5")),
        ("0,25", Decimal("0.25")),
    ],
)
def test_numbers_typed_the_vietnamese_way_are_read(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "1.23.4", "nan", "inf", "12a"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(InvalidNumber):
        parse_number(typed)

"""Whether a typed figure can be kept: one rule and one set of messages for every way in.

A figure reaches the database three ways: the report form, the report's Excel file and
the admin's import of plan data. All three read it with read_figure, so the same text is
taken or refused everywhere, for the same reason and in the same words.

Each refusal has two phrasings. Under a form field the typed text is still in the box, so
the message does not repeat it ("Số liệu không được âm."). In a file the problem is named
by its place (sheet, row and column, or the import row), so the message quotes what the
cell holds and starts in lower case to follow that place ("số liệu không được âm (-3).").
What the number is called differs as well: a unit reports "số liệu", the plan holds "số".
That is the `noun` argument, not a second set of messages.
"""

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import Enum

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .numbers import InvalidNumber, format_number, parse_number

# What the database keeps: 14 digits, 3 of them after the comma (figures and targets).
MAX_FIGURE = Decimal("99999999999")
# A refused text is quoted back, but never a whole pasted paragraph.
QUOTED_MAX = 40


class Noun(Enum):
    """What the number is called in a message."""

    FIGURE = "figure"  # số liệu: what a unit reports for a period
    NUMBER = "number"  # số: a number of the plan (a target, a position, a score)


_NOUNS: dict[Noun, Promise] = {
    Noun.FIGURE: pgettext_lazy("what a message calls a number", "số liệu"),
    Noun.NUMBER: pgettext_lazy("what a message calls a number", "số"),
}


@dataclass(frozen=True)
class Wording:
    in_field: Promise  # under a form field, which still shows what was typed
    at_place: Promise  # after "Trang …, dòng …, cột …: " or in an import row; quotes the value


# Translators: %(noun)s is "số liệu" or "số" (see _NOUNS); %(value)s is what the cell holds.
MESSAGES: dict[str, Wording] = {
    # A date or TRUE/FALSE where a number belongs: only a file can hold one.
    "not_a_number": Wording(
        in_field=_("Nhập một số, ví dụ 22,2 hoặc 1.600."),
        at_place=_("cần một số, ví dụ 22,2 hoặc 1.600."),
    ),
    "invalid": Wording(
        in_field=_("Nhập một số, ví dụ 22,2 hoặc 1.600."),
        at_place=_("“%(value)s” không phải là số; nhập ví dụ 22,2 hoặc 1.600."),
    ),
    "negative": Wording(
        in_field=_("%(noun)s không được âm."),
        at_place=_("%(noun)s không được âm (%(value)s)."),
    ),
    "too_large": Wording(
        in_field=_("Số quá lớn."),
        at_place=_("số quá lớn (%(value)s)."),
    ),
    "not_whole": Wording(
        in_field=_("Chỉ nhập số nguyên."),
        at_place=_("có phần lẻ (%(value)s); chỉ nhập số nguyên."),
    ),
    "too_precise": Wording(
        in_field=_("Chỉ nhập tối đa %(places)s chữ số sau dấu phẩy."),
        at_place=_(
            "có quá nhiều chữ số lẻ (%(value)s); chỉ nhập tối đa %(places)s chữ số sau dấu phẩy."
        ),
    ),
}


class FigureRefused(ValueError):
    """A figure that cannot be kept; `code` says why, the two methods say it to a person."""

    def __init__(self, code: str, *, value: str, places: int, noun: Noun):
        self.code = code
        self.value = value
        self.places = places
        self.noun = noun
        super().__init__(f"{code}: {value}")

    def _params(self) -> dict[str, object]:
        return {"value": self.value, "places": self.places, "noun": str(_NOUNS[self.noun])}

    def in_field(self) -> str:
        """For a form field: a sentence, without the typed text."""
        return capfirst(str(MESSAGES[self.code].in_field) % self._params())

    def at_place(self) -> str:
        """For a place named before it ("…, cột F: "): lower case, quoting the value."""
        return str(MESSAGES[self.code].at_place) % self._params()

    def as_sentence(self) -> str:
        """For a place named elsewhere, as an import row's column: quoting the value."""
        return capfirst(self.at_place())


def read_figure(value: object, *, places: int, noun: Noun) -> Decimal | None:
    """The number a form field or a cell holds, or None when it is blank.

    Takes what a person types the Vietnamese way (22,2 or 1.600) and what Excel stores
    (a number). Refuses, with FigureRefused, anything that is not a number, a negative
    number, one the database cannot keep, or one with more than `places` decimals; zeros
    after the last decimal do not count (12,0 is a whole number).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None

    def refused(code: str, shown: str) -> FigureRefused:
        return FigureRefused(code, value=shown, places=places, noun=noun)

    if isinstance(value, bool | date | time):  # datetime is a date
        raise refused("not_a_number", str(value)[:QUOTED_MAX])
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        try:
            number = parse_number(str(value))
        except InvalidNumber:
            raise refused("invalid", str(value).strip()[:QUOTED_MAX]) from None
    if not number.is_finite():
        raise refused("invalid", str(value).strip()[:QUOTED_MAX])
    if number < 0:
        raise refused("negative", format_number(number))
    if number > MAX_FIGURE:
        raise refused("too_large", format_number(number))
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number's exponent is a number
    if -exponent > places:
        rounded = number.quantize(Decimal(1).scaleb(-places))
        if rounded != number:
            raise refused("not_whole" if places == 0 else "too_precise", format_number(number))
        number = rounded
    return number

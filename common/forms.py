"""Form fields for numbers typed the Vietnamese way, for the report form and the admin.

Django's own DecimalField shows 329.200 (three hundred thousand to a Vietnamese reader)
and its IntegerField reads 1.000 as 1: a value silently changed by a factor. These fields
show 329,2 and 1.600, read what common.figures reads (the rule the report form, the
report's Excel and the admin import share) and refuse anything else with its Vietnamese
message at the field. common.apps makes them the admin's field for every DecimalField and
integer field of every model, so no admin class can forget it; a page's ModelForm gets
the same with `formfield_callback = number_formfield` in its Meta.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models

from .figures import FigureRefused, Noun, read_figure
from .numbers import format_number


class VietnameseNumberField(forms.CharField):
    """A number typed the Vietnamese way (22,2 or 1.600), never negative (common.figures)."""

    def __init__(
        self,
        *,
        decimal_places: int | None = 3,
        noun: Noun = Noun.FIGURE,
        max_digits: int | None = None,
        **kwargs: Any,
    ):
        self.decimal_places = 3 if decimal_places is None else decimal_places
        self.noun = noun
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_number(value)
        return value

    # A CharField for its widget and stripping; what it gives the form is a number.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        try:
            return read_figure(text, places=self.decimal_places, noun=self.noun)
        except FigureRefused as refused:
            raise forms.ValidationError(refused.in_field(), code=refused.code) from None


class NumberField(VietnameseNumberField):
    """A model's DecimalField in a form (the admin's, a page's): a target, a share, a sum."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("noun", Noun.NUMBER)
        kwargs.setdefault("required", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "vTextField"}))
        super().__init__(**kwargs)


class WholeNumberField(NumberField):
    """A model's integer field in a form: 1.600 is one thousand six hundred, never 1,6 or 1.

    Shown without grouping, as Django shows it (a year reads 2023, not 2.023), which no
    reader takes for anything else.
    """

    def __init__(self, *, min_value: Any = None, max_value: Any = None, **kwargs: Any):
        kwargs["decimal_places"] = 0
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})
        if max_value is not None:
            self.validators.append(MaxValueValidator(max_value))

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        number = super().to_python(value)
        return None if number is None else int(number)


def number_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A ModelForm's formfield_callback: its numbers typed and shown the Vietnamese way."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", NumberField)
    elif isinstance(db_field, models.IntegerField) and not db_field.choices:
        kwargs.setdefault("form_class", WholeNumberField)
    return db_field.formfield(**kwargs)

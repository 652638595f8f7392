from typing import Any

from django import template

from common.numbers import format_number

register = template.Library()


@register.filter
def so(value: Any, decimal_places: int | str | None = None) -> Any:
    """{{ target.value|so }} -> 329,2 ; {{ 10900|so }} -> 10.900"""
    places = None if decimal_places is None or decimal_places == "" else int(decimal_places)
    try:
        return format_number(value, places)
    except (ArithmeticError, ValueError):
        return value

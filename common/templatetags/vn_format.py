from django import template

from common.numbers import format_number

register = template.Library()


@register.filter
def so(value, decimal_places=None):
    """{{ target.value|so }} -> 329,2 ; {{ 10900|so }} -> 10.900"""
    places = int(decimal_places) if decimal_places not in (None, "") else None
    try:
        return format_number(value, places)
    except (ArithmeticError, ValueError):
        return value

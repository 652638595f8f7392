"""Numbers the Vietnamese way: 10.900 for ten thousand nine hundred, 329,2 for a decimal."""

from decimal import Decimal, InvalidOperation


class InvalidNumber(ValueError):
    pass


def format_number(value: object, decimal_places: int | None = None) -> str:
    """Format a number with '.' between thousands and ',' before decimals.

    Trailing zeros are dropped (329,20 -> 329,2) unless decimal_places is given.
    """
    if value is None or value == "":
        return ""
    # A page formats hundreds of numbers (a national dashboard about 900): no copy of a
    # Decimal, and the thousands grouped by the format mini-language.
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimal_places is not None:
        number = number.quantize(Decimal(1).scaleb(-decimal_places))
        text = f"{abs(number):f}"
    else:
        text = f"{abs(number).normalize():f}" if number != 0 else "0"
    whole, _, fraction = text.partition(".")
    result = f"{int(whole):,}".replace(",", ".")
    if fraction:
        result += "," + fraction
    return ("-" if number < 0 else "") + result


def parse_number(text: str) -> Decimal:
    """Read a number typed the Vietnamese way: '1.600', '22,2', '10.900,5'.

    A lone '.' followed by exactly three digits is a thousands separator, as
    Vietnamese offices write it; any other single '.' is read as a decimal point,
    since people also paste numbers from English software.
    """
    raw = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        raise InvalidNumber("empty")
    if "," in raw:
        whole, _, fraction = raw.rpartition(",")
        if "," in whole:
            raise InvalidNumber(raw)
        candidate = whole.replace(".", "") + "." + fraction
    elif raw.count(".") > 1:
        parts = raw.split(".")
        if not all(len(part) == 3 for part in parts[1:]):
            raise InvalidNumber(raw)
        candidate = raw.replace(".", "")
    elif "." in raw:
        whole, fraction = raw.split(".")
        candidate = whole + fraction if len(fraction) == 3 and whole.lstrip("-") else raw
    else:
        candidate = raw
    try:
        number = Decimal(candidate)
    except InvalidOperation as exc:
        raise InvalidNumber(raw) from exc
    if not number.is_finite():
        raise InvalidNumber(raw)
    return number

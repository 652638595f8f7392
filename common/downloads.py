"""What every file the application hands out has in common.

Text that users typed must never run as a formula when the file is opened, and a
Vietnamese file name must survive the browser's download dialog.
"""

import re
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XML 1.0 (so .xlsx and .docx) cannot hold. Text pasted from
# Word brings vertical tabs and form feeds as line breaks; the rest carry nothing.
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")
_UNWRITABLE = re.compile(r"[\x00-\x08\x0e-\x1f]")


def printable_text(value: str) -> str:
    """User text that an Office file can hold: stray control characters dropped."""
    return _UNWRITABLE.sub("", _LINE_BREAKS.sub("\n", value))


def set_text(cell: Any, value: Any) -> Any:
    """Put a value in an openpyxl cell; text stays text even when it starts with '='.

    openpyxl turns any string beginning with '=' into a formula. Forcing the string
    type writes it as an inline string, which Excel and LibreOffice show as typed and
    never evaluate, so "- Đã trồng" and "=HYPERLINK(...)" both read exactly as entered.
    Works for ordinary cells and for write-only cells.
    """
    if isinstance(value, str):
        value = printable_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def safe_csv_text(value: Any) -> Any:
    """For CSV, where there is no cell type: a leading apostrophe, as OWASP advises."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response

"""What every file the application hands out has in common.

Text that users typed must never run as a formula when the file is opened, and a
Vietnamese file name must survive the browser's download dialog.
"""

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .text import xml_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable_text(value: str) -> str:
    """User text that an Office file can hold (common.text.xml_safe); every writer calls it."""
    return xml_safe(value)


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

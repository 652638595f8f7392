"""Cells of an admin import or export, read and written the way Phòng Kinh tế types them.

The widgets of django-import-export that every app's Resource uses: text that stays text,
numbers typed the Vietnamese way (checked by common.figures, like the report form and the
report's Excel), text made NFC (common.text) before it is compared or stored, choices by
their Vietnamese label, dates as dd/mm/yyyy, records by what people know them by. A wrong
cell fails its row with a Vietnamese message. SafeXLSX writes the exported file cell by
cell so that no text becomes a formula.
"""

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import iterparse

import tablib
from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from .downloads import set_text
from .figures import FigureRefused, Noun, read_figure
from .numbers import format_number
from .text import clean_text

# What an admin import may hold: far more than any plan's table, far less than Excel allows.
IMPORT_MAX_ROWS = 5000
IMPORT_MAX_COLUMNS = 60
IMPORT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class WorkbookRefused(Exception):
    """A workbook refused before any cell is read; the message says why, in Vietnamese."""


def _refuse_macros(archive: zipfile.ZipFile, name: str) -> None:
    """A workbook that carries a VBA project (.xlsm, .xltm, .xlam) is not taken."""
    names = archive.namelist()
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if (
        any(item.lower().endswith("vbaproject.bin") for item in names)
        or b"macroEnabled" in types
        or name.lower().endswith((".xlsm", ".xltm", ".xlam"))
    ):
        raise WorkbookRefused(
            _(
                "Tệp có macro (.xlsm) không được nhận. Mở tệp trong Excel, chọn Lưu thành "
                "“Sổ làm việc Excel (.xlsx)” rồi tải lên lại."
            )
        )


_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet name, as workbook.xml and its relations give it."""
    names: dict[str, str] = {}
    try:
        relations = {
            element.get("Id"): (element.get("Target") or "").lstrip("/").removeprefix("xl/")
            for _event, element in iterparse(archive.open("xl/_rels/workbook.xml.rels"))
            if element.tag.endswith("}Relationship")
        }
        for _event, element in iterparse(archive.open("xl/workbook.xml")):
            if element.tag.endswith("}sheet"):
                relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
                names["xl/" + relations.get(relation, "")] = element.get("name") or ""
    except (KeyError, SyntaxError):  # not a workbook openpyxl can read; it will say so
        pass
    return names


def check_workbook(archive: zipfile.ZipFile, *, name: str, max_rows: int, max_columns: int) -> None:
    """Refuse a macro workbook, or one with a row or column beyond the bounds in any sheet.

    Streams each sheet's XML (hidden sheets too: they are parts like any other) and stops
    at the first cell, row or declared dimension out of bounds, so a hostile file costs
    milliseconds whatever it claims; memory stays flat as elements are cleared once seen.
    """
    _refuse_macros(archive, name)
    names = _sheet_names(archive)
    for part in archive.namelist():
        if not _SHEET_PART.fullmatch(part):
            continue
        try:
            for _event, element in iterparse(archive.open(part)):
                tag = element.tag.rpartition("}")[2]
                if tag in ("c", "dimension"):
                    reference = element.get("r") or element.get("ref") or ""
                    for letters, digits in _CELL_REFERENCE.findall(reference):
                        if int(digits) > max_rows or _column_number(letters) > max_columns:
                            _too_big(names.get(part, part), reference, max_rows, max_columns)
                elif tag == "row" and int(element.get("r") or 0) > max_rows:
                    _too_big(names.get(part, part), element.get("r") or "", max_rows, max_columns)
                if tag in ("c", "row"):
                    element.clear()
        except (SyntaxError, ValueError):  # damaged XML: openpyxl refuses it next
            return


def _too_big(sheet: str, where: str, max_rows: int, max_columns: int) -> None:
    raise WorkbookRefused(
        _(
            "Trang “%(sheet)s”: có dữ liệu ở ô %(cell)s, ngoài phạm vi của tệp (quá nhiều "
            "dòng hoặc cột: tối đa %(rows)s dòng, %(columns)s cột). Hãy dùng tệp tải về từ "
            "hệ thống."
        )
        % {
            "sheet": sheet,
            "cell": where[:20],
            "rows": format_number(max_rows),
            "columns": max_columns,
        }
    )


class SafeXLSX(XLSX):
    """XLSX written cell by cell: user text never becomes a formula, numbers stay numbers."""

    def create_dataset(self, in_stream: bytes) -> Any:
        """The first sheet, read with bounds: a hostile file is refused before it is read."""
        with zipfile.ZipFile(io.BytesIO(in_stream)) as archive:
            if sum(info.file_size for info in archive.infolist()) > IMPORT_MAX_UNPACKED_BYTES:
                raise WorkbookRefused(_("Tệp quá lớn khi giải nén."))
            check_workbook(
                archive, name="", max_rows=IMPORT_MAX_ROWS, max_columns=IMPORT_MAX_COLUMNS
            )
        workbook = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        rows = workbook.active.iter_rows(
            max_row=IMPORT_MAX_ROWS, max_col=IMPORT_MAX_COLUMNS, values_only=True
        )
        dataset = tablib.Dataset()
        headers = list(next(rows, ()))
        while headers and headers[-1] is None:
            headers.pop()
        dataset.headers = headers
        for row in rows:
            values = list(row[: len(headers)])
            if any(value is not None for value in values):
                dataset.append(values + [None] * (len(headers) - len(values)))
        workbook.close()
        return dataset

    def export_data(self, dataset: Any, **kwargs: Any) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (dataset.title or "Dữ liệu")[:31]
        for column, header in enumerate(dataset.headers or [], start=1):
            set_text(sheet.cell(row=1, column=column), str(header)).font = Font(bold=True)
        for row_number, row in enumerate(dataset, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column)
                if isinstance(value, str):
                    set_text(cell, value)
                elif isinstance(value, datetime):
                    cell.value = value.replace(tzinfo=None)
                else:
                    cell.value = value
                if isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class TextWidget(widgets.CharWidget):
    """Text as typed; a number Excel stored for a code such as 1.1 comes back as text."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return clean_text(super().clean(value, row, **kwargs)).strip()

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class NumberWidget(widgets.DecimalWidget):
    """A number cell, or text typed the Vietnamese way (22,2 or 1.600), as a target holds it."""

    places = 3

    def __init__(self, **kwargs: Any):
        super().__init__(coerce_to_string=False, **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        try:
            return read_figure(value, places=self.places, noun=Noun.NUMBER)
        except FigureRefused as refused:
            raise ValueError(refused.as_sentence()) from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Decimal | None:
        # 329.200 as stored reads 329.2, so the dry run shows no change where there is none.
        return None if value is None else Decimal(f"{Decimal(value).normalize():f}")


class WholeNumberWidget(NumberWidget):
    """A position, a score, a record's number: a whole number, read like any other."""

    places = 0

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:  # type: ignore[override]
        number = super().clean(value, row, **kwargs)
        return None if number is None else int(number)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value


class ChoiceWidget(widgets.Widget):
    """Shows a choice by its Vietnamese label; reads the label or the stored code.

    The label is Vietnamese even for someone reading the admin in English, so that a file
    exported by one person imports for anyone.
    """

    def __init__(self, choices: Iterable[tuple[str, str | Promise]], **kwargs: Any):
        self.choices = choices
        super().__init__(**kwargs)

    def _labels(self) -> dict[str, str]:
        with translation.override(settings.LANGUAGE_CODE):
            return {stored: str(label) for stored, label in self.choices}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = clean_text(str(value or "")).strip()
        if not text:
            return ""
        labels = self._labels()
        for stored, label in labels.items():
            if text.casefold() in {stored.casefold(), label.casefold()}:
                return stored
        raise ValueError(
            _("“%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
            % {"value": text, "choices": ", ".join(labels.values())}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self._labels().get(value, value or "")


class DateWidget(widgets.DateWidget):
    """A date cell, or text written dd/mm/yyyy as Vietnamese offices write dates."""

    def __init__(self, **kwargs: Any):
        super().__init__(format="%d/%m/%Y", coerce_to_string=False, **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if isinstance(value, datetime):  # what openpyxl reads from a date cell
            return value.date()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” không phải ngày; ghi dạng 15/03/2023.") % {"value": value}
            ) from None


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a field people know; a Vietnamese message when nothing matches."""

    def __init__(self, model: type[Model], field: str, what: str | Promise, **kwargs: Any):
        self.what = what
        super().__init__(model, field=field, **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            value = clean_text(value).strip()
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("Không có %(what)s “%(value)s”.") % {"what": self.what, "value": value}
            ) from None


class ManyWidget(widgets.ManyToManyWidget):
    """Several records in one cell, by slug or name; every one must exist.

    get_queryset says where to look, as ForeignKeyWidget's does for one record.
    """

    def __init__(self, model: type[Model], field: str, what: str | Promise, separator: str = ","):
        self.what = what
        super().__init__(model, separator=separator, field=field)

    def get_queryset(self, row: Any) -> QuerySet:
        return self.model.objects.all()

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> QuerySet:
        text = clean_text(str(value or "")).strip()
        if not text:
            return self.model.objects.none()
        wanted = [part.strip() for part in text.split(self.separator) if part.strip()]
        found = self.get_queryset(row).filter(**{f"{self.field}__in": wanted})
        known = {getattr(item, self.field) for item in found}
        missing = [item for item in wanted if item not in known]
        if missing:
            raise ValueError(
                _("Không có %(what)s: %(missing)s.")
                % {"what": self.what, "missing": ", ".join(missing)}
            )
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        items = sorted(getattr(item, self.field) for item in value.all())
        return (self.separator + " " if self.separator != "," else ",").join(items)

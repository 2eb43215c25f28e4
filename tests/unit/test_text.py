"""Values from events are shown as data: no terminal control, no bidi tricks, no spreadsheet formulas."""

import csv
import io

import pytest

from incidents import register
from incidents.text import spreadsheet_cell, visible


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

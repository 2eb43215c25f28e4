"""The data inventory of 24 Online: valid, mapped to the assessment vocabulary, ready for BreachFacts."""

from datetime import UTC, datetime

import pytest

from datalek.rules import load_inventory
from incidents.assessment import BreachNature, DataCategory, ProtectionMethod, SubjectCount, SubjectGroup
from incidents.inventory import InvalidInventory, Inventory
from incidents.rules.examples import event_from_fields

INVENTORY = load_inventory()
AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_the_shipped_inventory_lists_the_systems_of_the_privacy_statement():
    ids = {a.id for a in INVENTORY.assets}
    assert {"klantportaal", "crm", "facturatie", "gespreksopnames", "mail"} <= ids
    assert INVENTORY.organisation == "24 Online"
    portal = INVENTORY.get("klantportaal")
    assert {DataCategory.ACCESS_CREDENTIALS, DataCategory.EMAIL, DataCategory.IP_ADDRESS} <= portal.data_categories
    assert SubjectGroup.MINORS in portal.subject_groups  # visitors under 16 cannot be ruled out
    assert DataCategory.BANK_ACCOUNT in INVENTORY.get("facturatie").data_categories
    assert DataCategory.CALL_RECORDING in INVENTORY.get("gespreksopnames").data_categories


def test_prefill_unions_categories_and_gives_a_subject_range():
    pre = INVENTORY.prefill(["klantportaal", "facturatie", None, "unknown-system"])
    assert pre.assets == ("klantportaal", "facturatie")
    assert DataCategory.BANK_ACCOUNT in pre.data_categories and DataCategory.IP_ADDRESS in pre.data_categories
    assert pre.data_subjects == SubjectCount(8000, 24000)  # overlapping customers: max of minima, sum of maxima
    assert pre.protection.method is ProtectionMethod.ENCRYPTED


def test_prefill_gives_breach_facts_for_the_assessment():
    facts = INVENTORY.prefill(["mail"]).facts(["confidentiality", "availability"])
    assert facts.nature == {BreachNature.CONFIDENTIALITY, BreachNature.AVAILABILITY_TEMPORARY}
    assert facts.protection.method is ProtectionMethod.NONE  # mail is not encrypted at rest
    assert INVENTORY.prefill(["no-such-system"]).facts(["confidentiality"]) is None


def test_events_map_to_assets_by_id_alias_or_host_pattern():
    def asset(**fields):
        return INVENTORY.asset_of(event_from_fields(fields, AT, "e"))
    assert asset(**{"datalek.asset": "klantportaal"}) == "klantportaal"
    assert asset(**{"datalek.asset": "arn:aws:s3:::24online-exports"}) == "documentopslag"
    assert asset(**{"host.name": "CRM-DB-01"}) == "crm"
    assert asset(**{"host.name": "build-runner-3"}) == "build"
    assert asset(**{"host.name": "fs-archief-02"}) == "fs-archief-02"  # not listed: its own host name


def test_an_asset_the_inventory_lacks_may_hold_personal_data():
    assert INVENTORY.holds_personal_data("crm")
    assert INVENTORY.holds_personal_data("fs-archief-02") and not INVENTORY.knows("fs-archief-02")
    assert INVENTORY.holds_personal_data(None)  # no host at all: nothing says it holds none


def test_a_listed_asset_without_data_categories_holds_no_personal_data():
    assert INVENTORY.knows("build") and INVENTORY.knows("buildserver")
    assert not INVENTORY.holds_personal_data("build") and not INVENTORY.holds_personal_data("buildserver")


def test_unknown_lists_the_assets_the_inventory_lacks_once_each():
    seen = ["crm", "fs-archief-02", None, "build", "FS-X", "fs-archief-02", "salesforce"]
    assert INVENTORY.unknown(seen) == ["FS-X", "fs-archief-02"]


def test_an_unknown_asset_prefills_no_categories():
    pre = INVENTORY.prefill(["fs-archief-02"])
    assert pre.assets == () and not pre.data_categories and not pre.special_categories
    assert pre.facts(["availability"]) is None


@pytest.mark.parametrize(("asset", "field"), [
    ({"id": "x", "name": "X", "owner": "me", "data_categories": ["shoe_size"]}, "data_categories"),
    ({"id": "x", "name": "X"}, "owner"),
    ({"id": "x", "name": "X", "owner": "me", "data_subjects": {"min": 5, "max": 1}}, "data_subjects"),
    ({"id": "x", "name": "X", "owner": "me", "colour": "red"}, "colour"),
])
def test_an_invalid_inventory_names_file_asset_and_field(asset, field):
    with pytest.raises(InvalidInventory) as caught:
        Inventory.from_dict({"organisation": "O", "assets": [asset]}, source="inv.yml")
    assert str(caught.value).startswith("inv.yml: assets[0] (x).") and field in str(caught.value)

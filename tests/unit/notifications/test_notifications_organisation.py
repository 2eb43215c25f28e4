from pathlib import Path

import pytest

from notifications.config import DEFAULT_ORGANISATION_FILE, load_organisation
from notifications.errors import ConfigError
from notifications.organisation import Organisation


def test_the_shipped_file_holds_24_onlines_details_from_its_privacy_statement():
    org = load_organisation()
    assert DEFAULT_ORGANISATION_FILE.name == "organisation-24online.yml"
    assert (org.name, org.kvk) == ("24 Online", "87951894")
    assert org.contact.email == "legal@24-online.nl" and org.subject_contact.email == "administratie@24-online.nl"
    assert org.address is None and org.reporter.is_empty  # not in the statement: left for the controller


def test_unknown_keys_and_bad_values_are_refused_with_the_file_named(tmp_path: Path):
    bad = tmp_path / "org.yml"
    bad.write_text("name: X\nkvkk: '1'\n")
    with pytest.raises(ConfigError, match=r"org\.yml.*unknown key 'kvkk'"):
        load_organisation(bad)
    bad.write_text("name: X\nreporter: {naam: Y}\n")
    with pytest.raises(ConfigError, match="reporter.naam"):
        load_organisation(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_organisation(tmp_path / "absent.yml")


def test_name_is_required():
    with pytest.raises(ConfigError, match="'name' is required"):
        Organisation.from_mapping({"kvk": "1"})

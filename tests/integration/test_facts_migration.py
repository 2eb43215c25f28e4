"""Migration 0012: stored facts documents move to the shape with groups and back, on SQLite and PostgreSQL.

Upgrading gives what reading the old document gives (``BreachFacts.from_dict``), so a stored document and a
user's old file end up the same; downgrading gives the first shape back (groups merged)."""

import json
from typing import Any

import pytest
import sqlalchemy as sa

from incidents import services
from incidents.assessment import BreachFacts
from incidents.persistence import database
from incidents.persistence.uow import SqlUnitOfWork
from tests.unit.test_services import HOUR, NOW, detection

OLD_TRUSTED: dict[str, Any] = {  # the first shape, as its to_dict wrote it (every field present)
    "nature": ["confidentiality"], "incident_type": "email_wrong_recipient",
    "data_categories": ["email", "name"], "special_categories": ["health"], "credentials_access": [],
    "dpc_adjustments": [{"factor": "nature", "steps": -1, "note": "little insight"}],
    "data_subjects": {"min": 2, "max": 5}, "records": 7, "subject_groups": ["patients"],
    "identifiability": "maximum", "protection": {"method": "none", "state_of_the_art": False, "key_safe": False},
    "backup_available": None, "restore_hours": None, "altered_data_misused": False, "malicious": False,
    "recipients": "trusted", "cross_border": False, "countries": [], "measures": ["data_retrieved_or_deleted"],
    "measures_description": "", "high_risk_mitigated": False, "disproportionate_effort": False,
}
OLD_UNKNOWN: dict[str, Any] = {"nature": ["availability_temporary"], "data_categories": ["name"],
                               "data_subjects": None, "subject_groups": [], "special_categories": [],
                               "recipients": "none", "dpc_adjustments": []}
TWO_GROUPS: dict[str, Any] = {  # the new shape; downgrading merges it
    "nature": ["confidentiality"],
    "groups": [{"subject_groups": ["customers"], "data_subjects": 13, "data_categories": ["email", "name"],
                "special_categories": []},
               {"subject_groups": ["customers"], "data_subjects": {"min": 2, "max": 3},
                "data_categories": ["insurance", "name"], "special_categories": ["health"]}],
    "recipients": {"received": "known", "trusted": True, "deletion_confirmed": True},
    "dpc_adjustments": [{"factor": "insight", "steps": -1}], "measures": ["contained"],
    "service_effect": None,
}


def _facts(engine: sa.Engine) -> Any:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT facts FROM incidents")).scalar_one()


def _store(engine: sa.Engine, facts: dict[str, Any]) -> None:
    table = sa.table("incidents", sa.column("facts", sa.JSON()))
    with engine.begin() as conn:
        conn.execute(table.update().values(facts=facts))


@pytest.fixture
def engine(database_url):
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    services.record_detection(SqlUnitOfWork(database.session_factory(engine)), detection("d1"), now=NOW,
                              correlation_window=HOUR)
    database.downgrade(engine, "0011")
    yield engine
    engine.dispose()


def _json(value: Any) -> Any:
    """SQLite hands the JSON column back as text through a plain SELECT."""
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.parametrize("old", [OLD_TRUSTED, OLD_UNKNOWN], ids=["trusted-recipient", "count-unknown"])
def test_upgrade_gives_what_reading_the_old_document_gives_and_downgrade_gives_it_back(engine, old):
    _store(engine, old)
    database.upgrade(engine)
    stored = _json(_facts(engine))
    assert BreachFacts.from_dict(stored) == BreachFacts.from_dict(old) and "groups" in stored
    if old is OLD_TRUSTED:  # a document as the first shape's to_dict wrote it: exactly what to_dict writes now
        assert stored == BreachFacts.from_dict(old).to_dict()
    with SqlUnitOfWork(database.session_factory(engine)) as uow:
        [incident] = uow.incidents.list()
    assert incident.facts == BreachFacts.from_dict(old)
    database.downgrade(engine, "0011")
    back = _json(_facts(engine))
    assert {k: back[k] for k in old} == old


def test_downgrade_merges_the_groups_into_the_first_shape(engine):
    database.upgrade(engine)
    _store(engine, TWO_GROUPS)
    database.downgrade(engine, "0011")
    old = _json(_facts(engine))
    assert (old["data_categories"], old["special_categories"]) == (["email", "financial_other", "name"], ["health"])
    assert (old["subject_groups"], old["data_subjects"]) == (["customers"], {"min": 15, "max": 16})
    assert old["recipients"] == "trusted" and "data_retrieved_or_deleted" in old["measures"]
    assert old["dpc_adjustments"] == [{"factor": "nature", "steps": -1}]
    assert "groups" not in old and "service_effect" not in old


def test_an_incident_without_facts_stays_without(engine):
    database.upgrade(engine)
    assert _facts(engine) is None

"""Every shipped rule fires on its positive example and stays silent on its negative one.

The examples live next to each rule in datalek/rules/*.yml (``examples:``); each runs through the same
engine as the stream, alone (so another rule cannot hide a miss) and with the shipped data inventory.
"""

import pytest

from datalek.rules import DEFAULT_RULES, load_inventory, load_rules
from datalek.rules.loader import documents, rule_files
from incidents.rules import Engine, rule_from_dict
from incidents.rules.examples import examples_of

INVENTORY = load_inventory()
REQUIRED = {  # the rule set issue 6 asks for, by id
    "auth.repeated_failures", "auth.password_spraying", "auth.stuffing_then_success", "data.mass_access",
    "data.export_after_hours", "access.denied_burst", "iam.privilege_then_access", "malware.personal_data_host",
    "dlp.external_mail", "storage.made_public", "data.mass_deletion", "device.lost_or_stolen",
    "auth.impossible_travel",
}


def shipped_documents():
    for path in rule_files(DEFAULT_RULES):
        for doc in documents(path, path.read_text()):
            yield pytest.param(path, doc, id=doc["id"])


@pytest.mark.parametrize(("path", "doc"), list(shipped_documents()))
def test_shipped_rule_fires_on_its_positive_example_and_not_on_its_negative_one(path, doc):
    rule = rule_from_dict(doc, source=str(path))
    examples = {e.name: e for e in examples_of(doc, source=str(path))}
    assert set(examples) == {"positive", "negative"}, "every shipped rule needs both examples"
    assert rule.description and rule.breach_type
    fired = Engine([rule], inventory=INVENTORY).detect({}, examples["positive"].events)
    assert len(fired) >= examples["positive"].fires and {d.rule_id for d in fired} == {rule.id}
    assert Engine([rule], inventory=INVENTORY).detect({}, examples["negative"].events) == []


def test_the_shipped_rule_set_covers_the_personal_data_breach_patterns():
    assert REQUIRED <= {r.id for r in load_rules()}


def test_detection_summaries_never_contain_the_group_values():
    for param in shipped_documents():
        path, doc = param.values
        rule = rule_from_dict(doc, source=str(path))
        [positive] = [e for e in examples_of(doc) if e.name == "positive"]
        for d in Engine([rule], inventory=INVENTORY).detect({}, positive.events):
            if not d.entity.startswith("datalek.asset="):  # a system name is no personal data
                assert d.entity.split("=", 1)[-1] not in d.summary, (rule.id, d.summary)

"""assess(): facts -> severity + proposal, as the JSON that `datalek assess FACTS.json --json` prints."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from incidents.assessment import Assessment, BreachFacts, Threshold, assess

Make = Callable[..., BreachFacts]


def test_assessment_to_dict_is_json_ready_with_severity_proposal_and_rationale(make_facts: Make) -> None:
    d = assess(make_facts(recipients="unknown", malicious=True)).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert set(d) == {"ap_answer", "severity", "proposal", "threshold", "facts"}
    assert {"score", "level", "components", "criteria"} <= set(d["severity"])
    assert all(c["reason"] for c in d["severity"]["components"].values())
    assert {"notify_regulator", "notify_subjects", "rationale"} <= set(d["proposal"])
    assert d["ap_answer"]["question"] == "9.3"


def test_assessment_echoes_the_threshold_it_used(make_facts: Make) -> None:
    d = assess(make_facts(), threshold=Threshold(large_scale_subjects=10)).to_dict()
    assert d["threshold"]["large_scale_subjects"] == 10


def test_assessment_is_deterministic(make_facts: Make) -> None:
    facts = make_facts(data_categories=["bank_account", "name"], recipients="known", data_subjects=300)
    assert assess(facts) == assess(facts)
    assert isinstance(assess(facts), Assessment)


def test_a_case_file_assesses_end_to_end() -> None:
    doc = json.loads((Path(__file__).parent / "cases" / "edpb-01-2021-case-11.json").read_text("utf-8"))
    d = assess(BreachFacts.from_dict(doc["facts"])).to_dict()
    assert d["proposal"]["notify_subjects"] is True
    assert "identity_fraud_exposure" in [f["code"] for f in d["proposal"]["rationale"]]

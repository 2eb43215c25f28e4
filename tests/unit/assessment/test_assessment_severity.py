"""ENISA severity: SE = DPC x EI + CB, the four levels, the AP answer, the criteria outside the formula."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from incidents.assessment import ApSeverity, BreachFacts, SeverityLevel, assess_severity
from incidents.assessment.severity import level_for, score_cb, score_dpc

EXAMPLES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "enisa_examples.json").read_text("utf-8")
)
DPC_ONLY = [e for e in EXAMPLES if set(e["expected"]) == {"dpc"}]
FULL_SE = [e for e in EXAMPLES if "se" in e["expected"]]
Make = Callable[..., BreachFacts]


def _facts(example: dict[str, Any]) -> BreachFacts:
    return BreachFacts.from_dict({"nature": ["confidentiality"], **example["facts"]})


@pytest.mark.parametrize("example", DPC_ONLY, ids=[e["id"] for e in DPC_ONLY])
def test_enisa_dpc_example_reproduces_its_score(example: dict[str, Any]) -> None:
    assert score_dpc(_facts(example)).score == example["expected"]["dpc"]


@pytest.mark.parametrize("example", FULL_SE, ids=[e["id"] for e in FULL_SE])
def test_enisa_se_example_reproduces_its_components_score_and_level(example: dict[str, Any]) -> None:
    severity = assess_severity(_facts(example))
    expected = example["expected"]
    assert (severity.dpc.score, severity.ei.score, severity.cb.score) == (
        expected["dpc"],
        expected["ei"],
        expected["cb"],
    )
    assert severity.score == expected["se"]
    assert severity.level.value == expected["level"]


def test_every_reference_example_is_in_the_fixture() -> None:
    assert len(EXAMPLES) == 40 and len(DPC_ONLY) + len(FULL_SE) == 40


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0.25, "low"),
        (1.99, "low"),
        (2.0, "medium"),
        (2.99, "medium"),
        (3.0, "high"),
        (3.75, "high"),
        (4.0, "very_high"),
        (6.0, "very_high"),
    ],
)
def test_level_bands_follow_enisa(score: float, level: str) -> None:
    assert level_for(score) is SeverityLevel(level)


@pytest.mark.parametrize(
    ("level", "answer"),
    [("low", "verwaarloosbaar"), ("medium", "beperkt"), ("high", "aanzienlijk"), ("very_high", "zeer_groot")],
)
def test_each_level_maps_to_one_ap_severity_answer(make_facts: Make, level: str, answer: str) -> None:
    by_level = {
        "low": make_facts(),
        "medium": make_facts(data_categories=["purchase_history"], recipients="known"),
        "high": make_facts(data_categories=["bank_account"], recipients="known"),
        "very_high": make_facts(special_categories=["health"], recipients="unknown"),
    }
    severity = assess_severity(by_level[level])
    assert severity.level.value == level and severity.ap_answer is ApSeverity(answer)


def test_ap_answer_texts_match_the_form() -> None:
    assert [a.text_nl for a in ApSeverity] == ["Verwaarloosbaar", "Beperkt", "Aanzienlijk", "Zeer groot"]


def test_every_component_carries_a_reason(make_facts: Make) -> None:
    severity = assess_severity(make_facts(recipients="unknown", malicious=True))
    for component in (severity.dpc, severity.ei, severity.cb, *severity.cb.parts, *severity.dpc.parts):
        assert component.reason.strip()
    assert [p.code for p in severity.cb.parts] == [
        "cb.confidentiality",
        "cb.integrity",
        "cb.availability",
        "cb.malicious",
    ]


def test_highest_data_type_sets_the_basic_score(make_facts: Make) -> None:
    dpc = score_dpc(make_facts(data_categories=["name", "location", "bank_account"]))
    assert dpc.score == 3 and "financial data (bank_account)" in dpc.reason


def test_credentials_take_the_type_of_what_they_open(make_facts: Make) -> None:
    opened = make_facts(data_categories=["access_credentials"], credentials_access=["bank_account"])
    unknown_scope = make_facts(data_categories=["access_credentials"])
    assert score_dpc(opened).score == 3
    assert score_dpc(unknown_scope).score == 1 and "not given" in score_dpc(unknown_scope).reason


def test_dpc_stays_within_one_to_four(make_facts: Make) -> None:
    raised = make_facts(special_categories=["health"], dpc_adjustments=[{"factor": "volume", "steps": 2}])
    lowered = make_facts(dpc_adjustments=[{"factor": "inaccuracy", "steps": -3}])
    assert score_dpc(raised).score == 4 and "bounded" in score_dpc(raised).reason
    assert score_dpc(lowered).score == 1


def test_minors_raise_the_dpc_one_step_by_default(make_facts: Make) -> None:
    assert score_dpc(make_facts(subject_groups=["minors"])).score == 2


def test_analyst_setting_for_individuals_replaces_the_default_step(make_facts: Make) -> None:
    facts = make_facts(subject_groups=["vulnerable"], dpc_adjustments=[{"factor": "individuals", "steps": 3}])
    assert score_dpc(facts).score == 4


def test_unassessed_identifiability_counts_as_maximum(make_facts: Make) -> None:
    severity = assess_severity(make_facts(identifiability=None))
    assert severity.ei.score == 1.0 and "not assessed" in severity.ei.reason


@pytest.mark.parametrize(
    ("recipients", "score"), [("none", 0), ("trusted", 0.25), ("known", 0.25), ("unknown", 0.5)]
)
def test_loss_of_confidentiality_is_graded_by_recipients(
    make_facts: Make, recipients: str, score: float
) -> None:
    assert score_cb(make_facts(recipients=recipients)).parts[0].score == score


@pytest.mark.parametrize(
    ("overrides", "score"),
    [
        ({"nature": ["availability_temporary"], "backup_available": True, "restore_hours": 2}, 0),
        ({"nature": ["availability_temporary"], "backup_available": True, "restore_hours": 30}, 0.25),
        ({"nature": ["availability_temporary"], "backup_available": False}, 0.25),
        ({"nature": ["availability_permanent"]}, 0.5),
    ],
)
def test_loss_of_availability_is_graded_by_restore(
    make_facts: Make, overrides: dict[str, Any], score: float
) -> None:
    assert score_cb(make_facts(**overrides)).parts[2].score == score


@pytest.mark.parametrize(
    ("overrides", "score"),
    [
        ({"altered_data_misused": False}, 0),
        ({"altered_data_misused": True, "backup_available": True}, 0.25),
        ({"altered_data_misused": True, "backup_available": False}, 0.5),
    ],
)
def test_loss_of_integrity_is_graded_by_misuse_and_recovery(
    make_facts: Make, overrides: dict[str, Any], score: float
) -> None:
    assert score_cb(make_facts(nature=["integrity"], **overrides)).parts[1].score == score


def test_malicious_intent_adds_half_a_point(make_facts: Make) -> None:
    assert assess_severity(make_facts(malicious=True)).score - assess_severity(make_facts()).score == 0.5


def test_unintelligibility_stays_outside_the_formula(make_facts: Make) -> None:
    plain = assess_severity(make_facts(recipients="unknown"))
    safe = {"method": "encrypted", "state_of_the_art": True, "key_safe": True, "effective": True}
    encrypted = assess_severity(make_facts(recipients="unknown", protection=safe))
    assert encrypted.score == plain.score
    assert encrypted.unintelligible.applies and not plain.unintelligible.applies


def test_number_of_individuals_stays_outside_the_formula(make_facts: Make) -> None:
    few, many = (
        assess_severity(make_facts(data_subjects=3)),
        assess_severity(make_facts(data_subjects=50_000)),
    )
    assert few.score == many.score
    assert many.large_scale.applies and not few.large_scale.applies


def test_large_scale_uses_the_top_of_a_range(make_facts: Make) -> None:
    severity = assess_severity(make_facts(data_subjects={"min": 10, "max": 150}))
    assert severity.large_scale.applies and "10-150" in severity.large_scale.reason


def test_severity_to_dict_is_json_ready(make_facts: Make) -> None:
    d = assess_severity(make_facts(recipients="known")).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert set(d["components"]) == {"dpc", "ei", "cb"} and d["formula"] == "SE = DPC x EI + CB"

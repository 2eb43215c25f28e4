"""BreachFacts: the JSON facts file reads strictly, names the bad field, and round-trips."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.assessment import (
    AssessmentError,
    BreachFacts,
    BreachNature,
    DataCategory,
    InvalidFacts,
    Protection,
    ProtectionMethod,
    SubjectCount,
)

FULL: dict[str, Any] = {
    "nature": ["confidentiality", "integrity", "availability_temporary"],
    "incident_type": "hacking_malware_phishing",
    "data_categories": [
        "name",
        "bank_account",
        "access_credentials",
        "call_recording",
        "business_registration",
    ],
    "special_categories": ["health"],
    "credentials_access": ["purchase_history"],
    "dpc_adjustments": [{"factor": "volume", "steps": 1, "note": "ten years of orders"}],
    "data_subjects": {"min": 120, "max": 400},
    "records": 5000,
    "subject_groups": ["customers", "minors"],
    "identifiability": "significant",
    "protection": {"method": "hashed", "state_of_the_art": True, "key_safe": False},
    "backup_available": True,
    "restore_hours": 6.5,
    "altered_data_misused": True,
    "malicious": True,
    "recipients": "unknown",
    "cross_border": True,
    "countries": ["BE", "DE"],
    "measures": ["contained", "credentials_reset"],
    "measures_description": "passwords reset, firewall rule added",
    "high_risk_mitigated": False,
    "disproportionate_effort": False,
}


def test_facts_file_round_trips_through_to_dict() -> None:
    facts = BreachFacts.from_dict(FULL)
    assert BreachFacts.from_dict(facts.to_dict()) == facts


def test_to_dict_gives_sorted_stable_values() -> None:
    d = BreachFacts.from_dict(FULL).to_dict()
    assert d["nature"] == ["availability_temporary", "confidentiality", "integrity"]
    assert d["groups"] == [{"subject_groups": ["customers", "minors"], "data_subjects": {"min": 120, "max": 400},
                            "data_categories": ["access_credentials", "bank_account", "business_registration",
                                                "call_recording", "name"], "special_categories": ["health"]}]
    assert d["protection"] == {"method": "hashed", "state_of_the_art": True, "key_safe": False}


def test_only_nature_and_a_category_are_required() -> None:
    facts = BreachFacts.from_dict({"nature": ["availability_permanent"], "data_categories": ["unknown"]})
    assert facts.nature == {BreachNature.AVAILABILITY_PERMANENT}
    assert facts.data_subjects is None and facts.identifiability is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, SubjectCount(7, 7)), ({"exact": 7}, SubjectCount(7, 7)), ({"min": 3, "max": 9}, SubjectCount(3, 9))],
)
def test_number_of_data_subjects_is_exact_or_a_range(value: Any, expected: SubjectCount) -> None:
    facts = BreachFacts.from_dict(
        {"nature": ["confidentiality"], "data_categories": ["name"], "data_subjects": value}
    )
    assert facts.data_subjects == expected


def test_exact_count_is_written_back_as_an_integer() -> None:
    assert SubjectCount.exact(12).to_json() == 12


def test_protection_renders_data_unintelligible_only_when_strong_key_safe_and_effective() -> None:
    assert Protection(
        ProtectionMethod.ENCRYPTED, state_of_the_art=True, key_safe=True, effective=True
    ).renders_unintelligible
    assert not Protection(
        ProtectionMethod.ENCRYPTED, state_of_the_art=True, key_safe=False, effective=True
    ).renders_unintelligible
    assert not Protection(
        ProtectionMethod.HASHED, state_of_the_art=False, key_safe=True, effective=True
    ).renders_unintelligible


def test_protection_that_did_not_protect_against_this_breach_renders_nothing_unintelligible() -> None:
    # encryption at rest, data read through a taken-over account: the FG answers "not effective"
    taken_over = Protection(ProtectionMethod.ENCRYPTED, state_of_the_art=True, key_safe=True, effective=False)
    assert not taken_over.renders_unintelligible
    # not answered yet (e.g. only the inventory's "encrypted at rest"): never lowers the risk
    assert not Protection(ProtectionMethod.ENCRYPTED, state_of_the_art=True, key_safe=True).renders_unintelligible


def test_effectiveness_reads_and_writes_and_needs_a_method() -> None:
    facts = BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": ["name"],
                                   "protection": {"method": "encrypted", "effective": False}})
    assert facts.protection.effective is False
    assert facts.to_dict()["protection"] == {"method": "encrypted", "state_of_the_art": False, "key_safe": False,
                                             "effective": False}
    assert BreachFacts.from_dict(facts.to_dict()) == facts
    unanswered = BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": ["name"]})
    assert "effective" not in unanswered.to_dict()["protection"]
    with pytest.raises(InvalidFacts, match="protection.effective"):
        BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": ["name"],
                               "protection": {"effective": True}})


def test_24_online_data_are_expressible() -> None:
    held = [
        "name",
        "job_title",
        "address",
        "phone",
        "business_registration",
        "customer_reference",
        "bank_account",
        "access_credentials",
        "ip_address",
        "device_data",
        "call_recording",
        "email",
        "bsn",
    ]
    facts = BreachFacts.from_dict({"nature": ["confidentiality"], "data_categories": held})
    assert DataCategory.CALL_RECORDING in facts.data_categories


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"data_categories": ["name"]}, "nature", "required"),
    ({"nature": [], "data_categories": ["name"]}, "nature", "at least one"),
    ({"nature": ["confidentiality"]}, "groups", "at least one group"),
    ({"nature": ["leak"], "data_categories": ["name"]}, "nature[0]", "'leak' is not one of"),
    ({"nature": "confidentiality", "data_categories": ["name"]}, "nature", "expected a list"),
    ({"nature": ["confidentiality"], "data_categories": ["name"], "natrue": []}, "natrue", "unknown field"),
    (
        {"nature": ["confidentiality"], "data_categories": ["name", "shoe_size"]},
        "data_categories[1]",
        "not one of",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "malicious": "yes"},
        "malicious",
        "true or false",
    ),
    ({"nature": ["confidentiality"], "data_categories": ["name"], "records": -1}, "records", "negative"),
    ({"nature": ["confidentiality"], "data_categories": ["name"], "records": True}, "records", "integer"),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "restore_hours": "4"},
        "restore_hours",
        "number",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "data_subjects": {"min": 9, "max": 3}},
        "data_subjects",
        "min <= max",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "data_subjects": {"min": 9}},
        "data_subjects",
        "both 'min' and 'max'",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "data_subjects": {"max": "x", "min": 1}},
        "data_subjects.max",
        "integer",
    ),
    (
        {"nature": ["integrity"], "data_categories": ["name"], "recipients": "known"},
        "recipients",
        "confidentiality",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "altered_data_misused": True},
        "altered_data_misused",
        "integrity",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "credentials_access": ["bank_account"]},
        "credentials_access",
        "access_credentials",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "protection": {"method": "rot13"}},
        "protection.method",
        "not one of",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "protection": {"key_safe": True}},
        "protection.method",
        "need a protection method",
    ),
    (
        {
            "nature": ["confidentiality"],
            "data_categories": ["name"],
            "dpc_adjustments": [{"factor": "public_availability", "steps": 1}],
        },
        "dpc_adjustments[0].steps",
        "factor 'public_availability' can only lower the score: steps -3..-1",
    ),
    (
        {
            "nature": ["confidentiality"],
            "data_categories": ["name"],
            "dpc_adjustments": [{"factor": "volume", "steps": 5}],
        },
        "dpc_adjustments[0].steps",
        "steps must be 1..3",
    ),
    (
        {
            "nature": ["confidentiality"],
            "data_categories": ["name"],
            "dpc_adjustments": [{"factor": "volume", "steps": 1}, {"factor": "volume", "steps": 2}],
        },
        "dpc_adjustments",
        "at most once",
    ),
    (
        {"nature": ["confidentiality"], "data_categories": ["name"], "countries": ["BE"]},
        "countries",
        "cross_border",
    ),
    (
        {
            "nature": ["confidentiality"],
            "data_categories": ["name"],
            "cross_border": True,
            "countries": ["Belgium"],
        },
        "countries[0]",
        "alpha-2",
    ),
]


@pytest.mark.parametrize(("doc", "field", "message"), BAD, ids=[f"{f}:{m}" for _, f, m in BAD])
def test_invalid_facts_name_the_field(doc: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InvalidFacts) as caught:
        BreachFacts.from_dict(doc)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{field}: ")


def test_facts_file_must_be_an_object() -> None:
    with pytest.raises(InvalidFacts, match="facts: expected an object"):
        BreachFacts.from_dict(["confidentiality"])  # type: ignore[arg-type]


def test_invalid_facts_belong_to_the_assessment_error_hierarchy() -> None:
    assert issubclass(InvalidFacts, AssessmentError)


def test_problems_lists_every_problem_at_once_and_none_for_facts_from_dict_accepts():
    from incidents.assessment.facts import problems

    bad = {"nature": [], "data_categories": ["name"], "recipients": "unknown", "altered_data_misused": True,
           "countries": ["BE"], "records": -1}
    assert sorted(p.field for p in problems(bad)) == ["altered_data_misused", "countries", "nature", "recipients",
                                                      "records"]
    unreadable = {"nature": ["melted"], "records": "many", "colour": "red"}
    assert sorted(p.field for p in problems(unreadable)) == ["colour", "groups", "nature[0]", "records"]
    good = {"nature": ["confidentiality"], "data_categories": ["name"], "recipients": "known"}
    assert problems(good) == () and BreachFacts.from_dict(good).recipients.received.value == "known"

"""The richer facts shape (issue 13 item 7): groups of data subjects, service effect (AP 9.1), insurance data,
recipient facts, annotations, the renamed ENISA factor, errors that state what is allowed; and the old shape,
still accepted and converted."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.assessment import (
    BreachFacts,
    DataCategory,
    DpcFactor,
    InvalidFacts,
    Recipients,
    ServiceOutage,
    SpecialCategory,
    SubjectCount,
    SubjectGroup,
    assess,
)
from incidents.assessment.facts import problems

SEEN = {"nature": ["confidentiality"], "identifiability": "maximum"}


def group(*categories: str, n: int | None = None, kinds: tuple[str, ...] = (), special: tuple[str, ...] = ()):
    """One entry of ``groups``."""
    return {"subject_groups": list(kinds), "data_subjects": n, "data_categories": list(categories),
            "special_categories": list(special)}


# --- reading: groups -------------------------------------------------------------------------------------------

def test_special_data_of_2_of_15_customers_is_two_groups_and_the_total_adds_them() -> None:
    facts = BreachFacts.from_dict({**SEEN, "groups": [
        group("name", "email", n=13, kinds=("customers",)),
        group("name", "email", n=2, kinds=("customers",), special=("health",)),
    ]})
    assert facts.data_subjects == SubjectCount.exact(15)
    assert [g.special_categories for g in facts.groups] == [frozenset(), {SpecialCategory.HEALTH}]
    assert facts.special_categories == {SpecialCategory.HEALTH}
    assert facts.subject_groups == {SubjectGroup.CUSTOMERS}


def test_a_range_and_an_unknown_count_make_the_total_a_range_or_unknown() -> None:
    ranged = BreachFacts.from_dict({**SEEN, "groups": [group("name", n=3), group("email", n={"min": 1, "max": 9})]})
    assert ranged.data_subjects == SubjectCount(4, 12)
    unknown = BreachFacts.from_dict({**SEEN, "groups": [group("name", n=3), group("email")]})
    assert unknown.data_subjects is None


def test_a_document_of_the_old_shape_reads_as_one_group() -> None:
    old = {**SEEN, "data_categories": ["name", "email"], "special_categories": ["health"],
           "subject_groups": ["patients"], "data_subjects": {"min": 5, "max": 8}}
    new = {**SEEN, "groups": [group("name", "email", n={"min": 5, "max": 8}, kinds=("patients",),
                                    special=("health",))]}
    assert BreachFacts.from_dict(old) == BreachFacts.from_dict(new)
    assert BreachFacts.from_dict(old).to_dict()["groups"] == [
        {"subject_groups": ["patients"], "data_subjects": {"min": 5, "max": 8},
         "data_categories": ["email", "name"], "special_categories": ["health"]}]
    assert "data_categories" not in BreachFacts.from_dict(old).to_dict()


def test_old_fields_next_to_groups_are_refused() -> None:
    with pytest.raises(InvalidFacts, match="data_subjects: give the categories and counts inside 'groups'"):
        BreachFacts.from_dict({**SEEN, "groups": [group("name")], "data_subjects": 3})


# --- reading: the other new fields -------------------------------------------------------------------------------

def test_recipient_facts_read_and_write_and_the_old_strings_still_read() -> None:
    facts = BreachFacts.from_dict({**SEEN, "groups": [group("name")],
                                   "recipients": {"received": "known", "trusted": True, "deletion_confirmed": True}})
    assert facts.recipients.contained and facts.recipients.received is Recipients.KNOWN
    assert facts.to_dict()["recipients"] == {"received": "known", "trusted": True, "deletion_confirmed": True}
    assert BreachFacts.from_dict(facts.to_dict()) == facts
    assert BreachFacts.from_dict({**SEEN, "groups": [group("name")], "recipients": "unknown"}).recipients.received \
        is Recipients.UNKNOWN


@pytest.mark.parametrize(("measures", "confirmed"), [(["data_retrieved_or_deleted"], True), (["contained"], False)])
def test_old_trusted_recipient_is_confirmed_deleted_only_when_the_measures_said_so(measures, confirmed) -> None:
    facts = BreachFacts.from_dict({**SEEN, "data_categories": ["name"], "recipients": "trusted",
                                   "measures": measures})
    assert (facts.recipients.received, facts.recipients.trusted) == (Recipients.KNOWN, True)
    assert facts.recipients.deletion_confirmed is confirmed


def test_service_effect_reads_and_writes() -> None:
    facts = BreachFacts.from_dict({"nature": ["availability_temporary"], "groups": [group("name")],
                                   "service_effect": {"outage": "temporary", "essential": True, "hours": 30}})
    assert facts.service_effect is not None and facts.service_effect.outage is ServiceOutage.TEMPORARY
    assert facts.to_dict()["service_effect"] == {"outage": "temporary", "essential": True, "hours": 30.0}
    assert BreachFacts.from_dict(facts.to_dict()) == facts
    assert BreachFacts.from_dict({**SEEN, "groups": [group("name")]}).to_dict()["service_effect"] is None


def test_insurance_is_its_own_financial_category() -> None:
    facts = BreachFacts.from_dict({**SEEN, "groups": [group("insurance", "bank_account", "financial_other")]})
    assert {DataCategory.INSURANCE, DataCategory.BANK_ACCOUNT, DataCategory.FINANCIAL_OTHER} == facts.data_categories


def test_annotations_are_ignored_at_every_level() -> None:
    noted = {"_comment": "case of 3 March", "nature": ["confidentiality"], "_by": "FG",
             "groups": [{"_comment": "the two with health data", **group("name", n=2, special=("health",))}],
             "protection": {"_why": "laptop", "method": "encrypted"},
             "recipients": {"_note": "the colleague", "received": "known", "trusted": True},
             "dpc_adjustments": [{"_": "", "factor": "volume", "steps": 1}],
             "service_effect": {"_": "", "outage": "none"}}
    plain = {"nature": ["confidentiality"], "groups": [group("name", n=2, special=("health",))],
             "protection": {"method": "encrypted"}, "recipients": {"received": "known", "trusted": True},
             "dpc_adjustments": [{"factor": "volume", "steps": 1}], "service_effect": {"outage": "none"}}
    assert BreachFacts.from_dict(noted) == BreachFacts.from_dict(plain)
    assert problems(noted) == ()


def test_the_old_factor_name_nature_reads_as_insight_and_is_written_as_insight() -> None:
    facts = BreachFacts.from_dict({**SEEN, "groups": [group("bank_account")],
                                   "dpc_adjustments": [{"factor": "nature", "steps": -1, "note": "account no."}]})
    assert facts.dpc_adjustments[0].factor is DpcFactor.INSIGHT
    assert facts.to_dict()["dpc_adjustments"] == [{"factor": "insight", "steps": -1, "note": "account no."}]


# --- errors: named, with what is allowed, all at once ------------------------------------------------------------

BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"groups": []}, "groups", "at least one"),
    ({"groups": [group()]}, "groups[0].data_categories", "at least one category"),
    ({"groups": [group("name", n={"min": 4, "max": 1})]}, "groups[0].data_subjects", "min <= max"),
    ({"groups": [{**group("name"), "subject_groups": ["aliens"]}]}, "groups[0].subject_groups[0]", "'customers'"),
    ({"groups": [{**group("name"), "size": 3}]}, "groups[0].size", "unknown field 'size'"),
    ({"recipients": {"received": "unknown", "trusted": True}}, "recipients.received", "need received 'known'"),
    ({"recipients": {"received": "some"}}, "recipients.received", "'none', 'known', 'unknown'"),
    ({"service_effect": {"outage": "temporary", "hours": -1}}, "service_effect.hours", "hours >= 0"),
    ({"service_effect": {"outage": "permanent", "hours": 3}}, "service_effect.hours", "only for outage 'temp"),
    ({"service_effect": {"essential": True}}, "service_effect.essential", "needs outage 'temporary' or"),
    ({"service_effect": {"outage": "sometimes"}}, "service_effect.outage", "'none', 'temporary', 'permanent'"),
    ({"service_effect": {"outage": "temporary"}}, "service_effect.outage", "availability_temporary"),
    ({"dpc_adjustments": [{"factor": "public_availability", "steps": 1}]}, "dpc_adjustments[0].steps",
     "factor 'public_availability' can only lower the score: steps -3..-1"),
    ({"dpc_adjustments": [{"factor": "volume", "steps": -1}]}, "dpc_adjustments[0].steps",
     "factor 'volume' can only raise the score: steps 1..3"),
    ({"dpc_adjustments": [{"factor": "insight", "steps": 4}]}, "dpc_adjustments[0].steps",
     "steps must be -3..-1 or 1..3"),
    ({"colour": 1, "size": 2}, "colour", "unknown fields 'colour', 'size'"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD, ids=[f"{f}:{m}" for _, f, m in BAD])
def test_errors_name_the_field_and_what_is_allowed(change: dict[str, Any], field: str, message: str) -> None:
    doc = {**SEEN, "groups": [group("name")], **change}
    with pytest.raises(InvalidFacts) as caught:
        BreachFacts.from_dict(doc)
    assert (caught.value.field, message in caught.value.problem) == (field, True), str(caught.value)
    assert field in [p.field for p in problems(doc)]


def test_every_problem_of_a_document_is_reported_together_group_by_group() -> None:
    doc = {"nature": ["melted"], "colour": 1, "groups": [group(), group("name", n="many"), group("name")],
           "recipients": {"received": "unknown", "trusted": True}, "service_effect": {"hours": 2, "outage": "none"}}
    assert sorted(p.field for p in problems(doc)) == [
        "colour", "groups[0].data_categories", "groups[1].data_subjects", "nature[0]", "recipients.received",
        "service_effect.hours"]


def test_errors_in_an_old_shape_document_name_the_field_as_it_was_written() -> None:
    old = {**SEEN, "data_categories": ["name", "shoe_size"], "data_subjects": {"min": 9, "max": 3}}
    with pytest.raises(InvalidFacts) as caught:
        BreachFacts.from_dict(old)
    assert caught.value.field == "data_subjects"
    assert sorted(p.field for p in problems(old)) == ["data_categories[1]", "data_subjects"]


# --- the new facts in ENISA and in the Art. 33/34 proposal: one table ---------------------------------------------

CASES: list[tuple[str, dict[str, Any], str, float, str, str, str]] = [
    # (id, facts, ENISA base class, SE, risk, factor that must be cited, factor that must not be cited)
    ("insurance is financial data (ENISA class 3)",
     {**SEEN, "recipients": "known", "groups": [group("name", "insurance", n=1)]},
     "financial", 3.25, "high", "high_risk_to_subjects", ""),
    ("merely being insured: ENISA 'no substantial insight', -2",
     {**SEEN, "recipients": "known", "groups": [group("name", "insurance", n=1)],
      "dpc_adjustments": [{"factor": "insight", "steps": -2, "note": "only that they are insured"}]},
     "financial", 1.25, "unlikely", "severity_below_threshold", "high_risk_to_subjects"),
    ("trusted recipient who confirmed deletion lowers the risk a step (EDPB 01/2021, 9/2022)",
     {**SEEN, "recipients": {"received": "known", "trusted": True, "deletion_confirmed": True},
      "groups": [group("name", "bank_account", n=1)]},
     "financial", 3.25, "risk", "trusted_recipient", "high_risk_to_subjects"),
    ("trusted recipient without a confirmed deletion: no lowering",
     {**SEEN, "recipients": {"received": "known", "trusted": True}, "groups": [group("name", "bank_account", n=1)]},
     "financial", 3.25, "high", "high_risk_to_subjects", "trusted_recipient"),
    ("deletion confirmed by a recipient who is not trusted: no lowering",
     {**SEEN, "recipients": {"received": "known", "deletion_confirmed": True},
      "groups": [group("name", "bank_account", n=1)]},
     "financial", 3.25, "high", "high_risk_to_subjects", "trusted_recipient"),
    ("name, date of birth and address of the same people enable identity fraud",
     {**SEEN, "malicious": True, "recipients": "unknown",
      "groups": [group("name", "address", "date_of_birth", n=40, kinds=("customers",))]},
     "simple", 2.0, "high", "identity_fraud_exposure", ""),
    ("the same categories spread over two groups identify no one: no identity fraud",
     {**SEEN, "malicious": True, "recipients": "unknown",
      "groups": [group("name", "address", n=40, kinds=("customers",)),
                 group("date_of_birth", n=3, kinds=("employees",))]},
     "simple", 2.0, "risk", "malicious_exposure", "identity_fraud_exposure"),
    ("special data of 2 of the 15: sensitive class, special-data factor",
     {**SEEN, "groups": [group("name", "email", n=13), group("name", "email", n=2, special=("health",))]},
     "sensitive", 4.0, "high", "special_data_affected", ""),
    ("essential service down 30 h, data restored from a copy in 2 h (AP 9.1)",
     {"nature": ["availability_temporary"], "backup_available": True, "restore_hours": 2,
      "service_effect": {"outage": "temporary", "essential": True, "hours": 30},
      "groups": [group("name", "contact_details", n=50)]},
     "simple", 1.0, "risk", "essential_service_interrupted", "promptly_restored"),
    ("essential service down 2 h, restored from a copy: EDPB 01/2021 case 1 still applies",
     {"nature": ["availability_temporary"], "backup_available": True, "restore_hours": 2,
      "service_effect": {"outage": "temporary", "essential": True, "hours": 2},
      "groups": [group("name", "contact_details", n=50)]},
     "simple", 1.0, "unlikely", "promptly_restored", "essential_service_interrupted"),
    ("a service that is not essential, down 30 h: no service factor",
     {"nature": ["availability_temporary"], "backup_available": True, "restore_hours": 2,
      "service_effect": {"outage": "temporary", "essential": False, "hours": 30},
      "groups": [group("name", "contact_details", n=50)]},
     "simple", 1.0, "unlikely", "promptly_restored", "essential_service_interrupted"),
    ("an essential service lost for good",
     {"nature": ["availability_permanent"], "service_effect": {"outage": "permanent", "essential": True},
      "groups": [group("name", n=50)]},
     "simple", 1.5, "risk", "essential_service_interrupted", ""),
]


@pytest.mark.parametrize(("facts", "base", "score", "risk", "cited", "absent"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_new_facts_in_enisa_and_the_proposal(facts, base, score, risk, cited, absent) -> None:
    result = assess(BreachFacts.from_dict(facts))
    codes = [f.code.value for f in result.proposal.rationale]
    assert result.severity.dpc.parts[0].reason.startswith(f"{base} data")
    assert (result.severity.score, result.proposal.risk.value) == (score, risk), codes
    assert cited in codes and absent not in codes

"""The JSON Schemas of a facts document for the OpenAPI description, built from the assessment's vocabulary.

The allowed values come from the enums of ``incidents.assessment.vocabulary``, so a new category or outage kind
is described the moment it exists. Keys starting with ``_`` are notes at every level, as ``BreachFacts`` reads
them. Checks across fields (recipients need confidentiality, an outage needs availability, ...) stay the
server's: a 400 lists every problem at once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from incidents.assessment import (
    BreachNature,
    DataCategory,
    DpcFactor,
    Identifiability,
    IncidentType,
    Measure,
    ProtectionMethod,
    Recipients,
    ServiceOutage,
    SpecialCategory,
    SubjectGroup,
)
from incidents.assessment.facts_parts import LOWERING, OLD_FACTOR_NAMES, RAISING

NOTES = {"^_": {"description": "a note for people (`_comment`), ignored"}}
_BOOL, _TEXT, _COUNT = {"type": "boolean"}, {"type": "string"}, {"type": "integer", "minimum": 0}


def _enum(kind: type[StrEnum], *extra: str) -> dict[str, Any]:
    return {"type": "string", "enum": [m.value for m in kind] + list(extra)}


def _set(kind: type[StrEnum], **more: Any) -> dict[str, Any]:
    return {"type": "array", "items": _enum(kind), "uniqueItems": True, **more}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any], *required: str, **more: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "patternProperties": NOTES, "additionalProperties": False,
            "required": list(required), **more}


def _one_category(prefix: str = "") -> dict[str, Any]:
    return {"anyOf": [{"required": [f"{prefix}{k}"], "properties": {f"{prefix}{k}": {"minItems": 1}}}
                      for k in ("data_categories", "special_categories")]}


_SUBJECTS = {"description": "number of data subjects (AP 7.3): exact, or a range; null: not known yet", "oneOf": [
    _COUNT, _object({"exact": _COUNT}, "exact"), _object({"min": _COUNT, "max": _COUNT}, "min", "max"),
    {"type": "null"}]}
_GROUP_FIELDS = {"subject_groups": _set(SubjectGroup, description="kinds of data subjects (AP 7.1)"),
                 "data_subjects": _SUBJECTS, "data_categories": _set(DataCategory, description=(
                     "AP 6.1; financial data in three sets: bank_account/credit_card, insurance, and "
                     "financial_other/debts/benefits")),
                 "special_categories": _set(SpecialCategory, description="Art. 9 GDPR (AP 6.2)")}
_GROUP = _object(_GROUP_FIELDS, description="one group of data subjects and their breached data; groups do not "
                 "overlap (special data of 2 of 15 people: a group of 13 and a group of 2); at least one category",
                 **_one_category())
_STEPS = {"type": "integer", "minimum": -3, "maximum": 3, "not": {"const": 0}}
_DIRECTION = [{"if": {"properties": {"factor": {"enum": sorted(factors)}}},
               "then": {"properties": {"steps": {bound: value}}}}
              for factors, bound, value in ((RAISING, "minimum", 1), (LOWERING, "maximum", -1))]
_ADJUSTMENT = _object(
    {"factor": _enum(DpcFactor, *OLD_FACTOR_NAMES), "steps": _STEPS, "note": _TEXT}, "factor", "steps",
    allOf=_DIRECTION,
    description=f"an ENISA context factor moving the score by whole steps: {', '.join(sorted(RAISING))} only "
                f"raise (1..3), {', '.join(sorted(LOWERING))} only lower (-3..-1), insight either way; the old "
                f"name 'nature' is read as 'insight'; each factor at most once")
_PROTECTION = _object({"method": _enum(ProtectionMethod), "state_of_the_art": _BOOL, "key_safe": _BOOL,
                       "effective": _or_null(_BOOL)}, description=(
    "protection applied beforehand (AP 8.1); effective: did it protect against THIS breach (encryption at rest "
    "does not protect data read through a valid account); absent or null: not answered, never lowers the risk"))
_RECIPIENTS = {"description": "who received the data (ENISA); a bare value means {received: value}", "oneOf": [
    _object({"received": _enum(Recipients), "trusted": _BOOL, "deletion_confirmed": _BOOL}), _enum(Recipients)]}
_SERVICE = _or_null(_object(
    {"outage": _enum(ServiceOutage), "essential": _BOOL, "hours": _or_null({"type": "number", "minimum": 0})},
    description="effect on a service (AP 9.1): outage, whether the service is essential, hours (temporary only)"))
_COMMON = {
    "nature": _set(BreachNature, minItems=1, description="AP 5.1; required"),
    "incident_type": _enum(IncidentType), "credentials_access": _set(DataCategory, description=(
        "what leaked access_credentials open (needs access_credentials in a group)")),
    "dpc_adjustments": {"type": "array", "items": _ADJUSTMENT}, "records": _or_null(_COUNT),
    "identifiability": _or_null(_enum(Identifiability)), "protection": _PROTECTION,
    "backup_available": _or_null(_BOOL), "restore_hours": _or_null({"type": "number", "minimum": 0}),
    "altered_data_misused": _BOOL, "malicious": _BOOL, "recipients": _RECIPIENTS, "service_effect": _SERVICE,
    "cross_border": _BOOL, "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
    "measures": _set(Measure), "measures_description": _TEXT, "high_risk_mitigated": _BOOL,
    "disproportionate_effort": _BOOL,
}
FACTS = _object({**_COMMON, "groups": {"type": "array", "minItems": 1, "items": _GROUP}}, "nature", "groups",
                description="the facts of a breach: categories and counts only, never personal data")
# The first shape (before groups), still accepted on input and converted to one group.
FIRST_SHAPE = _object(
    {**_COMMON, **_GROUP_FIELDS, "recipients": {"oneOf": [_RECIPIENTS, {"const": "trusted"}]}}, "nature",
    description="the first shape: one group's fields at the top level; read as one entry of groups",
    **_one_category())
SCHEMAS = {"Facts": FACTS, "FactsFirstShape": FIRST_SHAPE}

"""Risk rules for the notify decision, as data: grounds that lower the risk and factors that raise it.

Lowering: data unintelligible and intact (AP), prompt restore or a mere outage (EDPB 01/2021 cases 1, 2),
a trusted recipient who confirmed deleting the data (EDPB 01/2021, 9/2022, AP). Raising: EDPB 9/2022 risk
factors and the EDPB 01/2021 cases; each sets a minimum risk whatever the ENISA score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .facts import BreachFacts
from .facts_parts import AffectedGroup
from .severity import QUICK_RESTORE_HOURS, Severity, restored_promptly
from .vocabulary import BreachNature, DataCategory, Identifiability, Recipients, ServiceOutage, SubjectGroup


class RiskLevel(StrEnum):
    """Risk to the rights and freedoms of natural persons, in the terms of Art. 33(1) and 34(1)."""

    UNLIKELY = "unlikely"  # document only (Art. 33(5))
    RISK = "risk"  # notify the AP
    HIGH = "high"  # notify the AP and communicate to the data subjects

    @property
    def rank(self) -> int:
        """Position for comparisons."""
        return list(RiskLevel).index(self)


class FactorCode(StrEnum):
    """Stable codes of the factors a rationale can cite."""

    DATA_UNINTELLIGIBLE = "data_unintelligible"
    SEVERITY_BELOW_THRESHOLD = "severity_below_threshold"
    SEVERITY_REACHES_REGULATOR_THRESHOLD = "severity_reaches_regulator_threshold"
    SEVERITY_REACHES_SUBJECT_THRESHOLD = "severity_reaches_subject_threshold"
    PROMPTLY_RESTORED = "promptly_restored"
    TEMPORARY_UNAVAILABILITY_ONLY = "temporary_unavailability_only"
    TRUSTED_RECIPIENT = "trusted_recipient"
    MALICIOUS_EXPOSURE = "malicious_exposure"
    PROLONGED_UNAVAILABILITY = "prolonged_unavailability"
    ESSENTIAL_SERVICE_INTERRUPTED = "essential_service_interrupted"
    ALTERED_DATA_MISUSED = "altered_data_misused"
    SPECIAL_DATA_AFFECTED = "special_data_affected"
    VULNERABLE_SUBJECTS_AFFECTED = "vulnerable_subjects_affected"
    LARGE_SCALE_EXPOSURE = "large_scale_exposure"
    IDENTITY_FRAUD_EXPOSURE = "identity_fraud_exposure"
    HIGH_RISK_TO_SUBJECTS = "high_risk_to_subjects"
    ART34_3B_MEASURES = "art34_3b_measures"
    ART34_3C_DISPROPORTIONATE_EFFORT = "art34_3c_disproportionate_effort"


@dataclass(frozen=True, slots=True)
class Factor:
    """One reason behind a proposal: a stable code and a sentence for people."""

    code: FactorCode
    text: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"code": self.code.value, "text": self.text}


def unintelligible_and_intact(facts: BreachFacts) -> bool:
    """AP: encrypted/hashed, key safe, data intact and under control (recent backup) -> no notification."""
    lost = {BreachNature.INTEGRITY, BreachNature.AVAILABILITY_PERMANENT} & facts.nature
    unavailable = BreachNature.AVAILABILITY_TEMPORARY in facts.nature and not restored_promptly(facts)
    return facts.protection.renders_unintelligible and not lost and not unavailable


UNINTELLIGIBLE = Factor(
    FactorCode.DATA_UNINTELLIGIBLE,
    "Data unintelligible to anyone unauthorised (state-of-the-art protection, key safe), intact and under "
    "control: unlikely to result in a risk (AP 'vooraf getroffen maatregelen'; Art. 34(3)(a)).",
)


def _promptly_restored(facts: BreachFacts, risk: RiskLevel) -> tuple[RiskLevel, Factor | None]:
    """EDPB 01/2021 case 1: an outage repaired from a backup within hours, nothing disclosed or altered."""
    if facts.nature != {BreachNature.AVAILABILITY_TEMPORARY} or not restored_promptly(facts):
        return risk, None
    if _essential_service_down(facts):
        return risk, None
    hours = f"{facts.restore_hours:g} h"
    text = f"Only temporary unavailability, restored from a copy within {hours} (EDPB 01/2021 case 1)."
    return RiskLevel.UNLIKELY, Factor(FactorCode.PROMPTLY_RESTORED, text)


def _unavailability_only(facts: BreachFacts, risk: RiskLevel) -> tuple[RiskLevel, Factor | None]:
    """EDPB 01/2021 case 2: an outage alone, data neither disclosed nor altered, is no high risk by itself."""
    if facts.nature != {BreachNature.AVAILABILITY_TEMPORARY} or risk is not RiskLevel.HIGH:
        return risk, None
    if _special_data(facts) or _vulnerable(facts) or _essential_service_down(facts):
        return risk, None
    text = (
        "Only temporary unavailability: nothing disclosed or altered, so no high risk (EDPB 01/2021 case 2)."
    )
    return RiskLevel.RISK, Factor(FactorCode.TEMPORARY_UNAVAILABILITY_ONLY, text)


def _trusted_recipient(facts: BreachFacts, risk: RiskLevel) -> tuple[RiskLevel, Factor | None]:
    """EDPB 01/2021, 9/2022 and AP: a trusted recipient who confirmed deleting the data lowers the risk a step."""
    if not _contained_by_trusted(facts) or risk is RiskLevel.UNLIKELY:
        return risk, None
    text = (
        "Known, trusted recipient confirmed deleting or returning the data: risk lowered one step "
        "(EDPB 01/2021 cases 15-17; EDPB 9/2022; AP)."
    )
    return list(RiskLevel)[risk.rank - 1], Factor(FactorCode.TRUSTED_RECIPIENT, text)


SOFTENERS: tuple[Callable[[BreachFacts, RiskLevel], tuple[RiskLevel, Factor | None]], ...] = (
    _promptly_restored,
    _unavailability_only,
    _trusted_recipient,
)


@dataclass(frozen=True, slots=True)
class Raiser:
    """A factor that sets a minimum risk, whatever the ENISA score."""

    code: FactorCode
    minimum: RiskLevel
    applies: Callable[[BreachFacts, Severity], bool]
    text: str


def _contained_by_trusted(f: BreachFacts) -> bool:
    return f.recipients.received is Recipients.KNOWN and f.recipients.contained and not f.malicious


def _exposed(f: BreachFacts) -> bool:
    """Identifiable, intelligible data (possibly) seen by someone unauthorised and not contained."""
    identifiable = f.identifiability is not Identifiability.NEGLIGIBLE
    intelligible = not f.protection.renders_unintelligible
    confidential = BreachNature.CONFIDENTIALITY in f.nature
    return confidential and identifiable and intelligible and not _contained_by_trusted(f)


def _prolonged_unavailability(f: BreachFacts) -> bool:
    temporary = BreachNature.AVAILABILITY_TEMPORARY in f.nature and not restored_promptly(f)
    return BreachNature.AVAILABILITY_PERMANENT in f.nature or temporary


def _affected(f: BreachFacts) -> bool:
    """Any effect beyond data that stayed unintelligible and intact."""
    touched = {
        BreachNature.INTEGRITY,
        BreachNature.AVAILABILITY_TEMPORARY,
        BreachNature.AVAILABILITY_PERMANENT,
    }
    return _exposed(f) or bool(touched & f.nature)


def _special_data(f: BreachFacts) -> bool:
    return bool(f.special_categories) or DataCategory.CRIMINAL_DATA in f.data_categories


def _vulnerable(f: BreachFacts) -> bool:
    return bool({SubjectGroup.MINORS, SubjectGroup.VULNERABLE} & f.subject_groups)


def _essential_service_down(f: BreachFacts) -> bool:
    """An essential service interrupted permanently, or longer than a quick restore (or for an unknown time)."""
    e = f.service_effect
    if e is None or not e.essential or e.outage is ServiceOutage.NONE:
        return False
    return e.outage is ServiceOutage.PERMANENT or e.hours is None or e.hours > QUICK_RESTORE_HOURS


def _identity_data(f: BreachFacts) -> bool:
    """Data to pose as a person, in one group: a national number, an ID document, or name + date of birth +
    address (spread over different people, the combination identifies no one)."""
    return any(_identity_group(g) for g in f.groups)


def _identity_group(g: AffectedGroup) -> bool:
    direct = {DataCategory.BSN, DataCategory.IDENTITY_DOCUMENT} & g.data_categories
    combination = {DataCategory.NAME, DataCategory.DATE_OF_BIRTH, DataCategory.ADDRESS} <= g.data_categories
    return bool(direct) or combination


def _identity_fraud(f: BreachFacts, s: Severity) -> bool:
    return _exposed(f) and _identity_data(f) and (f.malicious or s.large_scale.applies)


_RISK, _HIGH = RiskLevel.RISK, RiskLevel.HIGH
RAISERS: tuple[Raiser, ...] = (
    Raiser(
        FactorCode.MALICIOUS_EXPOSURE,
        _RISK,
        lambda f, s: f.malicious and _exposed(f),
        "Identifiable data in the hands of someone acting intentionally, whose aims are unknown "
        "(EDPB 01/2021 case 8).",
    ),
    Raiser(
        FactorCode.PROLONGED_UNAVAILABILITY,
        _RISK,
        lambda f, s: _prolonged_unavailability(f),
        "Data permanently lost or not restored promptly (EDPB 01/2021 case 2).",
    ),
    Raiser(
        FactorCode.ESSENTIAL_SERVICE_INTERRUPTED,
        _RISK,
        lambda f, s: _essential_service_down(f),
        "An essential service could not be provided for long or at all (AP 9.1; EDPB 01/2021 case 2 and "
        "9/2022: the duration and effect of unavailability decide the risk).",
    ),
    Raiser(
        FactorCode.ALTERED_DATA_MISUSED,
        _RISK,
        lambda f, s: f.altered_data_misused,
        "Altered data may have been used incorrectly or unlawfully (EDPB 9/2022: type of breach).",
    ),
    Raiser(
        FactorCode.SPECIAL_DATA_AFFECTED,
        _RISK,
        lambda f, s: _special_data(f) and _affected(f),
        "Special-category or criminal data affected: damage is to be considered likely (EDPB 9/2022).",
    ),
    Raiser(
        FactorCode.VULNERABLE_SUBJECTS_AFFECTED,
        _RISK,
        lambda f, s: _vulnerable(f) and _affected(f),
        "Minors or vulnerable people among the data subjects (EDPB 9/2022: special characteristics).",
    ),
    Raiser(
        FactorCode.LARGE_SCALE_EXPOSURE,
        _RISK,
        lambda f, s: s.large_scale.applies and _exposed(f),
        "Identifiable data of many people exposed (ENISA: number of individuals; WP250 Annex B).",
    ),
    Raiser(
        FactorCode.IDENTITY_FRAUD_EXPOSURE,
        _HIGH,
        _identity_fraud,
        "Data enabling identity fraud exposed, intentionally or at large scale (Recital 85; EDPB 01/2021 "
        "cases 11, 14, 17).",
    ),
)

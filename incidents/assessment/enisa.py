"""ENISA (2013) severity tables: data types and basic scores, ease of identification, levels, and the
mapping of levels to the AP form's severity answers. Data, not logic, so each value is checked at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .vocabulary import DataCategory, Identifiability

FORMULA = "SE = DPC x EI + CB"
# Project convention, not ENISA text: restored from a copy within this many hours is "recoverable without
# difficulty" (EDPB 01/2021 case 1: restored within a few hours; a 24-hour restore is temporary loss).
QUICK_RESTORE_HOURS = 8.0
# Convention of ENISA calculators (myprivacy.tools flags "> 100 individuals"); configurable in the decision.
LARGE_SCALE_SUBJECTS = 100


class DataType(StrEnum):
    """ENISA data-processing-context classes; each has a basic score."""

    SIMPLE = "simple"
    BEHAVIOURAL = "behavioural"
    FINANCIAL = "financial"
    SENSITIVE = "sensitive"

    @property
    def base_score(self) -> int:
        """ENISA basic score: simple 1, behavioural 2, financial 3, sensitive 4."""
        return _BASE[self]


_BASE = {DataType.SIMPLE: 1, DataType.BEHAVIOURAL: 2, DataType.FINANCIAL: 3, DataType.SENSITIVE: 4}

# Credentials are no class of their own (ENISA): they take the class of what they open (credentials_access).
CATEGORY_TYPE: Mapping[DataCategory, DataType] = {
    **{c: DataType.SIMPLE for c in DataCategory},
    DataCategory.LOCATION: DataType.BEHAVIOURAL,
    DataCategory.PURCHASE_HISTORY: DataType.BEHAVIOURAL,
    DataCategory.ONLINE_BEHAVIOUR: DataType.BEHAVIOURAL,
    DataCategory.TRAFFIC_DATA: DataType.BEHAVIOURAL,
    DataCategory.CALL_RECORDING: DataType.BEHAVIOURAL,
    DataCategory.FINANCIAL_OTHER: DataType.FINANCIAL,
    DataCategory.BANK_ACCOUNT: DataType.FINANCIAL,
    DataCategory.CREDIT_CARD: DataType.FINANCIAL,
    # ENISA's list (income, transactions, statements, investments, invoices) names no insurance data, but
    # premiums, cover and claims give insight into a person's financial situation; merely being insured is the
    # ENISA "no substantial insight" case: an 'insight' adjustment of -2 (as "merely a client of a bank").
    DataCategory.INSURANCE: DataType.FINANCIAL,
    DataCategory.DEBTS: DataType.FINANCIAL,
    DataCategory.BENEFITS: DataType.FINANCIAL,
    DataCategory.CRIMINAL_DATA: DataType.SENSITIVE,
}

EI_VALUE: Mapping[Identifiability, float] = {
    Identifiability.NEGLIGIBLE: 0.25,
    Identifiability.LIMITED: 0.5,
    Identifiability.SIGNIFICANT: 0.75,
    Identifiability.MAXIMUM: 1.0,
}
EI_MEANING = {
    Identifiability.NEGLIGIBLE: "extremely difficult to match the data to a person",
    Identifiability.LIMITED: "identification possible but needs further sources",
    Identifiability.SIGNIFICANT: "identification reasonably easy",
    Identifiability.MAXIMUM: "identification directly from the data, no research needed",
}


class SeverityLevel(StrEnum):
    """ENISA severity levels: low < 2 <= medium < 3 <= high < 4 <= very high."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def rank(self) -> int:
        """Position for comparisons (low 0 .. very high 3)."""
        return list(SeverityLevel).index(self)


class ApSeverity(StrEnum):
    """AP form question 9.3 "Inschatting ernst van de mogelijke gevolgen" (one of four)."""

    VERWAARLOOSBAAR = "verwaarloosbaar"
    BEPERKT = "beperkt"
    AANZIENLIJK = "aanzienlijk"
    ZEER_GROOT = "zeer_groot"

    @property
    def text_nl(self) -> str:
        """The answer as the form shows it."""
        return self.value.replace("_", " ").capitalize()

    @property
    def text_en(self) -> str:
        """English gloss."""
        return _AP_EN[self]


_AP_EN = {
    ApSeverity.VERWAARLOOSBAAR: "Negligible",
    ApSeverity.BEPERKT: "Limited",
    ApSeverity.AANZIENLIJK: "Significant",
    ApSeverity.ZEER_GROOT: "Very high",
}
# ENISA has no "negligible" level, so no 1:1 mapping exists. Low -> verwaarloosbaar: ENISA low means
# individuals "will not be affected or may encounter a few inconveniences" they overcome without problem.
# The FG confirms the answer.
AP_ANSWER: Mapping[SeverityLevel, ApSeverity] = {
    SeverityLevel.LOW: ApSeverity.VERWAARLOOSBAAR,
    SeverityLevel.MEDIUM: ApSeverity.BEPERKT,
    SeverityLevel.HIGH: ApSeverity.AANZIENLIJK,
    SeverityLevel.VERY_HIGH: ApSeverity.ZEER_GROOT,
}


def level_for(score: float) -> SeverityLevel:
    """ENISA bands: < 2 low, < 3 medium, < 4 high, else very high."""
    if score < 2:
        return SeverityLevel.LOW
    if score < 3:
        return SeverityLevel.MEDIUM
    return SeverityLevel.HIGH if score < 4 else SeverityLevel.VERY_HIGH

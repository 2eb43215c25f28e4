"""Errors of the assessment core: one root under the incident domain's root, small documented subclasses."""

from __future__ import annotations

from ..errors import IncidentError


class AssessmentError(IncidentError):
    """Root of every error raised by ``incidents.assessment``."""


class InvalidFacts(AssessmentError, ValueError):
    """A facts value is missing, of the wrong type or inconsistent; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class InvalidSetting(AssessmentError, ValueError):
    """A knob (decision threshold, deadline target) is out of range or contradicts another."""


class DecisionIncomplete(AssessmentError, ValueError):
    """A decision lacks its actor, or an override lacks its written reason."""


class NaiveDatetime(AssessmentError, ValueError):
    """A datetime without timezone was given where an aware UTC moment is required."""


class DelayReasonRequired(AssessmentError, ValueError):
    """A notification after the 72-hour window needs the reasons for the delay (Art. 33(1))."""

"""Errors of the rule engine: every rule problem names the file, the rule and the field."""

from __future__ import annotations

from incidents.errors import IncidentError


class RuleError(IncidentError):
    """A rule is invalid. ``str()`` reads ``file: rule 'id': field: problem``."""

    def __init__(self, problem: str, *, source: str = "-", rule: str = "-", field: str = "-") -> None:
        self.source, self.rule, self.field, self.problem = source, rule, field, problem
        super().__init__(f"{source}: rule {rule!r}: {field}: {problem}")

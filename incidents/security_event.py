"""The normalised security event (datalek event schema v1) as the core sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

SCHEMA_VERSION = 1


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SecurityEvent:
    """One event from a log or sensor. ``fields`` keeps every flat ECS field for rules.
    ``categories`` may be empty and ``action`` "" (both are optional in the event schema)."""

    id: str
    timestamp: datetime
    categories: frozenset[str] = frozenset()
    action: str = ""
    outcome: Outcome = Outcome.UNKNOWN
    user: str | None = None
    source_ip: str | None = None
    host: str | None = None
    asset: str | None = None
    fields: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, name: str) -> Any:
        """A flat ECS field by its dotted name, or None."""
        return self.fields.get(name)

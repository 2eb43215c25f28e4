"""Shared builder for the assessment-core tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from incidents.assessment import BreachFacts

# Names and e-mail addresses seen by someone unauthorised; each test overrides what its rule is about.
BASE_FACTS: dict[str, Any] = {
    "nature": ["confidentiality"],
    "data_categories": ["name", "email"],
    "identifiability": "maximum",
}


@pytest.fixture
def make_facts() -> Callable[..., BreachFacts]:
    """``make_facts(recipients="unknown", ...)``: BASE_FACTS plus JSON-style overrides -> BreachFacts."""

    def build(**overrides: Any) -> BreachFacts:
        return BreachFacts.from_dict({**BASE_FACTS, **overrides})

    return build

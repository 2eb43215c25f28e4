"""EDPB 01/2021 cases (and the WP250 Annex B example) as facts files give the EDPB's conclusions.

Each ``cases/*.json`` holds the facts, the EDPB's conclusion, its verification level and how the case was
modelled. A documented disagreement (see DISAGREEMENTS.md) is a strict xfail: it fails loudly once resolved.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from incidents.assessment import BreachFacts, assess

CASES = sorted((Path(__file__).parent / "cases").glob("*.json"))
DUTIES = ("notify_regulator", "notify_subjects")


def _load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def _params() -> list[Any]:
    params = []
    for path in CASES:
        doc = _load(path)
        for duty in DUTIES:
            if doc["expected"][duty] is None:
                continue
            why = doc.get("disagreements", {}).get(duty)
            marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
            params.append(pytest.param(doc, duty, id=f"{path.stem}:{duty}", marks=marks))
    return params


@pytest.mark.parametrize(("case", "duty"), _params())
def test_edpb_case_gives_the_edpb_conclusion(case: dict[str, Any], duty: str) -> None:
    proposal = assess(BreachFacts.from_dict(case["facts"])).proposal
    assert getattr(proposal, duty) is case["expected"][duty], [f.code.value for f in proposal.rationale]


def test_every_verified_case_is_present() -> None:
    verified = {"01", "08", "11", "13", "14"}
    present = {p.stem.rsplit("-", 1)[-1] for p in CASES if p.stem.startswith("edpb-01-2021-case-")}
    assert verified <= present


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_files_are_valid_facts_files_with_provenance(path: Path) -> None:
    doc = _load(path)
    assert {"id", "source", "verification", "expected", "modelling", "facts"} <= set(doc)
    facts = BreachFacts.from_dict(doc["facts"])
    assert BreachFacts.from_dict(facts.to_dict()) == facts

"""Helpers for the parser tests: run a format over a sample file and split the results."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streams.parsers import FORMATS, ParseContext, Parsed, ParseResult, Rejected
from streams.parsers.checks import problems
from tests.datasets import LOGHUB_OPENSSH

SAMPLES = Path(__file__).parent / "samples"
LOGHUB = LOGHUB_OPENSSH
REFERENCE = datetime(2026, 3, 10, tzinfo=UTC)


def context(source: str, **overrides: Any) -> ParseContext:
    return ParseContext(source=source, **({"reference": REFERENCE} | overrides))


def run(fmt: str, lines: Iterable[str], **overrides: Any) -> tuple[list[Parsed], list[Rejected]]:
    results = list(FORMATS[fmt](lines, context=context("test", **overrides)))
    return [r for r in results if isinstance(r, Parsed)], [r for r in results if isinstance(r, Rejected)]


def sample_results(fmt: str, name: str, **overrides: Any) -> list[ParseResult]:
    with (SAMPLES / name).open(encoding="utf-8") as lines:
        return list(FORMATS[fmt](lines, context=context(name, **overrides)))


def run_sample(fmt: str, name: str, **overrides: Any) -> tuple[list[Parsed], list[Rejected]]:
    results = sample_results(fmt, name, **overrides)
    return [r for r in results if isinstance(r, Parsed)], [r for r in results if isinstance(r, Rejected)]


def one(fmt: str, line: str, **overrides: Any) -> dict[str, Any]:
    """The single event one line gives (fails the test otherwise), checked against the schema."""
    parsed, rejected = run(fmt, [line], **overrides)
    assert not rejected, rejected
    assert len(parsed) == 1, parsed
    assert problems(parsed[0].event) == []
    return parsed[0].event


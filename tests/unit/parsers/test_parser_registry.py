"""What every format promises: registered by name, nothing lost, schema-valid, stable ids, pure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.parsers import FORMATS, ParseContext, Parsed, Rejected, Skipped
from streams.parsers.checks import problems
from tests.unit.parsers.support import SAMPLES, context, run_sample, sample_results

SAMPLE_FILES = [("openssh", "auth.log"), ("syslog", "auth.log"), ("syslog", "syslog-mixed.log"),
                ("combined", "access.log"), ("ecs", "ecs.jsonl"),
                ("m365", "m365.json"), ("cloudtrail", "cloudtrail.json"), ("cloudtrail", "cloudtrail.jsonl"),
                ("okta", "okta.jsonl"), ("edr", "edr.jsonl"), ("dlp", "dlp.jsonl"), ("journald", "journal.jsonl")]


def test_registry_names_every_format() -> None:
    assert set(FORMATS) == {"syslog", "openssh", "journald", "combined", "ecs", "m365", "cloudtrail", "okta", "edr",
                            "dlp"}


@pytest.mark.parametrize(("fmt", "name"), SAMPLE_FILES)
def test_every_sample_line_ends_in_an_event_or_a_rejection(fmt: str, name: str) -> None:
    parsed, rejected = run_sample(fmt, name)
    skipped = [r for r in sample_results(fmt, name) if isinstance(r, Skipped)]
    lines = [n for n, line in enumerate((SAMPLES / name).read_text().splitlines(), 1) if line.strip()]
    starts = {int(r.position.split(":")[1].split("#")[0]) for r in [*parsed, *rejected, *skipped]}
    if fmt in ("syslog", "openssh", "combined") or name.endswith(".jsonl"):
        assert starts == set(lines)
    assert parsed, "every sample has events"
    assert all(r.reason and r.raw for r in rejected)


@pytest.mark.parametrize(("fmt", "name"), SAMPLE_FILES)
def test_every_event_fits_the_schema(fmt: str, name: str) -> None:
    parsed, _ = run_sample(fmt, name)
    assert [(p.position, problems(p.event)) for p in parsed if problems(p.event)] == []
    for p in parsed:
        assert None not in p.event.values()
        assert p.event["@timestamp"].endswith("+00:00")


@pytest.mark.parametrize(("fmt", "name"), SAMPLE_FILES)
def test_reparsing_gives_the_same_ids(fmt: str, name: str) -> None:
    first, _ = run_sample(fmt, name)
    second, _ = run_sample(fmt, name)
    ids = [p.event["event.id"] for p in first]
    assert ids == [p.event["event.id"] for p in second]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("fmt", "name"), SAMPLE_FILES)
def test_events_are_accepted_by_the_edge_validator(fmt: str, name: str) -> None:
    schema = pytest.importorskip("streams.schema")
    parsed, _ = run_sample(fmt, name)
    for p in parsed:
        assert schema.to_event(p.event).id == p.event["event.id"]


def test_parsers_read_lazily_from_any_iterable() -> None:
    def lines():
        yield "Mar  3 09:15:11 portal-01 sshd[1302]: Invalid user a from 203.0.113.45"
        raise AssertionError("read past the first result")

    first = next(iter(FORMATS["openssh"](lines(), context=context("gen"))))
    assert isinstance(first, Parsed)


def test_context_rejects_a_naive_reference_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ParseContext(reference=datetime(2026, 3, 10))  # noqa: DTZ001


def test_rejections_never_carry_the_line_in_their_reason() -> None:
    secret = "Mar  3 09:41:00 portal-01 sudo[1501]: jan.jansen wrote something sudo never logs"
    rejected = list(FORMATS["openssh"]([secret], context=ParseContext(year=2026)))
    assert isinstance(rejected[0], Rejected)
    assert "jan.jansen" not in rejected[0].reason and rejected[0].raw == secret


def test_reference_time_is_only_used_for_the_year() -> None:
    late = ParseContext(reference=datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
    result = next(iter(FORMATS["openssh"](["Mar  3 09:15:11 h sshd[1]: Invalid user a from 1.2.3.4"],
                                          context=late)))
    assert isinstance(result, Parsed)
    assert result.event["@timestamp"] == "2026-03-03T09:15:11+00:00"

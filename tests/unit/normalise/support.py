"""Run a producer's document through both places that normalise it and compare the categorisation."""

from __future__ import annotations

import json
from typing import Any

from streams import schema
from streams.normalise import default_normaliser
from streams.parsers import FORMATS, ParseContext, Parsed

CATEGORISATION = ("event.kind", "event.category", "event.type", "event.outcome", "datalek.exposure",
                  "datalek.device.status")


def categorisation(event: Any) -> dict[str, Any]:
    """The categorisation fields present, lists as sets (their order carries no meaning)."""
    return {name: set(event[name]) if isinstance(event[name], list) else event[name]
            for name in CATEGORISATION if event.get(name) is not None}


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """The event the ``ecs`` format makes of ``document``, checked against the worker's view of it.

    The worker (``schema.to_event``) sees both the raw document (another producer writing to the events
    topic) and the parsed event (``datalek ingest``): all three must agree, which also shows idempotency.
    """
    results = list(FORMATS["ecs"]([json.dumps(document)], context=ParseContext(source="doc")))
    assert len(results) == 1 and isinstance(results[0], Parsed), results
    event = results[0].event
    direct, again = schema.to_event(document), schema.to_event(event)
    expected = {k: v for k, v in categorisation(event).items() if k != "event.kind"}
    assert {k: v for k, v in categorisation(direct.fields).items() if k != "event.kind"} == expected
    assert categorisation(again.fields) == categorisation(event)
    assert default_normaliser()(event).event == event
    return event


def expect(event: dict[str, Any], **fields: Any) -> None:
    """``event`` has these categorisation values (``category``, ``type``, ``outcome``, ``kind``,
    ``exposure``, ``device``); ``outcome=None`` means no outcome or unknown."""
    names = {"kind": "event.kind", "category": "event.category", "type": "event.type",
             "outcome": "event.outcome", "exposure": "datalek.exposure", "device": "datalek.device.status"}
    got = categorisation(event)
    for short, value in fields.items():
        name = names[short]
        if short == "outcome" and value is None:
            assert got.get(name, "unknown") == "unknown", (name, got)
        else:
            assert got.get(name) == (set(value) if isinstance(value, list) else value), (name, got)

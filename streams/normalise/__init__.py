"""Normalisation as data: fill ECS categorisation per producer, accept what real producers send.

    from streams.normalise import load_normaliser
    normalise = load_normaliser([Path("my-mappings")])       # shipped mappings plus the user's folders
    result = normalise({"@timestamp": ..., "event.code": 4625, "winlog.channel": "Security"})
    result.event["event.category"] == ["authentication"]; result.notes == ()

Pure and idempotent (``normalise(normalise(e).event).event == normalise(e).event``): it runs in the ecs
parser and again when the worker validates events (``streams.schema.to_event``), because other producers
write straight to the events topic. Input and output are flat events (dotted ECS keys).
Steps: producer-independent fixes (``ecs.tidy``); the producer's outcome words; an outcome outside ECS
moved to ``datalek.original.outcome``; the first mapping (by ``order``) that recognises the event and has
an entry for it fills what is missing; kind/category/type values outside ECS are kept and noted.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from streams.normalise.loader import from_dirs, ordered, shipped
from streams.normalise.mapping import MappingError, ProducerMapping
from streams.normalise.normaliser import Normalised, Normaliser


def load_normaliser(directories: Iterable[Path] = (), *, defaults: bool = True) -> Normaliser:
    """The users' mappings in ``directories`` and (when ``defaults``) the shipped ones, by ``order``."""
    return Normaliser(ordered([*from_dirs(directories), *(shipped() if defaults else [])]))


@lru_cache(maxsize=1)
def default_normaliser() -> Normaliser:
    """The shipped mappings only (loaded once)."""
    return load_normaliser()


__all__ = ["MappingError", "Normalised", "Normaliser", "ProducerMapping", "default_normaliser",
           "load_normaliser"]

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from streams.normalise import ecs
from streams.normalise.loader import from_dirs, ordered, shipped
from streams.normalise.mapping import MappingError, ProducerMapping


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised flat event and what was kept although it is not ECS (each note names the field and
    quotes only the offending categorisation or count value)."""

    event: dict[str, Any]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Normaliser:
    mappings: tuple[ProducerMapping, ...] = ()
    # which mappings recognise an event depends only on a few fields: cached by their values (a hot path)
    _fields: tuple[str, ...] = field(init=False, repr=False, compare=False, default=())
    _recognised: dict[tuple[Any, ...], list[ProducerMapping]] = field(
        init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        fields = sorted(frozenset().union(*(m.match_fields for m in self.mappings)))
        object.__setattr__(self, "_fields", tuple(fields))

    def __call__(self, event: Mapping[str, Any]) -> Normalised:
        fixed, notes = dict(event), []
        ecs.tidy(fixed, notes)
        producers = self._producers(fixed)
        for producer in (m for m in producers if m.outcome_fields):
            producer.translate_outcome(fixed)
            break
        ecs.check_outcome(fixed, notes)
        for producer in producers:
            if producer.apply(fixed, notes):
                break
        ecs.report_invalid(fixed, notes)
        return Normalised(fixed, tuple(notes))

    def _producers(self, event: Mapping[str, Any]) -> list[ProducerMapping]:
        key: tuple[Any, ...] = tuple(map(event.get, self._fields))
        try:
            found = self._recognised.get(key)
        except TypeError:  # a list or object among the values
            key = tuple(map(_hashable, key))
            found = self._recognised.get(key)
        if found is None:
            found = [m for m in self.mappings if m.recognises(event)]
            if len(self._recognised) >= CACHE_SIZE:
                self._recognised.clear()
            self._recognised[key] = found
        return found


CACHE_SIZE = 4096


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def load_normaliser(directories: Iterable[Path] = (), *, defaults: bool = True) -> Normaliser:
    """The users' mappings in ``directories`` and (when ``defaults``) the shipped ones, by ``order``."""
    return Normaliser(ordered([*from_dirs(directories), *(shipped() if defaults else [])]))


@lru_cache(maxsize=1)
def default_normaliser() -> Normaliser:
    """The shipped mappings only (loaded once)."""
    return load_normaliser()


__all__ = ["MappingError", "Normalised", "Normaliser", "ProducerMapping", "default_normaliser",
           "load_normaliser"]

"""The normaliser: producer-independent fixes, then the first producer mapping that knows the event.

It runs on every event the worker reads, so its results are cached: which mappings recognise an event by
the values of the fields their ``match`` reads, and what the mappings change by the values of every field
they read (the change is the same for every event with those values). Both caches are bounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from streams.normalise import ecs
from streams.normalise.mapping import ProducerMapping

CACHE_SIZE = 4096
CATEGORISATION = ("event.kind", "event.category", "event.type", "event.outcome")
MISSING: Any = object()

Delta = tuple[tuple[tuple[str, Any], ...], tuple[str, ...]]  # (field, new value or MISSING), notes


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised flat event and what was kept although it is not ECS (each note names the field and
    quotes only the offending categorisation or count value)."""

    event: dict[str, Any]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Normaliser:
    """``normaliser(event) -> Normalised``; pure and idempotent (see the package docstring)."""

    mappings: tuple[ProducerMapping, ...] = ()
    _match_fields: tuple[str, ...] = field(init=False, repr=False, compare=False, default=())
    _recognised: dict[tuple[Any, ...], tuple[int, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict)
    _reads: dict[tuple[int, ...], tuple[str, ...]] = field(init=False, repr=False, compare=False,
                                                           default_factory=dict)
    _deltas: dict[tuple[Any, ...], Delta] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        fields = sorted(frozenset().union(*(m.match_fields for m in self.mappings)))
        object.__setattr__(self, "_match_fields", tuple(fields))

    def __call__(self, event: Mapping[str, Any]) -> Normalised:
        fixed, notes = dict(event), []
        ecs.tidy(fixed, notes)
        chosen = self._producers(fixed)
        reads = self._reads.get(chosen) or self._fields_read(chosen)
        key = _key((chosen, *map(fixed.get, reads, repeat(MISSING))))
        delta = self._deltas.get(key)
        if delta is None:
            delta = self._delta(fixed, chosen, reads)
            _bounded(self._deltas)[key] = delta
        changes, mapped_notes = delta
        for name, value in changes:
            if value is MISSING:
                fixed.pop(name, None)
            else:
                fixed[name] = list(value) if isinstance(value, list) else value
        return Normalised(fixed, (*notes, *mapped_notes))

    def _delta(self, event: dict[str, Any], chosen: tuple[int, ...], reads: tuple[str, ...]) -> Delta:
        """What the mappings change in ``event`` (computed on a copy) and the notes they give."""
        work, notes = dict(event), []
        producers = [self.mappings[i] for i in chosen]
        for producer in (m for m in producers if m.outcome_fields):
            producer.translate_outcome(work)
            break
        ecs.check_outcome(work, notes)
        for producer in producers:
            if producer.apply(work, notes):
                break
        ecs.report_invalid(work, notes)
        changes = tuple((name, _copy(work.get(name, MISSING))) for name in reads
                        if work.get(name, MISSING) is not event.get(name, MISSING))
        return changes, tuple(notes)

    def _producers(self, event: Mapping[str, Any]) -> tuple[int, ...]:
        """Indexes of the mappings that recognise ``event``, in order."""
        key = _key(tuple(map(event.get, self._match_fields)))
        found = self._recognised.get(key)
        if found is None:
            found = tuple(i for i, m in enumerate(self.mappings) if m.recognises(event))
            _bounded(self._recognised)[key] = found
        return found

    def _fields_read(self, chosen: tuple[int, ...]) -> tuple[str, ...]:
        names = {*CATEGORISATION, *(f"{ecs.ORIGINAL}{n.split('.')[1]}" for n in CATEGORISATION)}
        names |= frozenset().union(*(self.mappings[i].fields_read for i in chosen))
        self._reads[chosen] = reads = tuple(sorted(names))
        return reads


def _bounded(cache: dict[Any, Any]) -> dict[Any, Any]:
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    return cache


def _key(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """``values`` as a dict key: lists (``event.category``) as tagged tuples, objects as sorted items."""
    try:
        hash(values)
        return values
    except TypeError:
        pass
    flat = tuple([("__list__", *v) if v.__class__ is list else v for v in values])
    try:
        hash(flat)
        return flat
    except TypeError:
        return tuple(map(_hashable, values))


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return ("__list__", *map(_hashable, value))
    if isinstance(value, dict):
        return ("__dict__", *sorted((str(k), _hashable(v)) for k, v in value.items()))
    return value


def _copy(value: Any) -> Any:
    """Cached values must not share lists with the event they were computed from."""
    return [_copy(item) for item in value] if isinstance(value, list) else value

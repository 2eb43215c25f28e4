"""Producer mappings from YAML: the shipped ones (package data in ``producers/``) and users' folders."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from streams.normalise.mapping import (
    CATEGORISATION,
    Condition,
    Fill,
    MappingError,
    ProducerMapping,
    Rule,
    allowed_value,
    test,
)

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in: several times faster
TOP_KEYS = frozenset({"name", "description", "order", "match", "keys", "events", "rules", "outcomes"})
FILL_KEYS = frozenset({*CATEGORISATION, "add", "replace", "set"})


def shipped() -> list[ProducerMapping]:
    """The mappings shipped with datalek (``streams/normalise/producers/*.yml``)."""
    folder = resources.files("streams.normalise").joinpath("producers")
    files = sorted((f for f in folder.iterdir() if f.name.endswith((".yml", ".yaml"))), key=lambda f: f.name)
    return [mapping(f.read_text(encoding="utf-8"), source=f"shipped:{f.name}") for f in files]


def from_dirs(directories: Iterable[Path]) -> list[ProducerMapping]:
    """The mappings in users' folders (``*.yml``/``*.yaml``, sorted by name); a missing folder is an error."""
    found = []
    for folder in map(Path, directories):
        if not folder.is_dir():
            raise MappingError(f"{folder}: normalise folder does not exist")
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))
        found += [mapping(p.read_text(encoding="utf-8"), source=str(p)) for p in files]
    return found


def mapping(text: str, *, source: str) -> ProducerMapping:
    """One mapping document, validated; MappingError names the file and the offending key."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
        return _mapping(data, source)
    except yaml.YAMLError as e:
        raise MappingError(f"{source}: not YAML ({e})") from e
    except KeyError as e:
        raise MappingError(f"{source}: missing key {e}") from e
    except (MappingError, TypeError, ValueError, AttributeError, re.error) as e:
        raise MappingError(f"{source}: {e}") from e


def _mapping(data: Any, source: str) -> ProducerMapping:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise MappingError("a mapping is a YAML mapping with a name")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise MappingError(f"unknown keys {sorted(unknown)}")
    outcomes = data.get("outcomes") or {}
    keys = data.get("keys") or []
    keys = [keys] if isinstance(keys, str) else keys
    return ProducerMapping(
        name=data["name"], source=source, match=tuple(_conditions(data.get("match"))),
        keys=tuple(keys),
        events=MappingProxyType({str(k).lower(): _fill(v, f"events.{k}")
                                 for k, v in (data.get("events") or {}).items()}),
        rules=tuple(Rule(tuple(_rule_conditions(r["if"], keys)), _fill(r["then"], f"rules[{i}]"))
                    for i, r in enumerate(data.get("rules") or [])),
        outcome_fields=tuple(outcomes.get("fields") or ()),
        outcome_values=MappingProxyType({str(k).lower(): _outcome(v)
                                         for k, v in (outcomes.get("values") or {}).items()}),
        order=int(data.get("order", 50)),
    )


def _conditions(value: Any) -> Iterator[Condition]:
    if value in (None, "any"):
        return
    for item in value if isinstance(value, list) else [value]:
        yield _condition(item)


def _rule_conditions(value: Any, keys: list[str]) -> Iterator[Condition]:
    """A rule's ``if``: one condition or a list (any); ``$key`` expands to one condition per key field."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and "$key" in item:
            rest = {k: v for k, v in item.items() if k != "$key"}
            yield from (_condition({key: item["$key"], **rest}) for key in keys)
        else:
            yield _condition(item)


def _condition(value: Any) -> Condition:
    if not isinstance(value, dict) or not value:
        raise MappingError(f"a condition is a mapping of field: value, got {value!r}")
    return Condition(tuple(test(str(k), v) for k, v in value.items()))


def _fill(value: Any, where: str) -> Fill:
    if not isinstance(value, dict):
        raise MappingError(f"{where}: expected a mapping")
    unknown = set(value) - FILL_KEYS
    if unknown:
        raise MappingError(f"{where}: unknown keys {sorted(unknown)}")
    categorisation = _categorisation({k: v for k, v in value.items() if k in CATEGORISATION}, where)
    additions = _categorisation(value.get("add"), f"{where}.add")
    if set(additions) - {"category", "type"}:
        raise MappingError(f"{where}.add: only category and type are lists to add to")
    add = {f"event.{k}": tuple(_listed(v)) for k, v in additions.items()}
    return Fill(categorisation=MappingProxyType(_lists(categorisation)),
                replace=MappingProxyType(_lists(_categorisation(value.get("replace"), f"{where}.replace"))),
                add=MappingProxyType(add), set=MappingProxyType(dict(value.get("set") or {})))


def _categorisation(value: Any, where: str) -> dict[str, Any]:
    """A mapping of kind/category/type/outcome to ECS allowed values (mapping files must not invent any)."""
    if not value:
        return {}
    if not isinstance(value, dict) or set(value) - set(CATEGORISATION):
        raise MappingError(f"{where}: expected a mapping of {', '.join(CATEGORISATION)}")
    bad = [k for k, v in value.items() if not allowed_value(k, v)]
    if bad:
        raise MappingError(f"{where}: {', '.join(bad)} not an ECS allowed value")
    return dict(value)


def _lists(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _listed(v) if k in ("category", "type") else v for k, v in values.items()}


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _outcome(value: Any) -> str:
    if not allowed_value("outcome", value):
        raise MappingError(f"outcomes: {value!r} is not success, failure or unknown")
    return str(value)


def ordered(mappings: Iterable[ProducerMapping]) -> tuple[ProducerMapping, ...]:
    """By ``order``, users' mappings before shipped ones of the same order (a stable sort keeps that)."""
    return tuple(sorted(mappings, key=lambda m: m.order))


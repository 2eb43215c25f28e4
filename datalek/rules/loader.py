"""Read rule files and the data inventory from disk (YAML). Native rules and Sigma rules may share a folder:
a file whose documents have ``detection:`` or ``correlation:`` is Sigma and goes through pySigma."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from incidents.inventory import InvalidInventory, Inventory
from incidents.rules import Rule, RuleError, rule_from_dict
from incidents.rules.exceptions import RuleException, apply_exceptions, exceptions_from_dict
from streams.normalise.loader import SAFE_LOADER

DEFAULT_RULES = Path(__file__).parent
DEFAULT_INVENTORY = Path(__file__).parent.parent / "config" / "inventory-24online.yml"
SIGMA_KEYS = frozenset({"detection", "correlation"})


def rule_files(directory: Path) -> list[Path]:
    """The rule files of one folder (not its sub-folders), in name order."""
    if not directory.is_dir():
        raise RuleError("rules folder not found", source=str(directory))
    return sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def load_rules(directories: Iterable[Path] = (), *, defaults: bool = True) -> list[Rule]:
    """The shipped rules (when ``defaults``) plus those in ``directories``; ids must be unique. A document
    ``exceptions: [...]`` in a folder's file takes reviewed events out of named rules (incidents.rules.exceptions)."""
    return load_rule_set(directories, defaults=defaults)[0]


def load_rule_set(directories: Iterable[Path] = (), *,
                  defaults: bool = True) -> tuple[list[Rule], list[RuleException]]:
    """The rules, with their exceptions folded in, and the exceptions themselves (``datalek rules`` lists them)."""
    folders = [*([DEFAULT_RULES] if defaults else []), *map(Path, directories)]
    native: list[Rule] = []
    sigma: list[tuple[str, str]] = []
    excepted: list[RuleException] = []
    for path in (p for folder in folders for p in rule_files(folder)):
        text = path.read_text(encoding="utf-8")
        docs = documents(path, text)
        if any(isinstance(d, dict) and SIGMA_KEYS & d.keys() for d in docs):
            sigma.append((str(path), text))
            continue
        for d in docs:
            if isinstance(d, dict) and "exceptions" in d:
                excepted += exceptions_from_dict(d, source=str(path))
            else:
                native.append(rule_from_dict(d, source=str(path)))
    rules = native
    if sigma:
        from datalek.rules.sigma import rules_from_sigma  # pySigma loads only for Sigma files

        rules = native + rules_from_sigma(sigma)
    return (apply_exceptions(rules, excepted) if excepted else rules), excepted


def describe(rules: list[Rule], exceptions: list[RuleException], *, today: date) -> dict[str, Any]:
    """The rules and the exceptions in force as plain data (``datalek rules``, the console's /rules)."""
    return {
        "rules": [{"id": r.id, "kind": str(r.kind), "severity": r.severity, "source": r.source,
                   "exceptions": r.exceptions} for r in rules],
        "exceptions": [{"rules": list(e.rules), "match": e.match, "reason": e.reason, "owner": e.owner,
                        "until": e.until.isoformat() if e.until else None,
                        "expired": bool(e.until and e.until <= today), "source": e.source} for e in exceptions],
    }


def documents(path: Path, text: str) -> list[Any]:
    """The YAML documents of a file (empty ones dropped); a syntax error names the file and line."""
    try:
        return [d for d in yaml.load_all(text, Loader=SAFE_LOADER) if d is not None]
    except yaml.YAMLError as e:
        raise RuleError(f"invalid YAML: {e}", source=str(path)) from e


def load_inventory(path: Path | None = None) -> Inventory:
    """The data inventory at ``path`` (default: the shipped one of the example organisation)."""
    path = path or DEFAULT_INVENTORY
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as e:
        raise InvalidInventory(f"{path}: {e}") from e
    return Inventory.from_dict(data, source=str(path))

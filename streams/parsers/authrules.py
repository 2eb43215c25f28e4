"""The machinery of the Linux auth rule tables: a message pattern with its ECS categorisation.

A rule gives ``event.category``, ``event.type``, ``event.action`` (a refinement) and, only when the line
is the one record of an authentication attempt or of a change, ``event.outcome``. Side notes about an
attempt that another line records (``info`` type) carry no outcome, so counting rules count each
attempt once. Named groups of the pattern become fields (see GROUP_FIELDS and INT_GROUPS).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from streams.parsers.base import address_fields

Fields = dict[str, Any]
Pick = Callable[[re.Match[str]], Any]

AUTH, NET, SESSION, PROCESS, IAM = ("authentication",), ("network",), ("session",), ("process",), ("iam",)
START, END, INFO, CONNECTION, PROTOCOL = ("start",), ("end",), ("info",), ("connection",), ("protocol",)

GROUP_FIELDS = {
    "user": "user.name", "user2": "user.name", "domain": "source.domain", "reason": "event.reason",
    "method": "openssh.method", "target": "user.target.name", "command": "process.command_line",
    "laddr": "server.address", "group": "group.name", "uid": "user.target.id", "gid": "group.id",
}
INT_GROUPS = {"port": "source.port", "dport": "destination.port", "lport": "server.port",
              "count": "openssh.failures"}


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    categories: tuple[str, ...] | Pick
    types: tuple[str, ...] | Pick
    action: str | Pick
    outcome: str | Pick | None = None
    extra: Mapping[str, Any] | None = None
    privilege: bool = False  # the "target" group is the user whose privileges were assumed (su, sudo)


def rule(pattern: str, categories: tuple[str, ...] | Pick, types: tuple[str, ...] | Pick, action: str | Pick,
         outcome: str | Pick | None = None, *, extra: Mapping[str, Any] | None = None,
         privilege: bool = False) -> Rule:
    return Rule(re.compile(pattern), categories, types, action, outcome, extra, privilege)


def as_notes(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """The same rules as side notes: no outcome, type ``info`` (the program records the attempt itself)."""
    return tuple(dataclasses.replace(r, types=INFO, outcome=None) for r in rules)


def classify(message: str, rules: Iterable[Rule]) -> Fields | None:
    """The schema fields of the first rule that matches ``message``, or None."""
    for candidate in rules:
        match = candidate.pattern.match(message)
        if match:
            return fields(candidate, match)
    return None


def fields(rule_: Rule, match: re.Match[str]) -> Fields:
    groups = {name: value for name, value in match.groupdict().items() if value not in (None, "")}
    found: Fields = {
        "event.category": list(_pick(rule_.categories, match)),
        "event.type": list(_pick(rule_.types, match)),
        "event.action": _pick(rule_.action, match),
        "event.outcome": _pick(rule_.outcome, match) if rule_.outcome else None,
    }
    found |= pam_pairs(groups.pop("kv", ""))
    found |= address_fields(groups.get("ip")) | address_fields(groups.get("dip"), "destination")
    found |= {GROUP_FIELDS[name]: value for name, value in groups.items() if name in GROUP_FIELDS}
    found |= {INT_GROUPS[name]: int(value) for name, value in groups.items() if name in INT_GROUPS}
    if rule_.privilege and "target" in groups:
        found["user.effective.name"] = groups["target"]
    if "group" in groups and "user.target.name" in found:
        found["user.target.group.name"] = groups["group"]
    if "invalid" in groups:
        found["event.reason"] = "invalid user"
    return found | dict(rule_.extra or {})


def _pick(choice: Any, match: re.Match[str]) -> Any:
    return choice(match) if callable(choice) else choice


_PAIR = re.compile(r"(\w+)=(\S*)")


def pam_pairs(text: str) -> Fields:
    """The fields of a PAM failure line ("logname= uid=0 euid=0 tty=ssh ruser= rhost=h user=root").

    ``ruser`` is the user who asked (su, sudo: the actor, ``user.name``); ``user`` the account PAM
    authenticated. When both are given and differ, the account is the user whose privileges were
    to be assumed (``user.target.name`` and ``user.effective.name``, as ECS defines them)."""
    if not text:
        return {}
    pairs = dict(_PAIR.findall(text))
    account, requester = pairs.get("user") or None, pairs.get("ruser") or None
    found = address_fields(pairs.get("rhost"))
    if requester and account and requester != account:
        return found | {"user.name": requester, "user.target.name": account, "user.effective.name": account}
    return found | {"user.name": account or requester}

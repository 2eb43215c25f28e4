"""sshd, PAM, sudo, su and logind messages as data: a pattern, categories, an action and an outcome each.

Named groups become fields (see GROUP_FIELDS). ``ssh_login`` is the login attempt itself (one per
"Accepted"/"Failed" line); the other authentication actions are sshd's and PAM's notices about the same
attempts, so a rule counting attempts should count ``ssh_login`` with outcome failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from streams.parsers.base import address_fields

Fields = dict[str, Any]
Pick = Callable[[re.Match[str]], str]

AUTH, NET, SESSION, PROCESS = ("authentication",), ("network",), ("session",), ("process",)
_BREAK_IN = {"event.reason": "POSSIBLE BREAK-IN ATTEMPT"}
_PRE = r"(?P<preauth> \[preauth\])?$"
_PEER = r"(?:(?:authenticating |invalid )?user (?P<user>.*?) )?(?P<ip>\S+)"

GROUP_FIELDS = {
    "user": "user.name", "user2": "user.name", "domain": "source.domain", "reason": "event.reason",
    "method": "openssh.method", "target": "user.target.name", "command": "process.command_line",
    "laddr": "server.address",
}
INT_GROUPS = {"port": "source.port", "dport": "destination.port", "lport": "server.port",
              "count": "openssh.failures"}


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    categories: tuple[str, ...]
    action: str | Pick
    outcome: str | Pick | None = None
    extra: Mapping[str, Any] | None = None


def _rule(pattern: str, categories: tuple[str, ...], action: str | Pick, outcome: str | Pick | None = None,
          extra: Mapping[str, Any] | None = None) -> Rule:
    return Rule(re.compile(pattern), categories, action, outcome, extra)


def _login_outcome(match: re.Match[str]) -> str:
    return {"Accepted": "success", "Failed": "failure"}.get(match["result"], "unknown")


def _login_action(match: re.Match[str]) -> str:
    return "ssh_login_postponed" if match["result"] == "Postponed" else "ssh_login"


def _session_action(match: re.Match[str]) -> str:
    return f"session_{match['what']}"


def _failed_if(group: str) -> Pick:
    return lambda match: "failure" if match[group] else "success"


RULES: tuple[Rule, ...] = (
    _rule(r"^pam_unix\([^:)]+:auth\): authentication failure; (?P<kv>.*)$", AUTH, "pam_auth_failure",
          "failure"),
    _rule(r"^(?:error: )?Received disconnect from (?P<ip>\S+?)(?: port (?P<port>\d+))?: ?"
          r"(?P<reason>\d+: .*?)" + _PRE, NET, "disconnect_received"),
    _rule(r"^(?P<result>Accepted|Failed|Postponed) (?P<method>\S+) for (?P<invalid>invalid user )?"
          r"(?P<user>.*?) from (?P<ip>\S+) port (?P<port>\d+)(?: ssh2?)?(?:: .*?)?" + _PRE, AUTH,
          _login_action, _login_outcome),
    _rule(r"^pam_unix\([^:)]+:auth\): check pass; user unknown$", AUTH, "pam_user_unknown", "failure"),
    _rule(r"^Invalid user (?P<user>.*?) from (?P<ip>\S+)(?: port (?P<port>\d+))?$", AUTH, "invalid_user",
          "failure"),
    _rule(r"^input_userauth_request: invalid user (?P<user>.*?)" + _PRE, AUTH, "invalid_user_request",
          "failure"),
    _rule(r"^reverse mapping checking getaddrinfo for (?P<domain>\S+) \[(?P<ip>[^\]]+)\] failed"
          r"(?: - POSSIBLE BREAK-IN ATTEMPT!)?$", NET, "reverse_dns_mismatch", extra=_BREAK_IN),
    _rule(r"^Address (?P<ip>\S+) maps to (?P<domain>[^\s,]+), but this does not map back to the address"
          r"(?: - POSSIBLE BREAK-IN ATTEMPT!)?$", NET, "reverse_dns_mismatch", extra=_BREAK_IN),
    _rule(r"^Connection closed by " + _PEER + r"(?: port (?P<port>\d+))?" + _PRE, NET, "connection_closed"),
    _rule(r"^Connection reset by " + _PEER + r"(?: port (?P<port>\d+))?" + _PRE, NET, "connection_reset"),
    _rule(r"^Disconnected from " + _PEER + r" port (?P<port>\d+)" + _PRE, NET, "disconnected"),
    _rule(r"^Did not receive identification string from (?P<ip>\S+)(?: port (?P<port>\d+))?$", NET,
          "no_identification_string"),
    _rule(r"^PAM (?P<count>\d+) more authentication failures?; (?P<kv>.*)$", AUTH, "pam_more_failures",
          "failure"),
    _rule(r"^PAM service\([^)]+\) ignoring max retries; (?P<count>\d+) > \d+$", AUTH,
          "pam_max_retries_exceeded", "failure"),
    _rule(r"^Disconnecting(?: (?:authenticating |invalid )?user (?P<user2>.*?) (?P<ip>\S+) "
          r"port (?P<port>\d+))?: Too many authentication failures(?: for (?:invalid user )?(?P<user>.*?))?"
          + _PRE, AUTH, "too_many_auth_failures", "failure"),
    _rule(r"^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?(?P<user>.*?) from "
          r"(?P<ip>\S+) port (?P<port>\d+)(?: ssh2)?" + _PRE, AUTH, "too_many_auth_failures", "failure"),
    _rule(r"^User (?P<user>\S+) from (?P<ip>\S+) not allowed because (?P<reason>.+)$", AUTH,
          "user_not_allowed", "failure"),
    _rule(r"^error: PAM: (?P<reason>.+?) for (?:illegal user |invalid user )?(?P<user>.*?) from (?P<ip>\S+)$",
          AUTH, "pam_auth_failure", "failure"),
    _rule(r"^pam_unix\([^:)]+:account\): (?P<reason>.+)$", AUTH, "pam_account_denied", "failure"),
    _rule(r"^pam_unix\([^:)]+:session\): session (?P<what>opened|closed) for user (?P<user>[^\s(]+)"
          r"(?:\(uid=\d+\))?(?: by .*)?$", SESSION, _session_action, "success"),
    _rule(r"^New session (?P<session>\S+) of user (?P<user>\S+?)\.?$", SESSION, "session_opened", "success"),
    _rule(r"^Removed session (?P<session>\S+?)\.?$", SESSION, "session_closed", "success"),
    _rule(r"^Starting session: .+? for (?P<user>\S+) from (?P<ip>\S+) port (?P<port>\d+)(?: id \d+)?$",
          SESSION, "session_started", "success"),
    _rule(r"^Connection from (?P<ip>\S+) port (?P<port>\d+)(?: on (?P<dip>\S+) port (?P<dport>\d+))?"
          r"(?: rdomain \"[^\"]*\")?$", NET, "connection_opened"),
    _rule(r"^Unable to negotiate with (?P<ip>\S+) port (?P<port>\d+): (?P<reason>.+?)" + _PRE, NET,
          "negotiation_failed", "failure"),
    _rule(r"^(?:error: )?kex_exchange_identification: (?P<reason>.+)$", NET, "kex_failed", "failure"),
    _rule(r"^banner exchange: Connection from (?P<ip>\S+) port (?P<port>\d+): (?P<reason>.+)$", NET,
          "bad_banner", "failure"),
    _rule(r"^Bad protocol version identification '.*' from (?P<ip>\S+)(?: port (?P<port>\d+))?$", NET,
          "bad_protocol_version", "failure"),
    _rule(r"^Timeout before authentication for (?P<ip>\S+)(?: port (?P<port>\d+))?$", NET, "auth_timeout",
          "failure"),
    _rule(r"^Server listening on (?P<laddr>\S+) port (?P<lport>\d+)\.?$", PROCESS, "server_listening"),
    _rule(r"^Received signal \d+; terminating\.?$", PROCESS, "server_stopped"),
    _rule(r"^\s*(?P<user>\S+) : (?:(?P<reason>[^;=]+?) ; )?TTY=\S+ ; PWD=.*? ; USER=(?P<target>\S+) ;"
          r"(?: [A-Z_]+=\S* ;)* COMMAND=(?P<command>.*)$", PROCESS, "sudo_command", _failed_if("reason")),
    _rule(r"^(?P<result>Successful|FAILED) su for (?P<target>\S+) by (?P<user>\S+)$", AUTH, "su",
          lambda match: "success" if match["result"] == "Successful" else "failure"),
    _rule(r"^(?:fatal|error): (?P<reason>.+?)" + _PRE, PROCESS, "sshd_error"),
)


def classify(message: str) -> Fields | None:
    """The schema fields for one sshd/PAM message, or None when no rule knows it."""
    for rule in RULES:
        match = rule.pattern.match(message)
        if match:
            return _fields(rule, match)
    return None


def _fields(rule: Rule, match: re.Match[str]) -> Fields:
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    fields: Fields = {
        "event.category": list(_categories(rule, groups)),
        "event.action": _pick(rule.action, match),
        "event.outcome": _pick(rule.outcome, match) if rule.outcome else None,
    }
    fields |= _pam_pairs(groups.pop("kv", ""))
    fields |= address_fields(groups.get("ip")) | address_fields(groups.get("dip"), "destination")
    fields |= {GROUP_FIELDS[name]: value for name, value in groups.items() if name in GROUP_FIELDS}
    fields |= {INT_GROUPS[name]: int(value) for name, value in groups.items() if name in INT_GROUPS}
    if "invalid" in groups:
        fields["event.reason"] = "invalid user"
    return fields | dict(rule.extra or {})


def _categories(rule: Rule, groups: Mapping[str, str]) -> tuple[str, ...]:
    # sshd's pre-authentication errors are about a network peer, not about the sshd process itself.
    return NET if rule.action == "sshd_error" and "preauth" in groups else rule.categories


def _pick(choice: str | Pick, match: re.Match[str]) -> str:
    return choice if isinstance(choice, str) else choice(match)


_PAIR = re.compile(r"(\w+)=(\S*)")


def _pam_pairs(text: str) -> Fields:
    """``rhost=`` and ``user=`` of a pam_unix failure line ("logname= uid=0 ... rhost=h user=root")."""
    pairs = dict(_PAIR.findall(text))
    return address_fields(pairs.get("rhost")) | {"user.name": pairs.get("user") or None}

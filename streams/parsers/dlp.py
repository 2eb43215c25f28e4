"""Generic DLP alert JSON (mail, endpoint or cloud-file policy matches) in common products' field names.

Mail alerts (channel email/exchange, or any alert with recipients) become ``mail_sent`` with category
email, or ``mail_sent_external`` when a recipient is outside the organisation: the alert says so
(EXTERNAL), or a recipient's domain differs from the sender's. Other channels become ``dlp_match``.
Outcome: failure when the product blocked the activity (the data did not leave), success when it only
notified, audited or encrypted. datalek.records is the number of sensitive matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from streams.parsers.alertfields import common, enforcement, text
from streams.parsers.base import ParseContext, ParseResult, Unparseable
from streams.parsers.jsondocs import first, parse_records

DATASET = "dlp.alert"
MAIL_CHANNELS = frozenset({"email", "mail", "exchange", "smtp", "outlook"})
WEB_CHANNELS = frozenset({"web", "http", "https", "browser"})

POLICY = ("rule.name", "policy", "policy_name", "policyName", "rule", "rule_name", "ruleName")
SENDER = ("email.from.address", "sender", "from", "user.name", "user", "userPrincipalName", "actor")
RECIPIENTS = ("email.to.address", "recipients", "to", "recipient")
CHANNEL = ("channel", "workload", "location", "source")
ACTION = ("action_taken", "actionTaken", "action", "enforcement", "disposition")
EXTERNAL = ("external", "is_external", "isExternal", "external_recipients")
MATCHES = ("match_count", "matchCount", "matches", "count", "sensitive_info_count")
SENSITIVE = ("sensitive_info_types", "sensitiveInfoTypes", "sensitive_types", "data_types")
FILE_NAME = ("file.name", "file_name", "fileName", "attachment")


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """One alert event per record; arrays and {"alerts": [...]} envelopes are unwrapped."""
    return parse_records(lines, context=context, mapper=to_event, envelopes=("alerts",))


def to_event(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    policy = text(record, *POLICY)
    if not policy:
        raise Unparseable("alert has no policy or rule name")
    sender, recipients = text(record, *SENDER), _addresses(first(record, *RECIPIENTS))
    channel = (text(record, *CHANNEL) or "").lower()
    mail = channel in MAIL_CHANNELS or bool(recipients)
    external = _external(record, sender, recipients)
    blocked = enforcement(text(record, *ACTION))
    return {
        **common(record, context), "event.dataset": DATASET, "rule.name": policy,
        "event.category": ["email"] if mail else ["web"] if channel in WEB_CHANNELS else ["file"],
        "event.action": ("mail_sent_external" if external else "mail_sent") if mail else "dlp_match",
        "event.outcome": {"blocked": "failure", "allowed": "success"}.get(blocked or ""),
        "user.name": sender, "email.from.address": sender if mail else None, "email.to.address": recipients,
        "file.name": text(record, *FILE_NAME), "tags": ["external_recipient"] if external else None,
        "datalek.records": _match_count(record), "dlp.sensitive_types": _sensitive_names(record),
    }


def _addresses(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").replace(";", ",").split(",")
    found = ((item.get("address") or item.get("email")) if isinstance(item, Mapping) else item
             for item in items)
    return [str(address).strip() for address in found if address and str(address).strip()]


def _external(record: Mapping[str, Any], sender: str | None, recipients: list[str]) -> bool:
    flag = first(record, *EXTERNAL)
    if flag is not None:
        return bool(flag) and str(flag).lower() not in ("false", "0", "no")
    home = _domain(sender)
    return bool(home) and any(_domain(address) != home for address in recipients)


def _domain(address: str | None) -> str | None:
    return address.rpartition("@")[2].lower() if address and "@" in address else None


def _match_count(record: Mapping[str, Any]) -> int | None:
    count = first(record, *MATCHES)
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    if isinstance(count, str) and count.isdigit():
        return int(count)
    per_type = [item.get("count") for item in _sensitive(record)]
    return sum(n for n in per_type if isinstance(n, int)) or None


def _sensitive(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = first(record, *SENSITIVE)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _sensitive_names(record: Mapping[str, Any]) -> list[str]:
    value = first(record, *SENSITIVE)
    items = value if isinstance(value, list) else []
    names = (item.get("name") if isinstance(item, Mapping) else item for item in items)
    return [str(name) for name in names if isinstance(name, str) and name]

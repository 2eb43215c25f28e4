"""Okta System Log events (LogEvent objects from /api/v1/logs, log streaming, or event hooks).

``event.code`` keeps eventType. outcome.result SUCCESS/ALLOW is a success, FAILURE/DENY a failure,
the rest (CHALLENGE, SKIPPED, UNKNOWN) unknown; outcome.reason becomes event.reason. The client's
geolocation is kept (source.geo.*) for impossible-travel rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from streams.parsers.base import ParseContext, ParseResult, Unparseable, address_fields, iso_utc, parse_time
from streams.parsers.jsondocs import first, parse_records

DATASET = "okta.system"
AUTH, IAM = ("authentication",), ("iam",)

EVENT_TYPES: Mapping[str, tuple[tuple[str, ...], str]] = {
    "user.session.start": (("authentication", "session"), "login"),
    "user.session.end": (("session",), "logout"),
    "user.authentication.sso": (AUTH, "sso_login"),
    "user.authentication.auth_via_mfa": (AUTH, "mfa"),
    "user.authentication.verify": (AUTH, "verify"),
    "policy.evaluate_sign_on": (AUTH, "sign_on_policy_evaluated"),
    "user.account.lock": (("authentication", "iam"), "account_locked"),
    "user.account.unlock": (IAM, "account_unlocked"),
    "user.account.reset_password": (IAM, "password_reset"),
    "user.account.update_password": (IAM, "password_changed"),
    "user.account.privilege.grant": (IAM, "privilege_granted"),
    "user.mfa.factor.deactivate": (IAM, "mfa_factor_removed"),
    "user.mfa.factor.reset_all": (IAM, "mfa_factor_removed"),
    "group.user_membership.add": (IAM, "group_member_added"),
    "application.user_membership.add": (IAM, "app_access_granted"),
    "security.threat.detected": (("intrusion_detection",), "threat_detected"),
}
CONFIG = ("configuration",)
PREFIX_CATEGORIES = (("user.session.", ("session",)), ("user.authentication.", AUTH), ("user.", IAM),
                     ("group.", IAM), ("application.user_membership.", IAM),
                     ("security.", ("intrusion_detection",)), ("policy.", CONFIG), ("system.", CONFIG),
                     ("application.", CONFIG))
RESULTS = {"SUCCESS": "success", "ALLOW": "success", "FAILURE": "failure", "DENY": "failure"}


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """One event per LogEvent; also unwraps arrays and event-hook bodies {"data": {"events": [...]}}."""
    return parse_records(lines, context=context, mapper=to_event, envelopes=("data.events",))


def to_event(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    event_type = record.get("eventType")
    if not isinstance(event_type, str) or not event_type:
        raise Unparseable("missing eventType")
    categories, action = EVENT_TYPES.get(event_type) or _unlisted(event_type)
    result = first(record, "outcome.result")
    return {
        "@timestamp": _time(record.get("published")), "event.dataset": DATASET,
        "event.id": record.get("uuid"), "event.code": event_type, "event.category": list(categories),
        "event.action": action,
        "event.kind": "alert" if event_type.startswith("security.threat") else "event",
        "event.outcome": RESULTS.get(str(result), "unknown") if result else None,
        "event.reason": first(record, "outcome.reason"),
        "user.name": _actor_user(record.get("actor")), "user.id": first(record, "actor.id"),
        "user.target.name": _target_user(record.get("target")),
        "user_agent.original": first(record, "client.userAgent.rawUserAgent"),
        **address_fields(first(record, "client.ipAddress")), **_geo(record),
    }


def _unlisted(event_type: str) -> tuple[tuple[str, ...], str]:
    categories = next((cats for prefix, cats in PREFIX_CATEGORIES if event_type.startswith(prefix)), ("api",))
    return categories, event_type.replace(".", "_")


def _time(value: Any) -> str:
    try:
        return iso_utc(parse_time(value))
    except (ValueError, OverflowError, OSError) as e:
        raise Unparseable("missing or invalid published time") from e


def _actor_user(actor: Any) -> str | None:
    """The actor's login when the actor is a person (apps and Okta itself have alternateId "unknown")."""
    if not isinstance(actor, Mapping) or actor.get("type", "User") != "User":
        return None
    login = actor.get("alternateId")
    return str(login) if login and login != "unknown" else None


def _target_user(targets: Any) -> str | None:
    for target in targets if isinstance(targets, list) else ():
        if isinstance(target, Mapping) and target.get("type") == "User" and target.get("alternateId"):
            return str(target["alternateId"])
    return None


def _geo(record: Mapping[str, Any]) -> dict[str, Any]:
    lat = first(record, "client.geographicalContext.geolocation.lat")
    lon = first(record, "client.geographicalContext.geolocation.lon")
    return {"source.geo.country_name": first(record, "client.geographicalContext.country"),
            "source.geo.city_name": first(record, "client.geographicalContext.city"),
            "source.geo.location": {"lat": lat, "lon": lon} if lat is not None and lon is not None else None}

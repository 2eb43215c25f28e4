"""Does an S3 bucket policy grant everyone access? Read as AWS defines "public" for S3.

A statement makes a bucket public when its ``Effect`` is ``Allow``, its ``Principal`` is everyone (``"*"`` or
``{"AWS": "*"}``), and no condition pins it to fixed values of the keys AWS counts as restricting (source IP
or VPC, an account, an organisation, a principal ARN: "The meaning of public", Amazon S3 User Guide). So the
``Deny`` with ``Principal: "*"`` that AWS itself recommends (no plain HTTP: ``aws:SecureTransport`` false,
Security Hub control S3.5) is no exposure, nor is an ``Allow`` limited to one VPC endpoint.

Producers carry the policy as an object (CloudTrail's ``requestParameters.bucketPolicy``, Elastic's
``aws.cloudtrail.flattened.request_parameters``), as JSON text, or as the Java ``Map.toString`` text of Elastic's
``aws.cloudtrail.request_parameters`` (``{bucketPolicy={Statement=[{Effect=Allow, Principal=*}]}}``).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from typing import Any

RESTRICTING = frozenset(k.lower() for k in (
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner",
    "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:userid",
    "aws:username", "s3:DataAccessPointArn", "s3:DataAccessPointAccount"))
OPEN_NETWORKS = ("0.0.0.0/0", "::/0")


def public(policy: Any) -> bool | None:
    """True when the policy grants everyone access, False when it does not, None when it cannot be read."""
    if isinstance(policy, str):
        policy = _read(policy)
        if policy is None:
            return None
    if isinstance(policy, Mapping):
        for key in ("bucketPolicy", "policy", "Policy"):  # the request parameters around the policy
            if key in policy:
                return public(policy[key])
        if "Statement" in policy:
            return public(policy["Statement"])
        policy = [policy]
    if not isinstance(policy, list):
        return None
    return any(isinstance(s, Mapping) and _public_statement(s) for s in policy)


def _public_statement(statement: Mapping[str, Any]) -> bool:
    return (str(statement.get("Effect", "")).lower() == "allow" and _everyone(statement.get("Principal"))
            and not _restricted(statement.get("Condition")))


def _everyone(principal: Any) -> bool:
    if isinstance(principal, Mapping):
        return any(_everyone(value) for value in principal.values())
    if isinstance(principal, list):
        return any(_everyone(value) for value in principal)
    return str(principal).strip() == "*"


def _restricted(condition: Any) -> bool:
    """A condition with a restricting key fixed to values that are not wildcards (nor an open network)."""
    if not isinstance(condition, Mapping):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, Mapping) or "ifexists" in str(operator).lower():
            continue
        for key, values in tests.items():
            if str(key).lower() not in RESTRICTING:
                continue
            values = values if isinstance(values, list) else [values]
            if values and all(_fixed(str(v)) for v in values):
                return True
    return False


def _fixed(value: str) -> bool:
    if "*" in value or "?" in value or value.strip() in OPEN_NETWORKS:
        return False
    try:
        return ipaddress.ip_network(value.strip(), strict=False).prefixlen >= 8
    except ValueError:
        return bool(value.strip())


def _read(text: str) -> Any:
    """JSON or Java text; None when it is neither, or nested past Python's recursion limit (crafted input)."""
    try:
        return json.loads(text)
    except RecursionError:
        return None
    except ValueError:
        pass
    text = text.strip()
    try:
        value, rest = _java(text, 0)
    except (IndexError, ValueError, RecursionError):
        return None
    return value if rest == len(text) else None


_SCALAR_END = re.compile(r",\s|[}\]]")


def _java(text: str, at: int) -> tuple[Any, int]:
    """One value of Java's ``Map.toString``/``List.toString`` text from ``at``: (value, end)."""
    if text[at] == "{":
        result: dict[str, Any] = {}
        at += 1
        while text[at] != "}":
            equals = text.index("=", at)
            key = text[at:equals].strip()
            if not key or any(c in key for c in "{}[],"):
                raise ValueError(f"not a key: {key!r}")
            result[key], at = _java(text, equals + 1)
            at = _separator(text, at, "}")
        return result, at + 1
    if text[at] == "[":
        items: list[Any] = []
        at += 1
        while text[at] != "]":
            item, at = _java(text, at)
            items.append(item)
            at = _separator(text, at, "]")
        return items, at + 1
    end = _SCALAR_END.search(text, at)
    stop = end.start() if end else len(text)
    return text[at:stop].strip(), stop


_SPACES = re.compile(r"\s*")


def _separator(text: str, at: int, closing: str) -> int:
    if text[at] == closing:
        return at
    if text[at] == ",":
        return _SPACES.match(text, at + 1).end()  # type: ignore[union-attr]
    raise ValueError(f"unexpected {text[at]!r} at {at}")

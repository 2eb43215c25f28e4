"""AWS CloudTrail records: one per line (CloudTrail Lake, EventBridge, Lookup exports) or the S3 log
file form {"Records": [...]}.

``event.code`` keeps eventName. A bucket policy or ACL that grants access to everyone becomes
``share_public`` (a policy statement that allows Principal "*" unless a condition pins it to a network, an
account or an organisation: ``streams.normalise.aws_policy``; an ACL grant to the
AllUsers/AuthenticatedUsers groups or a public canned ACL; a public access block with a protection switched
off). ECS categorisation and ``datalek.exposure`` come from the aws-cloudtrail producer mapping. S3
objects become file.* fields and the bucket's ARN (arn:aws:s3:::NAME) is ``datalek.asset``, the id to list
in the data inventory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from streams.normalise.aws_policy import public as public_policy
from streams.parsers.base import ParseContext, ParseResult, Unparseable, address_fields, iso_utc, parse_time
from streams.parsers.jsondocs import first, flat_get, parse_records

DATASET = "aws.cloudtrail"
FILE, CONFIG = ("file",), ("configuration", "iam")

EVENTS: Mapping[str, tuple[tuple[str, ...], str]] = {
    "ConsoleLogin": (("authentication",), "console_login"),
    "GetObject": (FILE, "file_download"),
    "PutObject": (FILE, "file_upload"),
    "CopyObject": (FILE, "file_copy"),
    "DeleteObject": (FILE, "file_delete"),
    "DeleteObjects": (FILE, "file_delete"),
    "PutBucketPolicy": (CONFIG, "bucket_policy_changed"),
    "PutBucketAcl": (CONFIG, "bucket_acl_changed"),
    "DeleteBucketPublicAccessBlock": (CONFIG, "public_access_block_removed"),
    "PutBucketPublicAccessBlock": (CONFIG, "public_access_block_changed"),
}
IDENTITY_SERVICES = frozenset({"iam.amazonaws.com", "sts.amazonaws.com", "sso.amazonaws.com",
                               "identitystore.amazonaws.com"})
CHANGE_VERB = re.compile(r"^(?:Put|Create|Update|Delete|Attach|Detach|Modify|Set|Add|Remove|Enable|Disable)")
PUBLIC_BLOCKS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
PUBLIC_GRANTEES = ("acs.amazonaws.com/groups/global/AllUsers", 
                   "acs.amazonaws.com/groups/global/AuthenticatedUsers", "public-read", "authenticated-read")


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """One event per CloudTrail record; Rejected for records without eventName or eventTime."""
    return parse_records(lines, context=context, mapper=to_event, envelopes=("Records",))


def to_event(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    name = record.get("eventName")
    if not isinstance(name, str) or not name:
        raise Unparseable("missing eventName")
    categories, action = EVENTS.get(name) or _unlisted(name, str(record.get("eventSource")))
    raw_params = record.get("requestParameters")
    params: Mapping[str, Any] = raw_params if isinstance(raw_params, Mapping) else {}
    return {
        "@timestamp": _time(record.get("eventTime")), "event.dataset": DATASET,
        "event.id": record.get("eventID"), "event.code": name, "event.provider": record.get("eventSource"),
        "event.category": list(categories),
        "event.action": "share_public" if _made_public(name, params) else action,
        "event.outcome": _outcome(record), "event.reason": first(record, "errorMessage", "errorCode"),
        "user.name": _principal(record.get("userIdentity")), "user_agent.original": record.get("userAgent"),
        "cloud.provider": "aws", "cloud.region": record.get("awsRegion"),
        "cloud.account.id": first(record, "recipientAccountId", "userIdentity.accountId"),
        **address_fields(record.get("sourceIPAddress")), **_s3_fields(name, params, record),
        **_iam_fields(record, params),
    }


def _iam_fields(record: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """The IAM user a change is about (AddUserToGroup, AttachUserPolicy, PutUserPolicy, CreateAccessKey ...):
    ``requestParameters.userName``, as ECS ``user.target.name``; the group in ``group.name``."""
    if record.get("eventSource") != "iam.amazonaws.com":
        return {}
    return {"user.target.name": params.get("userName"), "group.name": params.get("groupName")}


def _unlisted(name: str, service: str) -> tuple[tuple[str, ...], str]:
    action = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    if service == "signin.amazonaws.com":
        return ("authentication",), action
    if service in IDENTITY_SERVICES:
        return ("iam",), action
    return (("configuration",) if CHANGE_VERB.match(name) else ("api",)), action


def _time(value: Any) -> str:
    try:
        return iso_utc(parse_time(value))
    except (ValueError, OverflowError, OSError) as e:
        raise Unparseable("missing or invalid eventTime") from e


def _outcome(record: Mapping[str, Any]) -> str:
    login = flat_get(record, "responseElements.ConsoleLogin")
    return "failure" if record.get("errorCode") or login == "Failure" else "success"


def _principal(identity: Any) -> str | None:
    """userName; "root" for the root user; else the ARN's resource part (role/session for assumed roles)."""
    if not isinstance(identity, Mapping):
        return None
    if identity.get("userName"):
        return str(identity["userName"])
    if identity.get("type") == "Root":
        return "root"
    arn = str(identity.get("arn") or "")
    return arn.split("/", 1)[1] if "/" in arn else (identity.get("principalId") or None)


def _s3_fields(name: str, params: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    bucket, key = params.get("bucketName"), params.get("key")
    if not bucket:
        return {}
    return {
        "datalek.asset": f"arn:aws:s3:::{bucket}", "file.path": f"s3://{bucket}/{key}" if key else None,
        "file.name": str(key).rsplit("/", 1)[-1] if key else None,
        "http.response.bytes": _int(flat_get(record, "additionalEventData.bytesTransferredOut")),
        "datalek.records": _deleted_count(params) if name == "DeleteObjects" else None,
    }


def _deleted_count(params: Mapping[str, Any]) -> int | None:
    objects = flat_get(params, "delete.Object")
    if isinstance(objects, list):
        return len(objects)
    return 1 if isinstance(objects, Mapping) else None


def _made_public(name: str, params: Mapping[str, Any]) -> bool:
    if name == "PutBucketPolicy":
        return public_policy(params.get("bucketPolicy")) is True
    if name == "PutBucketAcl":
        text = json.dumps(params)
        return any(grantee in text for grantee in PUBLIC_GRANTEES)
    if name == "PutBucketPublicAccessBlock":
        return _block_switched_off(params.get("PublicAccessBlockConfiguration"))
    return False


def _block_switched_off(config: Any) -> bool:
    """A public access block with one of its four protections set to false no longer keeps the bucket private."""
    return isinstance(config, Mapping) and any(config.get(name) is False or str(config.get(name)).lower() == "false"
                                               for name in PUBLIC_BLOCKS)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    return int(value) if isinstance(value, str) and value.isdigit() else None

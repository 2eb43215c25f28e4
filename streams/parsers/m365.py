"""Microsoft 365 unified audit log records (Office 365 Management Activity API common schema).

Input: the API's JSON arrays, JSON Lines, or the AuditData column of a Purview export. CreationTime
carries no zone; the API documents it as UTC, so it is read as UTC whatever the context says.
``event.code`` keeps the original Operation; OPERATIONS maps the ones that matter for personal-data
breaches, the others get their Operation in snake case and a category by workload.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC
from typing import Any

from streams.parsers.base import ParseContext, ParseResult, Unparseable, address_fields, iso_utc, parse_time
from streams.parsers.jsondocs import first, parse_records

DATASET = "m365.audit"
AUTH, FILE, EMAIL, IAM, SHARE = ("authentication",), ("file",), ("email",), ("iam",), ("file", "iam")

OPERATIONS: Mapping[str, tuple[tuple[str, ...], str, str | None]] = {
    "UserLoggedIn": (AUTH, "login", "success"),
    "UserLoginFailed": (AUTH, "login", "failure"),
    "FileDownloaded": (FILE, "file_download", "success"),
    "FileSyncDownloadedFull": (FILE, "file_download", "success"),
    "FileAccessed": (FILE, "file_access", "success"),
    "FileAccessedExtended": (FILE, "file_access", "success"),
    "FilePreviewed": (FILE, "file_access", "success"),
    "FileUploaded": (FILE, "file_upload", "success"),
    "FileModified": (FILE, "file_modify", "success"),
    "FileDeleted": (FILE, "file_delete", "success"),
    "FileRecycled": (FILE, "file_delete", "success"),
    "MailItemsAccessed": (EMAIL, "mail_items_accessed", "success"),
    "Send": (EMAIL, "mail_sent", "success"),
    "SendAs": (EMAIL, "mail_sent", "success"),
    "SendOnBehalf": (EMAIL, "mail_sent", "success"),
    "HardDelete": (EMAIL, "mail_delete", "success"),
    "SoftDelete": (EMAIL, "mail_delete", "success"),
    "New-InboxRule": (("email", "configuration"), "inbox_rule_changed", None),
    "Set-InboxRule": (("email", "configuration"), "inbox_rule_changed", None),
    "UpdateInboxRules": (("email", "configuration"), "inbox_rule_changed", None),
    "SharingSet": (SHARE, "share", "success"),
    "SharingInvitationCreated": (SHARE, "share", "success"),
    "CompanyLinkCreated": (SHARE, "share", "success"),
    "SecureLinkCreated": (SHARE, "share", "success"),
    "AddedToSecureLink": (SHARE, "share", "success"),
    "AnonymousLinkCreated": (SHARE, "share_public", "success"),
    "AnonymousLinkUpdated": (SHARE, "share_public", "success"),
    "AnonymousLinkUsed": (FILE, "public_link_used", "success"),
    "Add member to role.": (IAM, "role_member_added", None),
    "Add user.": (IAM, "user_created", None),
    "Reset user password.": (IAM, "password_reset", None),
}
FIXED_OUTCOME = frozenset({"UserLoggedIn", "UserLoginFailed"})  # ResultStatus is unreliable on STS logons
WORKLOADS = {"AzureActiveDirectory": IAM, "Exchange": EMAIL, "SharePoint": FILE, "OneDrive": FILE}
STATUSES = {"succeeded": "success", "success": "success", "true": "success", "failed": "failure",
            "failure": "failure", "false": "failure", "partiallysucceeded": "unknown"}


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """One event per audit record; Rejected for records without Operation or CreationTime."""
    return parse_records(lines, context=context, mapper=to_event)


def to_event(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    operation = record.get("Operation")
    if not isinstance(operation, str) or not operation:
        raise Unparseable("missing Operation")
    categories, action, default = OPERATIONS.get(operation) or _unlisted(operation, record.get("Workload"))
    return {
        "@timestamp": _created(record.get("CreationTime")), "event.dataset": DATASET,
        "event.id": record.get("Id"), "event.code": operation, "event.provider": record.get("Workload"),
        "event.category": list(categories), "event.action": _share_action(action, record),
        "event.outcome": _outcome(operation, record.get("ResultStatus"), default),
        "event.reason": first(record, "LogonError", "ErrorNumber"),
        "user.name": record.get("UserId"), "organization.id": record.get("OrganizationId"),
        "user_agent.original": first(record, "UserAgent") or _extended(record, "UserAgent"),
        **address_fields(first(record, "ClientIP", "ClientIPAddress", "ActorIpAddress")),
        **_object_fields(record),
        "datalek.records": _mail_items(record) if operation == "MailItemsAccessed" else None,
        "event.type": ["info", "denied"] if operation == "DlpRuleMatch" and _dlp_blocked(record) else None,
    }


def _dlp_blocked(record: Mapping[str, Any]) -> bool:
    """Whether a DLP rule that matched also blocked the item (Purview rule actions ``BlockAccess`` ...)."""
    rules = [r for p in record.get("PolicyDetails") or () if isinstance(p, Mapping)
             for r in p.get("Rules") or () if isinstance(r, Mapping)]
    return any(str(a).lower().startswith("block") for r in rules for a in r.get("Actions") or ())


def _unlisted(operation: str, workload: Any) -> tuple[tuple[str, ...], str, None]:
    action = re.sub(r"[^a-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation).lower()).strip("_")
    return WORKLOADS.get(str(workload), ("api",)), action, None


def _created(value: Any) -> str:
    try:
        return iso_utc(parse_time(value, tz=UTC))
    except (ValueError, OverflowError, OSError) as e:
        raise Unparseable("missing or invalid CreationTime") from e


def _outcome(operation: str, status: Any, default: str | None) -> str | None:
    if operation in FIXED_OUTCOME:
        return default
    return STATUSES.get(str(status).lower()) if status not in (None, "") else default


def _share_action(action: str, record: Mapping[str, Any]) -> str:
    """A share with a guest (external user) is ``share_external``."""
    target = f"{record.get('TargetUserOrGroupName', '')}"
    external = record.get("TargetUserOrGroupType") == "Guest" or "#ext#" in target.lower()
    return "share_external" if action == "share" and external else action


def _object_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    owner = record.get("MailboxOwnerUPN")
    target = (first(record, "TargetUserOrGroupName") or (owner if owner != record.get("UserId") else None)
              or _directory_target(record))
    return {"file.name": record.get("SourceFileName"), "file.extension": record.get("SourceFileExtension"),
            "file.path": record.get("ObjectId") if record.get("SourceFileName") else None,
            "datalek.asset": record.get("SiteUrl"), "user.target.name": target}


UPN = 5  # IdentityType of an Azure AD Target/Actor entry: UserPrincipalName (Management Activity API schema)


def _directory_target(record: Mapping[str, Any]) -> str | None:
    """The account an Azure AD change is about (role or group member added, user changed): the Target entry
    holding its user principal name, other than the actor."""
    if record.get("Workload") != "AzureActiveDirectory":
        return None
    for item in record.get("Target") or ():
        if isinstance(item, Mapping) and item.get("Type") == UPN and item.get("ID") != record.get("UserId"):
            return str(item["ID"])
    return None


def _extended(record: Mapping[str, Any], name: str) -> Any:
    for item in record.get("ExtendedProperties") or ():
        if isinstance(item, Mapping) and item.get("Name") == name:
            return item.get("Value")
    return None


def _mail_items(record: Mapping[str, Any]) -> int | None:
    """Messages touched: the items listed per folder, else the aggregated OperationCount."""
    folders = record.get("Folders") or ()
    items = sum(len(f.get("FolderItems") or ()) for f in folders if isinstance(f, Mapping))
    count = record.get("OperationCount")
    return items or (int(count) if isinstance(count, int | str) and str(count).isdigit() else None)

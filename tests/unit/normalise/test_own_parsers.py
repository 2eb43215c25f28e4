"""datalek's own parsers emit the contract's categorisation (CONTRACT.md "Categorisation by pattern").

Records follow the vendors' documented formats: Office 365 Management Activity API common schema, Okta
System Log LogEvent, AWS CloudTrail record, and the generic EDR/DLP alert and combined access-log formats.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from streams.parsers import FORMATS, ParseContext, Parsed
from streams.parsers.checks import problems
from tests.unit.normalise.support import expect


def parse(fmt: str, record: Any) -> dict[str, Any]:
    line = record if isinstance(record, str) else json.dumps(record)
    [result] = FORMATS[fmt]([line], context=ParseContext(source="t"))
    assert isinstance(result, Parsed), result
    assert problems(result.event) == []
    return result.event


def m365(operation: str, workload: str = "SharePoint", **extra: Any) -> dict[str, Any]:
    return {"CreationTime": "2026-03-03T08:00:00", "Id": f"id-{operation}", "Operation": operation,
            "OrganizationId": "org", "RecordType": 6, "ResultStatus": "Succeeded", "UserKey": "k",
            "UserType": 0, "Workload": workload, "UserId": "medewerker1@example.nl", "ClientIP": "198.51.100.7",
            **extra}


def okta(event_type: str, result: str) -> dict[str, Any]:
    return {"uuid": f"u-{event_type}", "published": "2026-03-03T08:00:00.000Z", "eventType": event_type,
            "actor": {"type": "User", "alternateId": "marieke@example.nl"}, "outcome": {"result": result},
            "client": {"ipAddress": "203.0.113.45"}, "target": [{"type": "User", "alternateId": "piet@example.nl"}]}


def trail(name: str, source: str = "s3.amazonaws.com", params: Any = None, **extra: Any) -> dict[str, Any]:
    return {"eventVersion": "1.08", "eventTime": "2026-03-03T08:00:00Z", "eventSource": source,
            "eventName": name, "awsRegion": "eu-west-1", "sourceIPAddress": "203.0.113.50",
            "userIdentity": {"type": "IAMUser", "userName": "ops"}, "requestParameters": params,
            "eventID": f"e-{name}", **extra}


ACL_PUBLIC = {"bucketName": "klantdata", "AccessControlPolicy": {"AccessControlList": {"Grant": [
    {"Grantee": {"xsi:type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
     "Permission": "READ"}]}}}
BLOCK_OFF = {"bucketName": "klantdata", "PublicAccessBlockConfiguration": {
    "BlockPublicAcls": False, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}}
BLOCK_ON = {"bucketName": "klantdata", "PublicAccessBlockConfiguration": {
    "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}}
WEB = '203.0.113.9 - {user} [03/Mar/2026:23:40:00 +0100] "{request} HTTP/1.1" {status} {size} "-" "curl/8.0"'

CASES = [
    ("m365", m365("UserLoginFailed", "AzureActiveDirectory", ResultStatus="Success"),
     {"category": ["authentication"], "type": ["start"], "outcome": "failure"}),
    ("m365", m365("UserLoggedIn", "AzureActiveDirectory"), {"category": ["authentication"], "outcome": "success"}),
    ("m365", m365("FileDownloaded", SourceFileName="klanten.xlsx"), {"category": ["file"], "type": ["access"],
                                                                     "outcome": "success"}),
    ("m365", m365("FileDeleted"), {"category": ["file"], "type": ["deletion"]}),
    ("m365", m365("MailItemsAccessed", "Exchange"), {"category": ["email"], "type": ["access"]}),
    ("m365", m365("AnonymousLinkCreated", SourceFileName="klanten.xlsx"), {"type": ["creation"],
                                                                           "exposure": "public"}),
    ("m365", m365("Add member to role.", "AzureActiveDirectory"), {"category": ["iam"],
                                                                   "type": ["admin", "change"]}),
    ("okta", okta("user.session.start", "FAILURE"), {"category": ["authentication", "session"],
                                                     "type": ["start"], "outcome": "failure"}),
    ("okta", okta("user.account.lock", "FAILURE"), {"type": ["user", "change"], "outcome": "success"}),
    ("okta", okta("group.user_membership.add", "SUCCESS"), {"category": ["iam"], "type": ["group", "change"]}),
    ("cloudtrail", trail("ConsoleLogin", "signin.amazonaws.com", responseElements={"ConsoleLogin": "Failure"}),
     {"category": ["authentication"], "type": ["start"], "outcome": "failure"}),
    ("cloudtrail", trail("GetObject", params={"bucketName": "klantdata", "key": "export/klanten.csv"}),
     {"category": ["file"], "type": ["access"], "outcome": "success"}),
    ("cloudtrail", trail("DeleteObjects", params={"bucketName": "klantdata", "delete": {"Object": [
        {"key": "a"}, {"key": "b"}]}}), {"category": ["file"], "type": ["deletion"]}),
    ("cloudtrail", trail("PutBucketAcl", params=ACL_PUBLIC), {"type": ["change"], "exposure": "public"}),
    ("cloudtrail", trail("PutBucketPublicAccessBlock", params=BLOCK_OFF), {"exposure": "public"}),
    ("cloudtrail", trail("AttachUserPolicy", "iam.amazonaws.com", params={
        "userName": "stagiair", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
     {"category": ["iam"], "type": ["admin", "change"]}),
    ("edr", {"alert_id": "a1", "timestamp": "2026-03-03T02:10:00Z", "hostname": "fs-02",
             "title": "Ransomware behaviour detected", "threat_name": "LockBit", "action_taken": "detected"},
     {"kind": "alert", "category": ["malware"]}),
    ("edr", {"alert_id": "a2", "timestamp": "2026-03-03T02:10:00Z", "hostname": "ws-17",
             "title": "Suspicious PowerShell command line"}, {"kind": "alert", "category": ["intrusion_detection"],
                                                              "type": ["info"]}),
    ("dlp", {"alert_id": "d1", "timestamp": "2026-03-03T16:05:00Z", "policy": "IBAN numbers", "channel": "email",
             "sender": "medewerker2@example.nl", "recipients": ["prive@gmail.com"], "action": "notify"},
     {"kind": "alert", "category": ["email"], "type": ["info"]}),
    ("dlp", {"alert_id": "d2", "timestamp": "2026-03-03T16:05:00Z", "policy": "IBAN numbers", "channel": "email",
             "sender": "medewerker2@example.nl", "recipients": ["prive@gmail.com"], "action": "blocked"},
     {"kind": "alert", "category": ["email"], "type": ["denied"], "outcome": "failure"}),
    ("combined", WEB.format(user="medewerker6", request="GET /crm/export?format=csv", status=200, size=5242880),
     {"category": ["web", "file"], "type": ["access"], "outcome": "success"}),
    ("combined", WEB.format(user="-", request="POST /login", status=401, size=512),
     {"category": ["web", "authentication"], "outcome": "failure"}),
    ("combined", WEB.format(user="-", request="GET /crm/klanten", status=403, size=512),
     {"category": ["web"], "type": ["denied"], "outcome": "failure"}),
]


@pytest.mark.parametrize("fmt, record, expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_own_parsers_emit_the_contracts_categorisation(fmt, record, expected):
    expect(parse(fmt, record), **expected)


def test_a_public_access_block_left_on_is_not_public():
    event = parse("cloudtrail", trail("PutBucketPublicAccessBlock", params=BLOCK_ON))
    assert "datalek.exposure" not in event and event["event.type"] == ["change"]

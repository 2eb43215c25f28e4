"""Okta, Microsoft 365 / Entra ID, AWS CloudTrail and Google Workspace events as ECS documents (Elastic's
integrations: okta.system, o365.audit, azure.auditlogs, aws.cloudtrail, google_workspace.*) and as vendor
records with an @timestamp added (eventType / Operation / eventName at the top level), with and without
categorisation, in the vendors' own case (Okta FAILURE, M365 ResultStatus Succeeded).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.normalise.support import expect, normalised

T = "2026-03-03T08:00:00.000Z"


def okta(event_type: str, result: str | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"@timestamp": T, "event": {"dataset": "okta.system", "action": event_type},
                           "okta": {"event_type": event_type, "actor": {"alternate_id": "marieke@example.nl"}},
                           "source": {"ip": "203.0.113.45"}, "user": {"name": "marieke@example.nl"}}
    if result:
        doc["okta"]["outcome"] = {"result": result}
    return {**doc, **extra}


def okta_raw(event_type: str, result: str) -> dict[str, Any]:
    """A System Log LogEvent as the API returns it, with the @timestamp a shipper adds."""
    return {"@timestamp": T, "uuid": "4d5e6f70-d8f4-11ee-9a1b-3f5e6a7b8c9d", "eventType": event_type,
            "published": T, "outcome": {"result": result}, "client": {"ipAddress": "203.0.113.45"},
            "actor": {"type": "User", "alternateId": "marieke@example.nl"}}


def o365(operation: str, status: str | None = "Succeeded", workload: str = "SharePoint", **extra: Any) -> dict:
    doc: dict[str, Any] = {"@timestamp": T, "event": {"dataset": "o365.audit", "action": operation,
                                                      "provider": workload, "code": "SharePointFileOperation"},
                           "o365": {"audit": {"Operation": operation, "Workload": workload}},
                           "user": {"name": "medewerker1@example.nl"}}
    if status:
        doc["o365"]["audit"]["ResultStatus"] = status
    return {**doc, **extra}


def trail(name: str, source: str = "s3.amazonaws.com", **extra: Any) -> dict[str, Any]:
    return {"@timestamp": T, "event": {"dataset": "aws.cloudtrail", "action": name, "provider": source},
            "aws": {"cloudtrail": {"user_identity": {"type": "IAMUser"}}}, **extra}


def gws(app: str, action: str, **extra: Any) -> dict[str, Any]:
    return {"@timestamp": T, "event": {"dataset": f"google_workspace.{app}", "provider": app, "action": action},
            "user": {"name": "fg@example.nl"}, **extra}


CASES = [
    # Okta
    ("okta session start FAILURE", okta("user.session.start", "FAILURE"),
     {"category": ["authentication", "session"], "type": ["start"], "outcome": "failure"}),
    ("okta session start SUCCESS", okta("user.session.start", "SUCCESS"), {"outcome": "success"}),
    ("okta policy DENY", okta("policy.evaluate_sign_on", "DENY"), {"category": ["authentication"],
                                                                   "outcome": "failure"}),
    ("okta CHALLENGE is unknown", okta("user.authentication.auth_via_mfa", "CHALLENGE"), {"outcome": None}),
    ("okta raw LogEvent", okta_raw("user.session.start", "FAILURE"), {"category": ["authentication", "session"],
                                                                      "outcome": "failure"}),
    ("okta raw deny in event.outcome", {**okta_raw("user.session.start", "DENY"), "event.outcome": "DENY"},
     {"outcome": "failure"}),
    ("okta lock", okta("user.account.lock", "FAILURE"), {"category": ["iam", "authentication"],
                                                         "type": ["user", "change"], "outcome": "success"}),
    ("okta group add", okta("group.user_membership.add", "SUCCESS"), {"category": ["iam"],
                                                                      "type": ["group", "change"]}),
    ("okta privilege grant", okta("user.account.privilege.grant", "SUCCESS"), {"type": ["admin", "change"]}),
    # Microsoft 365 / Entra
    ("m365 login failed although ResultStatus Success",
     o365("UserLoginFailed", "Success", "AzureActiveDirectory"), {"category": ["authentication"],
                                                                   "outcome": "failure"}),
    ("m365 logged in, no status", o365("UserLoggedIn", None, "AzureActiveDirectory"),
     {"category": ["authentication"], "type": ["start"], "outcome": "success"}),
    ("m365 file downloaded", o365("FileDownloaded"), {"category": ["file"], "type": ["access"],
                                                      "outcome": "success"}),
    ("m365 sync download", o365("FileSyncDownloadedFull", "succeeded", "OneDrive"), {"type": ["access"]}),
    ("m365 file deleted", o365("FileDeleted"), {"category": ["file"], "type": ["deletion"]}),
    ("m365 mail items accessed", o365("MailItemsAccessed", "Succeeded", "Exchange"),
     {"category": ["email"], "type": ["access"]}),
    ("m365 hard delete", o365("HardDelete", "Succeeded", "Exchange"), {"category": ["email"],
                                                                       "type": ["deletion"]}),
    ("m365 anyone link", o365("AnonymousLinkCreated"), {"type": ["creation"], "exposure": "public"}),
    ("m365 sharing with a guest is not public", o365("SharingSet", **{"TargetUserOrGroupName": "x#ext#"}),
     {"category": ["file"], "type": ["change"]}),
    ("entra add member to role (o365)", o365("Add member to role.", "Success", "AzureActiveDirectory"),
     {"category": ["iam"], "type": ["admin", "change"]}),
    ("entra audit log add member to group",
     {"@timestamp": T, "event": {"dataset": "azure.auditlogs", "action": "Add member to group",
                                 "outcome": "Success"}}, {"category": ["iam"], "type": ["group", "change"],
                                                          "outcome": "success"}),
    ("m365 raw record", {"@timestamp": T, "Operation": "FileDownloaded", "Workload": "OneDrive",
                         "ResultStatus": "Succeeded", "UserId": "medewerker1@example.nl"},
     {"category": ["file"], "type": ["access"], "outcome": "success"}),
    # AWS CloudTrail
    ("console login failure", trail("ConsoleLogin", "signin.amazonaws.com", **{"event.outcome": "failure"}),
     {"category": ["authentication"], "type": ["start"], "outcome": "failure"}),
    ("console login raw responseElements",
     {"@timestamp": T, "eventName": "ConsoleLogin", "eventSource": "signin.amazonaws.com",
      "responseElements": {"ConsoleLogin": "Failure"}, "errorMessage": "Failed authentication"},
     {"category": ["authentication"], "outcome": "failure"}),
    ("get object", trail("GetObject"), {"category": ["file"], "type": ["access"]}),
    ("delete objects", trail("DeleteObjects"), {"category": ["file"], "type": ["deletion"]}),
    ("bucket ACL to AllUsers", trail("PutBucketAcl", **{"aws.cloudtrail.request_parameters":
        "{bucketName=klantdata, AccessControlPolicy={AccessControlList={Grant=[{Grantee={xsi:type=Group, "
        "URI=http://acs.amazonaws.com/groups/global/AllUsers}, Permission=READ}]}}}"}),
     {"category": ["configuration"], "type": ["change"], "exposure": "public"}),
    ("bucket policy Principal *", trail("PutBucketPolicy", **{"aws.cloudtrail.request_parameters":
        '{"bucketName":"klantdata","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":"*",'
        '"Action":"s3:GetObject"}]}}'}), {"exposure": "public"}),
    ("public access block switched off", trail("PutBucketPublicAccessBlock", **{
        "aws.cloudtrail.request_parameters": '{"PublicAccessBlockConfiguration":{"BlockPublicAcls":false}}'}),
     {"category": ["configuration"], "exposure": "public"}),
    ("public access block deleted", trail("DeleteBucketPublicAccessBlock"), {"exposure": "public"}),
    ("attach user policy", trail("AttachUserPolicy", "iam.amazonaws.com"), {"category": ["iam"],
                                                                            "type": ["admin", "change"]}),
    ("add user to group", trail("AddUserToGroup", "iam.amazonaws.com"), {"category": ["iam"],
                                                                         "type": ["group", "change"]}),
    # Google Workspace
    ("gws login failure", gws("login", "login_failure"), {"category": ["authentication"], "type": ["start"],
                                                          "outcome": "failure"}),
    ("gws login success", gws("login", "login_success"), {"outcome": "success"}),
    ("gws drive download", gws("drive", "download"), {"category": ["file"], "type": ["access"]}),
    ("gws made public", gws("drive", "change_document_visibility", **{
        "google_workspace.drive.visibility": "people_with_link"}), {"type": ["change"], "exposure": "public"}),
    ("gws admin assign role", gws("admin", "ASSIGN_ROLE"), {"category": ["iam"], "type": ["admin", "change"]}),
    ("gws device lost", gws("mobile", "DEVICE_LOST"), {"category": ["host"], "device": "lost"}),
    ("gws device stolen", gws("mobile", "device_reported_stolen"), {"device": "stolen"}),
]


@pytest.mark.parametrize("document, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cloud_producer_documents_get_the_contracts_categorisation(document, expected):
    expect(normalised(document), **expected)


NEAR_MISSES = [
    ("bucket policy for one account", trail("PutBucketPolicy", **{"aws.cloudtrail.request_parameters":
        '{"bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"}}]}}'})),
    ("public access block fully on", trail("PutBucketPublicAccessBlock", **{
        "aws.cloudtrail.request_parameters": '{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,'
                                             '"IgnorePublicAcls":true,"BlockPublicPolicy":true}}'})),
    ("gws shared privately", gws("drive", "change_document_visibility",
                                 **{"google_workspace.drive.visibility": "private"})),
    ("bucket ACL for the owner", trail("PutBucketAcl", **{"aws.cloudtrail.request_parameters":
        "{bucketName=klantdata, AccessControlPolicy={Owner={ID=abc}}}"})),
]


@pytest.mark.parametrize("document", [c[1] for c in NEAR_MISSES], ids=[c[0] for c in NEAR_MISSES])
def test_changes_that_keep_storage_private_are_not_marked_public(document):
    event = normalised(document)
    assert "datalek.exposure" not in event
    assert event["event.category"] in (["configuration"], ["file"])


def elastic(name: str, source: str = "s3.amazonaws.com", **params: Any) -> dict[str, Any]:
    """As Elastic's aws.cloudtrail pipeline writes a call it has no categorisation for: event.type [info]."""
    doc = trail(name, source)
    doc["event"] |= {"kind": "event", "type": ["info"], "outcome": "success"}
    if params:
        doc["aws"]["cloudtrail"]["flattened"] = {"request_parameters": params}
    return doc


@pytest.mark.parametrize("name, source, category, kind", [
    ("GetObject", "s3.amazonaws.com", "file", "access"),
    ("DeleteObjects", "s3.amazonaws.com", "file", "deletion"),
    ("PutBucketPolicy", "s3.amazonaws.com", "configuration", "change"),
    ("AttachRolePolicy", "iam.amazonaws.com", "iam", "admin"),
])
def test_elastics_generic_info_type_gets_the_calls_own_type_beside_it(name, source, category, kind):
    """Elastic marks every call it does not categorise itself as event.type [info]: a valid ECS value, so a
    fill would keep it and the rules (which want access, deletion, change) would never see S3 or role calls."""
    event = normalised(elastic(name, source))
    assert "info" in event["event.type"] and kind in event["event.type"]
    assert event["event.category"] == [category]


def test_the_bucket_is_the_asset_of_an_elastic_s3_call_as_the_parser_names_it():
    assert normalised(elastic("GetObject", bucketName="24online-exports"))["datalek.asset"] == \
        "arn:aws:s3:::24online-exports"
    assert "datalek.asset" not in normalised(elastic("GetObject"))  # no bucket named: no asset made up
    own = elastic("GetObject", bucketName="24online-exports") | {"datalek": {"asset": "exports"}}
    assert normalised(own)["datalek.asset"] == "exports"  # the producer's own asset wins


def test_a_device_event_that_merely_contains_the_letters_lost_is_no_lost_device():
    event = normalised(gws("mobile", "GHOSTLOSTX_SYNC"))
    assert "datalek.device.status" not in event and "event.category" not in event


@pytest.mark.parametrize("operation, category, kind", [
    ("Add member to role.", "iam", "admin"),
    ("AnonymousLinkCreated", "file", "creation"),
    ("MailItemsAccessed", "email", "access"),
    ("FileRecycled", "file", "deletion"),
])
def test_elastics_o365_web_and_info_get_the_operations_own_category_and_type(operation, category, kind):
    """Elastic's o365 pipeline gives every record category [web] and type [info] and more only to some
    operations: the operation's own categorisation is added beside them."""
    doc = o365(operation)
    doc["event"] |= {"kind": "event", "category": ["web"], "type": ["info"]}
    event = normalised(doc)
    assert {"web", category} <= set(event["event.category"]) and {"info", kind} <= set(event["event.type"])


def test_the_site_is_the_asset_of_an_elastic_o365_file_operation_as_the_parser_names_it():
    site = "https://24online.sharepoint.com/sites/klanten"
    doc = o365("FileDownloaded", host={"name": "24online.nl"})
    doc["o365"]["audit"]["SiteUrl"] = site
    assert normalised(doc)["datalek.asset"] == site
    assert "datalek.asset" not in normalised(o365("FileDownloaded"))  # no site: none made up


@pytest.mark.parametrize("app, action, elastic, kind", [
    ("drive", "download", {"category": ["file"], "type": ["info"]}, "access"),
    ("admin", "ASSIGN_ROLE", {"category": ["iam"], "type": ["change"]}, "admin"),
])
def test_elastics_google_workspace_types_get_the_events_own_type_beside_them(app, action, elastic, kind):
    """Elastic's drive pipeline types a download [info], its admin pipeline a role assignment [change] only."""
    doc = gws(app, action)
    doc["event"] |= elastic
    assert kind in normalised(doc)["event.type"]


@pytest.mark.parametrize("event_type, elastic, category, kind", [
    ("user.session.start", (["session"], ["start"]), "authentication", "start"),
    ("user.account.privilege.grant", (["iam"], ["info", "user"]), "iam", "admin"),
])
def test_elastics_okta_table_gets_the_events_own_categorisation_beside_it(event_type, elastic, category, kind):
    """Elastic's generated Okta table files a session start under [session] only and a privilege grant as
    [info, user]: the brute-force and privilege rules would never see them."""
    doc = okta(event_type, "SUCCESS")
    doc["event"] |= {"category": elastic[0], "type": elastic[1]}
    event = normalised(doc)
    assert category in event["event.category"] and kind in event["event.type"]

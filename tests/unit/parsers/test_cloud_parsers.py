"""Cloud and SaaS audit logs: Microsoft 365 unified audit log, AWS CloudTrail, Okta System Log.

The samples follow the record layouts in the vendors' public documentation (Office 365 Management
Activity API schema, CloudTrail record contents and S3 log file examples, Okta LogEvent object), with
made-up identifiers, documentation IP ranges and the example organisation "24 Online".
"""

from __future__ import annotations

import json

from streams.parsers.checks import problems
from tests.unit.parsers.support import one, run, run_sample


def _events(fmt: str, sample: str) -> tuple[list[dict], list[tuple[str, str]]]:
    parsed, rejected = run_sample(fmt, sample)
    assert [p.event for p in parsed if problems(p.event)] == []
    return [p.event for p in parsed], [(r.position, r.reason) for r in rejected]


# Microsoft 365 -------------------------------------------------------------------------------------

def test_m365_api_array_gives_one_event_per_record() -> None:
    events, rejected = _events("m365", "m365.json")
    assert [e["event.code"] for e in events] == [
        "UserLoggedIn", "UserLoginFailed", "FileDownloaded", "FileAccessed", "MailItemsAccessed",
        "SharingSet", "AnonymousLinkCreated", "Set-Mailbox"]
    assert rejected == [("m365.json:1#8", "missing or invalid CreationTime")]


def test_m365_logins_have_outcomes_from_the_operation_not_result_status() -> None:
    events, _ = _events("m365", "m365.json")
    ok, failed = events[0], events[1]
    assert (ok["event.action"], ok["event.outcome"], ok["user.name"]) == (
        "login", "success", "marieke@24-online.nl")
    assert (failed["event.outcome"], failed["event.reason"], failed["source.ip"]) == (
        "failure", "InvalidUserNameOrPassword", "203.0.113.45")
    assert failed["event.id"] == "7d0c9a51-1e3b-4f7a-a0d2-4b8e3c6f9a12"


def test_m365_creation_time_is_utc() -> None:
    events, _ = _events("m365", "m365.json")
    assert events[0]["@timestamp"] == "2026-03-03T08:59:12+00:00"


def test_m365_file_download_names_file_and_site() -> None:
    download = _events("m365", "m365.json")[0][2]
    assert (download["event.category"], download["event.action"]) == (["file"], "file_download")
    assert download["file.name"] == "klantenbestand-2026.xlsx"
    assert download["datalek.asset"] == "https://24online.sharepoint.com/sites/Klantenservice/"


def test_m365_mail_items_accessed_counts_messages_and_names_the_mailbox_owner() -> None:
    mail = _events("m365", "m365.json")[0][4]
    assert (mail["event.category"], mail["event.action"], mail["datalek.records"]) == (
        ["email"], "mail_items_accessed", 4)
    assert (mail["user.name"], mail["user.target.name"]) == ("helpdesk@24-online.nl", "directie@24-online.nl")
    assert mail["source.ip"] == "203.0.113.61"


def test_m365_sharing_with_a_guest_is_an_external_share() -> None:
    share = _events("m365", "m365.json")[0][5]
    assert (share["event.action"], share["event.category"]) == ("share_external", ["file", "iam"])


def test_m365_anonymous_link_is_a_public_share_and_client_port_is_split_off() -> None:
    link = _events("m365", "m365.json")[0][6]
    assert (link["event.action"], link["source.ip"], link["source.port"]) == (
        "share_public", "192.0.2.10", 52311)


def test_m365_unlisted_operation_is_kept_with_a_derived_action() -> None:
    other = _events("m365", "m365.json")[0][7]
    assert (other["event.action"], other["event.category"], other["event.outcome"]) == (
        "set_mailbox", ["email"], "success")
    assert other["source.ip"] == "2001:db8::61"


def test_m365_purview_export_audit_data_line_is_accepted() -> None:
    record = {"CreationTime": "2026-03-03T10:00:00", "Id": "x1", "Operation": "FileSyncDownloadedFull",
              "Workload": "OneDrive", "UserId": "a@24-online.nl", "ClientIP": "192.0.2.1",
              "SourceFileName": "a.csv", "ObjectId": "https://x/a.csv"}
    assert one("m365", json.dumps(record))["event.action"] == "file_download"


# AWS CloudTrail -------------------------------------------------------------------------------------

def test_cloudtrail_records_file_is_unwrapped() -> None:
    events, rejected = _events("cloudtrail", "cloudtrail.json")
    assert rejected == []
    assert [e["event.action"] for e in events] == [
        "console_login", "console_login", "file_download", "share_public", "bucket_policy_changed",
        "share_public", "file_delete", "create_access_key"]


def test_cloudtrail_console_login_success_and_root_failure() -> None:
    events, _ = _events("cloudtrail", "cloudtrail.json")
    assert (events[0]["event.outcome"], events[0]["user.name"]) == ("success", "marieke")
    assert (events[1]["event.outcome"], events[1]["user.name"], events[1]["event.reason"]) == (
        "failure", "root", "Failed authentication")
    assert events[1]["event.category"] == ["authentication"]


def test_cloudtrail_get_object_is_a_file_download_on_the_bucket_asset() -> None:
    get = _events("cloudtrail", "cloudtrail.json")[0][2]
    assert get["datalek.asset"] == "arn:aws:s3:::24online-crm-exports"
    assert get["file.path"] == "s3://24online-crm-exports/exports/2026-03/klanten-volledig.csv"
    assert (get["file.name"], get["http.response.bytes"]) == ("klanten-volledig.csv", 48234017)
    assert get["user.name"] == "crm-exporter/exporter"


def test_cloudtrail_bucket_policy_for_everyone_makes_the_bucket_public() -> None:
    events, _ = _events("cloudtrail", "cloudtrail.json")
    public, restricted = events[3], events[4]
    assert (public["event.action"], public["event.code"]) == ("share_public", "PutBucketPolicy")
    assert restricted["event.action"] == "bucket_policy_changed"  # "*" only with a Condition


def test_cloudtrail_acl_grant_to_all_users_makes_the_bucket_public() -> None:
    acl = _events("cloudtrail", "cloudtrail.json")[0][5]
    assert (acl["event.action"], acl["datalek.asset"]) == ("share_public", "arn:aws:s3:::24online-facturen")


def test_cloudtrail_delete_objects_counts_the_objects() -> None:
    delete = _events("cloudtrail", "cloudtrail.json")[0][6]
    assert (delete["event.action"], delete["datalek.records"]) == ("file_delete", 3)


def test_cloudtrail_access_denied_is_a_failure() -> None:
    denied = _events("cloudtrail", "cloudtrail.json")[0][7]
    assert (denied["event.outcome"], denied["event.category"]) == ("failure", ["iam"])


def test_cloudtrail_one_record_per_line_form() -> None:
    events, rejected = _events("cloudtrail", "cloudtrail.jsonl")
    assert [e["event.action"] for e in events] == ["console_login", "public_access_block_removed"]
    assert events[0]["event.outcome"] == "failure"
    assert rejected == [("cloudtrail.jsonl:3", "missing eventName")]


def test_cloudtrail_canned_public_read_acl_is_public() -> None:
    record = {"eventTime": "2026-03-03T10:00:00Z", "eventName": "PutBucketAcl",
              "eventSource": "s3.amazonaws.com",
              "requestParameters": {"bucketName": "b", "x-amz-acl": ["public-read"]}}
    assert one("cloudtrail", json.dumps(record))["event.action"] == "share_public"


# Okta -----------------------------------------------------------------------------------------------

def test_okta_session_start_success_and_failure() -> None:
    events, rejected = _events("okta", "okta.jsonl")
    ok, failed = events[0], events[1]
    assert (ok["event.action"], ok["event.outcome"], ok["event.category"]) == (
        "login", "success", ["authentication", "session"])
    assert (failed["event.outcome"], failed["event.reason"], failed["source.ip"]) == (
        "failure", "INVALID_CREDENTIALS", "203.0.113.45")
    assert failed["source.geo.country_name"] == "Singapore"
    assert failed["source.geo.location"] == {"lat": 1.2897, "lon": 103.8501}
    assert rejected == [("okta.jsonl:8", "missing eventType")]


def test_okta_account_lock_is_an_iam_change_of_the_user_not_one_more_failure() -> None:
    # CONTRACT.md: a lockout is iam/user+change with outcome success; Okta's FAILURE is kept as the original
    lock = _events("okta", "okta.jsonl")[0][2]
    assert (lock["event.action"], lock["event.outcome"], lock["user.name"]) == (
        "account_locked", "success", "marieke@24-online.nl")
    assert (lock["event.type"], lock["datalek.original.outcome"]) == (["user", "change"], "failure")
    assert "iam" in lock["event.category"]
    assert lock["event.id"] == "4d5e6f70-d8f4-11ee-9a1b-3f5e6a7b8c9d"


def test_okta_sign_on_policy_challenge_is_unknown_and_deny_is_failure() -> None:
    events, _ = _events("okta", "okta.jsonl")
    assert [(e["event.action"], e["event.outcome"]) for e in events[3:5]] == [
        ("sign_on_policy_evaluated", "unknown"), ("sign_on_policy_evaluated", "failure")]


def test_okta_privilege_grant_names_actor_and_target() -> None:
    grant = _events("okta", "okta.jsonl")[0][5]
    assert (grant["event.action"], grant["user.name"], grant["user.target.name"]) == (
        "privilege_granted", "admin@24-online.nl", "marieke@24-online.nl")


def test_okta_app_actor_is_not_taken_for_a_user() -> None:
    app = _events("okta", "okta.jsonl")[0][6]
    assert "user.name" not in app
    assert (app["event.action"], app["event.category"]) == ("application_lifecycle_update", ["configuration"])


def test_okta_event_hook_body_is_unwrapped() -> None:
    body = {"eventType": "com.okta.event_hook", "data": {"events": [
        {"uuid": "u1", "published": "2026-03-03T10:00:00.000Z", "eventType": "user.session.start",
         "outcome": {"result": "SUCCESS"}, "actor": {"type": "User", "alternateId": "a@24-online.nl"}}]}}
    parsed, rejected = run("okta", [json.dumps(body)])
    assert not rejected
    assert [(p.position, p.event["event.id"]) for p in parsed] == [("test:1#0", "u1")]


# Who a change is about, and what a DLP product did (Management Activity API and CloudTrail record fields) ---

def _dlp(actions: list[str]) -> str:
    return json.dumps({"CreationTime": "2026-11-17T11:12:00", "Id": "d1", "Operation": "DlpRuleMatch",
                       "Workload": "Exchange", "UserId": "medewerker3@24online.nl", "RecordType": 13,
                       "PolicyDetails": [{"PolicyName": "Persoonsgegevens NL",
                                          "Rules": [{"RuleName": "IBAN naar extern", "Actions": actions}]}]})


def test_m365_dlp_match_is_denied_only_when_a_rule_blocked_it() -> None:
    blocked, passed = one("m365", _dlp(["BlockAccess", "NotifyUser"])), one("m365", _dlp(["NotifyUser"]))
    assert blocked["event.type"] == ["info", "denied"] and "denied" not in passed["event.type"]
    assert blocked["event.kind"] == passed["event.kind"] == "alert"  # the product's finding


def test_m365_directory_change_names_the_account_it_is_about() -> None:
    record = {"CreationTime": "2026-11-17T10:00:12", "Id": "r1", "Operation": "Add member to role.",
              "Workload": "AzureActiveDirectory", "UserId": "admin2@24online.nl", "ResultStatus": "Success",
              "Target": [{"ID": "User_0b04", "Type": 2}, {"ID": "medewerker6@24online.nl", "Type": 5}],
              "Actor": [{"ID": "admin2@24online.nl", "Type": 5}]}
    event = one("m365", json.dumps(record))
    assert event["user.name"] == "admin2@24online.nl" and event["user.target.name"] == "medewerker6@24online.nl"


def test_cloudtrail_iam_change_names_the_user_and_group_it_is_about() -> None:
    record = {"eventVersion": "1.10", "eventTime": "2026-11-17T09:00:31Z", "eventSource": "iam.amazonaws.com",
              "eventName": "AddUserToGroup", "eventID": "e1", "awsRegion": "us-east-1",
              "userIdentity": {"type": "IAMUser", "userName": "admin2", "arn": "arn:aws:iam::1:user/admin2"},
              "requestParameters": {"groupName": "exports-readers", "userName": "medewerker6"}}
    event = one("cloudtrail", json.dumps(record))
    assert (event["user.target.name"], event["group.name"]) == ("medewerker6", "exports-readers")

"""Generic EDR and DLP alert JSON, in the field names of common products and of plain exports.

The EDR samples follow the Microsoft Defender for Endpoint alert resource and the CrowdStrike
DetectionSummaryEvent layouts as publicly documented; the DLP samples use generic field names.
"""

from __future__ import annotations

import json

from streams.parsers.checks import problems
from tests.unit.parsers.support import one, run_sample


def _events(fmt: str, sample: str) -> tuple[list[dict], list[tuple[str, str]]]:
    parsed, rejected = run_sample(fmt, sample)
    assert [p.event for p in parsed if problems(p.event)] == []
    return [p.event for p in parsed], [(r.position, r.reason) for r in rejected]


def test_defender_ransomware_alert_on_a_host_is_a_blocked_malware_alert() -> None:
    alert = _events("edr", "edr.jsonl")[0][0]
    assert (alert["event.kind"], alert["event.category"], alert["event.action"]) == (
        "alert", ["malware"], "ransomware_detected")
    assert (alert["host.name"], alert["user.name"]) == ("fin-ws-014.corp.24-online.nl", "p.bakker")
    assert (alert["event.severity"], alert["event.type"]) == (73, ["denied"])
    assert alert["threat.software.name"] == "Ransom:Win32/LockBit.RPA!MTB"
    assert alert["@timestamp"] == "2026-03-03T11:02:13.441123+00:00"
    assert alert["event.id"] == "da638450112233445566_-1234567890"


def test_crowdstrike_detection_with_epoch_millis_is_a_malware_alert() -> None:
    alert = _events("edr", "edr.jsonl")[0][1]
    assert (alert["event.action"], alert["host.name"], alert["host.ip"]) == (
        "malware_detected", "PORTAL-DB-01", "10.0.20.15")
    assert alert["@timestamp"] == "2026-03-03T11:02:00+00:00"
    assert alert["file.hash.sha256"].startswith("2c26b46b")
    assert alert["event.type"] == ["denied"]  # "Prevention, process killed."
    assert alert["event.id"] == "ldt:0123456789abcdef0123456789abcdef:4295012345"


def test_other_edr_detections_are_intrusion_alerts() -> None:
    alert = _events("edr", "edr.jsonl")[0][2]
    assert (alert["event.category"], alert["event.action"], alert["event.type"]) == (
        ["intrusion_detection"], "edr_alert", ["allowed"])
    assert alert["@timestamp"] == "2026-03-03T10:30:00+00:00"


def test_alert_without_any_name_is_rejected() -> None:
    assert _events("edr", "edr.jsonl")[1] == [("edr.jsonl:4", "alert has no title, rule or threat name")]


def test_dlp_mail_with_personal_data_to_an_outside_address_is_an_external_send() -> None:
    alert = _events("dlp", "dlp.jsonl")[0][0]
    assert (alert["event.kind"], alert["event.category"], alert["event.action"]) == (
        "alert", ["email"], "mail_sent_external")
    assert (alert["event.outcome"], alert["datalek.records"]) == ("success", 212 + 198)
    assert alert["email.to.address"] == ["kees.devries1978@gmail.com"]
    assert alert["rule.name"] == "NL BSN en IBAN naar extern"
    assert alert["dlp.sensitive_types"][0] == "Netherlands Citizen's Service (BSN) Number"
    assert alert["tags"] == ["external_recipient"]


def test_dlp_mail_inside_the_organisation_is_an_internal_send() -> None:
    alert = _events("dlp", "dlp.jsonl")[0][1]
    assert (alert["event.action"], alert["datalek.records"]) == ("mail_sent", 3)
    assert alert["email.to.address"] == ["boekhouding@24-online.nl", "directie@24-online.nl"]


def test_dlp_blocked_copy_to_usb_is_a_failed_file_match() -> None:
    alert = _events("dlp", "dlp.jsonl")[0][2]
    assert (alert["event.category"], alert["event.action"], alert["event.outcome"]) == (
        ["file"], "dlp_match", "failure")
    assert (alert["datalek.records"], alert["user.name"]) == (5400, "p.bakker")


def test_dlp_explicit_external_flag_wins_and_blocked_mail_did_not_leave() -> None:
    alert = _events("dlp", "dlp.jsonl")[0][3]
    assert (alert["event.action"], alert["event.outcome"]) == ("mail_sent_external", "failure")


def test_dlp_external_flag_false_overrides_the_domain_heuristic() -> None:
    record = {"timestamp": "2026-03-03T14:00:00Z", "policy": "p", "channel": "email",
              "sender": "a@24-online.nl", "recipients": ["b@dochter.example"], "external": "false"}
    assert one("dlp", json.dumps(record))["event.action"] == "mail_sent"


def test_dlp_alert_without_policy_is_rejected() -> None:
    assert _events("dlp", "dlp.jsonl")[1] == [("dlp.jsonl:5", "alert has no policy or rule name")]

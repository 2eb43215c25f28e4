"""Generic EDR/antivirus alert JSON: a flat or nested object per alert, in the field names of common
products (Microsoft Defender for Endpoint alerts, CrowdStrike detection summaries, plain exports).

Classification from the alert's category, title and threat name: "ransom" -> ransomware_detected,
malware words (MALWARE_WORDS) -> malware_detected, both with category malware; anything else is an
``edr_alert`` with category intrusion_detection. event.type is ["denied"] when the product blocked or
quarantined the threat and ["allowed"] when it only detected it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from streams.parsers.alertfields import common, enforcement, text
from streams.parsers.base import ParseContext, ParseResult, Unparseable, address_fields
from streams.parsers.jsondocs import parse_records

DATASET = "edr.alert"
MALWARE_WORDS = re.compile(r"malware|virus|trojan|worm|backdoor|spyware|stealer|miner|rootkit|exploit|wiper",
                           re.IGNORECASE)

HOST = ("host.name", "hostname", "host", "device.name", "device_name", "deviceName", "computerDnsName",
        "event.ComputerName", "ComputerName", "machine.name")
HOST_IP = ("host.ip", "device.ip", "ip", "event.LocalIP", "LocalIP")
USER = ("user.name", "user", "username", "userName", "relatedUser.userName", "event.UserName", "account")
TITLE = ("rule.name", "title", "name", "alert_name", "alertName", "detection_name", "event.DetectName",
         "signature")
THREAT = ("threat.name", "threat_name", "threatName", "threatFamilyName", "malware.name", "malware_family")
CATEGORY = ("threat.category", "category", "classification", "threat_type", "alert_type", "type",
            "event.Tactic")
ACTION = ("action_taken", "actionTaken", "action", "remediation", "remediation_status",
          "event.PatternDispositionDescription")
FILE_NAME = ("file.name", "file_name", "fileName", "event.FileName")
FILE_PATH = ("file.path", "file_path", "filePath", "event.FilePath")
FILE_HASH = ("file.hash.sha256", "sha256", "event.SHA256String")
EVENT_TYPES = {"blocked": "denied", "allowed": "allowed"}


def parse(lines: Iterable[str], *, context: ParseContext) -> Iterator[ParseResult]:
    """One alert event per record; arrays and {"alerts": [...]} / {"value": [...]} envelopes are unwrapped."""
    return parse_records(lines, context=context, mapper=to_event, envelopes=("alerts", "value"))


def to_event(record: Mapping[str, Any], context: ParseContext) -> dict[str, Any]:
    title, threat = text(record, *TITLE), text(record, *THREAT)
    if not (title or threat):
        raise Unparseable("alert has no title, rule or threat name")
    categories, action = classify(" ".join(filter(None, (text(record, *CATEGORY), title, threat))))
    blocked = enforcement(text(record, *ACTION))
    return {
        **common(record, context), "event.dataset": DATASET, "event.category": list(categories),
        "event.action": action, "event.type": [EVENT_TYPES[blocked]] if blocked else None,
        "rule.name": title or threat, "threat.software.name": threat, "host.name": text(record, *HOST),
        "user.name": text(record, *USER), "file.name": text(record, *FILE_NAME),
        "file.path": text(record, *FILE_PATH), "file.hash.sha256": text(record, *FILE_HASH),
        "host.ip": address_fields(text(record, *HOST_IP), "host").get("host.ip"),
    }


def classify(description: str) -> tuple[tuple[str, ...], str]:
    lowered = description.lower()
    if "ransom" in lowered:
        return ("malware",), "ransomware_detected"
    if MALWARE_WORDS.search(lowered):
        return ("malware",), "malware_detected"
    return ("intrusion_detection",), "edr_alert"

"""Windows Security audit events as Winlogbeat / Elastic Agent send them (ECS): event.code is the Security
event id, winlog.channel "Security", event.provider "Microsoft-Windows-Security-Auditing". Winlogbeat sets
categorisation itself; documents from other shippers (or older versions) carry only the id, as a number or
as text, and sometimes only winlog.keywords ("Audit Failure") for the result.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.normalise.support import expect, normalised

PROVIDER = "Microsoft-Windows-Security-Auditing"


def winlog(code: Any, *, full: bool = False, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@timestamp": "2026-03-03T09:15:02.123Z", "agent": {"type": "winlogbeat"},
        "event": {"code": code, "provider": PROVIDER, "module": "security", "kind": "event"},
        "winlog": {"channel": "Security", "event_id": code, "provider_name": PROVIDER, "computer_name": "DC01",
                   "event_data": {"TargetUserName": "jdoe", "LogonType": "3", "IpAddress": "203.0.113.7"}},
        "host": {"name": "DC01"}, "user": {"name": "jdoe"}, "source": {"ip": "203.0.113.7"}}
    if full:  # what Winlogbeat's security module adds
        doc["event"] |= {"action": "logon-failed", "category": ["authentication"], "type": ["start"],
                         "outcome": "failure"}
    return {**doc, **extra}


CASES = [
    ("4625 winlogbeat full", winlog("4625", full=True), {"category": ["authentication"], "type": ["start"],
                                                          "outcome": "failure"}),
    ("4625 code as number, nothing else", winlog(4625), {"category": ["authentication"], "outcome": "failure"}),
    ("4625 upper-case FAILURE outcome", winlog("4625", **{"event.outcome": "FAILURE"}), {"outcome": "failure"}),
    ("4625 only Audit Failure keyword", {**winlog("4625"), "winlog.keywords": ["Audit Failure"]},
     {"outcome": "failure"}),
    ("4624 by channel only (dotted, no provider)",
     {"@timestamp": "2026-03-03T09:15:02Z", "winlog.channel": "security", "event.code": 4624,
      "host.hostname": "WS-17"}, {"category": ["authentication"], "type": ["start"], "outcome": "success"}),
    ("4634 logoff", winlog("4634"), {"category": ["authentication"], "type": ["end"]}),
    ("4648 explicit credentials: no second outcome", winlog("4648"), {"category": ["authentication"],
                                                                      "type": ["info"], "outcome": None}),
    ("4720 user created", winlog("4720"), {"category": ["iam"], "type": ["user", "creation"], "outcome": "success"}),
    ("4722 enabled", winlog("4722"), {"category": ["iam"], "type": ["user", "change"]}),
    ("4723 password change", winlog("4723"), {"category": ["iam"], "type": ["user", "change"]}),
    ("4724 password reset", winlog("4724"), {"category": ["iam"], "type": ["user", "change"]}),
    ("4725 disabled", winlog("4725"), {"category": ["iam"], "type": ["user", "change"]}),
    ("4726 deleted", winlog("4726"), {"category": ["iam"], "type": ["user", "deletion"]}),
    ("4728 added to global group", winlog("4728"), {"category": ["iam"], "type": ["group", "change"],
                                                    "outcome": "success"}),
    ("4732 added to local group", winlog(4732), {"category": ["iam"], "type": ["group", "change"]}),
    ("4756 added to universal group", winlog("4756"), {"category": ["iam"], "type": ["group", "change"]}),
    ("4740 locked out", winlog("4740"), {"category": ["iam"], "type": ["user", "change"], "outcome": "success"}),
    ("4663 object access", winlog("4663"), {"category": ["file"], "type": ["access"], "outcome": "success"}),
    ("4660 object deleted", winlog("4660"), {"category": ["file"], "type": ["deletion"]}),
]


@pytest.mark.parametrize("document, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_windows_security_events_are_categorised_by_event_code(document, expected):
    expect(normalised(document), **expected)


def test_same_event_code_from_another_provider_is_not_read_as_a_windows_logon():
    # near miss: 4625 is only a failed logon in the Security log
    doc = {"@timestamp": "2026-03-03T09:15:02Z", "event": {"code": 4625, "provider": "MSSQLSERVER"},
           "winlog": {"channel": "Application"}}
    assert "event.category" not in normalised(doc)


def test_winlogbeat_explicit_categorisation_is_never_overridden():
    doc = winlog("4624", **{"event": {"code": "4624", "provider": PROVIDER, "category": ["session"],
                                      "type": ["start"], "outcome": "success"}})
    expect(normalised(doc), category=["session"], type=["start"], outcome="success")

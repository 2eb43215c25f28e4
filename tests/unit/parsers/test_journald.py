"""The systemd journal as JSON (``journalctl -o json``, Vector's journald source): the ``journald`` format.

The sample (samples/journal.jsonl) follows systemd's JSON export format: every value a string, times in
microseconds since the epoch, MESSAGE as byte values when it is not UTF-8 and null when it is too large."""

from __future__ import annotations

import json

import pytest

from streams.parsers import FORMATS, ParseContext, Parsed, Rejected, Skipped
from tests.unit.parsers.support import sample_results

SAMPLE = "journal.jsonl"


def entry(message, **fields):
    return json.dumps({"__REALTIME_TIMESTAMP": "1795036805123456", "_HOSTNAME": "files-01",
                       "SYSLOG_IDENTIFIER": "sshd", "_PID": "30311", "MESSAGE": message, **fields})


def parse(*lines):
    return list(FORMATS["journald"](list(lines), context=ParseContext(source="journal")))


def without_ids(event):
    return {k: v for k, v in event.items() if k != "event.id"}


def syslog_event(stamp, host, tag, message):
    [result] = FORMATS["syslog"]([f"{stamp} {host} {tag}: {message}"], context=ParseContext(source="auth.log"))
    assert isinstance(result, Parsed)
    return without_ids(result.event)


@pytest.mark.parametrize("message", [
    "Failed password for invalid user oracle from 203.0.113.77 port 52822 ssh2",
    "Accepted publickey for deploy from 198.51.100.23 port 40112 ssh2: ED25519 SHA256:Zm9vYmFy",
    "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.77  user=root",
    "Invalid user admin from 203.0.113.77 port 52990",
])
def test_an_entry_gives_the_event_its_auth_log_line_gives(message):
    [result] = parse(entry(message))
    assert isinstance(result, Parsed)
    assert without_ids(result.event) == syslog_event("2026-11-18T21:20:05.123456+00:00", "files-01",
                                                     "sshd[30311]", message)


def test_the_sample_events_skips_and_rejections():
    results = sample_results("journald", SAMPLE)
    events = [r.event for r in results if isinstance(r, Parsed)]
    assert [(e["process.name"], e["event.action"], e.get("event.outcome")) for e in events] == [
        ("sshd", "pam_auth_failure", None), ("sshd", "ssh_login", "failure"), ("sshd", "ssh_login", "failure"),
        ("sshd-session", "invalid_user", None), ("sshd-session", "ssh_login", "success"),
        ("sshd", "ssh_login", "failure"), ("sudo", "pam_auth_failure", "failure"), ("sshd", "ssh_login", "failure")]
    assert [r.program for r in results if isinstance(r, Skipped)] == ["kernel", "systemd"]
    assert [r.reason for r in results if isinstance(r, Rejected)] == [
        "MESSAGE is null: over 4096 bytes and not exported (journalctl -o json --all)",
        "incomplete JSON document at end of input"]
    # the time the program logged (_SOURCE_REALTIME_TIMESTAMP) before the time journald received it
    assert events[1]["@timestamp"] == "2026-11-28T21:14:05.100000+00:00"
    assert {e["host.name"] for e in events} == {"files-01", "files-02"}  # files-02: Vector's ``host``
    assert events[-1]["@timestamp"] == "2026-11-28T21:20:05.551201+00:00"  # Vector's ``timestamp``


def test_a_message_that_is_not_utf8_is_decoded_with_replacement_characters():
    raw = list(b"Failed password for invalid user j\xe9r\xf4me from 203.0.113.77 port 53001 ssh2")
    [result] = parse(entry(raw))
    assert result.event["user.name"] == "j\ufffdr\ufffdme"
    assert result.event["source.ip"] == "203.0.113.77"


def test_a_repeated_field_counts_once_with_its_first_value():
    [result] = parse(entry("Failed password for root from 203.0.113.77 port 52814 ssh2",
                           SYSLOG_IDENTIFIER=["sshd", "sshd"], _PID=["30311", "30312"]))
    assert (result.event["process.name"], result.event["process.pid"]) == ("sshd", 30311)


def test_without_syslog_identifier_the_command_name_is_the_program():
    line = json.dumps({"__REALTIME_TIMESTAMP": "1795036805123456", "_COMM": "sshd",
                       "MESSAGE": "Failed password for root from 203.0.113.77 port 52814 ssh2"})
    [result] = parse(line)
    assert result.event["process.name"] == "sshd"


@pytest.mark.parametrize(("line", "reason"), [
    (json.dumps({"MESSAGE": "x", "_COMM": "sshd"}), "journal entry without a time (__REALTIME_TIMESTAMP)"),
    (entry("x", __REALTIME_TIMESTAMP="yesterday"), "journal timestamp is not microseconds since the epoch"),
    (entry("x", __REALTIME_TIMESTAMP="9" * 19), "journal timestamp out of range"),
    (entry({"nested": "object"}), "MESSAGE is not text"),
    (entry("x", SYSLOG_IDENTIFIER=42), "SYSLOG_IDENTIFIER is not text"),
    (json.dumps({"PRIORITY": "6"}), "not a journal entry (no MESSAGE, SYSLOG_IDENTIFIER or _COMM)"),
    (json.dumps(["an array of one string"]), "journal entry is not a JSON object"),
])
def test_what_is_not_a_journal_entry_is_rejected_with_the_reason(line, reason):
    [result] = parse(line)
    assert isinstance(result, Rejected)
    assert result.reason == reason


def test_an_entry_of_another_program_or_without_message_is_skipped_not_rejected():
    results = parse(entry("Started session-4.scope.", SYSLOG_IDENTIFIER="systemd"),
                    json.dumps({"__REALTIME_TIMESTAMP": "1795036805123456", "SYSLOG_IDENTIFIER": "systemd-coredump",
                                "COREDUMP_EXE": "/usr/bin/x"}))
    assert [(type(r).__name__, r.program) for r in results] == [("Skipped", "systemd"),
                                                                 ("Skipped", "systemd-coredump")]

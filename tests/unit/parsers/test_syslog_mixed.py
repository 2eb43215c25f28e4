"""A mixed syslog file: auth lines are events, other programs' lines are skipped per program, and only
malformed lines (no syslog header, or an auth program's message no rule knows) are rejected."""

from __future__ import annotations

from collections import Counter

from streams.parsers import FORMATS, ParseContext, Parsed, Rejected, Skipped
from streams.parsers.checks import problems
from tests.unit.parsers.support import SAMPLES, sample_results

MIXED = "syslog-mixed.log"


def _programs(lines: list[str]) -> Counter[str]:
    """Skipped lines per program, counted from the raw text without the parser (the tag before "[pid]:")."""
    counted: Counter[str] = Counter()
    for line in lines:
        tag = line.split()[4] if line[:1].isalpha() else line.split()[2]
        counted[tag.split("[")[0].rstrip(":")] += 1
    return counted


def test_mixed_file_gives_events_for_auth_lines_and_skips_other_programs_per_program() -> None:
    results = sample_results("syslog", MIXED, year=2023)
    raw = (SAMPLES / MIXED).read_text(encoding="utf-8").splitlines()
    other = [line for line in raw if any(f" {p}" in line for p in ("CRON[30212]", "kernel:", "postfix/",
                                                                     "systemd[1]:", "rsyslogd:", "Watching"))]
    skipped = Counter(r.program for r in results if isinstance(r, Skipped))
    assert skipped == _programs(other) + Counter({"journalctl": 1})
    assert skipped == {"systemd": 3, "postfix/smtpd": 3, "kernel": 2, "CRON": 1, "postfix/cleanup": 1,
                       "postfix/qmgr": 1, "systemd-logind": 1, "rsyslogd": 1, "journalctl": 1}
    assert [(r.position, r.reason) for r in results if isinstance(r, Rejected)] == [
        ("syslog-mixed.log:32", "unrecognised sshd message")]


def test_mixed_file_events_are_the_auth_lines_with_one_outcome_per_attempt() -> None:
    events = [r.event for r in sample_results("syslog", MIXED, year=2023) if isinstance(r, Parsed)]
    assert [problems(e) for e in events if problems(e)] == []
    attempts = Counter((e["event.action"], e["event.outcome"], e.get("user.name")) for e in events
                       if "authentication" in e["event.category"] and "event.outcome" in e)
    assert attempts == {("ssh_login", "failure", "backup"): 3, ("ssh_login", "success", "svc-sync"): 1,
                        ("su", "failure", "tmp-contractor"): 1, ("pam_auth_failure", "failure", "hvdberg"): 1}
    grants = [e for e in events if "iam" in e["event.category"] and "change" in e["event.type"]]
    assert [(g["user.target.name"], g["group.name"]) for g in grants] == [("tmp-contractor", "sudo")]
    assert Counter(e["event.category"][0] for e in events) == {
        "authentication": 10, "session": 7, "network": 1, "process": 2, "iam": 2}


def test_openssh_alias_reads_the_mixed_file_exactly_like_syslog() -> None:
    assert sample_results("openssh", MIXED, year=2023) == sample_results("syslog", MIXED, year=2023)


def _parse(*lines: str) -> list:
    return list(FORMATS["syslog"](lines, context=ParseContext(source="t", year=2023)))


def test_last_message_repeated_with_an_empty_host_repeats_the_previous_auth_line() -> None:
    results = _parse("Jun 15 12:12:34 mail1 sshd(pam_unix)[23397]: authentication failure; logname= uid=0 euid=0 "
                     "tty=NODEVssh ruser= rhost=192.0.2.4 ",
                     "Jun 15 12:12:36  last message repeated 3 times")
    assert [r.position for r in results] == ["t:1"] + ["t:2"] * 3
    repeated = [r.event for r in results[1:]]
    assert {(e["host.name"], e["process.name"], e["event.outcome"], e["source.ip"]) for e in repeated} == {
        ("mail1", "sshd", "failure", "192.0.2.4")}
    assert {e["@timestamp"] for e in repeated} == {"2023-06-15T12:12:36+00:00"}
    assert len({r.event["event.id"] for r in results}) == 4


def test_last_message_repeated_with_a_host_after_another_program_is_skipped_once() -> None:
    results = _parse("Jun 15 04:06:20 mail1 logrotate: ALERT exited abnormally with [1]",
                     "Jun 15 04:06:22 mail1 last message repeated 2 times")
    assert results == [Skipped("logrotate", "t:1"), Skipped("logrotate", "t:2")]


def test_last_message_repeated_without_a_previous_line_is_skipped_not_bad_input() -> None:
    assert _parse("Jun 15 04:06:22 mail1 last message repeated 2 times") == [Skipped("syslogd", "t:1")]


def test_repeat_of_a_rejected_auth_line_is_rejected_again() -> None:
    results = _parse("Jun 15 04:06:20 mail1 sudo[12]: gibberish from a broken sudo",
                     "Jun 15 04:06:22 mail1 last message repeated 2 times")
    assert [type(r).__name__ for r in results] == ["Rejected", "Rejected"]


def test_rfc5424_line_without_a_process_id() -> None:
    [result] = _parse("<86>1 2023-10-17T18:20:49+02:00 bastion sshd - - - Accepted publickey for deploy from "
                      "192.0.2.44 port 40110 ssh2")
    assert isinstance(result, Parsed) and "process.pid" not in result.event


def test_a_known_program_with_garbage_is_rejected_an_unknown_program_is_skipped() -> None:
    results = _parse("Oct 17 07:12:00 h su[1]: ???", "Oct 17 07:12:00 h useradd[2]: ???",
                     "Oct 17 07:12:00 h dbus-daemon[3]: ???")
    assert [(type(r).__name__, getattr(r, "reason", getattr(r, "program", ""))) for r in results] == [
        ("Rejected", "unrecognised su message"), ("Rejected", "unrecognised useradd message"),
        ("Skipped", "dbus-daemon")]


FAILED = "Dec 10 06:55:46 LabSZ sshd[24200]: "


def test_a_crafted_repeat_count_expands_to_the_cap_and_the_events_carry_the_real_count() -> None:
    line = FAILED + "message repeated 100000 times: [ Failed password for root from 198.51.100.23 port 40022 ssh2]"
    results = _parse(line, line, line)
    assert len(results) == 3 * 100 and all(isinstance(r, Parsed) for r in results)
    assert {r.event["datalek.repeated"] for r in results} == {100_000}
    assert len({r.event["event.id"] for r in results}) == 300


def test_a_small_repeat_count_is_expanded_exactly() -> None:
    results = _parse(FAILED + "message repeated 3 times: [ Failed password for root from 198.51.100.23 port 1 ssh2]",
                     FAILED + "Failed password for root from 198.51.100.23 port 2 ssh2")
    assert [r.event.get("datalek.repeated") for r in results] == [3, 3, 3, None]


def test_last_message_repeated_is_capped_by_the_context() -> None:
    lines = [FAILED + "Failed password for root from 198.51.100.23 port 1 ssh2",
             "Dec 10 06:55:50 LabSZ last message repeated 50000 times"]
    results = list(FORMATS["syslog"](lines, context=ParseContext(source="t", year=2023, max_repeats=5)))
    assert len(results) == 1 + 5 and results[-1].event["datalek.repeated"] == 50_000


def test_a_repeat_count_beyond_any_real_one_is_rejected() -> None:
    [result] = _parse(FAILED + "message repeated 100001 times: [ Failed password for root from 192.0.2.1 port 1 ssh2]")
    assert isinstance(result, Rejected) and result.reason == "repetition count out of range"

"""The loghub OpenSSH_2k.log (2000 sshd lines from a lab server under attack) parsed completely.

The expected numbers were counted independently of the parser, with grep over the raw file
(``F=tests/data/loghub/OpenSSH_2k.log``), and each test recomputes them with plain substring
tests on the raw lines (no parser code, no regular expressions):

    grep -c ': Failed password for ' $F                  -> 518 lines
    grep -c 'message repeated 5 times: \\[ Failed password' $F -> 2 lines = 10 more failures (root,
        from 5.36.59.76 and 106.5.5.195), so 528 failed passwords in all
    grep -c ': Failed none for ' $F                      -> 4
    grep -c ': Invalid user ' $F                         -> 113
    grep ': Accepted ' $F                                -> 1: fztu from 119.137.62.142 port 49116
    grep -oE 'Failed password for .* from [0-9.]+' $F | grep -oE '[0-9.]+$' | sort | uniq -c | sort -rn
        -> 286 183.62.140.253, 80 187.141.143.180, 46 103.99.0.122, 26 112.95.230.3, 18 5.188.10.180,
           17 185.190.58.151, ... (the repeated lines add 5 each to 5.36.59.76 and 106.5.5.195)
    grep -oE ': Invalid user .* from [0-9.]+' $F | grep -oE '[0-9.]+$' | sort | uniq -c | sort -rn
        -> 35 103.99.0.122, 29 187.141.143.180, 9 5.188.10.180, 9 183.62.140.253, ...

Every one of the 2000 lines is recognised: 2000 - 2 + 2 * 5 = 2008 events, no rejections.
"""

from __future__ import annotations

from collections import Counter

import pytest

from streams.parsers import FORMATS, Parsed, Rejected
from streams.parsers.checks import problems
from tests.unit.parsers.support import LOGHUB, context

pytestmark = pytest.mark.skipif(not LOGHUB.is_file(), reason=f"loghub dataset not found at {LOGHUB}")

# action -> (substring that identifies its lines in the raw file, expected events)
ACTIONS = {
    "pam_auth_failure": ("pam_unix(sshd:auth): authentication failure;", 494),
    "disconnect_received": ("Received disconnect from", 468),
    "pam_user_unknown": ("check pass; user unknown", 135),
    "invalid_user": (": Invalid user ", 113),
    "invalid_user_request": ("input_userauth_request: invalid user", 113),
    "reverse_dns_mismatch": ("POSSIBLE BREAK-IN ATTEMPT", 85),
    "connection_closed": ("Connection closed by", 34),
    "no_identification_string": ("Did not receive identification string", 10),
    "pam_more_failures": ("more authentication failure", 10),
    "pam_max_retries_exceeded": ("ignoring max retries", 7),
    "too_many_auth_failures": ("Too many authentication failures", 3),
    "session_opened": ("session opened for user", 1),
    "session_closed": ("session closed for user", 1),
    "sshd_error": (": fatal: ", 1),
}
TOP_FAILED_SOURCES = {"183.62.140.253": 286, "187.141.143.180": 80, "103.99.0.122": 46, "112.95.230.3": 26,
                      "5.188.10.180": 18, "185.190.58.151": 17}
TOP_INVALID_USER_SOURCES = {"103.99.0.122": 35, "187.141.143.180": 29}


@pytest.fixture(scope="module")
def raw() -> list[str]:
    return LOGHUB.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def results() -> list[Parsed | Rejected]:
    with LOGHUB.open(encoding="utf-8") as lines:
        return list(FORMATS["openssh"](lines, context=context("OpenSSH_2k.log", year=2026)))


@pytest.fixture(scope="module")
def events(results: list[Parsed | Rejected]) -> list[dict[str, object]]:
    return [r.event for r in results if isinstance(r, Parsed)]


def _source(line: str) -> str:
    return line.split(" from ")[1].split()[0]


def _weight(line: str) -> int:
    """How many attempts a line stands for: N for "message repeated N times", else 1."""
    return int(line.split("message repeated ")[1].split()[0]) if "message repeated " in line else 1


def _failed_password_sources(raw: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in raw:
        if "Failed password for " in line:
            counts[_source(line)] += _weight(line)
    return counts


def _logins(events: list[dict[str, object]], outcome: str,
            method: str | None = None) -> list[dict[str, object]]:
    return [e for e in events if e["event.action"] == "ssh_login" and e.get("event.outcome") == outcome
            and (method is None or e.get("openssh.method") == method)]


def test_every_line_is_parsed_or_rejected_and_repeats_expand(raw: list[str], results: list) -> None:
    assert len(raw) == 2000
    positions = {r.position for r in results}
    assert positions == {f"OpenSSH_2k.log:{n}" for n in range(1, 2001)}
    assert len(results) == 2000 - 2 + 2 * 5


def test_no_line_is_rejected(results: list) -> None:
    rejected = [(r.position, r.reason) for r in results if isinstance(r, Rejected)]
    assert rejected == []


def test_failed_passwords_match_an_independent_count(raw: list[str], events: list) -> None:
    independent = _failed_password_sources(raw)
    parsed = Counter(e["source.ip"] for e in _logins(events, "failure", "password"))
    assert sum(independent.values()) == 528
    assert parsed == independent
    assert {ip: parsed[ip] for ip in TOP_FAILED_SOURCES} == TOP_FAILED_SOURCES
    assert parsed["5.36.59.76"] == parsed["106.5.5.195"] == 6


def test_failed_none_attempts_are_failed_logins_too(raw: list[str], events: list) -> None:
    assert len(_logins(events, "failure", "none")) == sum(": Failed none for " in line for line in raw) == 4


def test_invalid_users_per_source(raw: list[str], events: list) -> None:
    independent = Counter(_source(line) for line in raw if ": Invalid user " in line)
    parsed = Counter(e["source.ip"] for e in events if e["event.action"] == "invalid_user")
    assert parsed == independent
    assert sum(parsed.values()) == 113
    assert {ip: parsed[ip] for ip in TOP_INVALID_USER_SOURCES} == TOP_INVALID_USER_SOURCES


def test_the_single_accepted_login_is_fztu_from_one_source(raw: list[str], events: list) -> None:
    accepted = _logins(events, "success")
    assert Counter(e["source.ip"] for e in accepted) == {"119.137.62.142": 1}
    assert [(e["user.name"], e["openssh.method"], e["source.port"]) for e in accepted] == [
        ("fztu", "password", 49116)]
    assert sum(": Accepted " in line for line in raw) == 1


def test_per_action_counts_match_substring_counts(raw: list[str], events: list) -> None:
    actions = Counter(e["event.action"] for e in events)
    for action, (needle, expected) in ACTIONS.items():
        assert sum(needle in line for line in raw) == expected, needle
        assert actions[action] == expected, action
    assert actions["ssh_login"] == 528 + 4 + 1
    assert set(actions) == {*ACTIONS, "ssh_login"}


def test_only_the_login_attempt_carries_the_outcome_pam_and_sshd_notices_do_not(events: list) -> None:
    """Exactly one event per attempt has an outcome (the contract): counting failures counts attempts."""
    notes = [e for e in events if "authentication" in e["event.category"] and e["event.action"] != "ssh_login"]
    assert notes and {e.get("event.outcome") for e in notes} == {None}
    assert {tuple(e["event.type"]) for e in notes} == {("info",)}
    failures = [e for e in events if "authentication" in e["event.category"] and e.get("event.outcome") == "failure"]
    assert len(failures) == 528 + 4  # the "Failed password" and "Failed none" lines, repeats expanded


def test_every_event_fits_the_schema_and_has_a_unique_stable_id(events: list) -> None:
    assert [problems(e) for e in events if problems(e)] == []
    ids = [e["event.id"] for e in events]
    assert len(set(ids)) == len(ids)
    with LOGHUB.open(encoding="utf-8") as lines:
        again = [r.event["event.id"] for r in FORMATS["openssh"](lines, context=context("OpenSSH_2k.log",
                                                                                          year=2026))]
    assert again == ids


def test_timestamps_use_the_configured_year_in_utc(events: list) -> None:
    assert events[0]["@timestamp"] == "2026-12-10T06:55:46+00:00"
    assert events[-1]["@timestamp"].startswith("2026-12-10T11:")

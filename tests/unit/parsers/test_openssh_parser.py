"""OpenSSH/PAM lines as written by current sshd (OpenSSH 8/9), PAM, sudo, logind and cron."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from streams.parsers import FORMATS, ParseContext, Skipped
from streams.parsers.checks import problems
from tests.unit.parsers.support import one, run, run_sample

SSHD = "Mar  3 09:16:42 portal-01 sshd[1310]: "


def test_failed_password_for_invalid_user_is_a_failed_login_with_the_reason() -> None:
    event = one("openssh", SSHD + "Failed password for invalid user oracle from 203.0.113.45 port 51122 ssh2")
    assert event["event.category"] == ["authentication"]
    assert (event["event.action"], event["event.outcome"], event["event.reason"]) == (
        "ssh_login", "failure", "invalid user")
    assert (event["user.name"], event["source.ip"], event["source.port"]) == ("oracle", "203.0.113.45", 51122)
    assert event["openssh.method"] == "password"
    assert (event["host.name"], event["process.name"], event["process.pid"]) == ("portal-01", "sshd", 1310)
    assert event["related.user"] == ["oracle"] and event["related.ip"] == ["203.0.113.45"]


def test_accepted_publickey_is_a_successful_login() -> None:
    event = one("openssh", SSHD + "Accepted publickey for deploy from 192.0.2.10 port 50514 ssh2: "
                                  "ED25519 SHA256:x")
    assert (event["event.action"], event["event.outcome"], event["openssh.method"]) == (
        "ssh_login", "success", "publickey")


@pytest.mark.parametrize("method", ["publickey", "hostbased"])
def test_a_refused_key_is_no_failed_attempt(method: str) -> None:
    """ssh-agent offers its keys in turn; sshd (LogLevel VERBOSE) logs each refused one: no secret guessed."""
    event = one("openssh", f"Mar  9 02:00:03 crm-app-01 sshd[4100]: Failed {method} for deploy from 10.20.1.40 "
                           "port 51234 ssh2: RSA SHA256:Zm9vYmFyYmF6cXV4", year=2026)
    assert (event["event.action"], event["event.type"], event.get("event.outcome")) == (
        "ssh_key_refused", ["info"], None)
    assert (event["user.name"], event["source.ip"]) == ("deploy", "10.20.1.40")


def test_repeated_message_expands_to_n_failures_with_distinct_ids() -> None:
    parsed, rejected = run("openssh", [
        SSHD + "message repeated 3 times: [ Failed password for root from 198.51.100.23 port 40022 ssh2]"])
    assert not rejected
    assert [p.event["event.action"] for p in parsed] == ["ssh_login"] * 3
    assert {p.event["user.name"] for p in parsed} == {"root"}
    assert {p.position for p in parsed} == {"test:1"}
    assert len({p.event["event.id"] for p in parsed}) == 3


def test_invalid_user_line_is_a_side_note_without_an_outcome() -> None:
    # sshd logs the attempt itself as "Failed password for invalid user ...": this notice must not count twice
    event = one("openssh", SSHD + "Invalid user webmaster from 173.234.31.186")
    assert (event["event.action"], event["event.type"], event["user.name"]) == (
        "invalid_user", ["info"], "webmaster")
    assert "event.outcome" not in event


def test_user_names_are_kept_verbatim_even_with_odd_spacing() -> None:
    event = one("openssh", SSHD + "Invalid user  0101 from 5.188.10.180")
    assert event["user.name"] == " 0101"


def test_pam_failure_takes_remote_host_and_user_from_its_fields() -> None:
    event = one("openssh", SSHD + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 "
                                  "tty=ssh ruser= rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om  user=root")
    assert (event["event.action"], event["user.name"]) == ("pam_auth_failure", "root")
    assert event["source.domain"] == "5.36.59.76.dynamic-dsl-ip.omantel.net.om"
    assert "source.ip" not in event


def test_pam_more_failures_keeps_the_count_without_expanding() -> None:
    event = one("openssh", SSHD + "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= "
                                  "rhost=183.62.140.253  user=root")
    assert (event["event.action"], event["openssh.failures"], event["source.ip"]) == (
        "pam_more_failures", 5, "183.62.140.253")


def test_reverse_mapping_warning_is_a_network_event_flagged_as_possible_break_in() -> None:
    event = one("openssh", SSHD + "reverse mapping checking getaddrinfo for ns.example.com [173.234.31.186] "
                                  "failed - POSSIBLE BREAK-IN ATTEMPT!")
    assert (event["event.category"], event["event.action"]) == (["network"], "reverse_dns_mismatch")
    assert (event["source.ip"], event["source.domain"]) == ("173.234.31.186", "ns.example.com")
    assert event["event.reason"] == "POSSIBLE BREAK-IN ATTEMPT"


@pytest.mark.parametrize(("message", "action"), [
    ("Connection closed by 212.47.254.145 [preauth]", "connection_closed"),
    ("Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]", "disconnect_received"),
    ("error: Received disconnect from 1.2.3.4: 14: No more user authentication methods available. [preauth]",
     "disconnect_received"),
    ("Did not receive identification string from 1.2.3.4", "no_identification_string"),
    ("Disconnecting: Too many authentication failures for admin [preauth]", "too_many_auth_failures"),
    ("PAM service(sshd) ignoring max retries; 6 > 3", "pam_max_retries_exceeded"),
    ("pam_unix(sshd:session): session opened for user fztu by (uid=0)", "session_opened"),
    ("pam_unix(sshd:session): session closed for user fztu", "session_closed"),
    ("fatal: Write failed: Connection reset by peer [preauth]", "sshd_error"),
])
def test_loghub_message_shapes_are_classified(message: str, action: str) -> None:
    assert one("openssh", SSHD + message)["event.action"] == action


def test_sample_auth_log_from_current_openssh_is_fully_classified() -> None:
    parsed, rejected = run_sample("openssh", "auth.log")
    assert [(r.position, r.reason) for r in rejected] == [  # the cron line 35 is skipped, not rejected
        ("auth.log:36", "not a syslog line (no timestamp/host/program header)")]
    assert [p.event for p in parsed if problems(p.event)] == []
    actions = Counter(p.event["event.action"] for p in parsed)
    assert actions["ssh_login"] == 1 + 1 + 3 + 1 + 1  # oracle, root, root x3 repeated, deploy, admin (IPv6)
    assert actions["session_opened"] == 4 and actions["session_closed"] == 2
    assert actions["too_many_auth_failures"] == 2 and actions["sudo_command"] == 2


def test_sudo_with_wrong_passwords_is_a_failed_privileged_command() -> None:
    event = one("openssh", "Mar  3 09:21:02 portal-01 sudo:   deploy : 3 incorrect password attempts ; "
                           "TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow")
    assert (event["event.action"], event["event.outcome"]) == ("sudo_command", "failure")
    assert (event["user.name"], event["user.target.name"]) == ("deploy", "root")
    assert event["related.user"] == ["deploy", "root"]


def test_new_style_disconnect_names_user_and_source() -> None:
    event = one("openssh", SSHD + "Disconnecting authenticating user root 198.51.100.23 port 40022: "
                                  "Too many authentication failures [preauth]")
    assert (event["user.name"], event["source.ip"], event["source.port"]) == ("root", "198.51.100.23", 40022)


def test_iso_timestamp_with_offset_is_converted_to_utc() -> None:
    event = one("openssh", "2026-03-03T09:40:00.5+01:00 portal-01 sshd[1420]: "
                           "Invalid user admin from 2001:db8::7")
    assert event["@timestamp"] == "2026-03-03T08:40:00.500000+00:00"
    assert event["source.ip"] == "2001:db8::7"


def test_year_comes_from_the_context_when_configured() -> None:
    event = one("openssh", "Dec 10 06:55:46 LabSZ sshd[1]: Invalid user a from 1.2.3.4", year=2016)
    assert event["@timestamp"] == "2016-12-10T06:55:46+00:00"


def test_december_lines_read_in_january_belong_to_the_previous_year() -> None:
    january = datetime(2027, 1, 5, tzinfo=UTC)
    event = one("openssh", "Dec 31 23:59:00 h sshd[1]: Invalid user a from 1.2.3.4", reference=january)
    assert event["@timestamp"].startswith("2026-12-31")
    event = one("openssh", "Jan  4 08:00:00 h sshd[1]: Invalid user a from 1.2.3.4", reference=january)
    assert event["@timestamp"].startswith("2027-01-04")


def test_zone_less_times_are_read_in_the_configured_zone() -> None:
    event = one("openssh", "Jul  1 12:00:00 h sshd[1]: Invalid user a from 1.2.3.4", year=2026,
                tz=ZoneInfo("Europe/Amsterdam"))
    assert event["@timestamp"] == "2026-07-01T10:00:00+00:00"


def test_without_year_or_reference_a_classic_stamp_is_rejected_not_guessed() -> None:
    parsed, rejected = run("openssh", ["Dec 10 06:55:46 LabSZ sshd[1]: Invalid user a from 1.2.3.4"],
                           reference=None)
    assert not parsed
    assert rejected[0].reason == "timestamp has no year and the context gives neither year nor reference"


def test_impossible_dates_are_rejected() -> None:
    _, rejected = run("openssh", ["Feb 29 10:00:00 h sshd[1]: Invalid user a from 1.2.3.4"], year=2026)
    assert rejected[0].reason == "invalid date in syslog timestamp"


def test_unknown_sshd_messages_are_rejected_with_the_program_and_the_raw_line() -> None:
    line = "Mar  3 09:41:00 portal-01 sshd[1501]: something sshd never wrote"
    parsed, rejected = run("openssh", [line])
    assert not parsed
    assert (rejected[0].reason, rejected[0].position, rejected[0].raw) == (
        "unrecognised sshd message", "test:1", line)


def test_other_programs_lines_are_skipped_not_rejected() -> None:
    results = list(FORMATS["openssh"](["Mar  3 09:41:00 portal-01 CRON[1501]: (root) CMD (run-parts /etc/cron.daily)"],
                                      context=ParseContext(source="test", year=2026)))
    assert results == [Skipped("CRON", "test:1")]


def test_blank_lines_are_skipped_and_numbering_follows_the_input() -> None:
    parsed, _ = run("openssh", ["\n", SSHD + "Invalid user a from 1.2.3.4\n"], first_line=10)
    assert [p.position for p in parsed] == ["test:11"]


def test_context_host_and_asset_are_defaults_only() -> None:
    event = one("openssh", SSHD + "Invalid user a from 1.2.3.4", host="ignored", asset="customer-portal")
    assert (event["host.name"], event["datalek.asset"]) == ("portal-01", "customer-portal")

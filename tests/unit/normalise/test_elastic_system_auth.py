"""Linux auth logs as Elastic Agent / Filebeat's system integration writes them (data stream system.auth).

Documents follow the integration's documented fields (event.dataset system.auth, process.name, message,
system.auth.ssh.event, host.hostname); older versions leave event.action, and sometimes event.outcome and
event.category, off PAM, su and sudo lines, so both shapes appear.
"""

from __future__ import annotations

from typing import Any

import pytest

from incidents.security_event import Outcome
from streams import schema
from tests.unit.normalise.support import expect, normalised

STAMP = "2026-03-03T10:00:01.000Z"


def auth(message: str, process: str = "sshd", *, nested: bool = True, **extra: Any) -> dict[str, Any]:
    """A system.auth document; ``extra`` are dotted fields (e.g. event.outcome) added as such."""
    if nested:
        doc: dict[str, Any] = {"@timestamp": STAMP, "agent": {"type": "filebeat"},
                               "event": {"dataset": "system.auth", "module": "system", "kind": "event"},
                               "host": {"hostname": "web-01"}, "process": {"name": process, "pid": 4242},
                               "log": {"file": {"path": "/var/log/auth.log"}}, "message": message}
    else:
        doc = {"@timestamp": STAMP, "data_stream.dataset": "system.auth", "host.hostname": "web-01",
               "process.name": process, "process.pid": "4242", "message": message}
    return {**doc, **extra}


PAM_SSHD = ("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
            "rhost=203.0.113.9  user=root")

CASES = [
    # sshd's own line, as the current pipeline writes it: kept as is
    ("sshd failed password, full ECS",
     auth("Failed password for root from 203.0.113.9 port 51515 ssh2", **{
         "event.action": "ssh_login", "event.outcome": "failure", "event.category": ["authentication"],
         "event.type": ["info"], "system.auth.ssh.event": "Failed"}),
     {"category": ["authentication"], "type": ["info"], "outcome": "failure"}),
    # older pipeline: only system.auth.ssh.event says what happened
    ("sshd failed password, no categorisation",
     auth("Failed password for invalid user admin from 203.0.113.9 port 51515 ssh2",
          **{"system.auth.ssh.event": "Failed"}),
     {"category": ["authentication"], "type": ["info"], "outcome": "failure"}),
    ("sshd invalid user, dotted document",
     auth("Invalid user admin from 203.0.113.9 port 51516", nested=False, **{"system.auth.ssh.event": "Invalid"}),
     {"category": ["authentication"], "outcome": "failure"}),
    # a key the agent offered and sshd refused (LogLevel VERBOSE): no secret guessed, no failed attempt
    ("sshd failed publickey, full ECS",
     auth("Failed publickey for deploy from 10.20.1.40 port 51234 ssh2: RSA SHA256:abc", **{
         "event.action": "ssh_login", "event.outcome": "failure", "event.category": ["authentication"],
         "event.type": ["info"], "system.auth.ssh.event": "Failed", "system.auth.ssh.method": "publickey"}),
     {"category": ["authentication"], "type": ["info"], "outcome": None}),
    ("sshd accepted publickey",
     auth("Accepted publickey for deploy from 198.51.100.4 port 40022 ssh2: ED25519 SHA256:abc",
          **{"system.auth.ssh.event": "Accepted"}),
     {"category": ["authentication", "session"], "outcome": "success"}),
    # sshd's PAM side note beside its own "Failed password": no outcome, so the attempt counts once
    ("pam_unix sshd side note, no action", auth(PAM_SSHD), {"category": ["authentication"], "type": ["info"],
                                                            "outcome": None}),
    ("pam_unix sshd side note, newer pipeline's failure replaced",
     auth(PAM_SSHD, **{"event.action": "authentication_failure", "event.outcome": "failure",
                       "event.category": ["authentication"], "event.type": ["info"]}),
     {"category": ["authentication"], "type": ["info"], "outcome": None}),
    ("pam_sss sshd side note", auth("pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                                    "ruser= rhost=203.0.113.9 user=alice"), {"outcome": None}),
    ("check pass user unknown", auth("pam_unix(sshd:auth): check pass; user unknown"), {"outcome": None}),
    ("side note from sshd-session (OpenSSH 9.8+)", auth(PAM_SSHD, "sshd-session", **{"event.outcome": "failure"}),
     {"category": ["authentication"], "type": ["info"], "outcome": None}),
    # the PAM line is the only record of the attempt: it carries the failure
    ("old RHEL sshd(pam_unix)", auth("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= "
                                     "rhost=203.0.113.9", "sshd(pam_unix)"),
     {"category": ["authentication"], "outcome": "failure"}),
    ("su pam failure", auth("pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 "
                            "tty=/dev/pts/0 ruser=bob rhost=  user=root", "su"),
     {"category": ["authentication"], "type": ["start"], "outcome": "failure"}),
    ("sudo pam failure", auth("pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 "
                              "tty=/dev/pts/1 ruser=alice rhost=  user=alice", "sudo"),
     {"category": ["authentication"], "outcome": "failure"}),
    ("sudo incorrect password attempts, filed as process by Elastic",
     auth("alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash",
          "sudo", **{"event.category": ["process"], "event.type": ["start"]}),
     {"category": ["process", "authentication"], "outcome": "failure"}),
    ("unix_chkpwd", auth("password check failed for user (alice)", "unix_chkpwd"),
     {"category": ["authentication"], "outcome": "failure"}),
    ("login FAILED LOGIN", auth("FAILED LOGIN 1 FROM tty1 FOR alice, Authentication failure", "login"),
     {"category": ["authentication"], "outcome": "failure"}),
    ("su FAILED SU", auth("FAILED SU (to root) alice on pts/0", "su"),
     {"category": ["authentication"], "outcome": "failure"}),
    # lockout: a change to the account, not one more failure (the pipeline's "failure" kept as original)
    ("pam_faillock lockout", auth("pam_faillock(sshd:auth): Consecutive login failures for user alice account "
                                  "temporarily locked", **{"event.action": "account-locked",
                                                           "event.outcome": "failure",
                                                           "event.category": ["authentication"],
                                                           "event.type": ["info"]}),
     {"category": ["authentication", "iam"], "type": ["info", "user", "change"], "outcome": "success"}),
    ("useradd", auth("new user: name=eve, UID=1001, GID=1001, home=/home/eve, shell=/bin/bash", "useradd"),
     {"category": ["iam"], "type": ["user", "creation"], "outcome": "success"}),
    ("usermod add to sudo group, newer pipeline",
     auth("add 'eve' to group 'sudo'", "usermod", **{"event.category": ["iam"], "event.type": ["user", "change"],
                                                     "event.outcome": "success",
                                                     "event.action": "group-member-added"}),
     {"category": ["iam"], "type": ["user", "change", "group"], "outcome": "success"}),
    ("groupadd", auth("new group: name=audit, GID=1002", "groupadd"), {"category": ["iam"],
                                                                       "type": ["group", "creation"]}),
    ("session opened is no authentication", auth("pam_unix(cron:session): session opened for user root(uid=0) "
                                                 "by (uid=0)", "CRON"),
     {"category": ["session"], "type": ["start"]}),
]


@pytest.mark.parametrize("document, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_system_auth_documents_get_the_contracts_categorisation(document, expected):
    expect(normalised(document), **expected)


def test_pam_document_without_event_action_reaches_the_rules_as_a_security_event():
    event = schema.to_event(auth("pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 "
                                 "tty=/dev/pts/0 ruser=bob rhost=  user=root", "su", **{"user.name": "bob"}))
    assert (event.action, event.outcome, event.categories, event.host) == (
        "", Outcome.FAILURE, frozenset({"authentication"}), "web-01")


def test_host_hostname_stands_in_for_a_missing_host_name_but_never_replaces_it():
    assert schema.to_event(auth("x")).host == "web-01"
    assert schema.to_event({**auth("x"), "host": {"hostname": "web-01", "name": "web-01.example.nl"}}).host == \
        "web-01.example.nl"


def test_unrelated_daemon_line_gets_no_categorisation_but_is_kept():
    event = normalised(auth("Started Session 12 of user root.", "systemd"))
    assert "event.category" not in event and event["message"] == "Started Session 12 of user root."

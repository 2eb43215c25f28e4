"""Linux auth lines of the major distributions, one row per line shape, with the ECS fields they give.

Lines are written as the programs print them (OpenSSH ``auth_log``/``sshlogv``, Linux-PAM ``pam_unix``,
``pam_sss``, ``pam_faillock``, ``unix_chkpwd``, shadow-utils and util-linux ``login``/``su``, sudo's
sudoers log format), on Debian/Ubuntu ``auth.log``, RHEL/Fedora ``secure`` (also the old
``sshd(pam_unix)[pid]`` form), rsyslog's high-precision ISO stamps, ``journalctl -o short-iso`` and
RFC 3164/5424 headers. ``None`` as an expected value means the field must be absent: side notes about an
attempt that another line records carry no ``event.outcome``, so every attempt is counted once.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.parsers.support import one

FAILED, SUCCEEDED = {"event.outcome": "failure"}, {"event.outcome": "success"}
ATTEMPT = {"event.category": ["authentication"], "event.type": ["start"]}
NOTE = {"event.category": ["authentication"], "event.type": ["info"], "event.outcome": None}

SHAPES: list[tuple[str, str, dict[str, Any]]] = [
    # --- sshd: the attempt itself (Debian/Ubuntu auth.log, RHEL secure) ---
    ("sshd failed password, IPv6", "Oct 17 18:20:49 web-02 sshd[97522]: Failed password for root from "
     "2001:db8:4::19 port 52144 ssh2",
     {**ATTEMPT, **FAILED, "event.action": "ssh_login", "user.name": "root", "source.ip": "2001:db8:4::19",
      "source.port": 52144, "host.name": "web-02", "process.name": "sshd", "process.pid": 97522,
      "@timestamp": "2023-10-17T18:20:49+00:00"}),
    ("sshd failed password, invalid user, rsyslog high precision ISO",
     "2023-10-17T18:20:49.123456+02:00 db-01 sshd[3141]: Failed password for invalid user admin from "
     "198.51.100.7 port 2222 ssh2",
     {**ATTEMPT, **FAILED, "user.name": "admin", "event.reason": "invalid user", "source.port": 2222,
      "@timestamp": "2023-10-17T16:20:49.123456+00:00"}),
    ("sshd accepted publickey, RFC 5424", "<86>1 2023-10-17T18:20:49+02:00 bastion sshd 97522 - - Accepted "
     "publickey for deploy from 192.0.2.44 port 40110 ssh2: ED25519 SHA256:Jq4Sq6bJ0n8v7m1Jm5yXo2P0H1b",
     {**ATTEMPT, **SUCCEEDED, "event.action": "ssh_login", "user.name": "deploy", "openssh.method": "publickey",
      "host.name": "bastion", "process.pid": 97522, "@timestamp": "2023-10-17T16:20:49+00:00"}),
    ("sshd RFC 5424 with structured data and a Z stamp", '<38>1 2023-10-17T09:40:00.5Z gw-2 sshd 4242 auth '
     '[origin ip="10.0.0.2"][meta sequenceId="17"] Failed keyboard-interactive/pam for svc from 192.0.2.5 '
     'port 4000 ssh2',
     {**ATTEMPT, **FAILED, "openssh.method": "keyboard-interactive/pam", "host.name": "gw-2",
      "@timestamp": "2023-10-17T09:40:00.500000+00:00"}),
    ("sshd accepted password, journalctl short-iso", "2023-02-01T07:00:00+0100 app-3 sshd[88]: Accepted "
     "password for carol from 203.0.113.9 port 61000 ssh2",
     {**ATTEMPT, **SUCCEEDED, "user.name": "carol", "@timestamp": "2023-02-01T06:00:00+00:00"}),
    ("sshd RFC 3164 with PRI written to a file", "<38>Feb  1 07:00:00 app-3 sshd[89]: Failed none for "
     "invalid user test from 203.0.113.10 port 61001 ssh2",
     {**ATTEMPT, **FAILED, "openssh.method": "none", "@timestamp": "2023-02-01T07:00:00+00:00"}),
    ("sshd OpenSSH 9.8 per-session process name", "Oct 17 18:20:49 web-03 sshd-session[1201]: Failed "
     "password for alice from 192.0.2.90 port 50100 ssh2",
     {**ATTEMPT, **FAILED, "process.name": "sshd-session", "user.name": "alice"}),
    # --- sshd and PAM side notes on an attempt sshd records itself ---
    ("pam_unix auth failure under sshd", "Oct 17 18:20:47 web-02 sshd[97522]: pam_unix(sshd:auth): "
     "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8:4::19  user=root",
     {**NOTE, "event.action": "pam_auth_failure", "user.name": "root", "source.ip": "2001:db8:4::19"}),
    ("pam_unix check pass under sshd", "Oct 17 18:20:47 web-02 sshd[97522]: pam_unix(sshd:auth): check pass; "
     "user unknown", {**NOTE, "event.action": "pam_user_unknown"}),
    ("sshd invalid user notice", "Oct 17 18:20:46 web-02 sshd[97530]: Invalid user oracle from 203.0.113.45 "
     "port 51122", {**NOTE, "event.action": "invalid_user", "user.name": "oracle", "source.port": 51122}),
    ("pam_sss auth failure under sshd", "Oct 17 18:21:11 idm-1 sshd[1200]: pam_sss(sshd:auth): authentication "
     "failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.200 user=jdoe@corp.example",
     {**NOTE, "user.name": "jdoe@corp.example", "source.ip": "192.0.2.200"}),
    ("pam_sss result code", "Oct 17 18:21:11 idm-1 sshd[1200]: pam_sss(sshd:auth): received for user "
     "jdoe@corp.example: 7 (Authentication failure)",
     {**NOTE, "event.action": "pam_sss_result", "event.reason": "7 (Authentication failure)"}),
    ("PAM more failures counter", "Oct 17 18:22:52 web-02 sshd[97540]: PAM 2 more authentication failures; "
     "logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.23  user=root",
     {**NOTE, "openssh.failures": 2, "source.ip": "198.51.100.23"}),
    # --- old RHEL/CentOS: PAM's line is the only record of the attempt ---
    ("old RHEL sshd(pam_unix) failure, unknown user", "Jun 14 15:16:01 mail1 sshd(pam_unix)[19939]: "
     "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=192.0.2.4 ",
     {**ATTEMPT, **FAILED, "event.action": "pam_auth_failure", "source.ip": "192.0.2.4", "user.name": None,
      "process.name": "sshd", "process.pid": 19939, "event.dataset": "openssh.auth"}),
    ("old RHEL sshd(pam_unix) failure for root from a host name", "Jun 15 02:04:59 mail1 sshd(pam_unix)[20884]: "
     "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=dsl-51-100-7.example.net  user=root",
     {**ATTEMPT, **FAILED, "user.name": "root", "source.domain": "dsl-51-100-7.example.net"}),
    ("old RHEL check pass", "Jun 14 15:16:02 mail1 sshd(pam_unix)[19937]: check pass; user unknown",
     {**NOTE, "process.name": "sshd"}),
    ("old RHEL su(pam_unix) session", "Jun 15 04:06:18 mail1 su(pam_unix)[21416]: session opened for user news "
     "by (uid=0)", {"event.category": ["session"], "event.type": ["start"], **SUCCEEDED, "user.name": "news",
                    "process.name": "su"}),
    # --- pam_faillock, unix_chkpwd ---
    ("pam_faillock lockout", "Oct 17 18:21:10 web-02 sshd[97530]: pam_faillock(sshd:auth): Consecutive login "
     "failures for user alice account temporarily locked",
     {"event.category": ["iam"], "event.type": ["user", "change"], **SUCCEEDED, "event.action": "account_locked",
      "user.target.name": "alice"}),
    ("unix_chkpwd password check failed", "Oct 17 18:22:00 ws-7 unix_chkpwd[5121]: password check failed for "
     "user (alice)", {**NOTE, "event.action": "password_check_failed", "user.name": "alice",
                      "process.name": "unix_chkpwd"}),
    # --- PAM as the only record: display managers, sudo, passwd ---
    ("pam_unix failure in gdm", "Oct 17 18:22:00 ws-7 gdm-password[2210]: pam_unix(gdm-password:auth): "
     "authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice",
     {**ATTEMPT, **FAILED, "user.name": "alice", "process.name": "gdm-password"}),
    ("pam_sss failure under sudo", "Oct 17 18:21:12 idm-1 sudo[4412]: pam_sss(sudo:auth): authentication "
     "failure; logname=bob uid=1000 euid=0 tty=/dev/pts/2 ruser=bob rhost= user=bob",
     {**ATTEMPT, **FAILED, "user.name": "bob", "user.effective.name": None}),
    ("pam_unix failure under sudo: the requesting user acted", "Oct 17 18:26:00 ws-7 sudo[5154]: "
     "pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=alice "
     "rhost=  user=root",
     {**ATTEMPT, **FAILED, "user.name": "alice", "user.target.name": "root", "user.effective.name": "root",
      "related.user": ["alice", "root"]}),
    ("passwd chauthtok failure", "Oct 17 18:23:00 ws-7 passwd[7001]: pam_unix(passwd:chauthtok): authentication "
     "failure; logname= uid=1000 euid=0 tty=pts/1 ruser= rhost=  user=bob",
     {**ATTEMPT, **FAILED, "user.name": "bob", "process.name": "passwd"}),
    ("passwd password changed", "Oct 17 18:23:30 ws-7 passwd[7002]: pam_unix(passwd:chauthtok): password "
     "changed for bob", {"event.category": ["iam"], "event.type": ["user", "change"], **SUCCEEDED,
                         "event.action": "password_changed", "user.target.name": "bob"}),
    ("shadow passwd changed by root", "Oct 17 18:23:31 ws-7 passwd[7003]: password for 'carol' changed by 'root'",
     {"event.category": ["iam"], **SUCCEEDED, "user.name": "root", "user.target.name": "carol"}),
    # --- login ---
    ("shadow login failure on a tty", "Oct 17 18:24:00 ws-7 login[1023]: FAILED LOGIN (1) on '/dev/tty1' FOR "
     "'x', Authentication failure",
     {**ATTEMPT, **FAILED, "event.action": "login", "user.name": "x", "event.reason": "Authentication failure"}),
    ("shadow login failure from a host", "Oct 17 18:24:05 ws-7 login[1030]: FAILED LOGIN (2) on '/dev/pts/4' "
     "from '192.0.2.77' FOR 'root', Authentication failure",
     {**ATTEMPT, **FAILED, "user.name": "root", "source.ip": "192.0.2.77"}),
    ("shadow login failure, unknown name not logged", "Oct 17 18:24:06 ws-7 login[1031]: FAILED LOGIN (1) on "
     "'/dev/tty3' FOR 'UNKNOWN', User not known to the underlying authentication module",
     {**ATTEMPT, **FAILED, "user.name": None}),
    ("util-linux login failure", "Oct 17 18:24:00 ws-7 login[880]: FAILED LOGIN 1 FROM tty2 FOR operator, "
     "Authentication failure", {**ATTEMPT, **FAILED, "user.name": "operator"}),
    ("util-linux login, last attempt", "Oct 17 18:24:09 ws-7 login[880]: FAILED LOGIN SESSION FROM tty2 FOR "
     "operator, Authentication failure", {**ATTEMPT, **FAILED, "user.name": "operator"}),
    ("pam_unix under login is a side note", "Oct 17 18:24:00 ws-7 login[1023]: pam_unix(login:auth): "
     "authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=x",
     {**NOTE, "user.name": "x"}),
    ("util-linux root login", "Oct 17 18:24:30 ws-7 login[1024]: ROOT LOGIN ON tty2",
     {**ATTEMPT, **SUCCEEDED, "user.name": "root"}),
    ("util-linux login of a user from a host", "Oct 17 18:24:31 ws-7 login[1025]: LOGIN ON pts/3 BY dave FROM "
     "2001:db8::c0", {**ATTEMPT, **SUCCEEDED, "user.name": "dave", "source.ip": "2001:db8::c0"}),
    # --- su ---
    ("util-linux su failure", "Oct 17 18:25:00 ws-7 su[3301]: FAILED SU (to root) bob on pts/0",
     {**ATTEMPT, **FAILED, "event.action": "su", "user.name": "bob", "user.effective.name": "root",
      "user.target.name": "root"}),
    ("util-linux su success", "Oct 17 18:25:10 ws-7 su[3302]: (to postgres) bob on pts/0",
     {**ATTEMPT, **SUCCEEDED, "user.name": "bob", "user.effective.name": "postgres"}),
    ("shadow su failure", "Oct 17 18:25:20 ws-7 su[777]: FAILED su for root by bob",
     {**ATTEMPT, **FAILED, "user.name": "bob", "user.effective.name": "root"}),
    ("shadow su PAM result is a side note", "Oct 17 18:25:20 ws-7 su[777]: pam_authenticate: Authentication "
     "failure", {**NOTE, "event.reason": "Authentication failure"}),
    ("pam_unix under su is a side note", "Oct 17 18:25:00 ws-7 su[3301]: pam_unix(su:auth): authentication "
     "failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=root",
     {**NOTE, "user.name": "bob", "user.effective.name": "root"}),
    # --- sudo ---
    ("sudo command with TTY", "Oct 17 18:26:00 ws-7 sudo[5150]:     bob : TTY=pts/0 ; PWD=/home/bob ; "
     "USER=root ; COMMAND=/usr/bin/apt update",
     {"event.category": ["process"], "event.type": ["start"], **SUCCEEDED, "event.action": "sudo_command",
      "user.name": "bob", "user.effective.name": "root", "process.command_line": "/usr/bin/apt update"}),
    ("sudo command without TTY", "Oct 17 18:26:01 ws-7 sudo[5151]:   backup : PWD=/var/backups ; USER=postgres ; "
     "COMMAND=/usr/bin/pg_dumpall",
     {"event.category": ["process"], **SUCCEEDED, "user.name": "backup", "user.effective.name": "postgres"}),
    ("sudo 1.9 with ENV and TSID", "Oct 17 18:26:02 ws-7 sudo[5155]:    carol : TTY=pts/2 ; PWD=/srv ; USER=root ; "
     "TSID=000001 ; ENV=EDITOR=vim ; COMMAND=/usr/bin/vi /etc/hosts", {**SUCCEEDED, "user.name": "carol"}),
    ("sudo user not in sudoers", "Oct 17 18:26:03 ws-7 sudo[5152]:      eve : user NOT in sudoers ; TTY=pts/3 ; "
     "PWD=/home/eve ; USER=root ; COMMAND=/bin/bash",
     {"event.category": ["process"], "event.type": ["denied"], **FAILED, "user.name": "eve",
      "event.reason": "user NOT in sudoers"}),
    ("sudo incorrect password attempts", "Oct 17 18:26:04 ws-7 sudo[5153]:     bob : 3 incorrect password "
     "attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow",
     {"event.type": ["denied"], **FAILED, "event.reason": "3 incorrect password attempts"}),
    # --- sessions of other programs ---
    ("systemd --user session", "Oct 17 18:26:05 ws-7 systemd[1402]: pam_unix(systemd-user:session): session "
     "opened for user bob(uid=1000) by (uid=0)",
     {"event.category": ["session"], "event.type": ["start"], "user.name": "bob", "process.name": "systemd"}),
    ("cron session closed", "Oct 17 18:26:06 ws-7 CRON[30211]: pam_unix(cron:session): session closed for user "
     "root", {"event.category": ["session"], "event.type": ["end"], "user.name": "root"}),
    ("logind new session", "Oct 17 18:26:07 ws-7 systemd-logind[702]: New session 8812 of user svc-sync.",
     {"event.category": ["session"], "event.type": ["start"], "user.name": "svc-sync"}),
    # --- account management (shadow-utils), ECS IAM ---
    ("useradd new user", "Oct 17 18:27:00 ws-7 useradd[9100]: new user: name=alice, UID=1001, GID=1001, "
     "home=/home/alice, shell=/bin/bash, from=/dev/pts/0",
     {"event.category": ["iam"], "event.type": ["user", "creation"], **SUCCEEDED, "event.action": "user_created",
      "user.target.name": "alice", "user.target.id": "1001", "user.name": None}),
    ("useradd new group", "Oct 17 18:27:00 ws-7 useradd[9100]: new group: name=alice, GID=1001",
     {"event.category": ["iam"], "event.type": ["group", "creation"], **SUCCEEDED, "group.name": "alice",
      "group.id": "1001"}),
    ("usermod add to group", "Oct 17 18:27:01 ws-7 usermod[9120]: add 'alice' to group 'sudo'",
     {"event.category": ["iam"], "event.type": ["group", "change"], **SUCCEEDED,
      "event.action": "user_added_to_group", "user.target.name": "alice", "group.name": "sudo",
      "user.target.group.name": "sudo"}),
    ("usermod add to shadow group repeats the change", "Oct 17 18:27:01 ws-7 usermod[9120]: add 'alice' to "
     "shadow group 'sudo'", {"event.category": ["iam"], "event.type": ["group", "info"], "event.outcome": None}),
    ("usermod remove from group", "Oct 17 18:27:02 ws-7 usermod[9122]: delete 'alice' from group 'docker'",
     {"event.type": ["group", "change"], "event.action": "user_removed_from_group", "group.name": "docker"}),
    ("usermod lock", "Oct 17 18:27:03 ws-7 usermod[9121]: lock user 'mallory' password",
     {"event.category": ["iam"], "event.type": ["user", "change"], **SUCCEEDED, "event.action": "user_locked",
      "user.target.name": "mallory"}),
    ("usermod shell change", "Oct 17 18:27:04 ws-7 usermod[9123]: change user 'mallory' shell from '/bin/bash' to "
     "'/usr/sbin/nologin'", {"event.type": ["user", "change"], "event.action": "user_changed"}),
    ("userdel user", "Oct 17 18:27:05 ws-7 userdel[9130]: delete user 'alice'",
     {"event.category": ["iam"], "event.type": ["user", "deletion"], **SUCCEEDED, "user.target.name": "alice"}),
    ("userdel removes the user's group", "Oct 17 18:27:05 ws-7 userdel[9130]: removed group 'alice' owned by "
     "'alice'", {"event.type": ["group", "deletion"], "group.name": "alice"}),
    ("groupadd new group", "Oct 17 18:27:06 ws-7 groupadd[9140]: new group: name=auditors, GID=1005",
     {"event.type": ["group", "creation"], "group.name": "auditors", "group.id": "1005"}),
    ("groupadd file update is a side note", "Oct 17 18:27:06 ws-7 groupadd[9140]: group added to /etc/group: "
     "name=auditors, GID=1005", {"event.type": ["group", "info"], "event.outcome": None}),
    ("groupdel", "Oct 17 18:27:07 ws-7 groupdel[9150]: group 'auditors' removed",
     {"event.type": ["group", "deletion"], **SUCCEEDED, "group.name": "auditors"}),
    ("gpasswd add member", "Oct 17 18:27:08 ws-7 gpasswd[9160]: user carol added by root to group wheel",
     {"event.category": ["iam"], "event.type": ["group", "change"], **SUCCEEDED, "user.name": "root",
      "user.target.name": "carol", "group.name": "wheel"}),
    ("gpasswd remove member", "Oct 17 18:27:09 ws-7 gpasswd[9161]: user carol removed by root from group wheel",
     {"event.type": ["group", "change"], "event.action": "user_removed_from_group"}),
]


@pytest.mark.parametrize(("line", "expected"), [row[1:] for row in SHAPES], ids=[row[0] for row in SHAPES])
def test_line_shape_gives_its_ecs_fields(line: str, expected: dict[str, Any]) -> None:
    event = one("syslog", line, year=2023)
    assert {name: event.get(name) for name in expected} == expected


@pytest.mark.parametrize(("line", "expected"), [row[1:] for row in SHAPES], ids=[row[0] for row in SHAPES])
def test_openssh_format_reads_every_shape_the_same(line: str, expected: dict[str, Any]) -> None:
    assert one("openssh", line, year=2023) == one("syslog", line, year=2023)


def test_every_authentication_event_with_an_outcome_is_an_attempt() -> None:
    for _, line, _ in SHAPES:
        event = one("syslog", line, year=2023)
        if "authentication" in event["event.category"]:
            assert ("event.outcome" in event) == (event["event.type"] == ["start"]), line


# sshd's and sudo's other messages on busy hosts: events of their own kind, never an authentication outcome.
OTHER_SHAPES = [
    ("drop connection #10 from [203.0.113.5]:50122 on [10.0.0.4]:22 past MaxStartups", "connection_dropped",
     ["network"]),
    ("exited MaxStartups throttling after 00:00:15, 3 connections dropped", "throttling_ended", ["network"]),
    ("srclimit_penalise: ipv4: new 203.0.113.5/32 deferred penalty of 10 seconds for penalty: failed "
     "authentication", "source_penalised", ["network"]),
    ("Timeout, client not responding from user bob 192.0.2.8 port 50200", "client_timeout", ["network"]),
    ("ssh_dispatch_run_fatal: Connection from 203.0.113.9 port 41000: message authentication code incorrect "
     "[preauth]", "protocol_error", ["network"]),
    ("Protocol major versions differ for 203.0.113.9 port 41001: SSH-2.0-OpenSSH_9.6 vs. SSH-1.5-Nmap-SSH1-Hostkey",
     "protocol_error", ["network"]),
    ("Disconnecting invalid user admin 203.0.113.9 port 41002: Change of username or service not allowed: "
     "(admin,ssh-connection) -> (root,ssh-connection) [preauth]", "disconnecting", ["network"]),
    ("Bad packet length 1349676916. [preauth]", "protocol_error", ["network"]),
    ("Close session: user bob from 192.0.2.8 port 50200 id 0", "session_ended", ["session"]),
    ("subsystem request for sftp by user bob", "subsystem_request", ["session"]),
    ("Authentication refused: bad ownership or modes for directory /home/bob", "authentication_refused",
     ["authentication"]),
    ("Received SIGHUP; restarting.", "server_restarted", ["process"]),
    ("/etc/ssh/sshd_config line 15: Deprecated option UsePrivilegeSeparation", "config_warning", ["process"]),
    ("fatal: Timeout before authentication for 203.0.113.9 port 41003", "sshd_error", ["process"]),
]


@pytest.mark.parametrize(("message", "action", "categories"), OTHER_SHAPES)
def test_other_sshd_messages_are_events_of_their_kind(message: str, action: str, categories: list[str]) -> None:
    event = one("syslog", f"Oct 17 18:30:00 web-04 sshd[4100]: {message}", year=2023)
    assert (event["event.action"], event["event.category"]) == (action, categories)
    assert "authentication" not in categories or "event.outcome" not in event


@pytest.mark.parametrize("line", [
    "Oct 17 18:31:00 web-04 sudo[4200]:   deploy : problem with defaults entries ; TTY=unknown ; PWD=/ ;",
    "Oct 17 18:31:01 web-04 sudo[4201]: unable to resolve host web-04: Name or service not known",
    "Oct 17 18:31:02 web-04 passwd[4202]: gkr-pam: couldn't update the login keyring password: no old password "
    "was entered",
])
def test_other_messages_of_auth_programs_are_notes_without_an_outcome(line: str) -> None:
    event = one("syslog", line, year=2023)
    assert "info" in event["event.type"] and "event.outcome" not in event


def test_sshd_debug_output_is_skipped() -> None:
    from streams.parsers import FORMATS, ParseContext, Skipped

    line = "Oct 17 18:31:03 web-04 sshd[4300]: debug1: Forked child 4301."
    assert list(FORMATS["syslog"]([line], context=ParseContext(source="t", year=2023))) == [Skipped("sshd", "t:1")]

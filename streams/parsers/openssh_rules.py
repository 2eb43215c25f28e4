"""sshd's own messages as data: a pattern, its ECS categorisation and an action each.

``ssh_login`` ("Accepted"/"Failed" lines) is the authentication attempt itself and the only sshd line
that carries ``event.outcome`` for it (a refused public key, ``ssh_key_refused``, is no attempt: below);
sshd's other notices about the same attempts (invalid user, too many failures, PAM counters) are ``info``
side notes without an outcome, so counting rules count each attempt once. PAM's own lines under sshd are in
``pam_rules`` (also side notes under sshd).
"""

from __future__ import annotations

import re

from streams.parsers.authrules import AUTH, CONNECTION, END, INFO, NET, PROCESS, PROTOCOL, SESSION, START
from streams.parsers.authrules import rule as _rule

_BREAK_IN = {"event.reason": "POSSIBLE BREAK-IN ATTEMPT"}
_PRE = r"(?P<preauth> \[preauth\])?$"
_PEER = r"(?:(?:authenticating |invalid )?user (?P<user>.*?) )?(?P<ip>\S+)"
_OPENED, _CLOSED = ("connection", "start"), ("connection", "end")


# A key the client offers and the server does not accept is no secret guessed: ssh-agent offers its keys in
# turn, and sshd logs each refused one ("Failed publickey ...") with LogLevel VERBOSE (CIS 5.2.5), and at
# INFO too once half of MaxAuthTries is used. A playbook run without ControlPersist gave a host fourteen in a
# minute from the control node: a brute-force incident (tests/corpus: brute-force/*.ansible.near.*).
KEY_METHODS = frozenset({"publickey", "hostbased"})


def _key_refused(match: re.Match[str]) -> bool:
    return match["result"] == "Failed" and match["method"] in KEY_METHODS


def _login_outcome(match: re.Match[str]) -> str | None:
    return None if _key_refused(match) else {"Accepted": "success", "Failed": "failure"}.get(match["result"])


def _login_action(match: re.Match[str]) -> str:
    if _key_refused(match):
        return "ssh_key_refused"
    return "ssh_login_postponed" if match["result"] == "Postponed" else "ssh_login"


def _login_types(match: re.Match[str]) -> tuple[str, ...]:
    return INFO if match["result"] == "Postponed" or _key_refused(match) else START


RULES = (
    _rule(r"^(?:error: )?Received disconnect from (?P<ip>\S+?)(?: port (?P<port>\d+))?: ?"
          r"(?P<reason>\d+: .*?)" + _PRE, NET, _CLOSED, "disconnect_received"),
    _rule(r"^(?P<result>Accepted|Failed|Postponed) (?P<method>\S+) for (?P<invalid>invalid user )?"
          r"(?P<user>.*?) from (?P<ip>\S+) port (?P<port>\d+)(?: ssh2?)?(?:: .*?)?" + _PRE, AUTH,
          _login_types, _login_action, _login_outcome),
    _rule(r"^Invalid user (?P<user>.*?) from (?P<ip>\S+)(?: port (?P<port>\d+))?$", AUTH, INFO, "invalid_user"),
    _rule(r"^input_userauth_request: invalid user (?P<user>.*?)" + _PRE, AUTH, INFO, "invalid_user_request"),
    _rule(r"^reverse mapping checking getaddrinfo for (?P<domain>\S+) \[(?P<ip>[^\]]+)\] failed"
          r"(?: - POSSIBLE BREAK-IN ATTEMPT!)?$", NET, INFO, "reverse_dns_mismatch", extra=_BREAK_IN),
    _rule(r"^Address (?P<ip>\S+) maps to (?P<domain>[^\s,]+), but this does not map back to the address"
          r"(?: - POSSIBLE BREAK-IN ATTEMPT!)?$", NET, INFO, "reverse_dns_mismatch", extra=_BREAK_IN),
    _rule(r"^Connection closed by " + _PEER + r"(?: port (?P<port>\d+))?" + _PRE, NET, _CLOSED,
          "connection_closed"),
    _rule(r"^Connection reset by " + _PEER + r"(?: port (?P<port>\d+))?" + _PRE, NET, _CLOSED,
          "connection_reset"),
    _rule(r"^Disconnected from " + _PEER + r" port (?P<port>\d+)" + _PRE, NET, _CLOSED, "disconnected"),
    _rule(r"^Did not receive identification string from (?P<ip>\S+)(?: port (?P<port>\d+))?$", NET,
          CONNECTION, "no_identification_string"),
    _rule(r"^PAM (?P<count>\d+) more authentication failures?; (?P<kv>.*)$", AUTH, INFO, "pam_more_failures"),
    _rule(r"^PAM service\([^)]+\) ignoring max retries; (?P<count>\d+) > \d+$", AUTH, INFO,
          "pam_max_retries_exceeded"),
    _rule(r"^Disconnecting(?: (?:authenticating |invalid )?user (?P<user2>.*?) (?P<ip>\S+) "
          r"port (?P<port>\d+))?: Too many authentication failures(?: for (?:invalid user )?(?P<user>.*?))?"
          + _PRE, AUTH, INFO, "too_many_auth_failures"),
    _rule(r"^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?(?P<user>.*?) from "
          r"(?P<ip>\S+) port (?P<port>\d+)(?: ssh2)?" + _PRE, AUTH, INFO, "too_many_auth_failures"),
    _rule(r"^User (?P<user>\S+) from (?P<ip>\S+) not allowed because (?P<reason>.+)$", AUTH, INFO,
          "user_not_allowed"),
    # linear on hostile lines: the reason (a pam_strerror text) ends at the first " for ", the host is the last
    # word after " from "; two lazy groups here took 10 s on a 50 kB line
    _rule(r"^error: PAM: (?P<reason>(?:(?! for ).)+) for (?:illegal user |invalid user )?(?P<user>.*) "
          r"from (?P<ip>\S+)$", AUTH, INFO, "pam_auth_failure"),
    _rule(r"^Connection from (?P<ip>\S+) port (?P<port>\d+)(?: on (?P<dip>\S+) port (?P<dport>\d+))?"
          r"(?: rdomain \"[^\"]*\")?$", NET, _OPENED, "connection_opened"),
    _rule(r"^Unable to negotiate with (?P<ip>\S+) port (?P<port>\d+): (?P<reason>.+?)" + _PRE, NET, PROTOCOL,
          "negotiation_failed", "failure"),
    _rule(r"^(?:error: )?kex_exchange_identification: (?P<reason>.+)$", NET, PROTOCOL, "kex_failed", "failure"),
    _rule(r"^banner exchange: Connection from (?P<ip>\S+) port (?P<port>\d+): (?P<reason>.+)$", NET, PROTOCOL,
          "bad_banner", "failure"),
    _rule(r"^Bad protocol version identification '.*' from (?P<ip>\S+)(?: port (?P<port>\d+))?$", NET,
          PROTOCOL, "bad_protocol_version", "failure"),
    _rule(r"^Timeout before authentication for (?P<ip>\S+)(?: port (?P<port>\d+))?$", NET, _CLOSED,
          "auth_timeout", "failure"),
    _rule(r"^drop connection #\d+ from \[(?P<ip>[^\]]+)\]:(?P<port>\d+) on \[[^\]]*\]:\d+ past MaxStartups$", NET,
          ("connection", "denied"), "connection_dropped", "failure"),
    _rule(r"^exited MaxStartups throttling after .*$", NET, INFO, "throttling_ended"),
    _rule(r"^srclimit_penalise: .*?(?P<ip>[0-9a-fA-F.:]+)/\d+ .*$", NET, ("connection", "denied"),
          "source_penalised"),
    _rule(r"^Timeout, client not responding(?: from " + _PEER + r" port (?P<port>\d+))?\.?$", NET, _CLOSED,
          "client_timeout"),
    _rule(r"^ssh_dispatch_run_fatal: Connection from " + _PEER + r" port (?P<port>\d+): (?P<reason>.+?)" + _PRE,
          NET, PROTOCOL, "protocol_error", "failure"),
    _rule(r"^Protocol major versions differ for (?P<ip>\S+) port (?P<port>\d+): (?P<reason>.+)$", NET, PROTOCOL,
          "protocol_error", "failure"),
    _rule(r"^Disconnecting(?: " + _PEER + r" port (?P<port>\d+))?: (?P<reason>.+?)" + _PRE, NET, _CLOSED,
          "disconnecting"),
    _rule(r"^(?:Bad packet length \d+\.?|Corrupted MAC on input\.?)" + _PRE, NET, PROTOCOL, "protocol_error",
          "failure"),
    _rule(r"^Closing connection to (?P<ip>\S+) port (?P<port>\d+)$", NET, _CLOSED, "connection_closed"),
    _rule(r"^Transferred: sent \d+, received \d+ bytes$", NET, INFO, "transferred"),
    _rule(r"^Close session: user (?P<user>\S+) from (?P<ip>\S+) port (?P<port>\d+) id \d+$", SESSION, END,
          "session_ended", "success"),
    _rule(r"^subsystem request for (?P<subsystem>\S+) by user (?P<user>\S+)(?: failed.*)?$", SESSION, INFO,
          "subsystem_request"),
    _rule(r"^Authentication refused: (?P<reason>.+)$", AUTH, INFO, "authentication_refused"),
    _rule(r"^Nasty PTR record .* is set up for (?P<ip>\S+), ignoring$", NET, INFO, "nasty_ptr_record"),
    _rule(r"^User child is on pid \d+$", PROCESS, INFO, "user_child"),
    _rule(r"^Received SIGHUP; restarting\.?$", PROCESS, ("change",), "server_restarted"),
    _rule(r"^(?:\S+ )?line \d+: (?P<reason>.+)$", PROCESS, INFO, "config_warning"),
    _rule(r"^Server listening on (?P<laddr>\S+) port (?P<lport>\d+)\.?$", PROCESS, START, "server_listening"),
    _rule(r"^Received signal \d+; terminating\.?$", PROCESS, END, "server_stopped"),
)

# systemd-logind's sessions (also in auth.log beside sshd's lines).
SESSIONS = (
    _rule(r"^New session (?P<session>\S+) of user (?P<user>\S+?)\.?$", SESSION, START, "session_opened",
          "success"),
    _rule(r"^Removed session (?P<session>\S+?)\.?$", SESSION, END, "session_closed", "success"),
    _rule(r"^Starting session: .+? for (?P<user>\S+) from (?P<ip>\S+) port (?P<port>\d+)(?: id \d+)?$",
          SESSION, START, "session_started", "success"),
)

# sshd's debug output (LogLevel DEBUG): skipped, neither an event nor bad input.
IGNORED = re.compile(r"^debug\d: ")

# Last: sshd's generic errors; before authentication they are about a network peer, not the daemon.
ERRORS = (
    _rule(r"^(?:fatal|error): (?P<reason>.+?) \[preauth\]$", NET, ("error",), "sshd_error"),
    _rule(r"^(?:fatal|error): (?P<reason>.+?)$", PROCESS, ("error",), "sshd_error"),
)

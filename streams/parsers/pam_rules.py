"""PAM modules' messages (pam_unix, pam_sss, pam_faillock, unix_chkpwd, old RHEL "prog(pam_unix)").

ATTEMPTS are PAM's record of one authentication attempt ("authentication failure; logname= ... user=x").
Whether that line carries the outcome depends on the program that logged it: sshd, login and su write
their own line per attempt ("Failed password", "FAILED LOGIN", "FAILED SU"), so under them PAM's line
is a side note (see ``authrules.as_notes``); under sudo, passwd, gdm, cron and the rest it is the only
record and carries it. unix_chkpwd's "password check failed" is always a side note: pam_unix in the
calling program logs the same failure.
"""

from __future__ import annotations

import re

from streams.parsers.authrules import AUTH, END, IAM, INFO, SESSION, START
from streams.parsers.authrules import rule as _rule

_PAM = r"^pam_(?P<module>unix|sss|sss_gss|ldap|krb5|winbind)\([^:)]+:(?:auth|chauthtok)\): "
_KIND_CATEGORIES = {"auth": AUTH, "account": AUTH, "session": SESSION, "password": IAM, "chauthtok": IAM}


def _session_types(match: re.Match[str]) -> tuple[str, ...]:
    return START if match["what"] == "opened" else END


def _session_action(match: re.Match[str]) -> str:
    return f"session_{match['what']}"


def _note_category(match: re.Match[str]) -> tuple[str, ...]:
    return _KIND_CATEGORIES.get(match["kind"], AUTH)


ATTEMPTS = (
    _rule(_PAM + r"authentication failure; (?P<kv>.*)$", AUTH, START, "pam_auth_failure", "failure"),
    _rule(_PAM + r"authentication success; (?P<kv>.*)$", AUTH, START, "pam_auth_success", "success"),
)

NOTES = (
    _rule(r"^pam_unix\([^:)]+:auth\): check pass; user unknown$", AUTH, INFO, "pam_user_unknown"),
    _rule(r"^pam_unix\([^:)]+:auth\): auth could not identify password for \[(?P<user>[^\]]*)\]$", AUTH, INFO,
          "pam_no_password"),
    _rule(r"^pam_sss\([^:)]+:\w+\): received for user (?P<user>.*?): (?P<reason>\d+ \(.*\))$", AUTH, INFO,
          "pam_sss_result"),
    _rule(r"^pam_unix\([^:)]+:account\): (?P<reason>.+)$", AUTH, INFO, "pam_account_denied"),
    _rule(r"^pam_unix\([^:)]+:session\): session (?P<what>opened|closed) for user (?P<user>[^\s(]+)"
          r"(?:\(uid=\d+\))?(?: by .*)?$", SESSION, _session_types, _session_action, "success"),
    _rule(r"^pam_\w+\([^:)]+:(?:chauthtok|password)\): password changed for (?P<target>\S+)$", IAM,
          ("user", "change"), "password_changed", "success"),
    _rule(r"^pam_faillock\([^:)]+:auth\): Consecutive login failures for user (?P<target>\S+) account "
          r"temporarily locked$", IAM, ("user", "change"), "account_locked", "success"),
)

# Last: any other PAM module message is a side note of its kind (no outcome), never bad input.
CATCH_ALL = (
    _rule(r"^pam_[\w-]+\([^:)]*:(?P<kind>\w+)\): (?P<reason>.*)$", _note_category, INFO, "pam_message"),
)

CHKPWD = (
    _rule(r"^password check failed for user \((?P<user>[^)]*)\)$", AUTH, INFO, "password_check_failed"),
    _rule(r"^check pass; user unknown$", AUTH, INFO, "pam_user_unknown"),
    _rule(r"^could not obtain user info \((?P<user>[^)]*)\)$", AUTH, INFO, "pam_user_unknown"),
)

# Old RHEL/Fedora: "sshd(pam_unix)[pid]: authentication failure; ..." is the only record of the attempt.
LEGACY = (
    _rule(r"^authentication failure; (?P<kv>.*)$", AUTH, START, "pam_auth_failure", "failure"),
    _rule(r"^check pass; user unknown$", AUTH, INFO, "pam_user_unknown"),
    _rule(r"^(?P<count>\d+) more authentication failures?; (?P<kv>.*)$", AUTH, INFO, "pam_more_failures"),
    _rule(r"^session (?P<what>opened|closed) for user (?P<user>[^\s(]+)(?:\(uid=\d+\))?(?: by .*)?$", SESSION,
          _session_types, _session_action, "success"),
    _rule(r"^password changed for (?P<target>\S+)$", IAM, ("user", "change"), "password_changed", "success"),
)

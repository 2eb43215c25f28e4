"""Which rule tables read which program's lines, and which programs' unknown lines are bad input.

A program in the table with ``strict`` set is an authentication program: a message that none of its
rules knows is rejected (garbage, or a shape to add). Other programs' lines are events when a rule
knows them (PAM lines of cron, systemd --user, gdm, ...; systemd-logind sessions) and skipped otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.parsers import account_rules, openssh_rules, pam_rules
from streams.parsers.authrules import Rule, as_notes

_PAM_TAG = re.compile(r"pam_[\w-]+\(")


@dataclass(frozen=True, slots=True)
class Program:
    own: tuple[Rule, ...]  # the program's own messages
    strict: bool
    dataset: str = "system.auth"
    pam: tuple[Rule, ...] = ()  # messages of PAM modules loaded by the program ("pam_unix(sshd:auth): ...")
    ignored: re.Pattern[str] | None = None  # the program's messages that are skipped (debug output)

    def rules(self, message: str) -> tuple[Rule, ...]:
        return self.pam if _PAM_TAG.match(message) else self.own


_PAM_CARRIES = pam_rules.ATTEMPTS + pam_rules.NOTES + pam_rules.CATCH_ALL
_PAM_NOTES = as_notes(pam_rules.ATTEMPTS) + pam_rules.NOTES + pam_rules.CATCH_ALL
_SHADOW = account_rules.ACCOUNTS + account_rules.PASSWD

OTHER = Program((), strict=False, pam=_PAM_CARRIES)
_SSHD = Program(openssh_rules.RULES + openssh_rules.SESSIONS + openssh_rules.ERRORS, strict=True,
                dataset="openssh.auth", pam=_PAM_NOTES, ignored=openssh_rules.IGNORED)
PROGRAMS = {
    "sshd": _SSHD,
    "sshd-session": _SSHD,  # OpenSSH 9.8+ logs the per-connection process under this name
    "su": Program(account_rules.SU, strict=True, pam=_PAM_NOTES),
    "runuser": Program(account_rules.SU, strict=True, pam=_PAM_NOTES),
    "login": Program(account_rules.LOGIN, strict=True, pam=_PAM_NOTES),
    "sudo": Program(account_rules.SUDO, strict=True, pam=_PAM_CARRIES),
    "unix_chkpwd": Program(pam_rules.CHKPWD, strict=True),
    "systemd-logind": Program(openssh_rules.SESSIONS, strict=False),
    **{name: Program(_SHADOW, strict=True, pam=_PAM_CARRIES) for name in (
        "passwd", "chpasswd", "chage", "useradd", "usermod", "userdel", "groupadd", "groupdel", "groupmod",
        "gpasswd", "newusers")},
}
_LEGACY_TAG = re.compile(r"^(?P<program>[\w.-]+)\(pam_\w+\)$")


def program(tag: str) -> tuple[str, Program]:
    """The program's name (without an old "(pam_unix)" suffix) and how to read its lines."""
    legacy = _LEGACY_TAG.match(tag)
    if legacy:
        name = legacy["program"]
        return name, Program(pam_rules.LEGACY, strict=True, dataset=_dataset(name))
    return tag, PROGRAMS.get(tag, OTHER)


def _dataset(name: str) -> str:
    return PROGRAMS.get(name, OTHER).dataset

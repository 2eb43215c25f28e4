"""su, login, sudo, passwd and the shadow-utils account tools (useradd ... gpasswd) as rule tables.

su and login write one line per attempt ("FAILED SU (to root) bob on pts/0", "FAILED LOGIN (1) on
'/dev/tty1' FOR 'x', Authentication failure"): that line carries the outcome. sudo writes no line per
password attempt (PAM does); its command line is a ``process`` event. Account management follows ECS's
IAM usage: category ``iam``, one type for the activity (creation, deletion, change) and one for what was
managed (user, group); lines that repeat a change in /etc/gshadow are ``info`` side notes.
"""

from __future__ import annotations

import re

from streams.parsers.authrules import AUTH, IAM, INFO, PROCESS, START
from streams.parsers.authrules import rule as _rule

_USER_CHANGE, _GROUP_CHANGE = ("user", "change"), ("group", "change")
_GROUP_NOTE = ("group", "info")


def _outcome_by_failed(match: re.Match[str]) -> str:
    return "failure" if match["failed"] else "success"


def _sudo_types(match: re.Match[str]) -> tuple[str, ...]:
    return ("denied",) if match["reason"] else START


def _user_change_action(match: re.Match[str]) -> str:
    return {"lock": "user_locked", "unlock": "user_unlocked"}.get(match["verb"], "user_changed")


SU = (
    _rule(r"^(?P<failed>FAILED (?:SU|RUNUSER) )?\(to (?P<target>\S+)\) (?P<user>\S+) on (?P<tty>\S+)$", AUTH,
          START, "su", _outcome_by_failed, privilege=True),
    _rule(r"^(?P<result>Successful|FAILED) su for (?P<target>\S+) by (?P<user>\S+)$", AUTH, START, "su",
          lambda match: "success" if match["result"] == "Successful" else "failure", privilege=True),
    _rule(r"^[+-] (?P<tty>\S+) (?P<user>[^\s:]+):(?P<target>\S+)$", AUTH, INFO, "su_note", privilege=True),
    _rule(r"^pam_authenticate: (?P<reason>.+)$", AUTH, INFO, "su_pam_result"),
)

_LOGIN_WHERE = r"(?: ?on '(?P<tty>[^']*)')?(?: from '(?P<ip>[^']*)')?"
LOGIN = (
    _rule(r"^FAILED LOGIN \(\d+\)" + _LOGIN_WHERE + r" FOR '(?P<user>[^']*)', (?P<reason>.+)$", AUTH, START,
          "login", "failure"),
    _rule(r"^FAILED LOGIN(?: SESSION| \d+)? FROM (?P<where>\S+) FOR (?P<user>\S+?), (?P<reason>.+)$", AUTH,
          START, "login", "failure"),
    _rule(r"^TOO MANY LOGIN TRIES \(\d+\)" + _LOGIN_WHERE + r" FOR '(?P<user>[^']*)'.*$", AUTH, START, "login",
          "failure"),
    _rule(r"^TOO MANY LOGIN TRIES \(\d+\) FROM (?P<where>\S+) FOR (?P<user>\S+?),.*$", AUTH, START, "login",
          "failure"),
    _rule(r"^ROOT LOGIN ON (?P<tty>\S+)(?: FROM (?P<ip>\S+))?$", AUTH, START, "login", "success",
          extra={"user.name": "root"}),
    _rule(r"^ROOT LOGIN +" + _LOGIN_WHERE + "$", AUTH, START, "login", "success", extra={"user.name": "root"}),
    _rule(r"^LOGIN ON (?P<tty>\S+) BY (?P<user>\S+)(?: FROM (?P<ip>\S+))?$", AUTH, START, "login", "success"),
)

SUDO = (
    _rule(r"^\s*(?P<user>\S+) : (?:(?P<reason>[^;=]+?) ; )?(?:TTY=\S+ ; )?PWD=.*? ; USER=(?P<target>\S+) ;"
          r"(?: [A-Z_]+=\S* ;)* COMMAND=(?P<command>.*)$", PROCESS, _sudo_types, "sudo_command",
          lambda match: "failure" if match["reason"] else "success", privilege=True),
    _rule(r"^\s*(?P<user>\S+) : (?P<reason>[^;=]+?) ;(?: [A-Z_]+=[^;]* ;)*$", PROCESS, INFO, "sudo_message"),
    _rule(r"^\s*(?P<user>\S+) : \(command continued\) .*$", PROCESS, INFO, "sudo_command_continued"),
    _rule(r"^unable to resolve host (?P<reason>.+)$", PROCESS, INFO, "sudo_warning"),
)

PASSWD = (
    _rule(r"^password for '(?P<target>[^']+)' changed by '(?P<user>[^']+)'$", IAM, _USER_CHANGE,
          "password_changed", "success"),
    _rule(r"^changed password expiry for (?P<target>\S+)$", IAM, _USER_CHANGE, "password_expiry_changed",
          "success"),
    _rule(r"^failed to reset the (?:lastlog|faillog|tallylog) entry of UID (?P<uid>\d+): (?P<reason>.+)$", IAM,
          ("user", "info"), "account_log_reset_failed"),
    _rule(r"^gkr-pam: (?P<reason>.+)$", IAM, ("user", "info"), "keyring_message"),
)

ACCOUNTS = (
    _rule(r"^new user: name=(?P<target>[^,]+), UID=(?P<uid>\d+), GID=(?P<gid>\d+)(?:, .*)?$", IAM,
          ("user", "creation"), "user_created", "success"),
    _rule(r"^new group: name=(?P<group>[^,]+), GID=(?P<gid>\d+)$", IAM, ("group", "creation"), "group_created",
          "success"),
    _rule(r"^failed adding user '(?P<target>[^']+)', .*$", IAM, ("user", "creation"), "user_created",
          "failure"),
    _rule(r"^add '(?P<target>[^']+)' to group '(?P<group>[^']+)'$", IAM, _GROUP_CHANGE,
          "user_added_to_group", "success"),
    _rule(r"^delete '(?P<target>[^']+)' from group '(?P<group>[^']+)'$", IAM, _GROUP_CHANGE,
          "user_removed_from_group", "success"),
    _rule(r"^(?:add|delete) '(?P<target>[^']+)' (?:to|from) shadow group '(?P<group>[^']+)'$", IAM, _GROUP_NOTE,
          "gshadow_updated"),
    _rule(r"^delete user '(?P<target>[^']+)'$", IAM, ("user", "deletion"), "user_deleted", "success"),
    _rule(r"^removed group '(?P<group>[^']+)' owned by '[^']*'$", IAM, ("group", "deletion"), "group_deleted",
          "success"),
    _rule(r"^removed shadow group '(?P<group>[^']+)' owned by '[^']*'$", IAM, _GROUP_NOTE, "gshadow_updated"),
    _rule(r"^group '(?P<group>[^']+)' removed$", IAM, ("group", "deletion"), "group_deleted", "success"),
    _rule(r"^group '(?P<group>[^']+)' removed from \S+$", IAM, _GROUP_NOTE, "group_file_updated"),
    _rule(r"^group added to \S+: name=(?P<group>[^,]+)(?:, GID=(?P<gid>\d+))?$", IAM, _GROUP_NOTE,
          "group_file_updated"),
    _rule(r"^group changed in /etc/group \(group (?P<group>[^/]+)/(?P<gid>\d+).*\)$", IAM, _GROUP_CHANGE,
          "group_changed", "success"),
    _rule(r"^group changed in \S+ \(group (?P<group>[^/,)]+).*\)$", IAM, _GROUP_NOTE, "group_file_updated"),
    _rule(r"^(?P<verb>change|lock|unlock) user (?:name )?'(?P<target>[^']+)'.*$", IAM, _USER_CHANGE,
          _user_change_action, "success"),
    _rule(r"^user (?P<target>\S+) added by (?P<user>\S+) to group (?P<group>\S+)$", IAM, _GROUP_CHANGE,
          "user_added_to_group", "success"),
    _rule(r"^user (?P<target>\S+) removed by (?P<user>\S+) from group (?P<group>\S+)$", IAM, _GROUP_CHANGE,
          "user_removed_from_group", "success"),
    _rule(r"^(?:members|administrators) of group (?P<group>\S+) set by (?P<user>\S+) to .*$", IAM,
          _GROUP_CHANGE, "group_members_set", "success"),
    _rule(r"^password of group (?P<group>\S+) (?:changed|removed) by (?P<user>\S+)$", IAM, _GROUP_CHANGE,
          "group_password_changed", "success"),
)

"""The ``openssh`` format: an alias of ``syslog`` kept for existing configurations.

sshd and PAM lines give the same events as under ``syslog`` (they always did: auth.log and secure mix
sshd with PAM, sudo and cron); lines of other programs are skipped, not rejected.
"""

from __future__ import annotations

from streams.parsers.syslog import MAX_REPEAT, parse

DATASET = "openssh.auth"

__all__ = ["DATASET", "MAX_REPEAT", "parse"]

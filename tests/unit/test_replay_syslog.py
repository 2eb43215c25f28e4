"""Replay of a mixed syslog file: other programs' lines are counted as skipped per program, not rejected."""

from datalek.replay import ReplayOptions, run
from tests.unit.parsers.support import SAMPLES


def test_replay_summary_counts_skipped_lines_per_program():
    summary = list(run(SAMPLES / "syslog-mixed.log", ReplayOptions(fmt="syslog", year=2023)))[-1]
    assert (summary["events"], summary["rejected"], summary["skipped"]) == (22, 1, 14)
    assert summary["skipped_programs"] == {"CRON": 1, "journalctl": 1, "kernel": 2, "postfix/cleanup": 1,
                                           "postfix/qmgr": 1, "postfix/smtpd": 3, "rsyslogd": 1, "systemd": 3,
                                           "systemd-logind": 1}

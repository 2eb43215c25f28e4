"""`datalek parse`: a dry run that shows events, skipped lines per program and rejected lines with reasons."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from datalek.cli import app
from tests.unit.parsers.support import SAMPLES

MIXED = SAMPLES / "syslog-mixed.log"


def invoke(*args: str):
    return CliRunner().invoke(app, ["parse", *args])


def test_json_lines_give_every_result_in_order_then_a_summary() -> None:
    result = invoke(str(MIXED), "--format", "syslog", "--year", "2023", "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [r["kind"] for r in records]
    assert kinds[-1] == "summary" and kinds.count("summary") == 1
    summary = records[-1]
    assert (summary["events"], summary["rejected"], summary["skipped"]) == (
        kinds.count("event"), kinds.count("rejected"), kinds.count("skipped"))
    assert summary["skipped_programs"]["postfix/smtpd"] == 3 and summary["skipped_programs"]["kernel"] == 2
    [rejected] = [r for r in records if r["kind"] == "rejected"]
    assert rejected["position"] == "syslog-mixed.log:32" and rejected["reason"] == "unrecognised sshd message"
    su = next(r["event"] for r in records if r["kind"] == "event" and r["event"]["event.action"] == "su")
    assert (su["event.outcome"], su["user.name"], su["user.effective.name"]) == ("failure", "tmp-contractor", "root")


def test_text_output_lists_events_rejections_and_skipped_lines_per_program() -> None:
    result = invoke(str(MIXED), "--format", "syslog", "--year", "2023")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert sum(line.startswith("event ") for line in lines) == 22
    assert "rejected syslog-mixed.log:32  unrecognised sshd message: Oct 17 07:12:00" in result.stdout
    assert "skipped  postfix/smtpd 3 line(s): syslog-mixed.log:14, syslog-mixed.log:15, syslog-mixed.log:18" in lines
    assert lines[-1] == "summary  events 22, rejected 1, skipped 14"


def test_control_characters_from_log_lines_never_reach_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "evil.log"
    log.write_text("Oct 17 07:00:00 h sshd[1]: Invalid user \x1b[2Jroot\x07 from 192.0.2.1\n"
                   "Oct 17 07:00:01 h sshd[2]: \x1b]0;owned\x07 not an sshd message\r\n"
                   "Oct 17 07:00:02 h ev\x1b(0il[3]: anything\u202e\n", encoding="utf-8")
    result = invoke(str(log), "--format", "syslog", "--year", "2023")
    assert result.exit_code == 0
    assert not any(char in result.stdout for char in "\x1b\x07\r\u202e")
    assert '"user.name": "[2Jroot"' in result.stdout  # the event as the rules see it: controls removed (schema)
    assert "\\u001b]0;owned\\u0007 not an sshd message" in result.stdout  # the rejected raw line
    assert "skipped  ev\\u001b(0il 1 line(s)" in result.stdout


def test_an_oversized_line_is_one_short_rejection_and_the_next_line_is_read(tmp_path: Path) -> None:
    log = tmp_path / "big.log"
    log.write_text("x" * 1_200_000 + "\nOct 17 07:00:01 h sshd[2]: Failed password for root from 192.0.2.1 "
                   "port 22 ssh2\n", encoding="utf-8")
    result = invoke(str(log), "--format", "syslog", "--year", "2023")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith("rejected big.log:1  line 1 of 1,200,000 bytes is over the limit") and len(first) < 600
    assert "more characters)" in first
    assert "summary  events 1, rejected 1" in result.stdout


def test_gzip_files_and_syslog_alias_openssh_give_the_same_records(tmp_path: Path) -> None:
    packed = tmp_path / "syslog-mixed.log.gz"
    packed.write_bytes(gzip.compress(MIXED.read_bytes()))

    def records(path: Path, fmt: str) -> list[dict]:
        found = [json.loads(line) for line in invoke(str(path), "--format", fmt, "--year", "2023",
                                                     "--json").stdout.splitlines()]
        for record in found:  # ids and positions name the file
            record.get("event", {}).pop("event.id", None)
            record.pop("position", None)
        return found

    assert records(packed, "syslog") == records(MIXED, "openssh")
    assert len(records(packed, "syslog")) == 22 + 1 + 14 + 1


def test_unknown_format_is_a_usage_error_on_one_line() -> None:
    result = invoke(str(MIXED), "--format", "nope")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "unknown format 'nope'" in result.stderr
    assert result.stdout == ""


def test_missing_file_is_a_usage_error_on_one_line(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "absent.log"), "--format", "syslog")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'absent.log'}: no such file"

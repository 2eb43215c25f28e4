"""`datalek rules`: the rules in force and the reviewed exceptions, read as the worker reads them, so a
security team sees a mistake (or an exception that ran out) before the worker starts on it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from datalek.cli import app

EXCEPTIONS = """exceptions:
  - rules: [auth.repeated_failures]
    match: {source.ip: 198.51.100.200}
    reason: weekly authenticated scan
    owner: soc@24online.nl
    until: 2020-01-31
  - rules: [data.mass_access, data.export_after_hours]
    match: {user.name: svc-rapportage, event.action: export}
    reason: nightly export to the warehouse
    owner: security@24online.nl
"""


def test_the_rules_and_their_exceptions_are_listed_with_reason_owner_and_end(tmp_path):
    (tmp_path / "exceptions.yml").write_text(EXCEPTIONS, encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "--rules", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    counts = {r["id"]: r["exceptions"] for r in data["rules"]}
    assert len(counts) == 14 and {i for i, n in counts.items() if n} == {
        "auth.repeated_failures", "data.mass_access", "data.export_after_hours"}
    scan, job = data["exceptions"]
    assert (scan["until"], scan["expired"], scan["owner"]) == ("2020-01-31", True, "soc@24online.nl")
    assert (job["until"], job["expired"], job["match"]) == (None, False, {"user.name": "svc-rapportage",
                                                                          "event.action": "export"})
    text = CliRunner().invoke(app, ["rules", "--rules", str(tmp_path)]).output
    assert "until 2020-01-31 (expired)" in text and "weekly authenticated scan" in text


def test_a_mistake_is_the_error_the_worker_would_stop_on(tmp_path):
    (tmp_path / "exceptions.yml").write_text(EXCEPTIONS.replace("auth.repeated_failures", "auth.brute_force"),
                                             encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "--rules", str(tmp_path)])
    assert result.exit_code == 2
    assert "exception for a rule that is not loaded: auth.brute_force" in result.output

"""The GDPR workflow from the command line, as an FG and an analyst would use it (SQLite, no broker)."""

import json
import os
import subprocess
import sys

from datalek.cli import SCENARIO
from datalek.rules import load_inventory
from incidents import services
from incidents.persistence import database
from incidents.persistence.uow import SqlUnitOfWork
from tests.unit.test_services import HOUR, NOW, detection

FACTS = SCENARIO.parent / "24online-facts.json"


def datalek(tmp_path, *args, token=None, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATALEK_")}
    env["DATALEK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'd.db'}"
    env |= ({"DATALEK_TOKEN": token} if token else {}) | extra_env
    return subprocess.run([sys.executable, "-m", "datalek", *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)


def test_assess_prints_severity_components_proposal_and_rationale(tmp_path):
    result = json.loads(datalek(tmp_path, "assess", str(FACTS), "--json").stdout)
    assert result["severity"]["level"] == "medium"
    assert set(result["severity"]["components"]) == {"dpc", "ei", "cb"}
    assert all(c["reason"] for c in result["severity"]["components"].values())
    assert result["proposal"]["notify_regulator"] is True and result["proposal"]["notify_subjects"] is False
    assert result["proposal"]["rationale"]


def test_assess_names_the_bad_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"nature": ["confidentiality"], "data_subjects": {"min": "many"}}))
    result = datalek(tmp_path, "assess", str(bad))
    assert result.returncode == 2 and "data_subjects" in result.stderr and "Traceback" not in result.stderr


def test_fg_walks_an_incident_from_detection_to_the_register(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(engine)
    services.record_detection(SqlUnitOfWork(database.session_factory(engine)), detection("d1", asset="klantportaal"),
                              now=NOW, correlation_window=HOUR, prefill=load_inventory().prefill)
    engine.dispose()
    ref = json.loads(datalek(tmp_path, "incidents", "list", "--json").stdout.splitlines()[0])["id"][:8]

    refused = datalek(tmp_path, "incidents", "triage", ref)
    assert refused.returncode == 2 and "who is acting" in refused.stderr
    boss = datalek(tmp_path, "users", "add", "boss", "privacy_officer")
    assert boss.returncode == 0 and "boss is admin" in boss.stderr  # the first person registered is the admin
    admin = boss.stdout.strip()
    fg = datalek(tmp_path, "users", "add", "fien", "privacy_officer", "--token", token=admin).stdout.strip()
    assert fg and fg != admin
    template = json.loads(datalek(tmp_path, "incidents", "facts-template", ref, token=fg).stdout)
    [group] = template["groups"]  # the inventory knows one group of customers
    assert template["nature"] == ["confidentiality"] and "access_credentials" in group["data_categories"]
    early = datalek(tmp_path, "incidents", "confirm", ref, "--reason", "r", "--aware-at", "2026-11-20T10:00+01:00",
                    token=fg)
    assert early.returncode == 2 and "before the first detection" in early.stderr
    bad = datalek(tmp_path, "incidents", "confirm", ref, "--reason", "r", "--aware-at", "gisteren 10:00", token=fg)
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr and "Traceback" not in bad.stderr
    for args in (["triage", ref], ["confirm", ref, "--reason", "accounts guessed", "--aware-at",
                                   "2026-11-20T10:00:00+01:00", "--before-detection"],
                 ["facts", ref, str(FACTS)], ["decide", ref]):
        step = datalek(tmp_path, "incidents", *args, token=fg)
        assert step.returncode == 0, step.stderr
    drafted = datalek(tmp_path, "draft", ref, "--kind", "ap", "--format", "md", token=fg)
    ap = drafted.stdout
    assert ap.startswith("# Concept-melding datalek") and "### 9.3" in ap and "Volledigheidscontrole" in ap
    # awareness was recorded before the first detection: the draft and the CLI both warn
    assert "let op (tijdlijn): De kennisname (2026-11-20 10:00 CET) ligt vóór" in drafted.stderr
    assert "**Let op:** De kennisname (2026-11-20 10:00 CET) ligt vóór" in ap
    edpb = json.loads(datalek(tmp_path, "draft", ref, "--kind", "ap", "--format", "json", token=fg).stdout)
    assert edpb["incident_id"].startswith(ref) and "3.1.2" in edpb["missing_ap_answers"]
    notice = datalek(tmp_path, "draft", ref, "--kind", "subjects", "--lang", "en", "--format", "html", token=fg).stdout
    assert "<h1>Information about a data breach at 24 Online</h1>" in notice
    clock = json.loads(datalek(tmp_path, "incidents", "show", ref, "--json", token=fg).stdout)["regulator_clock"]
    assert clock["deadline"].startswith("2026-11-23T09:00") and clock["overdue"] is True
    assert clock["deadline_local"].startswith("2026-11-23 10:00")
    late = datalek(tmp_path, "incidents", "report", ref, "--meldnummer", "AP-1", "--reported-at",
                   "2026-11-24T09:00:00+00:00", token=fg)
    assert late.returncode == 2 and "delay" in late.stderr.lower()
    assert datalek(tmp_path, "incidents", "report", ref, "--meldnummer", "AP-1", "--reported-at",
                   "2026-11-24T09:00:00+00:00", "--delay-reason", "scope unclear", token=fg).returncode == 0
    shown = json.loads(datalek(tmp_path, "incidents", "show", ref, "--json", token=fg).stdout)
    assert shown["status"] == "reported" and "regulator_clock" not in shown
    register = json.loads(datalek(tmp_path, "register", "export", "--format", "json", token=fg).stdout)["register"]
    [entry] = register
    assert entry["meldnummer"] == "AP-1" and entry["delay_reason"] == "scope unclear"
    assert [a["action"] for a in entry["audit_trail"]][-2:] == ["status.changed", "incident.viewed"]
    assert {"draft.ap", "draft.subjects"} <= {a["action"] for a in entry["audit_trail"]}
    csv_text = datalek(tmp_path, "register", "export", "--format", "csv", token=fg).stdout
    assert csv_text.splitlines()[0].startswith("id,title,status")


def test_the_environment_cannot_forge_who_acts(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(engine)
    services.record_detection(SqlUnitOfWork(database.session_factory(engine)), detection("d1", asset="klantportaal"),
                              now=NOW, correlation_window=HOUR, prefill=load_inventory().prefill)
    engine.dispose()
    admin = datalek(tmp_path, "users", "add", "alice", "admin").stdout.strip()
    datalek(tmp_path, "users", "add", "carol", "privacy_officer", token=admin)
    analyst = datalek(tmp_path, "users", "add", "bob", "analyst", "--token", token=admin).stdout.strip()
    ref = json.loads(datalek(tmp_path, "incidents", "list", "--json", token=analyst).stdout.splitlines()[0])["id"][:8]
    assert datalek(tmp_path, "incidents", "triage", ref, token=analyst).returncode == 0
    for forged in ({"LOGNAME": "carol", "USER": "carol"}, {"LOGNAME": "alice", "USER": "alice"}):
        step = datalek(tmp_path, "incidents", "dismiss", ref, "--reason", "x", **forged)
        assert step.returncode == 2 and "who is acting" in step.stderr
        decided = datalek(tmp_path, "incidents", "decide", ref, **forged)  # the FG's step, as the FG by name
        assert decided.returncode == 2 and "who is acting" in decided.stderr
        assert datalek(tmp_path, "users", "token", "carol", **forged).returncode == 2
        assert datalek(tmp_path, "users", "add", "mallory", "admin", **forged).returncode == 2
    # single-user mode trusts the real OS account of the process, which is not carol whatever LOGNAME says
    single = datalek(tmp_path, "incidents", "dismiss", ref, "--reason", "x", LOGNAME="carol", USER="carol",
                     DATALEK_IDENTITY__SINGLE_USER="true")
    assert single.returncode == 2 and "carol" not in single.stderr
    refused = datalek(tmp_path, "incidents", "dismiss", ref, "--reason", "x", token=analyst)
    assert refused.returncode == 0  # analysts may dismiss in triage; deciding is the FG's
    assert datalek(tmp_path, "users", "role", "bob", "privacy_officer", token=analyst).returncode == 2
    assert datalek(tmp_path, "users", "role", "alice", "analyst", token=admin).returncode == 2  # last admin
    assert datalek(tmp_path, "users", "remove", "bob", token=admin).returncode == 0
    assert datalek(tmp_path, "incidents", "list", token=analyst).returncode == 2  # removed: token is dead
    assert datalek(tmp_path, "users", "add", " ", "analyst", token=admin).returncode == 2
    trail = datalek(tmp_path, "register", "export", "--format", "json", token=admin)
    assert trail.returncode == 0
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with database.session_factory(engine)() as session:
        from incidents.persistence.audit import trail as audit_trail
        people = [(a["actor"], a["action"]) for a in audit_trail(session, "-")]
    engine.dispose()
    assert ("alice", "user.added") in people and ("alice", "user.removed") in people
    assert ("alice", "user.token_issued") in people and people[0][0].startswith("os:")


def test_hostile_values_are_printed_as_data_not_markup_or_terminal_control(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(engine)
    hostile = "srv[/bold]\x1b[2J\u202e"
    services.record_detection(SqlUnitOfWork(database.session_factory(engine)), detection("d1", asset=hostile),
                              now=NOW, correlation_window=HOUR)
    engine.dispose()
    listed = datalek(tmp_path, "incidents", "list")
    assert listed.returncode == 0, listed.stderr
    ref = json.loads(datalek(tmp_path, "incidents", "list", "--json").stdout.splitlines()[0])["id"][:8]
    shown = datalek(tmp_path, "incidents", "show", ref)
    for output in (listed.stdout, shown.stdout):
        assert "\x1b" not in output and "\u202e" not in output
    assert "srv[/bold]\\u001b[2J\\u202e" in shown.stdout


def test_the_default_database_is_one_per_user_file_whatever_the_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATALEK_")} | {"XDG_DATA_HOME": str(tmp_path)}
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()

    def run(cwd):
        return subprocess.run([sys.executable, "-m", "datalek", "users", "add", "adam", "admin"], env=env, cwd=cwd,
                              capture_output=True, text=True, timeout=120)

    created = run(first)
    assert created.returncode == 0 and "creating an empty one" in created.stderr
    assert str(tmp_path / "datalek" / "datalek.db") in created.stderr
    again = run(second)  # another folder, the same database: adam exists, so no second bootstrap
    assert again.returncode == 2 and "who is acting" in again.stderr and "creating" not in again.stderr  # no bootstrap
    assert not list(first.iterdir()) and not list(second.iterdir())


def test_the_register_draft_is_markdown_by_default_json_or_csv_on_request_and_refuses_html(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(engine)
    hostile = "srv|[x](http://evil.example)*a*"
    services.record_detection(SqlUnitOfWork(database.session_factory(engine)), detection("d1", asset=hostile),
                              now=NOW, correlation_window=HOUR)
    engine.dispose()
    ref = json.loads(datalek(tmp_path, "incidents", "list", "--json").stdout.splitlines()[0])["id"][:8]

    for args in ([], ["--format", "md"]):
        md = datalek(tmp_path, "draft", ref, "--kind", "register", *args)
        assert md.returncode == 0, md.stderr
        assert md.stdout.startswith("# Register of personal-data breaches") and not md.stdout.lstrip().startswith("{")
        assert "| field | value |" in md.stdout and "### Audit trail" in md.stdout
        assert r"| asset | srv\|\[x\](http://evil.example)\*a\* |" in md.stdout  # literal text, not a link
    [entry] = json.loads(datalek(tmp_path, "draft", ref, "--kind", "register", "--format", "json").stdout)["register"]
    assert entry["asset"] == hostile
    csv_text = datalek(tmp_path, "draft", ref, "--kind", "register", "--format", "csv").stdout
    assert csv_text.startswith("id,title,status")
    html = datalek(tmp_path, "draft", ref, "--kind", "register", "--format", "html")
    assert html.returncode == 2 and "Traceback" not in html.stderr
    assert "the register entry is written as md | json | csv | xlsx, not 'html'" in html.stderr


def test_the_register_as_xlsx_goes_to_a_file_only_and_reads_back_as_the_csv_columns(tmp_path):
    from openpyxl import load_workbook

    from incidents.register import FLAT_COLUMNS

    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(engine)
    hostile = '=HYPERLINK("http://evil.example","klik")'
    services.record_detection(SqlUnitOfWork(database.session_factory(engine)), detection("d1", asset=hostile),
                              now=NOW, correlation_window=HOUR)
    engine.dispose()
    ref = json.loads(datalek(tmp_path, "incidents", "list", "--json").stdout.splitlines()[0])["id"]

    for args in (["register", "export", "--format", "xlsx"], ["draft", ref[:8], "--kind", "register", "--format",
                                                              "xlsx"]):
        refused = datalek(tmp_path, *args)
        assert refused.returncode == 2 and refused.stdout == "" and "Traceback" not in refused.stderr
        assert refused.stderr.strip().splitlines()[-1].endswith(
            "xlsx is a binary file: give --output FILE.xlsx (it is never written to the terminal)"), refused.stderr
        written = datalek(tmp_path, *args, "--output", "r.xlsx")
        assert written.returncode == 0 and written.stdout == "", written.stderr
        sheet = load_workbook(tmp_path / "r.xlsx")["register"]
        assert [c.value for c in sheet[1]] == list(FLAT_COLUMNS) and sheet.max_row == 2
        row = dict(zip(FLAT_COLUMNS, sheet[2], strict=True))
        assert row["id"].value == ref and row["asset"].value == hostile and row["asset"].data_type == "s"
        assert row["opened_at"].is_date and row["opened_at_amsterdam"].value.endswith(("CET", "CEST"))
        (tmp_path / "r.xlsx").unlink()


def test_control_and_bidi_characters_in_event_names_never_reach_an_incident_or_the_cli(tmp_path):
    """Events as a producer writes them to the events topic (an Intune lost-mode event and a DLP alert) with a
    right-to-left override and an ANSI colour escape in host.name, user.name and file.name: the worker's edge
    (guard.read_message, the schema) removes them, so the incident and every CLI view hold none, not even escaped."""
    from datalek.rules import load_rules
    from incidents.rules import Engine
    from streams import guard
    from streams.normalise import default_normaliser

    rlo, red = "\u202e", "\x1b[31m"
    events = [
        {"@timestamp": "2026-11-20T09:00:00Z", "event": {"kind": "event", "category": ["host"], "type": ["change"],
                                                         "action": "Enable lost mode", "id": "intune-1"},
         "datalek": {"device": {"status": "lost"}}, "host": {"name": f"{rlo}ph-0017{red}"},
         "user": {"name": f"medewerker3{rlo}@24online.nl"}},
        {"@timestamp": "2026-11-20T09:05:00Z", "event": {"kind": "alert", "category": ["email"], "type": ["info"],
                                                         "action": "dlp-match", "id": "dlp-1"},
         "user": {"name": f"{red}medewerker2{rlo}"}, "file": {"name": f"klanten{rlo}xslx.exe"},
         "email": {"to": {"address": ["j.jansen@gmail.com"]}}},
    ]
    message = json.dumps({"events": events}).encode()
    valid, rejected = guard.read_message(message, limit=1 << 20, normaliser=default_normaliser())
    assert not rejected and len(valid) == 2
    detections = guard.detect(Engine(load_rules((), defaults=True), inventory=load_inventory(None)), {}, valid)
    assert {d.rule_id for d in detections} == {"device.lost_or_stolen", "dlp.external_mail"}
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(engine)
    for d in detections:
        services.record_detection(SqlUnitOfWork(database.session_factory(engine)), d, now=NOW,
                                  correlation_window=HOUR, prefill=load_inventory().prefill)
    engine.dispose()
    listed = datalek(tmp_path, "incidents", "list", "--json")
    found = {i["entity"]: i for i in map(json.loads, listed.stdout.splitlines())}
    assert set(found) == {"host.name=ph-0017[31m", "user.name=[31mmedewerker2"}
    assert found["host.name=ph-0017[31m"]["asset"] == "werkplekken"  # ph-*: the override no longer hides the name
    outputs = [listed.stdout, datalek(tmp_path, "incidents", "list").stdout]
    for incident in found.values():
        shown = datalek(tmp_path, "incidents", "show", incident["id"][:8], "--json")
        outputs += [shown.stdout, datalek(tmp_path, "incidents", "show", incident["id"][:8]).stdout]
        if incident["entity"].startswith("user.name"):
            assert json.loads(shown.stdout)["affected"] == {"users": ["[31mmedewerker2"], "files": ["klantenxslx.exe"]}
    for output in outputs:  # json.dumps writes them as \u202e and \u001b; the table shows them as such escapes
        assert not [text for text in ("\x1b", rlo, "\\u001b", "\\u202e") if text in output], output

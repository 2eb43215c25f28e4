"""The JSON API /api/v1 over HTTP: bearer tokens with scopes, the role matrix of the workflow as a table, JSON
errors, the audit log, the OpenAPI description, and event ingestion to Kafka (SQLite and PostgreSQL)."""

import asyncio
import json
import uuid
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import Draft202012Validator
from kafka import KafkaConsumer
from sqlalchemy import select, text

from datalek.bootstrap import Container
from datalek.settings import KafkaSettings, WebSettings
from datalek.web import COOKIE, build_web_app
from datalek.web.api.openapi import SPEC
from incidents import services
from incidents import workflow as wf
from incidents.assessment import assess, override
from incidents.detection import Detection
from incidents.model import Status
from incidents.persistence import users
from incidents.persistence.rows import AuditRow
from incidents.persistence.users import Scope
from streams.kafka_admin import ensure_topics
from tests.conftest import wait_until
from tests.integration.test_web import FACTS, NOW, Site
from tests.integration.test_web_security import sign_in
from tests.integration.test_workflow_cli import datalek

LATER = NOW + timedelta(hours=30)  # the app's clock: within the 72 hours of an awareness at NOW
ALL = frozenset({"ann", "fien", "adam"})  # analyst, privacy officer (FG), admin
FG = frozenset({"fien"})
S = Status


class ApiSite(Site):
    """The console's test site plus an admin token and tokens with one scope each."""

    def __init__(self, database_url):
        super().__init__(database_url)
        with self.container.session_factory.begin() as session:
            self.tokens["adam"] = users.issue_token(session, name="adam", by="adam", at=NOW)
            for name, role, scope in (("rita", wf.Role.PRIVACY_OFFICER, Scope.READ),
                                      ("walt", wf.Role.PRIVACY_OFFICER, Scope.WORKFLOW),
                                      ("hook", wf.Role.ANALYST, Scope.INGEST)):
                users.add(session, name=name, role=role, by="adam", at=NOW)
                self.tokens[name] = users.issue_token(session, name=name, by="adam", at=NOW, scopes=[scope])
        self.opened = 0

    def incident(self, *steps):
        """A new incident of its own (no correlation with others), walked through ``steps`` by the FG."""
        self.opened += 1
        d = Detection(key=f"api-{self.opened}", rule_id="auth.repeated_failures",
                      entity=f"user.name=u{self.opened}", asset=f"portal-{self.opened}", breach_type="confidentiality",
                      window_start=NOW, window_end=NOW + timedelta(minutes=5), detected_at=NOW, count=1,
                      event_ids=(f"e-{self.opened}",), summary="burst")
        services.record_detection(self.container.uow(), d, now=NOW, correlation_window=timedelta(seconds=1))
        with self.container.uow() as uow:
            iid = next(i.id for i in uow.incidents.list(limit=None) if i.entity == d.entity)
        for step in steps:
            services.act(self.container.uow(), iid, actor_name="fien", now=NOW, step=PREPARE[step])
        return iid

    def rows(self, incident_id=None):
        with self.container.session_factory() as session:
            query = select(AuditRow).order_by(AuditRow.id)
            if incident_id:
                query = query.where(AuditRow.incident_id == incident_id)
            return [(r.incident_id, r.actor, r.action) for r in session.scalars(query)]

    def status(self, incident_id):
        with self.container.uow() as uow:
            return uow.incidents.get(incident_id).status


def _decided(notify):
    def step(i, a):
        decision = override(assess(i.facts).proposal, actor=a.name, reason="test", notify_regulator=notify,
                            notify_subjects=notify)
        return wf.decide(i, decision, at=NOW, actor=a)
    return step


PREPARE = {
    "triage": lambda i, a: wf.transition(i, S.TRIAGE, at=NOW, actor=a, reason="look"),
    "dismiss": lambda i, a: wf.transition(i, S.DISMISSED, at=NOW, actor=a, reason="scanner"),
    "confirm": lambda i, a: wf.confirm(i, at=NOW, actor=a, reason="accounts read"),
    "facts": lambda i, a: wf.record_facts(i, FACTS, at=NOW, actor=a),
    "notify": _decided(True), "quiet": _decided(False),
    "report": lambda i, a: wf.report(i, meldnummer="M-1", reported_at=NOW, at=NOW, actor=a),
}
ASSESSING = ("triage", "confirm", "facts")
# action, the steps before it, the request (method, path below the incident, body), who may, the status after
MATRIX = [
    ("triage", (), ("POST", "/transitions", {"step": "triage", "reason": "look"}), ALL, S.TRIAGE),
    ("dismiss", (), ("POST", "/transitions", {"step": "dismiss", "reason": "a scanner"}), ALL, S.DISMISSED),
    ("reopen", ("dismiss",), ("POST", "/transitions", {"step": "reopen", "reason": "new evidence"}), ALL, S.TRIAGE),
    ("confirm", ("triage",), ("POST", "/transitions", {"step": "confirm", "reason": "read"}), ALL, S.CONFIRMED),
    ("facts", ("triage", "confirm"), ("PUT", "/facts", FACTS.to_dict()), ALL, S.ASSESSING),
    ("decide", ASSESSING, ("POST", "/decision", {"choice": "accept", "reason": "as proposed"}), FG, S.DECIDED),
    ("report", (*ASSESSING, "notify"), ("POST", "/transitions", {"step": "report", "meldnummer": "M-7"}), FG,
     S.REPORTED),
    ("inform", (*ASSESSING, "notify"), ("POST", "/transitions", {"step": "inform"}), FG, S.SUBJECTS_INFORMED),
    ("close", (*ASSESSING, "quiet"), ("POST", "/transitions", {"step": "close", "reason": "nothing owed"}),
     FG | {"adam"}, S.CLOSED),
    ("follow_up", (*ASSESSING, "notify", "report"),
     ("POST", "/transitions", {"step": "follow_up", "kind": "supplement", "text": "more accounts"}), FG,
     S.REPORTED),
    ("read", ASSESSING, ("GET", "", None), ALL, S.ASSESSING),
    ("draft", ASSESSING, ("GET", "/drafts/ap", None), ALL, S.ASSESSING),
]


async def _serve(site, container=None):
    app = build_web_app(container or site.container, clock=lambda: LATER)
    site.client = TestClient(TestServer(app))
    await site.client.start_server()
    return site


@pytest.fixture
async def site(database_url):
    s = await _serve(ApiSite(database_url))
    yield s
    await s.client.close()
    s.container.engine.dispose()


def bearer(site, who):
    return {"Authorization": f"Bearer {site.tokens[who]}"}


async def call(site, who, method, path, body=None, **kwargs):
    headers = bearer(site, who) if who else {}
    response = await site.client.request(method, path, json=body, headers=headers, **kwargs)
    json_body = response.content_type == "application/json"
    return response.status, await response.json() if json_body else await response.text()


@pytest.mark.parametrize("who", sorted(ALL))
async def test_each_role_may_take_exactly_the_steps_of_the_workflow_table(site, who):
    for action, before, (method, below, body), allowed, after in MATRIX:
        iid = site.incident(*before)
        trail, was = site.rows(iid), site.status(iid)
        status, answer = await call(site, who, method, f"/api/v1/incidents/{iid}{below}", body)
        if who in allowed:
            assert status == 200, (action, answer)
            assert site.status(iid) is after, action
            new = site.rows(iid)[len(trail):]
            assert new and {actor for _, actor, _ in new} == {who}, (action, new)  # audited under the person
        else:
            assert status == 403, (action, status, answer)
            assert "error" in answer and site.status(iid) is was and site.rows(iid) == trail, action


async def test_the_answer_to_a_step_is_the_incident_with_the_steps_this_role_may_take_next(site):
    iid = site.incident(*ASSESSING)
    status, answer = await call(site, "ann", "GET", f"/api/v1/incidents/{iid[:8]}")
    assert status == 200 and answer["id"] == iid and answer["status"] == "assessing"
    assert "decide" not in answer["steps"] and "facts" in answer["steps"]
    assert answer["assessment"]["proposal"]["notify_regulator"] is True
    status, answer = await call(site, "fien", "POST", f"/api/v1/incidents/{iid}/decision", {})
    assert status == 200 and answer["status"] == "decided" and answer["decision"]["overridden"] is False
    assert "report" in answer["steps"] and answer["regulator_deadline"] == "2026-11-23T10:00:00+00:00"


async def test_the_fg_overrides_the_proposal_with_a_reason(site):
    iid = site.incident(*ASSESSING)
    body = {"choice": "override", "notify_ap": False, "notify_subjects": False, "reason": "test data only"}
    status, answer = await call(site, "fien", "POST", f"/api/v1/incidents/{iid}/decision", body)
    assert status == 200 and answer["decision"]["notify_regulator"] is False
    assert answer["decision"]["overridden"] is True and answer["decision"]["reason"] == "test data only"


async def test_scopes_read_cannot_act_workflow_cannot_read_ingest_only_ingests(site):
    iid = site.incident(*ASSESSING)
    one, decide = f"/api/v1/incidents/{iid}", f"/api/v1/incidents/{iid}/decision"
    assert (await call(site, "rita", "GET", one))[0] == 200
    assert (await call(site, "rita", "GET", "/api/v1/register"))[0] == 200
    for method, path, body in (("POST", decide, {}), ("PUT", f"{one}/facts", FACTS.to_dict()),
                               ("POST", f"{one}/transitions", {"step": "triage", "reason": "x"}),
                               ("POST", "/api/v1/events", [])):
        status, answer = await call(site, "rita", method, path, body)
        assert status == 403 and "scope" in answer["error"], path
    assert (await call(site, "walt", "GET", one))[0] == 403
    for method, path in (("GET", "/api/v1/incidents"), ("GET", one), ("GET", f"{one}/drafts/ap"),
                         ("GET", "/api/v1/register"), ("POST", decide)):
        assert (await call(site, "hook", method, path, {} if method == "POST" else None))[0] == 403, path
    assert site.status(iid) is S.ASSESSING
    status, answer = await call(site, "hook", "POST", "/api/v1/events", [])
    assert status == 400 and answer == {"error": "no events in the body"}  # past the scope check
    assert (await call(site, "fien", "POST", "/api/v1/events", []))[0] == 403
    assert (await call(site, "walt", "POST", decide, {}))[0] == 200  # workflow scope, FG role
    for who in ("rita", "hook"):  # the console needs the workflow scope: no sign-in, no bearer use
        assert (await site.client.get("/incidents", headers=bearer(site, who))).status == 401
        assert (await sign_in(site.client, site.tokens[who])).status == 401


async def test_without_or_with_a_bad_token_every_route_is_401_in_json(site):
    iid = site.incident()
    routes = [("GET", "/api/v1/incidents"), ("GET", f"/api/v1/incidents/{iid}"),
              ("POST", f"/api/v1/incidents/{iid}/transitions"), ("PUT", f"/api/v1/incidents/{iid}/facts"),
              ("POST", f"/api/v1/incidents/{iid}/decision"), ("GET", f"/api/v1/incidents/{iid}/drafts/ap"),
              ("GET", "/api/v1/register"), ("POST", "/api/v1/events"), ("GET", "/api/v1/nothing")]
    wrong = [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Basic {site.tokens['fien']}"},
             {"Authorization": "Bearer"}, {"Authorization": "Bearer tøken"}]
    for method, path in routes:
        for headers in wrong:
            response = await site.client.request(method, path, json={"step": "triage", "reason": "x"},
                                                 headers=headers)
            assert response.status == 401, (method, path, headers)
            assert "error" in await response.json() and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert site.status(iid) is S.DETECTED
    assert [r for r in site.rows(iid) if r[2] != "incident.opened"] == []


async def test_a_signed_in_browser_cookie_is_not_accepted_by_the_api(site):
    iid = site.incident()
    assert (await sign_in(site.client, site.tokens["fien"])).status == 303
    assert (await site.client.get("/incidents")).status == 200  # the console takes the cookie
    assert COOKIE in {c.key for c in site.client.session.cookie_jar}
    response = await site.client.get("/api/v1/incidents")
    assert response.status == 401 and "cookies are not accepted" in (await response.json())["error"]
    origin = f"http://{site.client.host}:{site.client.port}"
    response = await site.client.post(f"/api/v1/incidents/{iid}/transitions", json={"step": "triage",
                                                                                    "reason": "x"},
                                      headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"})
    assert response.status == 401 and site.status(iid) is S.DETECTED


async def test_bad_input_is_a_json_4xx_never_a_500(site):
    iid = site.incident()
    one = f"/api/v1/incidents/{iid}"
    auth = bearer(site, "fien")
    cases = [
        ("POST", f"{one}/transitions", b"{not json", 400, "not valid JSON"),
        ("POST", f"{one}/transitions", b"[1, 2]", 400, "JSON object"),
        ("POST", f"{one}/transitions", b"[" * 100000 + b"]" * 100000, 413, ""),  # over the app's 64 KiB
        ("POST", f"{one}/transitions", b'{"step": ["triage"]}', 400, "step: one of"),
        ("POST", f"{one}/transitions", b'{"step": "decide"}', 400, "decision"),
        ("POST", f"{one}/transitions", b'{"step": "triage", "reson": "typo"}', 400, "unknown field 'reson'"),
        ("POST", f"{one}/transitions", b'{"step": "triage", "reason": {"a": 1}}', 400, "reason: expected"),
        ("POST", f"{one}/transitions", b'{"step": "close", "reason": "x"}', 409, "not allowed"),
        ("POST", f"{one}/transitions", b'{"step": "dismiss"}', 409, "written reason"),
        ("POST", f"{one}/decision", b'{"choice": "maybe"}', 400, "choice"),
        ("PUT", f"{one}/facts", b'{"nature": ["sideways"], "records": "many", "colour": 1}', 400, "not valid"),
        ("GET", f"{one}/drafts/ap?format=pdf", None, 400, "format"),
        ("GET", "/api/v1/register?format=xml", None, 400, "format"),
        ("GET", "/api/v1/incidents/ffffffff-0000", None, 404, "no such incident"),
        ("POST", "/api/v1/incidents/ffffffff-0000/transitions", b'{"step": "triage", "reason": "x"}', 404,
         "ffffffff-0000"),
        ("GET", "/api/v1/nothing", None, 404, ""),
        ("DELETE", f"{one}/facts", None, 405, ""),
        ("POST", "/api/v1/events", b"{oops", 400, "not valid JSON"),
        ("POST", "/api/v1/events", b'"text"', 400, "event object"),
    ]
    for method, path, body, status, expected in cases:
        headers = {**auth, "Content-Type": "application/json"}
        token = site.tokens["hook"] if path.endswith("/events") else site.tokens["fien"]
        headers["Authorization"] = f"Bearer {token}"
        response = await site.client.request(method, path, data=body, headers=headers)
        answer = await response.json()
        assert response.status == status, (path, body and body[:40], answer)
        assert expected in answer["error"], (path, answer)
    status, answer = await call(site, "fien", "PUT", f"{one}/facts",
                                {"nature": ["sideways"], "records": "many", "colour": 1})
    assert set(answer["problems"]) == {"nature[0]", "records", "colour", "groups"}  # every problem at once
    assert site.status(iid) is S.DETECTED


async def test_awareness_times_are_checked_as_in_the_console(site):
    iid = site.incident("triage")
    path = f"/api/v1/incidents/{iid}/transitions"
    status, answer = await call(site, "ann", "POST", path, {"step": "confirm", "reason": "x", "aware_at": "soon"})
    assert status == 400 and "aware_at" in answer["error"]
    future = (LATER + timedelta(days=30)).isoformat()
    status, answer = await call(site, "ann", "POST", path, {"step": "confirm", "reason": "x", "aware_at": future})
    assert status == 409 and "future" in answer["error"]
    early = (NOW - timedelta(days=2)).isoformat()
    status, answer = await call(site, "ann", "POST", path, {"step": "confirm", "reason": "x", "aware_at": early})
    assert status == 409 and "before the first detection" in answer["error"]
    body = {"step": "confirm", "reason": "x", "aware_at": early, "before_detection": True}
    status, answer = await call(site, "ann", "POST", path, body)
    assert status == 200 and answer["became_aware_at"] == early


async def test_every_api_step_read_and_export_is_in_the_audit_log_with_the_person(site):
    iid = site.incident()
    one = f"/api/v1/incidents/{iid}"
    steps = [("ann", "POST", "/transitions", {"step": "triage", "reason": "look"}),
             ("ann", "POST", "/transitions", {"step": "confirm", "reason": "read"}),
             ("ann", "PUT", "/facts", FACTS.to_dict()),
             ("fien", "POST", "/facts", FACTS.to_dict()),  # amended while assessing: no status change
             ("fien", "GET", "", None), ("fien", "POST", "/decision", {"reason": "as proposed"}),
             ("fien", "GET", "/drafts/ap?format=md", None), ("fien", "GET", "/drafts/subjects?notice=en", None)]
    for who, method, below, body in steps:
        status, answer = await call(site, who, method, f"{one}{below}", body)
        assert status == 200, (below, answer)
    assert (await site.client.get("/api/v1/register?format=csv", headers=bearer(site, "ann"))).status == 200
    assert site.rows(iid)[1:] == [
        (iid, "ann", "status.changed"), (iid, "ann", "status.changed"), (iid, "ann", "status.changed"),
        (iid, "fien", "facts.recorded"), (iid, "fien", "api.viewed"), (iid, "fien", "status.changed"),
        (iid, "fien", "api.draft.ap"), (iid, "fien", "api.draft.subjects"), (iid, "ann", "api.register.exported")]


async def test_drafts_and_register_are_served_in_their_formats(site):
    iid = site.incident(*ASSESSING, "notify")
    response = await site.client.get(f"/api/v1/incidents/{iid}/drafts/ap", headers=bearer(site, "ann"))
    assert response.status == 200 and response.content_type == "application/json"
    assert iid in json.dumps(await response.json())
    response = await site.client.get(f"/api/v1/incidents/{iid}/drafts/ap?format=md", headers=bearer(site, "ann"))
    assert response.content_type == "text/markdown" and iid[:8] in await response.text()
    response = await site.client.get("/api/v1/register", headers=bearer(site, "ann"))
    register = (await response.json())["register"]
    assert {e["id"] for e in register} == {site.plain, site.hostile, iid}
    csv = await (await site.client.get("/api/v1/register?format=csv", headers=bearer(site, "ann"))).text()
    assert csv.splitlines()[0].startswith("id,") and len(csv.splitlines()) == 4
    status, listing = await call(site, "rita", "GET", "/api/v1/incidents")
    assert status == 200 and {i["id"] for i in listing["incidents"]} == {site.plain, site.hostile, iid}


async def test_the_register_as_xlsx_is_a_workbook_of_the_csv_columns_audited_per_incident(site):
    import io

    from openpyxl import load_workbook

    from datalek.register_xlsx import MEDIA_TYPE
    from incidents.register import FLAT_COLUMNS

    iid = site.incident(*ASSESSING)
    response = await site.client.get("/api/v1/register?format=xlsx", headers=bearer(site, "rita"))
    assert response.status == 200 and response.content_type == MEDIA_TYPE
    assert response.headers["Content-Disposition"] == 'attachment; filename="register-datalekken.xlsx"'
    sheet = load_workbook(io.BytesIO(await response.read()))["register"]
    assert [c.value for c in sheet[1]] == list(FLAT_COLUMNS) and sheet.freeze_panes == "A2"
    rows = {line[0].value: dict(zip(FLAT_COLUMNS, line, strict=True)) for line in sheet.iter_rows(min_row=2)}
    assert set(rows) == {site.plain, site.hostile, iid}
    assert rows[iid]["opened_at"].is_date and rows[iid]["opened_at"].value == NOW.replace(tzinfo=None)
    assert all(c.data_type != "f" for row in rows.values() for c in row.values())
    assert {r for r in site.rows() if r[2] == "api.register.exported"} == {
        (i, "rita", "api.register.exported") for i in (site.plain, site.hostile, iid)}
    assert (await site.client.get("/api/v1/register?format=xlsx")).status == 401


def _described():
    return {(method.upper(), path) for path, item in SPEC["paths"].items() for method in item
            if method != "parameters"}


async def test_the_openapi_description_lists_exactly_the_registered_api_routes(site):
    registered = {(r.method, r.resource.canonical) for r in site.client.app.router.routes()
                  if r.resource is not None and r.resource.canonical.startswith("/api/v1")}
    assert registered == _described()
    response = await site.client.get("/api/v1/openapi.json")  # no token needed: no data in it
    spec = await response.json()
    assert response.status == 200 and spec == json.loads(json.dumps(SPEC)) and spec["openapi"] == "3.1.0"
    assert "cookies are not accepted" in spec["info"]["description"].lower()
    for path, item in spec["paths"].items():
        names = {p["name"] for p in item.get("parameters", [])}
        assert names == set(path.replace("}", "{").split("{")[1::2]), path  # every path parameter described
        for method, op in item.items():
            if method != "parameters":
                assert op["responses"] and ("401" in op["responses"]) == bool(op["security"]), (path, method)


def _validator(spec, schema):
    """A JSON Schema validator for ``schema`` with the description's components to resolve its $refs."""
    root = {**schema, "components": spec["components"]}
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root)


def _facts_body(spec):
    return spec["paths"]["/api/v1/incidents/{ref}/facts"]["put"]["requestBody"]["content"]["application/json"][
        "schema"]


# Facts of the shape with groups as a person writes them: notes at every level, every new part used.
RICH = {"_comment": "two groups: health data of 2 of the 15", "nature": ["confidentiality", "availability_temporary"],
        "incident_type": "hacking_malware_phishing",
        "groups": [{"_why": "all policy holders", "subject_groups": ["customers"], "data_subjects": 13,
                    "data_categories": ["name", "insurance", "bank_account"]},
                   {"subject_groups": ["customers", "vulnerable"], "data_subjects": {"min": 2, "max": 3},
                    "data_categories": ["name", "insurance"], "special_categories": ["health"]}],
        "recipients": {"_note": "the partner's mailbox", "received": "known", "trusted": True,
                       "deletion_confirmed": True},
        "service_effect": {"outage": "temporary", "essential": True, "hours": 6.5, "_source": "status page"},
        "protection": {"method": "encrypted", "state_of_the_art": True, "key_safe": True, "effective": False},
        "dpc_adjustments": [{"factor": "insight", "steps": 1, "note": "claims history", "_by": "fien"}],
        "measures": ["data_retrieved_or_deleted"], "backup_available": True, "restore_hours": 6.5}
FIRST_SHAPE = {"nature": ["confidentiality"], "data_subjects": 4, "data_categories": ["email"],
               "recipients": "trusted", "dpc_adjustments": [{"factor": "nature", "steps": -1}]}
# Near misses: each refused by the server (400) and by the published schema alike.
REFUSED = [
    {**RICH, "comment": "a note without the underscore"},
    {**RICH, "groups": []},
    {**RICH, "groups": [{"subject_groups": ["customers"], "data_subjects": 3}]},  # no category
    {**RICH, "groups": [{"data_categories": ["insurances"]}]},
    {**RICH, "service_effect": {"outage": "partial"}},
    {**RICH, "recipients": {"received": "known", "trusted": "yes"}},
    {**RICH, "dpc_adjustments": [{"factor": "public_availability", "steps": 2}]},
    {**RICH, "groups": [{"data_subjects": {"min": 2}, "data_categories": ["name"]}]},
    {**RICH, "data_categories": ["name"]},  # a field of the first shape next to groups
    {k: v for k, v in RICH.items() if k != "nature"},
]


async def test_real_facts_documents_of_the_api_validate_against_the_published_schema(site):
    """The description cannot drift from the facts the API takes and serves: what the server accepts and
    answers validates against the published schemas, and what it refuses, the schema refuses too."""
    spec = await (await site.client.get("/api/v1/openapi.json")).json()
    facts, incident = _validator(spec, {"$ref": "#/components/schemas/Facts"}), \
        _validator(spec, {"$ref": "#/components/schemas/Incident"})
    body = _validator(spec, _facts_body(spec))
    for document in (RICH, FIRST_SHAPE, FACTS.to_dict()):
        body.validate(document)
        iid = site.incident("triage", "confirm")
        status, answer = await call(site, "fien", "PUT", f"/api/v1/incidents/{iid}/facts", document)
        assert status == 200, answer
        status, answer = await call(site, "ann", "GET", f"/api/v1/incidents/{iid}")
        assert status == 200 and answer["facts"]["groups"] and "_comment" not in answer["facts"]
        incident.validate(answer)
        facts.validate(answer["facts"])
        facts.validate(answer["assessment"]["facts"])
    assert answer["assessment"]["facts"] == answer["facts"]
    iid = site.incident("triage", "confirm")
    for document in REFUSED:
        status, answer = await call(site, "fien", "PUT", f"/api/v1/incidents/{iid}/facts", document)
        assert status == 400 and answer["problems"], document
        assert not body.is_valid(document), document
    served = spec["components"]["schemas"]["Facts"]["properties"]
    assert "insurance" in served["groups"]["items"]["properties"]["data_categories"]["items"]["enum"]
    assert {"received", "trusted", "deletion_confirmed"} <= set(served["recipients"]["oneOf"][0]["properties"])


def test_users_token_with_scopes_issues_a_token_for_only_those(tmp_path):
    admin = datalek(tmp_path, "users", "add", "adam", "admin").stdout.strip()
    assert datalek(tmp_path, "users", "add", "hook", "analyst", token=admin).returncode == 0
    issued = datalek(tmp_path, "users", "token", "hook", "--scope", "ingest", token=admin)
    assert issued.returncode == 0, issued.stderr
    people = datalek(tmp_path, "users", "list", token=admin).stdout
    assert "token=ingest " in people and "token=read,workflow " in people
    both = datalek(tmp_path, "users", "token", "adam", "--scope", "read", "--scope", "ingest", token=admin)
    bad = datalek(tmp_path, "users", "token", "hook", "--scope", "everything", token=both.stdout.strip())
    assert bad.returncode == 2
    listing = datalek(tmp_path, "incidents", "list", token=issued.stdout.strip())  # ingest only: no reading
    assert listing.returncode != 0 and "scope" in listing.stderr
    from incidents.persistence import database
    engine = database.make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with database.session_factory(engine)() as session:
        assert users.authenticate(session, issued.stdout.strip(), scope=Scope.INGEST).name == "hook"
        with pytest.raises(users.MissingScope):
            users.authenticate(session, issued.stdout.strip(), scope=Scope.READ)
        assert users.authenticate(session, both.stdout.strip(), scope=Scope.READ).name == "adam"
        with pytest.raises(users.MissingScope):
            users.authenticate(session, both.stdout.strip(), scope=Scope.WORKFLOW)
    engine.dispose()


def test_tokens_issued_before_scopes_existed_keep_read_and_workflow(factory):
    from incidents.persistence import database

    engine = factory.kw["bind"]
    database.downgrade(engine, "0010")
    with engine.begin() as conn:  # a user with a token as 0010 stored it (no scopes column)
        conn.execute(text("INSERT INTO users (name, role, added_at, added_by, token_hash) "
                          "VALUES ('adam', 'admin', :at, 'adam', :digest)"),
                     {"at": NOW, "digest": users.token_digest("old")})
    database.upgrade(engine)
    with factory() as session:
        for scope in (Scope.READ, Scope.WORKFLOW):
            assert users.authenticate(session, "old", scope=scope).name == "adam"
        with pytest.raises(users.MissingScope):
            users.authenticate(session, "old", scope=Scope.INGEST)


# Ingestion: ECS events as producers document them (ECS field reference: @timestamp, event.*, user.name,
# source.ip, host.name), nested and dotted, with near misses that the worker's validation refuses.
GOOD = {"@timestamp": "2026-11-20T09:00:00.000Z", "event": {"kind": "event", "category": ["authentication"],
        "type": ["start"], "action": "user_login", "outcome": "failure"}, "user": {"name": "geheim-gebruiker"},
        "source": {"ip": "198.51.100.23"}, "host": {"name": "web-01"}}
DOTTED = {"@timestamp": 1763629260000, "event.action": "logged-in", "event.outcome": "success",
          "user.name": "j.jansen", "datalek.asset": "portal", "event.id": "okta-abc-1"}
NO_TIME = {"event": {"action": "user_login"}, "user": {"name": "geheim-niet-verzonden"}}
NO_OFFSET = {"@timestamp": "2026-11-20T09:00:00", "event": {"action": "user_login"}}
OTHER_SCHEMA = {"@timestamp": "2026-11-20T09:00:00Z", "datalek": {"schema": 99}}


def _read(bootstrap, topic):
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=5000)
    try:
        return [(m.key, json.loads(m.value)["events"]) for m in consumer]
    finally:
        consumer.close()


@pytest.fixture
async def ingest_site(database_url, kafka_bootstrap):
    s = ApiSite(database_url)
    prefix = f"api{uuid.uuid4().hex[:8]}"
    settings = s.container.settings.model_copy(update={
        "kafka": KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=prefix),
        "web": WebSettings(api_max_body_bytes=4096, api_max_events=5)})
    container = Container(settings)
    ensure_topics(kafka_bootstrap, [container.topics()["events"]], partitions=1, replication_factor=1)
    s.topic, s.bootstrap = container.topics()["events"], kafka_bootstrap
    await _serve(s, container)
    yield s
    await s.client.close()
    container.engine.dispose()
    s.container.engine.dispose()


@pytest.mark.kafka
async def test_ingestion_produces_accepted_events_and_names_each_rejection(ingest_site, caplog):
    s = ingest_site
    caplog.set_level("DEBUG", logger="datalek")
    caplog.set_level("DEBUG", logger="aiohttp")
    status, one = await call(s, "hook", "POST", "/api/v1/events", GOOD)
    assert status == 200 and one["accepted"] == 1 and one["results"][0]["accepted"] is True
    batch = [DOTTED, NO_TIME, "not an event", NO_OFFSET, OTHER_SCHEMA]
    status, mixed = await call(s, "hook", "POST", "/api/v1/events", batch)
    assert status == 207 and (mixed["accepted"], mixed["rejected"]) == (1, 4)
    results = mixed["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4] and results[0] == {"index": 0, "accepted": True,
                                                                              "id": "okta-abc-1"}
    reasons = [r["reason"] for r in results[1:]]
    assert "@timestamp" in reasons[0] and "JSON object" in reasons[1] and "UTC offset" in reasons[2]
    assert "datalek.schema" in reasons[3] and not any(r["accepted"] for r in results[1:])
    status, none = await call(s, "hook", "POST", "/api/v1/events", {"events": [NO_TIME]})
    assert status == 400 and none["accepted"] == 0
    produced = _read(s.bootstrap, s.topic)
    assert [(key, [e["event.id"] for e in events]) for key, events in produced] == [
        (b"web-01", [one["results"][0]["id"]]), (b"portal", ["okta-abc-1"])]
    first = produced[0][1][0]
    assert first["user.name"] == "geheim-gebruiker" and first["event.category"] == ["authentication"]
    assert first["@timestamp"] == GOOD["@timestamp"] and first["source.ip"] == "198.51.100.23"
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("datalek", "aiohttp"))]
    assert "api events: 1 accepted, 4 rejected" in ours  # counts only: no event values in our logs
    assert not [m for m in ours if "geheim" in m or "okta-abc-1" in m or "198.51.100.23" in m]


@pytest.mark.kafka
async def test_oversized_bodies_and_too_many_events_are_refused_before_anything_is_produced(ingest_site):
    s = ingest_site
    big = [{**GOOD, "message": "x" * 5000}]
    status, answer = await call(s, "hook", "POST", "/api/v1/events", big)
    assert status == 413 and "4096" in answer["error"]

    async def chunked():  # no Content-Length: the limit holds while reading
        yield json.dumps(big).encode()

    response = await s.client.post("/api/v1/events", data=chunked(), headers=bearer(s, "hook"))
    assert response.status == 413
    status, answer = await call(s, "hook", "POST", "/api/v1/events", [GOOD] * 6)
    assert status == 413 and "5 events" in answer["error"]
    assert _read(s.bootstrap, s.topic) == []


@pytest.mark.kafka
async def test_events_posted_to_the_api_open_one_incident_in_the_worker_and_a_resend_adds_none(
        worker_factory, kafka_bootstrap, tmp_path):
    from tests.integration.test_pipeline import count_incidents, scenario_events, wait_consumed

    url = f"sqlite:///{tmp_path / 'api.db'}"
    s = ApiSite(url)  # two incidents of its own
    worker = worker_factory(url)
    worker.start()
    settings = s.container.settings.model_copy(update={
        "kafka": KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=worker.prefix)})
    await _serve(s, Container(settings))
    try:
        batch = scenario_events()
        status, answer = await call(s, "hook", "POST", "/api/v1/events", {"events": batch})
        assert status == 200 and answer["accepted"] == len(batch)
        await asyncio.to_thread(wait_until, lambda: count_incidents(url) == 3, message="the brute-force incident")
        status, _ = await call(s, "hook", "POST", "/api/v1/events", batch)  # the same events again
        assert status == 200
        await asyncio.to_thread(wait_consumed, worker, ["events", "by-key", "detections"])
        assert count_incidents(url) == 3
        status, listing = await call(s, "ann", "GET", "/api/v1/incidents")
        assert "klantportaal" in {i["asset"] for i in listing["incidents"]}
    finally:
        await s.client.close()
        s.container.engine.dispose()

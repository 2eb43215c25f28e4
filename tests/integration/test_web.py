"""The web console's reading pages over HTTP (aiohttp's test server) on SQLite and PostgreSQL."""

import base64
import hashlib
import json
import logging
import re
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import select

from datalek.bootstrap import Container
from datalek.cli import SCENARIO
from datalek.settings import Settings
from datalek.web import COOKIE, build_web_app
from incidents import services
from incidents import workflow as wf
from incidents.assessment import BreachFacts
from incidents.detection import Detection
from incidents.model import Status
from incidents.persistence import database, users
from incidents.persistence.rows import AuditRow
from tests.unit.test_services import HOUR, NOW, detection

FACTS = BreachFacts.from_dict(json.loads((SCENARIO.parent / "24online-facts.json").read_text()))
HOSTILE_TITLE = '<script>alert("title")</script>'
HOSTILE_ASSET = '"><img src=x onerror=alert(1)>'
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}


class Site:
    """A migrated database with three users and their tokens, two incidents, and the console on it."""

    def __init__(self, database_url):
        self.container = Container(Settings(database_url=SecretStr(database_url)))
        database.upgrade(self.container.engine)
        f = self.container.session_factory
        with f.begin() as session:
            users.add(session, name="adam", role=wf.Role.ADMIN, by="adam", at=NOW)
            users.add(session, name="ann", role=wf.Role.ANALYST, by="adam", at=NOW)
            users.add(session, name="fien", role=wf.Role.PRIVACY_OFFICER, by="adam", at=NOW)
            self.tokens = {n: users.issue_token(session, name=n, by="adam", at=NOW) for n in ("ann", "fien")}
        services.record_detection(self.container.uow(), detection("d1"), now=NOW, correlation_window=HOUR)
        hostile = Detection(key="d2", rule_id="auth.repeated_failures", entity="source.ip=198.51.100.9",
                            asset=HOSTILE_ASSET, breach_type="confidentiality", window_start=NOW,
                            window_end=NOW + HOUR, detected_at=NOW + HOUR, count=1, event_ids=("e9",),
                            summary=HOSTILE_TITLE, severity="high")
        services.record_detection(self.container.uow(), hostile, now=NOW, correlation_window=HOUR)
        with self.container.uow() as uow:
            self.hostile, self.plain = (i.id for i in uow.incidents.list())
        for fn in (lambda i, a: wf.transition(i, Status.TRIAGE, at=NOW, actor=a, reason="look"),
                   lambda i, a: wf.confirm(i, at=NOW, actor=a, reason="accounts guessed"),
                   lambda i, a: wf.record_facts(i, FACTS, at=NOW, actor=a)):
            services.act(self.container.uow(), self.plain, actor_name="ann", now=NOW, step=fn)

    def auth(self, who="ann"):
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def audit(self):
        with self.container.session_factory() as session:
            rows = session.scalars(select(AuditRow).where(AuditRow.action.like("web.%")).order_by(AuditRow.id))
            return [(r.incident_id, r.actor, r.action) for r in rows]


@pytest.fixture
async def site(database_url):
    s = Site(database_url)
    app = build_web_app(s.container, clock=lambda: NOW + timedelta(hours=30))
    async with TestClient(TestServer(app)) as client:
        s.client = client
        yield s
    s.container.engine.dispose()


@pytest.mark.asyncio
async def test_without_or_with_a_wrong_token_every_page_is_401_and_nothing_is_audited(site):
    paths = ["/incidents", f"/incidents/{site.plain}", f"/incidents/{site.plain}/draft/ap", "/incidents/nonexistent"]
    wrong = [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Basic {site.tokens['ann']}"},
             {"Authorization": "Bearer"}, {"Cookie": f"{COOKIE}=616e6e.99999999999.forged"}]
    for path in paths:
        for headers in wrong:
            response = await site.client.get(path, headers=headers)
            assert response.status == 401, (path, headers)
            assert site.plain not in await response.text()
    assert site.audit() == []


@pytest.mark.asyncio
async def test_health_needs_no_token_and_shows_no_data(site):
    response = await site.client.get("/healthz")
    assert response.status == 200 and await response.text() == "ok\n"


@pytest.mark.asyncio
@pytest.mark.parametrize("who", ["ann", "fien"])
async def test_an_analyst_and_the_fg_read_the_list_and_the_audited_detail(site, who):
    listing = await site.client.get("/incidents?lang=en", headers=site.auth(who))
    page = await listing.text()
    assert listing.status == 200 and site.plain[:8] in page and site.hostile[:8] in page
    assert "auth.repeated_failures" in page and "high" in page and "left" in page  # rules, hints, clock
    response = await site.client.get(f"/incidents/{site.plain[:8]}?lang=en", headers=site.auth(who))
    detail = await response.text()
    assert response.status == 200 and site.plain in detail
    assert "assessing" in detail and "ENISA severity 2.0 (medium)" in detail
    assert "2026-11-23 10:00 UTC" in detail and "2026-11-23 11:00 CET" in detail  # 72 hours, UTC and local
    assert "42h 00m left" in detail
    assert "web.viewed" in detail  # the trail already holds this view
    assert site.audit() == [(site.plain, who, "web.viewed")]


@pytest.mark.asyncio
async def test_an_unknown_incident_is_404(site):
    response = await site.client.get("/incidents/ffffffff-0000", headers=site.auth())
    assert response.status == 404 and site.audit() == []


@pytest.mark.asyncio
async def test_hostile_titles_and_assets_are_escaped_everywhere(site):
    for path in ("/incidents", f"/incidents/{site.hostile}", f"/incidents/{site.hostile}/draft/ap",
                 f"/incidents/{site.hostile}/draft/subjects"):
        response = await site.client.get(path, headers=site.auth())
        body = await response.text()
        assert response.status == 200, path
        assert HOSTILE_TITLE not in body and HOSTILE_ASSET not in body and "<img" not in body, path
        assert "<script" not in body, path
    detail = await (await site.client.get(f"/incidents/{site.hostile}", headers=site.auth())).text()
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in detail
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in detail


@pytest.mark.asyncio
async def test_security_headers_on_pages_refusals_and_errors(site):
    for path, headers, status in [("/incidents", site.auth(), 200), ("/incidents", {}, 401),
                                  ("/incidents/ffff0000", site.auth(), 404), ("/healthz", {}, 200)]:
        response = await site.client.get(path, headers=headers)
        assert response.status == status
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)
        csp = response.headers["Content-Security-Policy"]
        assert csp.startswith("default-src 'self'") and "unsafe-inline" not in csp


@pytest.mark.asyncio
async def test_the_ap_draft_renders_and_is_audited(site):
    response = await site.client.get(f"/incidents/{site.plain}/draft/ap", headers=site.auth("fien"))
    body = await response.text()
    assert response.status == 200 and response.content_type == "text/html"
    assert "Concept-melding datalek" in body and "9.3" in body
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    style = re.search(r"<style>(.*?)</style>", body, re.S).group(1)  # allowed by its hash, nothing else inline
    assert f"style-src 'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'" in csp
    subjects = await site.client.get(f"/incidents/{site.plain}/draft/subjects", headers=site.auth("fien"))
    assert subjects.status == 200
    assert site.audit() == [(site.plain, "fien", "web.draft.ap"), (site.plain, "fien", "web.draft.subjects")]
    assert (await site.client.get(f"/incidents/{site.plain}/draft/register", headers=site.auth())).status == 404


@pytest.mark.asyncio
async def test_server_logs_name_the_route_not_the_incident_or_the_query(site, caplog):
    caplog.set_level(logging.INFO, logger="datalek.web")
    await site.client.get(f"/incidents/{site.plain}?q=klant2001@example.nl", headers=site.auth())
    await site.client.get(f"/incidents/{site.plain}", headers={"Authorization": "Bearer wrong"})
    lines = [r.getMessage() for r in caplog.records if r.name == "datalek.web"]
    assert lines == ["GET /incidents/{ref} 200", "GET /incidents/{ref} 401"]


@pytest.mark.asyncio
async def test_the_register_page_lists_every_incident_in_dutch_and_downloads_it_audited_per_incident(site):
    import csv
    import io

    from openpyxl import load_workbook

    from incidents.register import FLAT_COLUMNS

    assert (await site.client.get("/register")).status == 401  # no token, no register, nothing audited
    page = await site.client.get("/register", headers=site.auth("fien"))
    text = await page.text()
    assert page.status == 200 and "Register van datalekken" in text and 'href="/register"' in text
    assert f'href="/incidents/{site.plain}"' in text and f'href="/incidents/{site.hostile}"' in text
    assert "beoordeling" in text and "vertrouwelijkheid" in text  # status and nature in Dutch, not codes
    assert "<script>" not in text  # the hostile title stays text (autoescape)
    assert {(i, a) for i, _, a in site.audit()} == {(site.plain, "web.register.viewed"),
                                                     (site.hostile, "web.register.viewed")}
    workbook = await site.client.get("/register/download?format=xlsx", headers=site.auth("ann"))
    sheet = load_workbook(io.BytesIO(await workbook.read()))["register"]
    assert [c.value for c in sheet[1]] == list(FLAT_COLUMNS)
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {site.plain, site.hostile}
    table = await (await site.client.get("/register/download?format=csv", headers=site.auth("ann"))).text()
    assert {row["id"] for row in csv.DictReader(io.StringIO(table))} == {site.plain, site.hostile}
    assert (await site.client.get("/register/download?format=html", headers=site.auth("ann"))).status == 400
    exported = [(i, who) for i, who, a in site.audit() if a == "web.register.exported"]
    assert sorted(exported) == sorted([(site.plain, "ann"), (site.hostile, "ann")] * 2)


@pytest.mark.asyncio
async def test_the_rules_page_shows_every_signed_in_user_the_exceptions_in_force(site, tmp_path):
    """An FG can see what detection leaves out, why, whose decision it is and until when."""
    (tmp_path / "exceptions.yml").write_text(
        "exceptions:\n"
        "  - rules: [data.mass_access]\n"
        "    match: {user.name: svc-rapportage}\n"
        "    reason: <b>nightly</b> export to the warehouse\n"
        "    owner: security@24online.nl\n"
        "    until: 2020-01-31\n", encoding="utf-8")
    settings = site.container.settings
    site.container.settings = settings.model_copy(
        update={"detection": settings.detection.model_copy(update={"rules_dirs": (tmp_path,)})})
    assert (await site.client.get("/rules")).status == 401
    page = await site.client.get("/rules", headers=site.auth("fien"))
    text = await page.text()
    assert page.status == 200 and "Uitzonderingen" in text and 'href="/rules"' in text
    assert "svc-rapportage" in text and "security@24online.nl" in text and "verlopen" in text  # expired
    assert "&lt;b&gt;nightly&lt;/b&gt;" in text  # the reason is text, not markup
    assert text.count("<tr") == 1 + 1 + 1 + 14  # header + exception, header + the 14 shipped rules

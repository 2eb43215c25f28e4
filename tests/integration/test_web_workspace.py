"""The FG's workspace in the console: state, 72-hour clock, the steps of the role as forms, the facts
questionnaire, the decision with its proposal, the report, drafts; Dutch first, English on request."""

import re
from datetime import timedelta
from html import unescape

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from datalek.web import build_web_app
from incidents import services
from incidents.persistence.rows import AuditRow
from tests.integration.test_web import HOUR, NOW, Site, detection
from tests.unit.notifications.test_notifications_dutch import english_words, visible_html

FORM_FACTS = {  # the scenario's facts as the questionnaire posts them
    "nature": "confidentiality", "incident_type": "hacking_malware_phishing",
    "g0.data_categories": ["name", "address", "email", "phone", "access_credentials", "customer_reference"],
    "g0.subject_groups": "customers", "g0.data_subjects_min": "1", "g0.data_subjects_max": "4", "records": "4",
    "identifiability": "maximum", "protection": "none", "recipients": "unknown", "malicious": "1",
    "measures": ["contained", "credentials_reset"], "measures_description": "IP blocked; passwords reset.",
}


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
async def desk(database_url):
    s = Site(database_url)
    s.clock = Clock(NOW + timedelta(hours=2))
    services.record_detection(s.container.uow(), detection("inv", entity="source.ip=192.0.2.44",
                                                              asset="klantportaal"),
                              now=NOW, correlation_window=HOUR, prefill=s.container.inventory.prefill)
    with s.container.uow() as uow:
        s.inventoried = next(i.id for i in uow.incidents.list() if i.asset == "klantportaal")
    async with TestClient(TestServer(build_web_app(s.container, clock=s.clock))) as client:
        s.client = client
        yield s
    s.container.engine.dispose()


def steps(page):
    return re.findall(r'id="step-([a-z_]+)"', page)


async def page(desk, path, who):
    response = await desk.client.get(path, headers=desk.auth(who))
    return response.status, await response.text()


async def post(desk, path, who, data):
    response = await desk.client.post(path, data=data, headers=desk.auth(who), allow_redirects=False)
    return response.status, await response.text()


def trail(desk, incident_id):
    with desk.container.session_factory() as session:
        rows = session.scalars(select(AuditRow).where(AuditRow.incident_id == incident_id).order_by(AuditRow.id))
        return [(r.actor, r.action, r.to_status) for r in rows if not r.action.startswith("web.")]


@pytest.mark.asyncio
async def test_the_page_opens_with_state_clock_and_the_steps_of_the_role_in_dutch(desk):
    status, detected = await page(desk, f"/incidents/{desk.hostile}", "ann")
    assert status == 200 and 'lang="nl"' in detected and "gedetecteerd" in detected
    assert detected.index('id="clock"') < detected.index('id="actions"') < detected.index("<h2>Tijdlijn</h2>")
    assert "niet gestart" in detected and steps(detected) == ["triage", "dismiss"]
    _, assessing = await page(desk, f"/incidents/{desk.plain}", "fien")
    assert steps(assessing) == ["facts", "decide"]  # the FG decides
    assert "uiterlijk melden" in assessing and "2026-11-23 11:00 CET" in assessing  # deadline in Amsterdam
    assert 'class="banner running"' in assessing and "nog 70 uur" in assessing
    _, analyst = await page(desk, f"/incidents/{desk.plain}", "ann")
    assert steps(analyst) == ["facts"]  # an analyst does not decide
    english = await desk.client.get(f"/incidents/{desk.plain}?lang=en", headers=desk.auth("fien"))
    assert "70h 00m left" in await english.text() and english.cookies["datalek_lang"].value == "en"
    _, remembered = await page(desk, f"/incidents/{desk.plain}", "fien")
    assert 'lang="en"' in remembered and "What you can do now" in remembered


def _readable(body):
    """The page as the FG reads it, without the stored data shown as they are (the raw assessment and decision
    in their <details>, the decision's section)."""
    for start, end in (("<details>", "</details>"), ("<h2>Besluit</h2>", "</section>")):
        while start in body:
            before, _, rest = body.partition(start)
            body = before + rest.partition(end)[2]
    return visible_html(body)


@pytest.mark.asyncio
async def test_the_fg_reads_the_proposal_rationale_timeline_and_clocks_in_dutch(desk):
    assert (await post(desk, f"/incidents/{desk.plain}/facts", "fien", FORM_FACTS))[0] == 303
    _, body = await page(desk, f"/incidents/{desk.plain}", "fien")
    proposal = visible_html("<body>" + body[body.index('id="proposal"'):body.index('id="actions"')])
    assert "risico: risico (melden aan de AP)" in " ".join(proposal.split())
    assert "ENISA-ernst 2.0 (gemiddeld)" in proposal and "ENISA-methode (2013): ernst = DPC × EI + CB" in proposal
    assert "Herleidbare gegevens in handen van iemand die opzettelijk handelt" in proposal  # the draft's text
    assert "DPC 1.0: eenvoudige gegevens (" in proposal and "-> CB 1" in proposal  # the ENISA components
    assert "Art. 33 AVG: melden bij de AP binnen 72 uur" in body and "kennisname (bekend sinds)" in body
    heading = body.partition("<h1>")[2].partition("</h1>")[0]
    assert heading == "Wachtwoord raden: herhaalde mislukte inlogpogingen vanaf één bron op portal"
    stored = body.partition('id="detected-as">')[2].partition("</p>")[0]  # the detection's words, as stored
    assert stored.endswith("burst") and stored.startswith("melding van de detectie: ")
    assert english_words(_readable(body).replace(unescape(stored), "").replace("portal", "")) == set()  # asset
    english = await (await desk.client.get(f"/incidents/{desk.plain}?lang=en", headers=desk.auth("fien"))).text()
    assert "ENISA severity 2 (medium) reaches" in english and "notify the AP within 72 hours" in english


def _section(body, heading):
    start = body.index(f"<h2>{heading}</h2>")
    return body[start:body.index("</section>", start)]


@pytest.mark.asyncio
async def test_the_fg_reads_the_recorded_facts_and_the_audit_trail_in_dutch_codes_only_on_request(desk):
    answers = {**FORM_FACTS, "nature": ["confidentiality", "availability_temporary"], "protection": "encrypted",
               "protection_effective": "no", "recipients": "known", "recipients_trusted": "1",
               "service_effect": "temporary", "service_hours": "6.5"}
    assert (await post(desk, f"/incidents/{desk.plain}/facts", "fien", answers))[0] == 303
    _, body = await page(desk, f"/incidents/{desk.plain}", "fien")
    recorded = _section(body, "Vastgelegde feiten")
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd data-field=\"[a-z_]+\">(.*?)</dd>", recorded, re.S))
    assert facts["Aard van de inbreuk (5.1)"] == ("vertrouwelijkheid (ingezien door onbevoegden), "
                                                  "beschikbaarheid: tijdelijk")
    assert facts["Wat is er gebeurd (5.2)"] == "hacking, malware of phishing"
    assert "<li>groep 1: klanten; 1 tot 4 betrokkenen; gegevens: naam, adres, e-mailadres, telefoonnummer, " \
           "inloggegevens, klant-/ordernummer; bijzondere persoonsgegevens: geen</li>" in facts[
               "Getroffen groepen en hun gegevens (6.1, 6.2, 7.1, 7.3)"].replace("\n", "")
    assert facts["Beveiliging vooraf (8.1)"] == ("versleuteld; stand van de techniek: nee; sleutel veilig: nee; "
                                                 "werkte tegen deze inbreuk: nee")
    assert facts["Ontvangers"] == "bekende ontvangers; betrouwbaar: ja; verwijdering bevestigd: nee"
    assert facts["Gevolg voor de dienstverlening (9.1)"] == "tijdelijk; essentiële dienst: nee; 6,5 uur"
    assert (facts["Kwade opzet"], facts["Reservekopie beschikbaar"]) == ("ja", "onbekend")
    trail_html = _section(body, "Audittrail")
    rows = [[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr><td>.*?</tr>", trail_html, re.S)]
    assert rows[0][1:5] == ["systeem (detectie)", "incident geopend", "", "gedetecteerd"]
    assert ["ann", "status gewijzigd", "gedetecteerd", "in triage", "look"] in [r[1:] for r in rows]
    assert ["ann", "status gewijzigd", "bevestigd", "beoordeling", "feiten vastgelegd"] in [r[1:] for r in rows]
    assert ["fien", "bekeken (console)", "", "", ""] in [r[1:] for r in rows]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r[0]) for r in rows)
    seen = visible_html("<body>" + _section(body, "Vastgelegde feiten") + trail_html)
    assert not {"status.changed", "web.viewed", "incident.opened", "hacking_malware_phishing", "data_subjects",
                "confidentiality", "customers", "detected", "assessing", "none"} & set(seen.split())
    assert 'data-action="status.changed"' in trail_html  # the stored code stays at hand for an auditor
    stored = ("look", "burst", "portal")  # a person's reason, the detection's words, the asset: as written
    assert english_words(re.sub("|".join(stored), "", _readable(body))) == set()
    english = await (await desk.client.get(f"/incidents/{desk.plain}?lang=en", headers=desk.auth("fien"))).text()
    facts_en = _section(english, "Recorded facts")
    assert "Nature of the breach (5.1)" in facts_en and "hacking malware phishing" in facts_en
    assert "encrypted; state of the art: no; key safe: no; effective against this breach: no" in facts_en
    assert "status changed" in _section(english, "Audit trail") and "system (detection)" in english


@pytest.mark.asyncio
@pytest.mark.parametrize(("hours", "level", "text"), [(50, "urgent", "nog 22 uur<"),
                                                      (75, "overdue", "te laat met 3 uur<"),
                                                      (68.8, "urgent", "nog 3 uur 12 min<"),
                                                      (71.75, "urgent", "nog 15 min<")])
async def test_the_clock_is_highlighted_under_24_hours_and_when_overdue(desk, hours, level, text):
    desk.clock.at = NOW + timedelta(minutes=round(hours * 60))
    _, body = await page(desk, f"/incidents/{desk.plain}", "fien")
    assert f'class="banner {level}"' in body and text in body
    assert not re.search(r"\d+h \d\dm", body)  # the English notation only on ?lang=en


@pytest.mark.asyncio
async def test_an_analyst_cannot_decide_and_sees_the_same_refusal_as_the_cli(desk):
    status, body = await post(desk, f"/incidents/{desk.plain}/act/decide", "ann", {"choice": "accept"})
    assert status == 403 and "role analyst may not move an incident to decided" in body
    assert "Uw rol mag deze stap niet zetten." in body  # the kind of refusal in Dutch, the exact reason below
    assert ("ann", "status.changed", "decided") not in trail(desk, desk.plain)


@pytest.mark.asyncio
async def test_confirm_takes_the_awareness_time_in_amsterdam_and_refuses_the_future(desk):
    base = f"/incidents/{desk.hostile}/act"
    assert (await post(desk, f"{base}/triage", "ann", {"reason": "kijken"}))[0] == 303
    future = await post(desk, f"{base}/confirm", "ann", {"reason": "lek", "aware_at": "2026-12-24T09:00"})
    assert future[0] == 422 and "in the future" in future[1]
    garbled = await post(desk, f"{base}/confirm", "ann", {"reason": "lek", "aware_at": "gisteren"})
    assert garbled[0] == 422 and "is not a time" in garbled[1] and "Een ingevulde waarde is niet geldig." in garbled[1]
    early = await post(desk, f"{base}/confirm", "ann", {"reason": "lek", "aware_at": "2026-11-20T08:00"})
    assert early[0] == 422 and "before the first detection" in early[1]
    ok = await post(desk, f"{base}/confirm", "ann", {"reason": "lek", "aware_at": "2026-11-20T08:00",
                                                      "before_detection": "1"})
    assert ok[0] == 303
    _, body = await page(desk, f"/incidents/{desk.hostile}", "ann")
    assert "2026-11-20 07:00 UTC" in body  # 08:00 in Amsterdam (CET)
    assert 'id="time-warnings"' in body and "vóór de eerste waargenomen gebeurtenis" in body  # as the draft says
    await post(desk, f"/incidents/{desk.hostile}/supplement", "fien", {"started_at": "2026-11-20T07:30"})
    _, resolved = await page(desk, f"/incidents/{desk.hostile}", "ann")
    assert 'id="time-warnings"' not in resolved  # the FG recorded an earlier start of the breach
    assert [a for a in trail(desk, desk.hostile) if a[0] == "ann"] == [
        ("ann", "status.changed", "triage"), ("ann", "status.changed", "confirmed")]


@pytest.mark.asyncio
async def test_the_questionnaire_offers_the_vocabulary_and_marks_inventory_prefills(desk):
    for step in ("triage", "confirm"):
        await post(desk, f"/incidents/{desk.inventoried}/act/{step}", "ann", {"reason": "ja"})
    status, form = await page(desk, f"/incidents/{desk.inventoried}/facts", "ann")
    assert status == 200 and 'value="hacking_malware_phishing"' in form and 'value="credit_card"' in form
    marked = re.findall(r'<fieldset id="q-([a-z_]+)" class="[^"]*inventory', form)
    assert {"groups", "protection"} <= set(marked) and "nature" not in marked
    assert "uit de inventaris: bevestig" in form
    assert re.search(r'<option value="encrypted" selected>', form)  # shown, to be confirmed or corrected


@pytest.mark.asyncio
async def test_the_questionnaire_shows_every_problem_at_once_and_records_nothing_until_valid(desk):
    bad = {**FORM_FACTS, "nature": [], "records": "veel", "countries": "Belgie", "altered_data_misused": "1",
           "g0.data_subjects_max": "vier"}
    status, body = await post(desk, f"/incidents/{desk.plain}/facts", "ann", bad)
    fields = set(re.findall(r'class="error" data-field="([a-z_]+)"', body))
    # values that are not numbers and every check of the core, in one answer
    assert status == 422 and fields == {"records", "groups", "nature", "recipients", "altered_data_misused",
                                        "countries"}
    assert 'value="BELGIE"' in body and 'value="veel"' in body  # answers kept, the unreadable ones too
    assert "ontvangers betekenen een verlies van vertrouwelijkheid" in body and "geef een getal" in body  # Dutch
    assert re.search(r'value="access_credentials" checked', body)
    assert trail(desk, desk.plain)[-1][1] == "status.changed"  # nothing recorded


@pytest.mark.asyncio
async def test_the_fg_decides_after_seeing_the_proposal_overrides_only_with_a_reason_and_reports(desk):
    assert (await post(desk, f"/incidents/{desk.plain}/facts", "fien", FORM_FACTS))[0] == 303
    _, body = await page(desk, f"/incidents/{desk.plain}", "fien")
    assert body.index('id="proposal"') < body.index('id="step-decide"')
    assert "ENISA-ernst" in body and "DPC" in body and "Onderbouwing" in body
    assert "ernst bereikt de meldgrens AP" in body and "opzettelijke blootstelling" in body  # codes, for people
    override = {"choice": "override", "notify_ap": "no", "notify_subjects": "no", "reason": " "}
    status, refused = await post(desk, f"/incidents/{desk.plain}/act/decide", "fien", override)
    assert status == 422 and "written reason" in refused
    assert (await post(desk, f"/incidents/{desk.plain}/act/decide", "fien", {"choice": "accept"}))[0] == 303
    desk.clock.at = NOW + timedelta(hours=80)
    _, decided = await page(desk, f"/incidents/{desk.plain}", "fien")
    assert steps(decided) == ["facts", "report", "close"] and 'required></textarea>' in decided  # delay reason
    late = await post(desk, f"/incidents/{desk.plain}/act/report", "fien", {"meldnummer": "M-1"})
    assert late[0] == 422 and "delay" in late[1].lower() and "reden van de vertraging verplicht" in late[1]
    filed = await post(desk, f"/incidents/{desk.plain}/act/report", "fien",
                       {"meldnummer": "M-1", "delay_reason": "forensisch onderzoek liep uit"})
    assert filed[0] == 303
    assert [a for a in trail(desk, desk.plain) if a[0] == "fien"] == [
        ("fien", "status.changed", "decided"), ("fien", "status.changed", "reported")]
    _, reported = await page(desk, f"/incidents/{desk.plain}", "fien")
    assert "te laat gemeld" in reported and "M-1" in reported and "follow_up" in steps(reported)
    summary = re.sub(r"<[^>]+>|\s+", " ", reported.partition('id="decision-summary">')[2].partition("</p>")[0])
    assert " ".join(summary.split()) == ("Besloten door fien : melden bij de AP ja ; betrokkenen informeren nee ; "
                                         "openbare mededeling nee ; voorstel overgenomen")
    assert "fien (FG)" in reported  # who is signed in, with the role in words


@pytest.mark.asyncio
async def test_drafts_download_as_md_html_json_and_the_notice_in_english(desk):
    base = f"/incidents/{desk.plain}/draft"
    for query, kind, disposition in (("ap?format=md", "text/markdown", "-ap.md"),
                                     ("ap?format=json", "application/json", "-ap.json"),
                                     ("ap?format=html&download=1", "text/html", "-ap.html"),
                                     ("subjects?format=md&notice=en", "text/markdown", "-subjects-en.md")):
        response = await desk.client.get(f"{base}/{query}", headers=desk.auth("fien"))
        assert response.status == 200 and response.content_type == kind, query
        assert response.headers["Content-Disposition"].endswith(f'{disposition}"'), query
    english = await (await desk.client.get(f"{base}/subjects?format=md&notice=en", headers=desk.auth())).text()
    assert "personal data" in english.lower()
    assert (await desk.client.get(f"{base}/ap?format=pdf", headers=desk.auth())).status == 400



@pytest.mark.asyncio
async def test_the_fg_enters_the_supplementary_answers_and_the_draft_carries_them(desk):
    answers = {"other_supervisors": "nee", "other_organisations": "Geen verwerker betrokken.",
               "ended_at": "2026-11-20T10:30", "ongoing": "no", "summary": "Wachtwoorden geraden op het portaal.",
               "records_explanation": "Vier klantaccounts.", "confirmed": "4.3"}
    refused = await post(desk, f"/incidents/{desk.plain}/supplement", "ann", answers)
    assert refused[0] == 403 and "only the privacy officer" in refused[1]
    bad = await post(desk, f"/incidents/{desk.plain}/supplement", "fien", {**answers, "ended_at": "morgen"})
    assert bad[0] == 422 and "is not a time" in bad[1] and "Vier klantaccounts." in bad[1]  # kept
    assert (await post(desk, f"/incidents/{desk.plain}/supplement", "fien", answers))[0] == 303
    _, form = await page(desk, f"/incidents/{desk.plain}/supplement", "fien")
    assert "Wachtwoorden geraden op het portaal." in form
    draft = await (await desk.client.get(f"/incidents/{desk.plain}/draft/ap?format=md", headers=desk.auth())).text()
    assert "Wachtwoorden geraden op het portaal." in draft and "Geen verwerker betrokken." in draft
    assert "Vier klantaccounts." in draft
    how = draft[draft.index("### 4.3"):draft.index("### 4.5")]
    assert "*Herkomst: afgeleid, bevestigd door de FG*" in how and draft.count("bevestigd door de FG*") == 1
    assert ("fien", "draft.supplement_saved", None) in trail(desk, desk.plain)
    wrong = await post(desk, f"/incidents/{desk.plain}/supplement", "fien", {**answers, "confirmed": "4.3 alles"})
    assert wrong[0] == 422 and "geen vraagnummer" in wrong[1]


@pytest.mark.asyncio
async def test_an_admin_keeps_the_organisation_details_in_the_console(desk):
    from incidents.persistence import users

    with desk.container.session_factory.begin() as session:
        desk.tokens["adam"] = users.issue_token(session, name="adam", by="adam", at=NOW)
    details = {"address": "Voorbeeldstraat 1, 1234 AB Utrecht", "fg_registration_number": "FG-000123",
               "reporter.name": "F. de Vries", "contact.email": "fg@24online.example"}
    refused = await post(desk, "/organisation", "fien", details)
    assert refused[0] == 403 and "only an admin" in refused[1]
    assert (await post(desk, "/organisation", "adam", details))[0] == 303
    _, form = await page(desk, "/organisation", "adam")
    assert 'value="FG-000123"' in form
    draft = await (await desk.client.get(f"/incidents/{desk.plain}/draft/ap?format=md", headers=desk.auth())).text()
    assert "Voorbeeldstraat 1, 1234 AB Utrecht" in draft and "F. de Vries" in draft and "FG-000123" in draft
    assert ("adam", "organisation.changed", None) in trail(desk, "-")

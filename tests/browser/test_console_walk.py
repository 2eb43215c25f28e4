"""The console in real headless Chromium (Debian's package, driven by Playwright; no browser is downloaded).

The walk of issue 11: the analyst signs in from an alert link, triages the scenario incident, confirms it and
records facts; the FG signs in, completes the questionnaire, sees the proposal, decides, enters the
supplementary answers, downloads the AP draft and the breach register. Screenshots stay under the test's
tmp dir (path printed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from datalek import replay
from datalek.bootstrap import Container
from datalek.cli import SCENARIO
from datalek.web import build_web_app
from incidents import workflow as wf
from incidents.persistence import database, users
from tests.unit.test_services import NOW

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("DATALEK_REQUIRE_BROWSER"),
                                 reason="Debian's chromium is not installed "
                                 "(apt-get install chromium chromium-driver; .ci/run does it)")]
async_api = pytest.importorskip("playwright.async_api", reason="playwright (dev extra) is not installed")


def scenario_site(database_url: str) -> tuple[Container, dict[str, str], str]:
    """The scenario's events through the shipped rules into a fresh database; ann (analyst) and fien (FG)."""
    from pydantic import SecretStr

    from datalek.settings import Settings
    from streams import records

    container = Container(Settings(database_url=SecretStr(database_url)))
    database.upgrade(container.engine)
    with container.session_factory.begin() as session:
        users.add(session, name="adam", role=wf.Role.ADMIN, by="adam", at=NOW)
        users.add(session, name="ann", role=wf.Role.ANALYST, by="adam", at=NOW)
        users.add(session, name="fien", role=wf.Role.PRIVACY_OFFICER, by="adam", at=NOW)
        tokens = {n: users.issue_token(session, name=n, by="adam", at=NOW) for n in ("ann", "fien")}
    for record in replay.run(SCENARIO, replay.ReplayOptions()):  # the scenario's detections, as the stream gives
        if record["kind"] in ("detection", "update"):
            container.record_detection(records.detection_from_wire({k: v for k, v in record.items() if k != "kind"}))
    with container.uow() as uow:
        [incident] = [i for i in uow.incidents.list() if i.asset == "klantportaal"]
    return container, tokens, incident.id


class Walk:
    def __init__(self, page, base: str, shots: Path) -> None:
        self.page, self.base, self.shots, self.n = page, base, shots, 0

    async def shot(self, name: str) -> None:
        self.n += 1
        await self.page.screenshot(path=str(self.shots / f"{self.n:02d}-{name}.png"), full_page=True)

    async def sign_in(self, token: str, path: str) -> None:
        await self.page.goto(self.base + path)  # as from a link in an alert: the sign-in form, then back here
        await self.page.fill("input[name=token]", token)
        await self.page.click("form.login button")
        await self.page.wait_for_url(self.base + path)

    async def step(self, name: str, **fields: str) -> None:
        for field, value in fields.items():
            await self.page.fill(f"#step-{name} [name={field}]", value)
        await self.page.click(f"#step-{name} button")
        await self.page.wait_for_load_state()
        assert "Niet uitgevoerd" not in await self.page.content(), name

    async def status(self) -> str:
        return await self.page.get_attribute("#clock .status", "data-status") or ""

    async def sign_out(self) -> None:
        await self.page.click("form.who button")
        await self.page.wait_for_url(self.base + "/login")


@pytest.mark.asyncio
@pytest.mark.timeout(120)
async def test_analyst_and_fg_take_the_scenario_incident_to_a_decision_and_an_ap_draft(tmp_path, capsys):
    container, tokens, incident_id = scenario_site(f"sqlite:///{tmp_path / 'browser.db'}")
    server = TestServer(build_web_app(container), host="127.0.0.1")
    await server.start_server()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    path = f"/incidents/{incident_id}"
    try:
        async with async_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            context = await browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
            walk = Walk(await context.new_page(), str(server.make_url("")).rstrip("/"), shots)
            try:
                await analyst(walk, tokens["ann"], path)
                await fg(walk, tokens["fien"], path, tmp_path)
            finally:
                await walk.shot("last")
                await browser.close()
    finally:
        await server.close()
        container.engine.dispose()
    with capsys.disabled():
        print(f"\nbrowser screenshots: {shots} ({len(list(shots.glob('*.png')))} files)")


async def analyst(walk: Walk, token: str, path: str) -> None:
    page = walk.page
    await walk.sign_in(token, path)
    assert await walk.status() == "detected"
    await walk.shot("analyst-detected")
    await walk.step("triage", reason="veel mislukte logins op het klantportaal")
    await walk.step("confirm", reason="geslaagde logins na raden van wachtwoorden")
    assert await walk.status() == "confirmed"
    await page.click("#step-facts button")
    assert "uit de inventaris: bevestig" in await page.content()
    await page.check("input[name=nature][value=confidentiality]")
    await page.select_option("select[name=incident_type]", "hacking_malware_phishing")
    await walk.shot("analyst-questionnaire")
    await page.click("#facts-form button[type=submit]")
    await page.wait_for_url(walk.base + path)
    assert await walk.status() == "assessing"
    assert await page.locator("#step-decide").count() == 0  # an analyst does not decide
    await walk.sign_out()


async def fg(walk: Walk, token: str, path: str, tmp_path: Path) -> None:
    page = walk.page
    await walk.sign_in(token, path + "/facts")
    # the portal's data are encrypted at rest, but were read through taken-over accounts: it did not protect
    await page.select_option("select[name=protection]", "encrypted")
    await page.select_option("select[name=protection_effective]", "no")
    await page.fill("input[name='g0.data_subjects_min']", "1")  # group 1: the inventory's customers
    await page.fill("input[name='g0.data_subjects_max']", "4")
    await page.select_option("select[name=recipients]", "unknown")
    await page.select_option("select[name=identifiability]", "maximum")
    await page.check("input[name=malicious]")
    await page.check("input[name=measures][value=credentials_reset]")
    await walk.shot("fg-questionnaire")
    await page.click("#facts-form button[type=submit]")
    await page.wait_for_url(walk.base + path)
    proposal = page.locator("#proposal")
    assert await proposal.is_visible() and "ENISA" in await proposal.inner_text()
    await walk.shot("fg-proposal")
    await walk.step("decide")
    assert await walk.status() == "decided"
    await walk.shot("fg-decided")
    await page.click("#supplement-link")
    await page.fill("textarea[name=summary]", "Wachtwoorden van vier klantaccounts geraden op het klantportaal.")
    await page.fill("textarea[name=other_supervisors]", "nee")
    await page.fill("textarea[name=confirmed]", "4.3")  # the FG read and confirms the derived 4.3
    await walk.shot("fg-supplement")
    await page.click("#supplement-form button[type=submit]")
    await page.wait_for_url(walk.base + path)
    async with page.expect_download() as info:
        await page.click("#download-ap-md")
    download = await info.value
    target = tmp_path / download.suggested_filename
    await download.save_as(str(target))
    text = target.read_text(encoding="utf-8")
    assert download.suggested_filename.endswith("-ap.md") and "Concept-melding datalek" in text
    assert "9.3" in text and "Wachtwoorden van vier klantaccounts geraden" in text
    assert "niet effectief tegen deze inbreuk" in text and "Herkomst: afgeleid, bevestigd door de FG" in text
    await register(walk, tmp_path)


async def register(walk: Walk, tmp_path: Path) -> None:
    """The FG opens the breach register from the header and saves it for a spreadsheet."""
    from openpyxl import load_workbook

    page = walk.page
    await page.click("header nav a[href='/register']")
    await page.wait_for_url(walk.base + "/register")
    row = page.locator("#register tbody tr")
    assert await row.count() == 1 and "besloten" in (await row.inner_text()).lower()  # the CSS capitalises
    await walk.shot("fg-register")
    async with page.expect_download() as info:
        await page.click("a[href='/register/download?format=xlsx']")
    download = await info.value
    target = tmp_path / download.suggested_filename
    await download.save_as(str(target))
    sheet = load_workbook(target)["register"]
    assert download.suggested_filename == "register-datalekken.xlsx" and sheet.max_row == 2
    assert sheet["C2"].value == "decided"  # the status column of the one incident

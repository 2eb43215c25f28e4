"""Console security over HTTP: CSRF tokens, the origin check, server-side sessions, cookie flags behind a
trusted proxy, HSTS, CSP, sign-in rate limiting and garbled cookies."""

import re
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from datalek.bootstrap import Container
from datalek.settings import WebSettings
from datalek.web import COOKIE, build_web_app
from datalek.web.security import LOGIN_COOKIE
from incidents.persistence import users
from tests.integration.test_web import NOW, Site

CSRF = re.compile(r'name="csrf" value="([^"]*)"')
LATER = NOW + timedelta(hours=30)


@pytest.fixture
async def site(database_url):
    s = Site(database_url)
    async with TestClient(TestServer(build_web_app(s.container, clock=lambda: LATER))) as client:
        s.client = client
        yield s
    s.container.engine.dispose()


async def proxied(site, **web):
    """The console on the same database with other web settings (e.g. behind a trusted proxy)."""
    settings = site.container.settings.model_copy(update={"web": WebSettings(**web)})
    return TestClient(TestServer(build_web_app(Container(settings), clock=lambda: LATER)))


async def csrf_of(client, path, **kwargs):
    response = await client.get(path, **kwargs)
    return CSRF.findall(await response.text())[-1], response


async def sign_in(client, token, **headers):
    csrf, _ = await csrf_of(client, "/login")
    return await client.post("/login", data={"token": token, "next": "/incidents", "csrf": csrf},
                             allow_redirects=False, headers=headers)


@pytest.mark.asyncio
async def test_sign_in_needs_the_form_token_and_its_cookie(site):
    no_token = await site.client.post("/login", data={"token": site.tokens["fien"], "next": "/incidents"},
                                      allow_redirects=False)
    assert no_token.status == 403 and COOKIE not in no_token.cookies
    csrf, _ = await csrf_of(site.client, "/login")
    site.client.session.cookie_jar.clear()  # a form token without the nonce cookie it was issued with
    stolen = await site.client.post("/login", data={"token": site.tokens["fien"], "csrf": csrf},
                                    allow_redirects=False)
    assert stolen.status == 403
    signed_in = await sign_in(site.client, site.tokens["fien"])
    assert signed_in.status == 303 and signed_in.headers["Location"] == "/incidents"


@pytest.mark.asyncio
async def test_the_session_cookie_is_lax_http_only_not_secure_over_plain_http_and_holds_no_token(site):
    response = await sign_in(site.client, site.tokens["fien"])
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/" and not cookie["secure"]
    assert site.tokens["fien"] not in cookie.value and "fien" not in cookie.value
    assert "Strict-Transport-Security" not in response.headers
    assert (await site.client.get(f"/incidents/{site.plain}")).status == 200  # a link from an alert opens


@pytest.mark.asyncio
async def test_cross_site_posts_are_refused_before_anything_happens(site):
    await sign_in(site.client, site.tokens["ann"])
    csrf, _ = await csrf_of(site.client, f"/incidents/{site.hostile}")
    url = f"/incidents/{site.hostile}/act/triage"
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site"}):
        refused = await site.client.post(url, data={"csrf": csrf, "reason": "x"}, headers=headers,
                                         allow_redirects=False)
        assert refused.status == 403, headers
    assert (await site.client.post(url, data={"reason": "x"}, allow_redirects=False)).status == 403  # no token
    assert (await site.client.post(url, data={"csrf": "forged", "reason": "x"}, allow_redirects=False)).status == 403
    page = await (await site.client.get(f"/incidents/{site.hostile}")).text()
    assert 'data-status="detected"' in page  # nothing moved
    origin = f"http://{site.client.host}:{site.client.port}"
    ok = await site.client.post(url, data={"csrf": csrf, "reason": "look"}, allow_redirects=False,
                                headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"})
    assert ok.status == 303
    page = await (await site.client.get(f"/incidents/{site.hostile}")).text()
    assert 'data-status="triage"' in page


@pytest.mark.asyncio
async def test_logout_ends_the_session_on_the_server(site):
    await sign_in(site.client, site.tokens["fien"])
    value = site.client.session.cookie_jar.filter_cookies(site.client.make_url("/"))[COOKIE].value
    csrf, _ = await csrf_of(site.client, "/incidents")
    assert (await site.client.post("/logout", data={"csrf": "wrong"}, allow_redirects=False)).status == 403
    out = await site.client.post("/logout", data={"csrf": csrf}, allow_redirects=False)
    assert out.status == 303
    site.client.session.cookie_jar.clear()
    replayed = await site.client.get("/incidents", headers={"Cookie": f"{COOKIE}={value}"})
    assert replayed.status == 401  # a copy of the cookie is worth nothing after logout


@pytest.mark.asyncio
async def test_a_new_token_or_removal_ends_the_session(site):
    await sign_in(site.client, site.tokens["fien"])
    assert (await site.client.get("/incidents")).status == 200
    with site.container.session_factory.begin() as session:
        users.issue_token(session, name="fien", by="fien", at=NOW)
    assert (await site.client.get("/incidents")).status == 401
    await sign_in(site.client, site.tokens["ann"])
    assert (await site.client.get("/incidents")).status == 200
    with site.container.session_factory.begin() as session:
        users.remove(session, name="ann", by="adam", at=NOW)
    assert (await site.client.get("/incidents")).status == 401


@pytest.mark.asyncio
@pytest.mark.parametrize("cookie", ["garbage", "a.b.c", "é-not-ascii", "\u202etoken", "x" * 4000,
                                    "InRva2VuIg.Zz.forged"])
async def test_bad_and_non_ascii_cookies_and_tokens_are_401_never_500(site, cookie):
    raw = f"{COOKIE}={cookie}".encode().decode("latin-1")
    response = await site.client.get("/incidents", headers={"Cookie": raw})
    assert response.status == 401
    bearer = await site.client.get("/incidents", headers={"Authorization": f"Bearer {cookie}".encode().decode(
        "latin-1")})
    assert bearer.status == 401


@pytest.mark.asyncio
async def test_secure_cookie_and_hsts_only_behind_a_trusted_proxy_that_says_https(site):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    untrusted = await sign_in(site.client, site.tokens["fien"], **forwarded)
    assert not untrusted.cookies[COOKIE]["secure"] and "Strict-Transport-Security" not in untrusted.headers
    async with await proxied(site, trusted_proxy=True) as client:
        csrf, form = await csrf_of(client, "/login", headers=forwarded)
        nonce = form.cookies[LOGIN_COOKIE]
        assert nonce["secure"]  # so the client's jar, over plain HTTP here, will not send it: we do
        origin = f"https://{client.host}:{client.port}"
        response = await client.post("/login", data={"token": site.tokens["fien"], "csrf": csrf},
                                      headers={**forwarded, "Origin": origin,
                                               "Cookie": f"{LOGIN_COOKIE}={nonce.value}"},
                                      allow_redirects=False)
        assert response.status == 303
        assert response.cookies[COOKIE]["secure"] and response.headers["Strict-Transport-Security"]
        http_origin = await client.post("/login", data={"token": "x", "csrf": csrf},
                                        headers={**forwarded, "Origin": f"http://{client.host}:{client.port}"})
        assert http_origin.status == 403  # the browser's origin is https behind the proxy


@pytest.mark.asyncio
async def test_csp_forbids_every_script(site):
    for path, headers in (("/login", {}), ("/incidents", site.auth()), (f"/incidents/{site.plain}", site.auth()),
                          (f"/incidents/{site.plain}/draft/ap", site.auth())):
        csp = (await site.client.get(path, headers=headers)).headers["Content-Security-Policy"]
        assert "script-src 'none'" in csp and "unsafe-inline" not in csp, path


@pytest.mark.asyncio
async def test_failed_sign_ins_are_limited_per_client_address(site):
    for _ in range(10):
        assert (await sign_in(site.client, "wrong-token")).status == 401
    blocked = await sign_in(site.client, site.tokens["fien"])
    assert blocked.status == 429 and COOKIE not in blocked.cookies and int(blocked.headers["Retry-After"]) > 0
    async with await proxied(site, trusted_proxy=True, login_attempts=2) as client:
        for _ in range(2):
            assert (await sign_in(client, "wrong", **{"X-Forwarded-For": "203.0.113.7"})).status == 401
        assert (await sign_in(client, "wrong", **{"X-Forwarded-For": "203.0.113.7"})).status == 429
        other = await sign_in(client, site.tokens["fien"], **{"X-Forwarded-For": "198.51.100.1"})
        assert other.status == 303  # another person behind the same proxy is not locked out

"""Combined/common log format lines (Apache httpd, nginx) of a customer portal."""

from __future__ import annotations

from streams.parsers.checks import problems
from tests.unit.parsers.support import one, run, run_sample

UA = '"-" "Mozilla/5.0"'


def _line(request: str, status: int, size: str = "512", user: str = "-") -> str:
    return f'203.0.113.45 - {user} [03/Mar/2026:10:00:02 +0100] "{request}" {status} {size} {UA}'


def test_plain_request_is_a_successful_web_event() -> None:
    event = one("combined", _line("GET /mijn-account/?tab=facturen HTTP/2.0", 200))
    assert (event["event.category"], event["event.action"], event["event.outcome"]) == (
        ["web"], "http_request", "success")
    assert (event["http.request.method"], event["url.path"], event["url.query"]) == (
        "GET", "/mijn-account/", "tab=facturen")
    assert (event["http.response.status_code"], event["http.response.bytes"]) == (200, 512)
    assert event["@timestamp"] == "2026-03-03T09:00:02+00:00"
    assert (event["source.ip"], event["user_agent.original"]) == ("203.0.113.45", "Mozilla/5.0")
    assert "http.request.referrer" not in event and "user.name" not in event


def test_rejected_login_post_is_an_authentication_failure() -> None:
    event = one("combined", _line("POST /login HTTP/1.1", 401))
    assert event["event.category"] == ["web", "authentication"]
    assert (event["event.action"], event["event.outcome"]) == ("web_login", "failure")


def test_forbidden_token_request_is_an_authentication_failure() -> None:
    event = one("combined", _line("POST /api/v1/auth/token HTTP/1.1", 403))
    assert (event["event.action"], event["event.outcome"]) == ("web_login", "failure")
    assert "authentication" in event["event.category"]


def test_login_redirect_outcome_is_unknown() -> None:
    assert one("combined", _line("POST /login HTTP/1.1", 302, "0"))["event.outcome"] == "unknown"


def test_a_401_to_basic_credentials_anywhere_counts_as_authentication() -> None:
    """The server logs the user the browser sent (%u): a password was tried and refused."""
    event = one("combined", _line("GET /intranet/ HTTP/1.1", 401, user="jansen"))
    assert event["event.category"] == ["web", "authentication"]
    assert (event["event.action"], event["event.outcome"]) == ("http_request", "failure")


def test_a_401_without_credentials_is_no_authentication_attempt() -> None:
    """The Basic challenge before the browser sends credentials, or an expired token a page keeps polling
    with: no password tried (a tab left open made brute-force incidents: tests/corpus)."""
    for request in ("GET /intranet/ HTTP/1.1", "GET /api/v1/notifications?since=1 HTTP/1.1"):
        event = one("combined", _line(request, 401))
        assert (event["event.category"], event["event.outcome"]) == (["web"], "failure")


def test_forbidden_page_is_a_failure_but_not_authentication() -> None:
    event = one("combined", _line("GET /facturen/991 HTTP/1.1", 403))
    assert (event["event.category"], event["event.outcome"]) == (["web"], "failure")


def test_admin_path_is_admin_access_with_the_authenticated_user() -> None:
    event = one("combined", _line("GET /admin/klanten?page=2 HTTP/1.1", 200, user="marieke"))
    assert (event["event.action"], event["tags"], event["user.name"]) == (
        "admin_access", ["admin_path"], "marieke")


def test_export_endpoint_is_a_bulk_download_and_keeps_the_admin_tag() -> None:
    event = one("combined", _line("GET /admin/klanten/export?format=csv HTTP/1.1", 200, "4718592"))
    assert event["event.action"] == "bulk_download"
    assert event["tags"] == ["admin_path", "bulk_download"]


def test_large_response_is_a_bulk_download() -> None:
    event = one("combined", _line("GET /api/v1/customers?page=1 HTTP/1.1", 200, str(10 * 1024 * 1024)))
    assert event["event.action"] == "bulk_download"


def test_data_file_download_is_a_bulk_download() -> None:
    event = one("combined", _line("GET /backups/db.sql.gz HTTP/1.1", 200, "1000"))
    assert event["event.action"] == "bulk_download"


def test_failed_export_is_not_a_bulk_download() -> None:
    event = one("combined", _line("GET /admin/export HTTP/1.1", 403))
    assert (event["event.action"], event["event.outcome"]) == ("admin_access", "failure")


def test_small_brochure_download_is_an_ordinary_request() -> None:
    assert one("combined", _line("GET /downloads/brochure.pdf HTTP/1.1", 200, "734003"))["event.action"] == (
        "http_request")


def test_tls_handshake_sent_to_http_port_is_kept_as_a_malformed_request() -> None:
    event = one("combined", _line(r"\x16\x03\x01\x02\x00\x01", 400, "157"))
    assert (event["event.action"], event["event.reason"]) == ("http_request", "malformed request line")
    assert "http.request.method" not in event


def test_common_log_format_without_referrer_and_agent_is_accepted() -> None:
    event = one("combined", '10.0.0.8 - - [03/Mar/2026:10:09:00 -0500] "GET /status HTTP/1.1" 200 -')
    assert event["@timestamp"] == "2026-03-03T15:09:00+00:00"
    assert "http.response.bytes" not in event


def test_sample_access_log_is_parsed_with_one_rejection() -> None:
    parsed, rejected = run_sample("combined", "access.log")
    assert [(r.position, r.reason) for r in rejected] == [
        ("access.log:16", "not a combined/common log format line")]
    assert [p.event for p in parsed if problems(p.event)] == []
    actions = [p.event["event.action"] for p in parsed]
    assert actions.count("web_login") == 3 and actions.count("bulk_download") == 3
    assert actions.count("admin_access") == 3
    escaped = parsed[12].event
    assert escaped["url.query"] == r"q=\"jansen\""


def test_bad_timestamp_is_rejected() -> None:
    _, rejected = run("combined", ['1.2.3.4 - - [31/Foo/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"'])
    assert rejected[0].reason == "invalid access-log timestamp"


def test_context_names_the_web_host_and_asset() -> None:
    event = one("combined", _line("GET / HTTP/1.1", 200), host="portal.24-online.nl", asset="customer-portal")
    assert (event["host.name"], event["datalek.asset"]) == ("portal.24-online.nl", "customer-portal")

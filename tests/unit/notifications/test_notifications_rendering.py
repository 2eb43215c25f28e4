"""One sandboxed, strict environment; text from events is data, never markup or template syntax."""

from dataclasses import replace

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from datalek.cli_draft import draft_command
from notifications.answers import DraftSupplement
from notifications.errors import RenderError
from notifications.rendering import TemplateName, environment, md_escape, render, text_escape
from tests.unit.notifications.conftest import NOW, assessed_incident, complete_organisation

HOSTILE = "{{ 7*7 }} <script>alert(1)</script> {% raw %} [x](javascript:alert(1)) **bold** | pipe & co"


def hostile_incident():
    return replace(assessed_incident(), title=HOSTILE, asset=HOSTILE, rule_ids=(HOSTILE, "auth.{{ config }}"))


def test_the_environment_is_sandboxed_strict_and_autoescapes_html_only():
    env = environment()
    assert isinstance(env, ImmutableSandboxedEnvironment) and env.undefined is StrictUndefined
    assert env.autoescape("layout/print.html") and not env.autoescape("ap/draft.nl.md")
    assert environment() is env  # one environment


def test_a_missing_variable_is_an_error_not_an_empty_string():
    with pytest.raises(RenderError, match="ap/draft.nl.md"):
        render(TemplateName.AP_DRAFT, {})


@pytest.mark.parametrize("kind", ["ap", "subjects"])
def test_hostile_strings_neither_execute_nor_inject_markup_in_html(kind):
    supplement = DraftSupplement(summary=HOSTILE, how_discovered=HOSTILE)
    html = draft_command(hostile_incident(), kind=kind, fmt="html", organisation=complete_organisation(),
                         now=NOW, supplement=supplement)
    assert "<script>" not in html and "<a " not in html and "<strong>bold</strong>" not in html
    assert "49" not in html.replace("2026-11-", "")  # {{ 7*7 }} was not evaluated
    if kind == "ap":
        assert "{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt; {% raw %}" in html


def test_hostile_strings_stay_literal_in_markdown():
    md = draft_command(hostile_incident(), kind="ap", fmt="md", organisation=complete_organisation(), now=NOW)
    assert "{{ 7\\*7 }} &lt;script&gt;alert(1)&lt;/script&gt; {% raw %} \\[x\\](javascript:alert(1))" in md
    assert "\\*\\*bold\\*\\* \\| pipe &amp; co" in md
    assert "<script>" not in md


def test_config_is_not_reachable_from_a_value():
    md = draft_command(hostile_incident(), kind="ap", fmt="md", organisation=complete_organisation(), now=NOW)
    assert "auth.{{ config }}" in md and "<Config" not in md


def test_escapers():
    assert md_escape("a_b *c* <d> & [e] `f` |g|\nh") == "a\\_b \\*c\\* &lt;d&gt; &amp; \\[e\\] \\`f\\` \\|g\\| h"
    assert text_escape("one\r\ntwo\x00three\u2028four") == "one two three four"
    assert len(text_escape("x" * 500)) == 200

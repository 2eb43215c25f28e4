"""The one Jinja2 environment and the renderers for alerts and drafts.

Templates live in ``templates/`` and are chosen by ``TemplateName``. The environment is sandboxed
(``ImmutableSandboxedEnvironment``), uses ``StrictUndefined`` and autoescapes ``.html``. Values never
become template source, so event-derived text (asset names, rule fields, titles) is data and is not
evaluated; on output every value is escaped for its format by ``_finalize``:

- ``.html``: HTML-escaped by autoescape;
- ``.md``: ``&<>`` become entities and Markdown punctuation is backslash-escaped, so neither the Markdown
  nor the HTML made from it can carry markup from a value;
- ``.txt`` (chat and e-mail alerts): control characters and line breaks collapse to spaces, so a value
  cannot forge extra lines, and long values are cut.

Print-ready HTML is the Markdown document converted by Python-Markdown inside ``layout/print.html``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, pass_context, select_autoescape
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from incidents.assessment import DEFAULT_THRESHOLD, Threshold
from incidents.model import Incident
from notifications.alerts import Notification, alert_view
from notifications.errors import RenderError
from notifications.policy import Alert

TEMPLATES_DIR = Path(str(resources.files("datalek") / "templates"))  # package data of the installed wheel
_MAX_TEXT_VALUE = 200


class TemplateName(StrEnum):
    ALERT_TITLE = "alert/title.txt"
    ALERT_BODY = "alert/body.txt"
    AP_DRAFT = "ap/draft.nl.md"
    SUBJECTS_NL = "notice/subjects.nl.md"
    SUBJECTS_EN = "notice/subjects.en.md"
    PRINT_LAYOUT = "layout/print.html"


class Format(StrEnum):
    MD = "md"
    HTML = "html"
    JSON = "json"


_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def md_escape(value: object) -> str:
    """Text that Markdown (and the HTML made from it) shows literally, on one line."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCTUATION.sub(r"\\\1", text)


def text_escape(value: object) -> str:
    """One line of plain text without control characters, at most ``_MAX_TEXT_VALUE`` characters."""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    return text if len(text) <= _MAX_TEXT_VALUE else text[: _MAX_TEXT_VALUE - 1] + "…"


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    """Escape every output value for the format of the template that writes it."""
    name = context.name or ""
    if isinstance(value, Markup) or name.endswith(".html"):
        return value  # autoescape handles HTML; Markup is already safe
    if name.endswith(".md"):
        return md_escape(value)
    return text_escape(value)


def sentence(value: str) -> str:
    """Upper-case the first letter only (``capitalize`` would lower-case "BSN" and "IP")."""
    return value[:1].upper() + value[1:]


def build_environment(directory: Path = TEMPLATES_DIR) -> ImmutableSandboxedEnvironment:
    """The environment: sandboxed, strict, autoescaping HTML, escaping Markdown and text values."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(directory),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["sentence"] = sentence
    return env


@cache
def environment() -> ImmutableSandboxedEnvironment:
    """The shared environment, built on first use (nothing happens at import)."""
    return build_environment()


def render(template: TemplateName, context: Mapping[str, Any]) -> str:
    """Render one template; any template failure becomes a ``RenderError`` naming the template."""
    try:
        return environment().get_template(template.value).render(context)
    except TemplateError as e:
        raise RenderError(f"{template.value}: {e}") from e


def render_alert(alert: Alert, incident: Incident, *, base_url: str, now: datetime,
                 threshold: Threshold = DEFAULT_THRESHOLD) -> Notification:
    """The chat/e-mail text of ``alert``: a one-line title and a plain-text body, no personal data."""
    context = {"v": alert_view(alert, incident, base_url=base_url, now=now, threshold=threshold)}
    return Notification(
        key=f"{incident.id}:{alert.key}", incident_id=incident.id, kind=alert.kind, tags=alert.tags,
        title=render(TemplateName.ALERT_TITLE, context).strip(),
        body=render(TemplateName.ALERT_BODY, context).strip() + "\n",
    )


def to_html(markdown_text: str, *, title: str, lang: str) -> str:
    """Print-ready HTML (A4) around the Markdown document."""
    body = markdown.markdown(markdown_text, extensions=["tables", "sane_lists"], output_format="html")
    # Safe: every value in the Markdown source was escaped by _finalize; the rest is our template text.
    return render(TemplateName.PRINT_LAYOUT, {"title": title, "lang": lang, "body": Markup(body)})  # noqa: S704


def render_document(template: TemplateName, context: Mapping[str, Any], *, fmt: Format, title: str,
                    lang: str) -> str:
    """A Markdown document template as Markdown or as print-ready HTML."""
    text = render(template, context)
    return text if fmt is Format.MD else to_html(text, title=title, lang=lang)

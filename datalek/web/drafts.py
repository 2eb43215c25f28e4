"""Drafts for review: preview (print-ready HTML) and download as md, html or json; the notice in nl or en."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re

from aiohttp import web

from datalek.cli_draft import draft_command
from datalek.web.console import CSP, REF, Console, user
from datalek.web.details import apply_organisation, read_supplement
from incidents.model import Incident
from incidents.persistence import documents
from notifications.config import load_organisation
from notifications.errors import NotificationError

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_TYPES = {"md": "text/markdown", "html": "text/html", "json": "application/json"}


def _style_hashes(document: str) -> str:
    """CSP sources for the inline styles of a print-ready draft (its own template text, hashed)."""
    head = document.split("</head>", 1)[0]
    digests = (base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in _STYLE.findall(head))
    return " ".join(f"'sha256-{d}'" for d in digests) or "'self'"


class Drafts:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def draft(self, request: web.Request) -> web.Response:
        """GET .../draft/{kind}?format=md|html|json&notice=nl|en&download=1 (audited as web.draft.KIND)."""
        kind, q = request.match_info["kind"], request.query
        fmt, notice = q.get("format", "html"), q.get("notice", "nl")
        if fmt not in _TYPES:
            raise web.HTTPBadRequest(text="format: use md, html or json\n")
        incident, _ = await asyncio.to_thread(self.c.read, request.match_info["ref"], user(), f"web.draft.{kind}")
        try:
            document = await asyncio.to_thread(self.document, incident, kind, fmt, notice)
        except NotificationError as e:
            return self.c.page("problem", {"problem": str(e), "ref": incident.id}, status=422)
        response = web.Response(text=document, content_type=_TYPES[fmt])
        if fmt == "html":
            response.headers["Content-Security-Policy"] = f"{CSP}; style-src {_style_hashes(document)}"
        if q.get("download") or fmt != "html":
            name = f"datalek-{incident.id[:8]}-{kind}{'-' + notice if kind == 'subjects' else ''}.{fmt}"
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def document(self, incident: Incident, kind: str, fmt: str, notice: str) -> str:
        """The draft with the organisation file plus the details and supplementary answers kept in the console."""
        with self.c.container.session_factory() as session:
            kept, answers = documents.organisation(session), documents.supplement(session, incident.id)
        organisation = apply_organisation(load_organisation(self.c.container.settings.organisation.details), kept)
        return draft_command(incident, kind=kind, fmt=fmt, lang=notice, organisation=organisation,
                             now=self.c.clock(), supplement=read_supplement(answers))


def add_routes(router: web.UrlDispatcher, console: Console) -> None:
    d = Drafts(console)
    router.add_get(f"/incidents/{{ref:{REF}}}/draft/{{kind:ap|subjects}}", d.draft, name="draft")

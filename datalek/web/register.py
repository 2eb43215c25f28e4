"""The breach register (Art. 33(5) GDPR) in the console: every incident on one page, in Dutch, with downloads
for a spreadsheet (xlsx, csv), a document (md) and machines (json). Every read is audited per incident."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from datalek import register_xlsx
from datalek.web import i18n
from datalek.web.console import Console, user
from incidents import register
from notifications import dutch

TYPES = {"xlsx": register_xlsx.MEDIA_TYPE, "csv": "text/csv", "md": "text/markdown", "json": "application/json"}
# what the page shows of each entry (the downloads hold every column of incidents.register.FLAT_COLUMNS)
COLUMNS = ("id", "title", "status", "opened_at_amsterdam", "became_aware_at_amsterdam", "nature", "data_categories",
           "data_subjects", "severity_level", "decision_notify_ap", "decision_notify_subjects", "reported_at_amsterdam",
           "meldnummer", "closed_at")


def export(entries: Sequence[Mapping[str, Any]], fmt: str) -> web.Response:
    """The register as a file of ``fmt`` (one of ``TYPES``), named for saving."""
    if fmt == "xlsx":
        body: bytes = register_xlsx.to_xlsx(entries)
    else:
        body = register.TEXT_FORMATS[fmt](entries).encode()
    return web.Response(body=body, content_type=TYPES[fmt], charset=None if fmt == "xlsx" else "utf-8",
                        headers={"Content-Disposition": f'attachment; filename="register-datalekken.{fmt}"'})


def rows(entries: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        cells = register.flat(entry)
        row = {c: "" if cells.get(c) is None else str(cells[c]) for c in COLUMNS}
        for coded in ("nature", "data_categories", "severity_level"):  # vocabulary values, "; "-joined lists
            row[coded] = "; ".join(i18n.choice(v, lang) for v in row[coded].split("; ") if v)
        rules = tuple(entry.get("rule_ids") or ())
        title = dutch.incident_title(rules, entry.get("asset")) if lang == "nl" and rules else row["title"]
        out.append({**row, "title": title, "status": i18n.status(row["status"], lang), "short_id": row["id"][:8]})
    return out


class Register:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def page(self, request: web.Request) -> web.Response:
        """GET /register: every incident's register entry (audited as web.register.viewed)."""
        entries = await asyncio.to_thread(self.c.register, user(), "web.register.viewed")
        return self.c.page("register", {"rows": rows(entries, self.c.lang()), "columns": COLUMNS[3:],
                                        "formats": list(TYPES)})

    async def download(self, request: web.Request) -> web.Response:
        """GET /register/download?format=xlsx|csv|md|json (audited as web.register.exported)."""
        fmt = request.query.get("format", "xlsx")
        if fmt not in TYPES:
            raise web.HTTPBadRequest(text=f"format: use {', '.join(TYPES)}\n")
        entries = await asyncio.to_thread(self.c.register, user(), "web.register.exported")
        return await asyncio.to_thread(export, entries, fmt)


def add_routes(router: web.UrlDispatcher, console: Console) -> None:
    r = Register(console)
    router.add_get("/register", r.page, name="register")
    router.add_get("/register/download", r.download, name="register_download")

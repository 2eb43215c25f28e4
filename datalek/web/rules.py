"""The rules in force and the security team's reviewed exceptions, for every signed-in user: what detection
leaves out, why, whose decision it is and until when, so a privacy officer can question an exception
(``incidents.rules.exceptions``; the same as ``datalek rules``)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

from aiohttp import web

from datalek.web.console import Console


class Rules:
    def __init__(self, console: Console) -> None:
        self.c = console

    def _data(self) -> dict[str, Any]:
        from datalek.rules import describe, load_rule_set
        from incidents.rules.exceptions import ZONE

        d = self.c.container.settings.detection
        rules, exceptions = load_rule_set(d.rules_dirs, defaults=d.default_rules)
        data = describe(rules, exceptions, today=datetime.now(ZONE).date())
        titles = {r.id: r.title for r in rules}
        for rule in data["rules"]:
            rule["title"] = titles[rule["id"]]
        for e in data["exceptions"]:
            e["match"] = json.dumps(e["match"], ensure_ascii=False)
        return data

    async def page(self, request: web.Request) -> web.Response:
        """GET /rules: the rules and the exceptions in force."""
        return self.c.page("rules", await asyncio.to_thread(self._data))


def add_routes(router: web.UrlDispatcher, console: Console) -> None:
    router.add_get("/rules", Rules(console).page, name="rules")

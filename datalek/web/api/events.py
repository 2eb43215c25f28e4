"""POST /api/v1/events: one ECS event, a JSON array of them, or ``{"events": [...]}``, with an ingest token.

Each event is validated as the worker validates it; the accepted ones go to the events topic (``streams
.http_events``) before the answer, which lists every event as accepted (with its id) or rejected (with the
reason): 200 all accepted, 207 some, 400 none. Bodies over ``web.api_max_body_bytes`` or with more than
``web.api_max_events`` events are refused (413). Event values are never logged; ingestion is not written to the
audit log (that is the breach record, and a webhook may post every second).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from datalek.web.api.base import ApiError, ApiGuard, answer
from datalek.web.console import Console
from incidents.persistence.users import Scope
from incidents.workflow import Actor
from streams import jsontext
from streams.http_events import EventProducer, StreamUnavailable, judge

LOG = logging.getLogger("datalek.web.api")


def items_of(data: Any) -> list[Any]:
    """The posted events: an array, an envelope ``{"events": [...]}``, or one event object."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        inner = data.get("events")  # an envelope, as the worker reads one (streams.schema.decode)
        return inner if isinstance(inner, list) else [data]
    raise ApiError(400, "the body must be an event object, an array of events or {\"events\": [...]}")


async def _body(request: web.Request, limit: int) -> bytes:
    """The body, read up to ``limit`` bytes (the app's smaller limit for forms does not apply here)."""
    too_large = ApiError(413, f"the body is larger than {limit} bytes")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


class EventsApi:
    def __init__(self, console: Console) -> None:
        self.c = console
        s = console.container.settings
        self.max_bytes, self.max_events = s.web.api_max_body_bytes, s.web.api_max_events
        self.producer = EventProducer(bootstrap=s.kafka.bootstrap_servers,
                                      topic=console.container.topics()["events"],
                                      timeout=s.kafka.connect_timeout, envelope_size=s.kafka.envelope_size)

    async def post(self, request: web.Request, person: Actor) -> web.Response:
        raw = await _body(request, self.max_bytes)
        try:
            items = items_of(jsontext.loads(raw))  # strict UTF-8, no lone surrogates
        except RecursionError:
            raise ApiError(400, "the body is nested too deeply") from None
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "the body is not valid JSON") from None
        if len(items) > self.max_events:
            raise ApiError(413, f"more than {self.max_events} events in one request")
        if not items:
            raise ApiError(400, "no events in the body")
        verdicts = await asyncio.to_thread(judge, items, normaliser=self.c.container.normaliser)
        accepted = [v.event for v in verdicts if v.event is not None]
        try:
            await asyncio.to_thread(self.producer.send, accepted)
        except StreamUnavailable as e:
            raise ApiError(503, f"{e}; nothing is confirmed: send the events again") from e
        LOG.info("api events: %d accepted, %d rejected", len(accepted), len(verdicts) - len(accepted))
        status = 200 if len(accepted) == len(verdicts) else 207 if accepted else 400
        return answer({"accepted": len(accepted), "rejected": len(verdicts) - len(accepted),
                       "results": [v.answer() for v in verdicts]}, status=status)

    async def close(self) -> None:
        await asyncio.to_thread(self.producer.close)


def add_routes(router: web.UrlDispatcher, console: Console, guard: ApiGuard) -> EventsApi:
    e = EventsApi(console)
    router.add_post("/api/v1/events", guard.scoped(Scope.INGEST, e.post), name="api.events")
    return e

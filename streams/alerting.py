"""Alerting in the worker: a timer plans alerts from the stored incidents (state-based, restart-safe) and a
background task delivers them through the Apprise queue; every delivery result is stored."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import faust

from incidents.model import Incident
from notifications.alerts import Notification
from notifications.dispatcher import DeliveryQueue, DeliveryResult
from notifications.planner import plan
from notifications.policy import Alert, AlertKind, alert_for, severity_level
from notifications.rendering import render_alert
from streams import retry
from streams.retry import RetryPolicy

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AlertStore:
    """Blocking storage calls, built by the composition root (run in threads)."""

    open_incidents: Callable[[], list[tuple[Incident, frozenset[str]]]]
    decide: Callable[[list[tuple[str, str, str, bool]]], list[tuple[str, str]]]
    pending: Callable[[], list[tuple[str, str, str]]]
    load: Callable[[str], Incident | None]
    record: Callable[[DeliveryResult], None]


def add_alerting(app: faust.App, *, queue: DeliveryQueue, store: AlertStore, clock: Callable[[], datetime],
                 base_url: str, marks: tuple[int, ...], interval: float = 5.0,
                 policy: RetryPolicy | None = None) -> None:
    """Every store call is retried by ``policy`` (a database outage pauses planning, it does not stop it)."""
    state = {"recovered": False}
    policy = policy or RetryPolicy()

    def note_for(incident: Incident, alert: Alert) -> Notification:
        return render_alert(alert, incident, base_url=base_url, now=clock())

    async def submit(incident_id: str, key: str, kind: str) -> None:
        incident = await retry.call(policy, store.load, incident_id, name="alerts.load")
        if incident is None:
            return
        alert = alert_for(AlertKind(kind), incident, level=severity_level(incident), key=key)
        if not queue.submit(note_for(incident, alert)):
            log.warning("alert queue full; incident=%s alert=%s stays pending", incident_id, key)

    @app.timer(interval)
    @retry.guarded
    async def plan_alerts() -> None:
        if not state["recovered"]:  # alerts decided before a restart but never delivered
            for incident_id, key, kind in await retry.call(policy, store.pending, name="alerts.pending"):
                await submit(incident_id, key, kind)
            state["recovered"] = True
        now = clock()
        for incident, handled in await retry.call(policy, store.open_incidents, name="alerts.open_incidents"):
            planned = plan(incident, handled=handled, now=now, marks=marks)
            if not planned:
                continue
            rows = [(incident.id, p.alert.key, p.alert.kind.value, p.send) for p in planned]
            fresh = set(await retry.call(policy, store.decide, rows, name="alerts.decide"))
            for p in planned:
                if (incident.id, p.alert.key) in fresh:
                    queue.submit(note_for(incident, p.alert))

    @app.task
    async def deliver_alerts() -> None:
        await queue.run()


def recorder(store: AlertStore, policy: RetryPolicy | None = None) -> Callable[[DeliveryResult], Any]:
    """The queue's result callback: store each result off the event loop, retried through an outage."""
    policy = policy or RetryPolicy()

    async def record(result: DeliveryResult) -> None:
        await retry.call(policy, store.record, result, name="alerts.record")

    return record

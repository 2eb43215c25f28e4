"""Apprise adapter: deliver rendered notifications to configured targets, per target, with retries.

Each configured Apprise URL is its own ``Target`` (one ``Apprise`` object per service), so a retry goes
only to the target that failed and every target gets its own result: ``sent``, ``failed`` or, when no
target carries any of the notification's tags, one ``no_target`` result. ``DeliveryQueue`` runs in the
stream worker's event loop: ``submit`` never blocks, each (notification, target) pair is its own task
that retries with exponential backoff up to ``max_attempts``, and every attempt is handed to
``on_result`` for the caller to persist. Nothing here raises into the caller.

Apprise 2.x returns an ``AppriseResult`` (SUCCESS / FAILURE / NOMATCH / PARTIAL / TIMEOUT) and runs
blocking plugins in an executor, so ``async_notify`` does not block the loop. Apprise throttles each
service instance (``request_rate_per_sec``, 5.5 s for e-mail); leave it alone in production and set it
to 0 only in tests.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import apprise
from apprise import AppriseResultStatus

from notifications.alerts import Notification
from notifications.errors import ConfigError
from notifications.policy import AlertKind

log = logging.getLogger(__name__)


class DeliveryStatus(StrEnum):
    """Outcome per target. Values are stored: never change them."""

    SENT = "sent"
    FAILED = "failed"
    NO_TARGET = "no_target"  # no configured target carries any of the notification's tags


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """One delivery attempt to one target (or the lack of a target), for the caller to persist."""

    notification_key: str
    incident_id: str
    kind: str
    target: str  # the Apprise URL with secrets masked; "-" for no_target
    status: DeliveryStatus
    attempt: int
    final: bool  # no further attempt follows for this (notification, target)
    at: datetime
    detail: str = ""  # Apprise status or exception class; never message content


def utc_now() -> datetime:
    return datetime.now(UTC)


QUIET_LOGGERS = ("apprise", "urllib3")  # Apprise, and the HTTP client it sends webhooks with


def keep_apprise_quiet() -> None:
    """Apprise logs message bodies and target URLs (credentials included) at DEBUG, urllib3 the webhook paths
    (tokens): these loggers stay at INFO or above whatever the root level, so `--log-level debug` never
    writes them."""
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


class Target:
    """One Apprise service with its tags."""

    def __init__(self, service: Any, *, request_rate_per_sec: float | None = None) -> None:
        if request_rate_per_sec is not None:
            service.request_rate_per_sec = request_rate_per_sec
        self._apprise = apprise.Apprise()
        self._apprise.add(service)
        self.name: str = service.url(privacy=True)
        self.tags = frozenset(str(t) for t in service.tags)

    def addressed_by(self, tags: Iterable[str]) -> bool:
        """Whether Apprise would notify this target for any of ``tags`` (OR)."""
        return any(True for _ in self._apprise.find(tag=sorted(tags)))

    async def send(self, note: Notification, *, timeout: float) -> Any:
        """One Apprise call; returns the ``AppriseResult``."""
        return await self._apprise.async_notify(
            body=note.body, title=note.title, tag=sorted(note.tags), body_format=apprise.NotifyFormat.TEXT,
            notify_type=_NOTIFY_TYPE.get(note.kind, apprise.NotifyType.WARNING), timeout=timeout)


# How chat targets colour an alert; everything else is a warning.
_NOTIFY_TYPE = {AlertKind.OVERDUE: apprise.NotifyType.FAILURE, AlertKind.REPORTED: apprise.NotifyType.SUCCESS}


def load_targets(urls: Iterable[str] = (), *, config_file: Path | None = None,
                 request_rate_per_sec: float | None = None) -> list[Target]:
    """Targets from URLs (``"security,fg=mailto://..."``, Apprise's TAGS=URL form) and/or an Apprise config file.

    URLs are secrets: errors name a URL by its position only.
    """
    keep_apprise_quiet()
    services: list[Any] = []
    for n, url in enumerate(urls, start=1):
        config = apprise.AppriseConfig()
        config.add_config(url, format="text")
        found = config.services()
        if len(found) != 1:
            raise ConfigError(f"alert URL #{n} is not one valid Apprise URL (form: TAGS=URL)")
        services.extend(found)
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"Apprise config file not found: {config_file}")
        config = apprise.AppriseConfig()
        config.add(str(config_file))
        found = config.services()
        if not found:
            raise ConfigError(f"no valid Apprise URL in {config_file}")
        services.extend(found)
    return [Target(s, request_rate_per_sec=request_rate_per_sec) for s in services]


class Dispatcher:
    """Delivers one notification to every target its tags address, one attempt each."""

    def __init__(self, targets: Sequence[Target], *, timeout: float = 30.0,
                 clock: Callable[[], datetime] = utc_now) -> None:
        keep_apprise_quiet()
        self.targets = tuple(targets)
        self.timeout = timeout
        self._clock = clock

    def addressed(self, note: Notification) -> list[Target]:
        return [t for t in self.targets if t.addressed_by(note.tags)]

    def no_target(self, note: Notification) -> DeliveryResult:
        return self._result(note, "-", DeliveryStatus.NO_TARGET, 1, "no target carries tags "
                            + ",".join(sorted(note.tags)))

    async def deliver(self, note: Notification) -> list[DeliveryResult]:
        """One attempt on every addressed target, concurrently; ``[no_target]`` when none is addressed."""
        targets = self.addressed(note)
        if not targets:
            return [self.no_target(note)]
        return list(await asyncio.gather(*(self.attempt(note, t, attempt=1) for t in targets)))

    async def attempt(self, note: Notification, target: Target, *, attempt: int) -> DeliveryResult:
        """Send once to one target; any failure becomes a ``failed`` result, never an exception."""
        try:
            result = await target.send(note, timeout=self.timeout)
        except Exception as e:  # an adapter must not crash the stream; the class name is enough to act on
            return self._result(note, target.name, DeliveryStatus.FAILED, attempt, type(e).__name__)
        status = getattr(result, "status", None)
        if status == AppriseResultStatus.SUCCESS:
            return self._result(note, target.name, DeliveryStatus.SENT, attempt, "SUCCESS")
        if status == AppriseResultStatus.NOMATCH:
            return self._result(note, target.name, DeliveryStatus.NO_TARGET, attempt, "NOMATCH")
        detail = status.name if isinstance(status, AppriseResultStatus) else repr(status)
        return self._result(note, target.name, DeliveryStatus.FAILED, attempt, detail)

    def _result(self, note: Notification, target: str, status: DeliveryStatus, attempt: int,
                detail: str) -> DeliveryResult:
        return DeliveryResult(note.key, note.incident_id, note.kind.value, target, status, attempt, True,
                              self._clock(), detail)


ResultCallback = Callable[[DeliveryResult], Awaitable[None] | None]


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff: ``base * 2**(n-1)`` seconds before retry n, capped, with up to ``jitter`` extra."""

    base: float = 2.0
    cap: float = 300.0
    jitter: float = 0.1

    def delay(self, retry: int, rng: random.Random) -> float:
        raw = min(self.cap, self.base * 2.0 ** (retry - 1))
        return raw * (1 + rng.uniform(0, self.jitter))


class DeliveryQueue:
    """Background delivery for the stream worker: ``submit`` returns at once; ``run`` does the work."""

    def __init__(self, dispatcher: Dispatcher, *, on_result: ResultCallback | None = None,
                 max_attempts: int = 5, backoff: Backoff = Backoff(), max_pending: int = 1000,
                 concurrency: int = 8, rng: random.Random | None = None) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._dispatcher = dispatcher
        self._on_result = on_result
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._queue: asyncio.Queue[Notification] = asyncio.Queue(maxsize=max_pending)
        self._limit = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography

    def submit(self, note: Notification) -> bool:
        """Queue ``note`` without blocking; False (and a final ``failed`` result) when the queue is full."""
        try:
            self._queue.put_nowait(note)
        except asyncio.QueueFull:
            log.error("alert queue full: dropped notification %s (%s)", note.key, note.kind.value)
            failed = replace(self._dispatcher.no_target(note), status=DeliveryStatus.FAILED, detail="queue full")
            self._spawn(self._report(failed))
            return False
        return True

    async def run(self) -> None:
        """Consume the queue until cancelled; each (notification, target) gets its own task."""
        while True:
            note = await self._queue.get()
            try:
                targets = self._dispatcher.addressed(note)
                if not targets:
                    await self._report(self._dispatcher.no_target(note))
                for target in targets:
                    self._spawn(self._deliver(note, target))
            except Exception as e:  # keep consuming: one bad notification must not stop the others
                log.exception("alert %s could not be dispatched", note.key)
                failed = replace(self._dispatcher.no_target(note), status=DeliveryStatus.FAILED,
                                 detail=type(e).__name__)
                await self._report(failed)
            finally:
                self._queue.task_done()

    async def join(self) -> None:
        """Wait until everything submitted so far is final (sent, failed for good, or no target)."""
        await self._queue.join()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, *, timeout: float = 10.0) -> None:
        """Give pending deliveries ``timeout`` seconds, then cancel the rest (they are not reported as sent)."""
        try:
            await asyncio.wait_for(self.join(), timeout)
        except TimeoutError:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, note: Notification, target: Target) -> None:
        for attempt in range(1, self._max_attempts + 1):
            async with self._limit:
                result = await self._dispatcher.attempt(note, target, attempt=attempt)
            retry = result.status is DeliveryStatus.FAILED and attempt < self._max_attempts
            await self._report(replace(result, final=not retry))
            if not retry:
                return
            await asyncio.sleep(self._backoff.delay(attempt, self._rng))  # only this task waits

    async def _report(self, result: DeliveryResult) -> None:
        log.info("alert %s kind=%s incident=%s target=%s status=%s attempt=%d final=%s %s",
                 result.notification_key, result.kind, result.incident_id, result.target, result.status.value,
                 result.attempt, result.final, result.detail)
        if self._on_result is None:
            return
        try:
            outcome = self._on_result(result)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:  # persisting a result must not stop delivery; the traceback names no message text
            log.exception("on_result failed for %s (target %s)", result.notification_key, result.target)

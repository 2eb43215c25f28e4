"""Blocking storage calls from the worker's agents and timers: off the event loop, bounded in time, retried.

A transient failure (database down, restarting, unreachable or hung) is retried with capped exponential
backoff for as long as it lasts: the task that needs the database pauses, the rest of the worker runs on.
A lost optimistic-concurrency race (another worker changed the incident) is retried a few times from a
fresh read. Anything else is raised to the caller, which dead-letters the message or skips the tick.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def never(_: BaseException) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    is_transient: Callable[[BaseException], bool] = never  # retried for as long as it lasts
    is_conflict: Callable[[BaseException], bool] = never  # retried ``conflicts`` times, then raised
    call_timeout: float | None = 60.0  # seconds before a call counts as hung (transient); None: no bound
    base: float = 0.5  # first backoff, doubled per attempt
    cap: float = 10.0  # longest backoff: how late, at most, a task notices that the database is back
    conflicts: int = 5


def backoff(attempt: int, *, base: float, cap: float) -> float:
    """Seconds to wait before retry ``attempt`` (1, 2, ...): base, 2*base, 4*base ... at most ``cap``."""
    return float(min(cap, base * 2 ** min(attempt - 1, 32)))


class CallTimedOut(TimeoutError):
    """A storage call did not return within the policy's ``call_timeout`` (its thread is left to finish)."""


async def call(policy: RetryPolicy, fn: Callable[..., T], *args: Any, name: str | None = None,
               sleep: Callable[[float], Any] = asyncio.sleep) -> T:
    """Run ``fn(*args)`` in a thread until it returns, retrying as the policy says; ``name`` (default: the
    function's) is what the log says."""
    name = name or _name(fn)
    attempt, conflicts = 0, 0
    while True:
        try:
            return await _bounded(policy, fn, *args, name=name)
        except Exception as e:
            if policy.is_conflict(e) and conflicts < policy.conflicts:
                conflicts += 1
                kind = "conflict"
            elif isinstance(e, CallTimedOut) or policy.is_transient(e):
                kind = "transient failure"
            else:
                raise
            attempt += 1
            delay = backoff(attempt, base=policy.base, cap=policy.cap)
            log.warning("%s in %s (%s), retry %d in %.1fs", kind, name, type(e).__name__, attempt, delay)
            await sleep(delay)


async def _bounded(policy: RetryPolicy, fn: Callable[..., T], *args: Any, name: str) -> T:
    work = asyncio.to_thread(fn, *args)
    if policy.call_timeout is None:
        return await work
    try:
        return await asyncio.wait_for(work, policy.call_timeout)
    except TimeoutError as e:  # a hung database: the thread stays blocked, the task moves on
        raise CallTimedOut(f"{name} took more than {policy.call_timeout}s") from e


def guarded(fn: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], Coroutine[Any, Any, None]]:
    """A timer body that logs its failure and waits for the next tick instead of crashing the worker."""

    @wraps(fn)
    async def run() -> None:
        try:
            await fn()
        except Exception as e:  # the next tick tries again; the type names no message content
            log.error("%s failed (%s); trying again at the next tick", _name(fn), type(e).__name__)

    return run


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__name__", type(fn).__name__)

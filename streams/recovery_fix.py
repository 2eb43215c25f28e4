"""A table recovery that survives a worker frozen past its session timeout (faust-streaming 0.15).

When a worker is stopped (SIGSTOP, a long GC pause, a VM stalled by its host) past the session timeout,
the others take its partitions; when it runs again it rejoins, and Faust's recovery builds the changelog
offsets to read from with the broker's earliest offsets minus one. Answered -1 for a partition (seen after
such a freeze: fault suite, "one of two frozen 30 s"), that is -2, and ``Recovery._seek_offsets`` hands it to
aiokafka's ``seek``, which raises ``ValueError: Offset must be a positive integer``: the recovery service
crashes and takes the worker down. An offset below -1 (or none) means nothing of that changelog partition
is known to be read: it is read from its start, as Faust does for -1. Applied once, by ``install()``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from faust.tables.recovery import Recovery

log = logging.getLogger(__name__)
_installed = False


def unknown_to_start(offsets: Any, tps: Any) -> list[Any]:
    """Set each of ``tps`` whose offset is None or below -1 to -1 (read from the start); the ones changed."""
    changed = [tp for tp in tps if offsets[tp] is None or offsets[tp] < -1]
    for tp in changed:
        offsets[tp] = -1
    return changed


def install() -> None:
    global _installed
    if _installed:
        return
    original: Callable[..., Awaitable[None]] = Recovery._seek_offsets

    async def _seek_offsets(self: Recovery, consumer: Any, tps: Any, offsets: Any, title: str) -> None:
        changed = unknown_to_start(offsets, tps)
        if changed:
            log.warning("%s changelog offsets unknown for %d partition(s): reading them from the start",
                        title, len(changed))
        await original(self, consumer, tps, offsets, title)

    Recovery._seek_offsets = _seek_offsets  # type: ignore[method-assign]
    _installed = True

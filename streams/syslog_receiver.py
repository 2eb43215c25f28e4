"""A syslog receiver: RFC 5424 and RFC 3164 over UDP and TCP (RFC 6587 framing), on loopback by default.

Each message is rewritten as a syslog file line (see ``streams.parsers.syslogwire``) and handed to
``on_line(line, peer)``, a plain or async callable; the caller parses and produces it. UDP datagrams
queue for one worker (arrival order kept; a full queue drops and counts); TCP connections call
``on_line`` directly, so a slow callback slows the sender instead of growing memory. A message over
``max_message_bytes`` is never parsed (nor, on TCP, buffered whole): ``on_reject(reason, cut, peer)`` gets
its size, and the messages after it on the same connection are still read. Nothing about a
message (content or peer address, both personal data) is logged; only counters and error types.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from streams.parsers.syslogwire import FramingError, Oversized, StreamFramer, parse_message

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5514
MAX_MESSAGE_BYTES = 64 * 1024

LineCallback = Callable[[str, str], None | Awaitable[None]]
RejectCallback = Callable[[str, str, str], None | Awaitable[None]]  # (reason, cut payload, peer)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BoundPorts:
    """The ports actually bound (useful with port 0); None for a disabled transport."""

    udp: int | None
    tcp: int | None


@dataclass(slots=True)
class ReceiverStats:
    received: int = 0
    dropped: int = 0
    failed: int = 0
    oversized: int = 0


class SyslogReceiver:
    """Start with ``await receiver.start()`` (returns the bound ports, also kept in ``ports``), end with
    ``await receiver.stop()``; or use ``async with``. Port 0 binds ephemeral ports (UDP and TCP differ)."""

    def __init__(self, on_line: LineCallback, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 udp: bool = True, tcp: bool = True, max_message_bytes: int = MAX_MESSAGE_BYTES,
                 queue_size: int = 10_000, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 on_reject: RejectCallback | None = None) -> None:
        self._on_line, self._host, self._port = on_line, host, port
        self._on_reject = on_reject
        self._udp_enabled, self._tcp_enabled = udp, tcp
        self._max, self._queue_size, self._clock = max_message_bytes, queue_size, clock
        self.stats = ReceiverStats()
        self.ports: BoundPorts | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None
        self._queue: asyncio.Queue[tuple[bytes, str] | None] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._connections: dict[asyncio.Task[Any], asyncio.StreamWriter] = {}

    async def start(self) -> BoundPorts:
        """Bind the enabled transports; on a bind error nothing stays open and the OSError propagates."""
        try:
            udp_port = await self._start_udp() if self._udp_enabled else None
            tcp_port = await self._start_tcp() if self._tcp_enabled else None
        except OSError:
            await self.stop(drain_timeout=0)
            raise
        self.ports = BoundPorts(udp=udp_port, tcp=tcp_port)
        return self.ports

    async def _start_udp(self) -> int:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[bytes, str] | None] = asyncio.Queue(self._queue_size)
        self._queue = queue
        self._worker = loop.create_task(self._drain_udp(queue))
        self._udp, _ = await loop.create_datagram_endpoint(lambda: _Datagrams(self),
                                                           local_addr=(self._host, self._port))
        return int(self._udp.get_extra_info("sockname")[1])

    async def _start_tcp(self) -> int:
        self._tcp = await asyncio.start_server(self._serve_tcp, self._host, self._port)
        return int(self._tcp.sockets[0].getsockname()[1])

    async def stop(self, *, drain_timeout: float = 5.0) -> None:
        """Stop listening, deliver what UDP already queued (up to ``drain_timeout``), close connections."""
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
        await self._close_connections(drain_timeout)
        if self._tcp is not None:
            await self._tcp.wait_closed()
        if self._queue is not None and self._worker is not None:
            await self._queue.put(None)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._worker), drain_timeout)
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
        self._udp = self._tcp = self._queue = self._worker = self.ports = None

    async def _close_connections(self, timeout: float) -> None:
        """Close client streams (their handlers then see end of stream); cancel what outlives ``timeout``."""
        for writer in self._connections.values():
            writer.close()
        if self._connections:
            _, late = await asyncio.wait(list(self._connections), timeout=timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def __aenter__(self) -> SyslogReceiver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _queue_datagram(self, data: bytes, peer: str) -> None:
        if self._queue is None:
            return
        try:
            self._queue.put_nowait((data, peer))
        except asyncio.QueueFull:
            self.stats.dropped += 1

    async def _drain_udp(self, queue: asyncio.Queue[tuple[bytes, str] | None]) -> None:
        while (item := await queue.get()) is not None:
            await self._deliver(*item)

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections[task] = writer
        peer = _peer(writer.get_extra_info("peername"))
        framer = StreamFramer(max_bytes=self._max)
        try:
            while chunk := await reader.read(65536):
                for frame in framer.feed(chunk):
                    await self._deliver(frame, peer)
            for frame in framer.close():
                await self._deliver(frame, peer)
        except FramingError as e:
            self.stats.dropped += 1
            log.warning("syslog TCP connection closed: %s", e)
        finally:
            writer.close()
            if task is not None:
                self._connections.pop(task, None)

    async def _deliver(self, data: bytes | Oversized, peer: str) -> None:
        """Hand one message to ``on_line``; one over the size limit goes to ``on_reject`` unparsed."""
        self.stats.received += 1
        if isinstance(data, Oversized) or len(data) > self._max:
            size = data.size if isinstance(data, Oversized) else len(data)
            self.stats.oversized += 1
            cut = "" if isinstance(data, Oversized) else data[: self._max].decode("utf-8", errors="replace")
            reason = f"syslog message of {size:,} bytes is over the limit of {self._max:,} bytes"
            if self._on_reject is not None:
                await self._call(self._on_reject, reason, cut, peer)
            return
        message = parse_message(data.decode("utf-8", errors="replace"))
        line = message.line(default_host=peer.rsplit(":", 1)[0].strip("[]"),
                            default_time=self._clock().isoformat())
        await self._call(self._on_line, line, peer)

    async def _call(self, callback: Callable[..., Any], *args: str) -> None:
        try:
            result = callback(*args)
            if inspect.isawaitable(result):
                await result
        except Exception as e:  # one bad message or callback bug must not stop the receiver
            self.stats.failed += 1
            log.warning("syslog callback failed: %s", type(e).__name__)


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, receiver: SyslogReceiver) -> None:
        self._receiver = receiver

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        self._receiver._queue_datagram(data, _peer(addr))


def _peer(address: Any) -> str:
    if isinstance(address, tuple) and len(address) >= 2:
        host = str(address[0])
        return f"[{host}]:{address[1]}" if ":" in host else f"{host}:{address[1]}"
    return str(address)

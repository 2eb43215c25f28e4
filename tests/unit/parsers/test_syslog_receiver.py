"""The syslog receiver over real loopback sockets: UDP datagrams and TCP streams (both framings)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from streams.parsers import FORMATS, ParseContext, Parsed
from streams.syslog_receiver import BoundPorts, SyslogReceiver

SSHD_3164 = "<38>Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"
SSHD_5424 = "<38>1 2026-12-10T07:08:30+00:00 LabSZ sshd 24208 - - Failed password for invalid user " \
            "webmaster from 173.234.31.186 port 39257 ssh2"
DEADLINE = 5.0


class Collector:
    """An on_line callback that records lines and lets a test wait for a number of them."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []
        self._changed = asyncio.Event()

    async def __call__(self, line: str, peer: str) -> None:
        self.lines.append((line, peer))
        self._changed.set()

    async def wait_for(self, count: int) -> list[str]:
        async def enough() -> None:
            while len(self.lines) < count:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(enough(), DEADLINE)
        return [line for line, _ in self.lines]


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[tuple[SyslogReceiver, BoundPorts, Collector]]:
    collector = Collector()
    server = SyslogReceiver(collector, port=0, clock=lambda: datetime(2026, 12, 10, 8, 0, tzinfo=UTC))
    ports = await server.start()
    yield server, ports, collector
    await server.stop()


def _udp_send(port: int, *messages: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for message in messages:
            sock.sendto(message.encode(), ("127.0.0.1", port))


async def _tcp_send(port: int, payload: bytes) -> None:
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


@pytest.mark.asyncio
async def test_ephemeral_ports_are_bound_on_loopback_for_both_transports(receiver) -> None:
    _, ports, _ = receiver
    assert ports.udp and ports.tcp and ports.udp > 0 and ports.tcp > 0


@pytest.mark.asyncio
async def test_udp_datagrams_of_both_rfcs_arrive_as_file_lines(receiver) -> None:
    _, ports, collector = receiver
    _udp_send(ports.udp, SSHD_3164, SSHD_5424)
    lines = await collector.wait_for(2)
    assert lines == ["Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
                     "2026-12-10T07:08:30+00:00 LabSZ sshd[24208]: Failed password for invalid user "
                     "webmaster from 173.234.31.186 port 39257 ssh2"]
    assert collector.lines[0][1].startswith("127.0.0.1:")


@pytest.mark.asyncio
async def test_tcp_octet_counting_and_newline_framing_on_one_connection(receiver) -> None:
    _, ports, collector = receiver
    counted = SSHD_5424.encode()
    payload = (b"%d %s" % (len(counted), counted) + SSHD_3164.encode() + b"\n"
               + b"<13>Dec 10 06:56:00 h app: tail")
    await _tcp_send(ports.tcp, payload)
    lines = await collector.wait_for(3)
    assert lines[0].startswith("2026-12-10T07:08:30+00:00 LabSZ sshd[24208]: Failed password")
    assert lines[1] == "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"
    assert lines[2] == "Dec 10 06:56:00 h app: tail"


@pytest.mark.asyncio
async def test_received_lines_parse_into_events(receiver) -> None:
    _, ports, collector = receiver
    _udp_send(ports.udp, SSHD_3164)
    await _tcp_send(ports.tcp, SSHD_5424.encode() + b"\n")
    lines = await collector.wait_for(2)
    results = list(FORMATS["openssh"](lines, context=ParseContext(source="syslog", year=2026)))
    assert all(isinstance(r, Parsed) for r in results)
    assert sorted(r.event["event.action"] for r in results) == ["invalid_user", "ssh_login"]


@pytest.mark.asyncio
async def test_message_without_timestamp_gets_the_arrival_time_and_peer_host(receiver) -> None:
    _, ports, collector = receiver
    _udp_send(ports.udp, "<13>1 - - - - - - hello")
    assert await collector.wait_for(1) == ["2026-12-10T08:00:00+00:00 127.0.0.1 -: hello"]


@pytest.mark.asyncio
async def test_a_broken_tcp_stream_is_dropped_and_the_receiver_keeps_serving(receiver) -> None:
    server, ports, collector = receiver
    await _tcp_send(ports.tcp, b"1234567890123 <13>x")  # no octet count (too long): cannot resynchronise
    _udp_send(ports.udp, SSHD_3164)
    await collector.wait_for(1)
    assert server.stats.dropped == 1


@pytest.mark.asyncio
async def test_oversized_tcp_messages_are_rejected_with_their_size_and_the_next_ones_arrive() -> None:
    collector, rejected = Collector(), []
    async with SyslogReceiver(collector, port=0, udp=False, max_message_bytes=1000,
                              on_reject=lambda reason, cut, peer: rejected.append((reason, cut))) as server:
        assert server.ports is not None and server.ports.tcp is not None
        big = b"<38>Dec 10 06:55:46 LabSZ sshd[1]: " + b"A" * 200_000
        counted = SSHD_5424.encode()
        await _tcp_send(server.ports.tcp, big + b"\n" + SSHD_3164.encode() + b"\n"
                        + b"%d %s" % (len(big), big) + b"%d %s" % (len(counted), counted))
        lines = await collector.wait_for(2)
    assert lines[0].endswith("sshd[24200]: Invalid user webmaster from 173.234.31.186")
    assert lines[1].startswith("2026-12-10T07:08:30+00:00 LabSZ sshd[24208]: Failed password")
    reason = f"syslog message of {len(big):,} bytes is over the limit of 1,000 bytes"
    assert rejected == [(reason, ""), (reason, "")]  # never parsed, never buffered whole, never quoted
    assert server.stats.oversized == 2 and server.stats.dropped == 0


@pytest.mark.asyncio
async def test_an_oversized_udp_datagram_is_rejected_unparsed() -> None:
    collector, rejected = Collector(), []
    async with SyslogReceiver(collector, port=0, tcp=False, max_message_bytes=100,
                              on_reject=lambda reason, cut, peer: rejected.append(reason)) as server:
        assert server.ports is not None and server.ports.udp is not None
        _udp_send(server.ports.udp, "<13>Dec 10 06:55:46 h app: " + "x" * 500, SSHD_3164)
        assert len(await collector.wait_for(1)) == 1
    assert rejected == ["syslog message of 527 bytes is over the limit of 100 bytes"]


@pytest.mark.asyncio
async def test_callback_errors_are_counted_and_do_not_stop_delivery() -> None:
    seen: list[str] = []

    def flaky(line: str, peer: str) -> None:
        if "boom" in line:
            raise RuntimeError("callback bug")
        seen.append(line)

    async with SyslogReceiver(flaky, port=0, tcp=False) as server:
        assert server.ports is not None and server.ports.udp is not None
        _udp_send(server.ports.udp, "<13>Dec 10 06:55:46 h app: boom", "<13>Dec 10 06:55:47 h app: fine")
        await asyncio.wait_for(_until(lambda: len(seen) == 1), DEADLINE)
    assert seen == ["Dec 10 06:55:47 h app: fine"]
    assert server.stats.failed == 1 and server.stats.received == 2


@pytest.mark.asyncio
async def test_stop_closes_open_tcp_connections_and_frees_the_port() -> None:
    server = SyslogReceiver(lambda line, peer: None, port=0, udp=False)
    ports = await server.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", ports.tcp)
    await asyncio.wait_for(server.stop(), DEADLINE)
    assert await asyncio.wait_for(reader.read(), DEADLINE) == b""
    writer.close()
    again = SyslogReceiver(lambda line, peer: None, port=ports.tcp, udp=False)
    assert (await again.start()).tcp == ports.tcp
    await again.stop()


async def _until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_a_port_in_use_fails_start_and_leaves_nothing_open() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = SyslogReceiver(lambda line, peer: None, port=port)
        with pytest.raises(OSError):
            await server.start()
    assert server.ports is None

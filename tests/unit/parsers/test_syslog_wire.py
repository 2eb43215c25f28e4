"""Syslog messages as sent over the network (RFC 5424, RFC 3164) and TCP framing (RFC 6587)."""

from __future__ import annotations

import pytest

from streams.parsers.syslogwire import FramingError, Oversized, StreamFramer, SyslogMessage, parse_message


def _line(text: str) -> str:
    return parse_message(text).line(default_host="192.0.2.1", default_time="2026-03-03T10:00:00+00:00")


def test_rfc5424_example_is_split_into_its_parts() -> None:
    message = parse_message("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
                            "\ufeff'su root' failed for lonvick on /dev/pts/8")
    assert message == SyslogMessage(4, 2, "2003-10-11T22:14:15.003Z", "mymachine.example.com", "su", None,
                                    "'su root' failed for lonvick on /dev/pts/8")


def test_rfc5424_structured_data_with_escapes_is_skipped() -> None:
    message = parse_message('<165>1 2003-10-11T22:14:15.003000-07:00 myhost evntslog 8710 ID47 '
                            '[exampleSDID@32473 iut="3" eventSource="Appl\\]ication"][x@1 a="b c"] An event')
    assert (message.app_name, message.procid, message.message) == ("evntslog", "8710", "An event")


def test_rfc5424_sshd_message_becomes_a_file_line_with_pid() -> None:
    assert _line("<38>1 2026-03-03T09:15:11.5+01:00 portal-01 sshd 1302 - - Invalid user a from 1.2.3.4") == (
        "2026-03-03T09:15:11.5+01:00 portal-01 sshd[1302]: Invalid user a from 1.2.3.4")


def test_rfc5424_nil_values_come_from_the_receiver() -> None:
    assert _line("<13>1 - - - - - - hello") == "2026-03-03T10:00:00+00:00 192.0.2.1 -: hello"


def test_rfc3164_example_keeps_its_year_less_stamp() -> None:
    message = parse_message("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8")
    assert message == SyslogMessage(4, 2, "Oct 11 22:14:15", "mymachine", "su", None,
                                    "'su root' failed for lonvick on /dev/pts/8")


def test_rfc3164_sshd_line_round_trips_to_the_file_form() -> None:
    line = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"
    assert _line(f"<38>{line}") == line


def test_rfc3164_without_hostname_uses_the_peer() -> None:
    assert _line("<38>Dec 10 06:55:46 sshd[24200]: Connection closed by 1.2.3.4") == (
        "Dec 10 06:55:46 192.0.2.1 sshd[24200]: Connection closed by 1.2.3.4")


def test_bare_text_is_kept_as_the_message() -> None:
    assert parse_message("<13>hello world\n").message == "hello world"


def test_octet_counted_and_newline_framed_messages_are_split() -> None:
    framer = StreamFramer(max_bytes=1024)
    assert framer.feed(b"11 <13>hello x5 <1>ab<13>line one\n<13>li") == [b"<13>hello x", b"<1>ab",
                                                                             b"<13>line one"]
    assert framer.feed(b"ne two\r\n\n") == [b"<13>line two"]
    assert framer.feed(b"<13>tail") == []
    assert framer.close() == [b"<13>tail"]


def test_octet_count_split_across_reads_waits_for_the_rest() -> None:
    framer = StreamFramer(max_bytes=1024)
    assert framer.feed(b"1") == []
    assert framer.feed(b"0 <13>ab") == []
    assert framer.feed(b"cdef") == [b"<13>abcdef"]


def test_an_oversized_octet_counted_message_is_skipped_and_the_next_one_read() -> None:
    framer = StreamFramer(max_bytes=100)
    assert framer.feed(b"5000 <13>" + b"x" * 1000) == [Oversized(5000)]
    assert framer.feed(b"x" * 3996) == []  # the rest of it is dropped as it arrives
    assert framer.feed(b"5 <13>a5 <13>b") == [b"<13>a", b"<13>b"]
    assert framer.close() == []


def test_an_overlong_line_is_skipped_to_its_end_and_the_next_line_read() -> None:
    framer = StreamFramer(max_bytes=10)
    assert framer.feed(b"<13>" + b"x" * 20) == []
    assert framer.feed(b"y" * 30) == []
    assert framer.feed(b"zz\n<13>ok\n") == [Oversized(56), b"<13>ok"]
    assert framer.feed(b"<13>" + b"w" * 11 + b"\n<13>ok2\n") == [Oversized(15), b"<13>ok2"]


def test_an_overlong_line_at_end_of_stream_is_reported() -> None:
    framer = StreamFramer(max_bytes=10)
    framer.feed(b"<13>" + b"x" * 20)
    assert framer.close() == [Oversized(24)]


def test_an_octet_count_that_is_not_a_number_breaks_the_stream() -> None:
    with pytest.raises(FramingError):
        StreamFramer(max_bytes=100).feed(b"123456789012345 <13>x")


def test_stream_ending_inside_a_counted_message_is_an_error() -> None:
    framer = StreamFramer(max_bytes=100)
    framer.feed(b"20 <13>short")
    with pytest.raises(FramingError):
        framer.close()

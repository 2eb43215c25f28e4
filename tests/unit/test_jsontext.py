"""JSON text from outside: strict UTF-8, and lone surrogates (which no UTF-8 encoder takes) replaced."""

import pytest

from streams import jsontext


def test_a_lone_surrogate_escape_becomes_the_replacement_character_in_values_and_keys() -> None:
    value = jsontext.loads(b'{"user": {"name": "\\ud800jan", "\\udfffk": ["x\\udc00"]}}')
    assert value == {"user": {"name": "\ufffdjan", "\ufffdk": ["x\ufffd"]}}
    assert value["user"]["name"].encode("utf-8")


def test_a_surrogate_pair_stays_the_character_it_encodes() -> None:
    assert jsontext.loads('{"a": "\\ud83d\\ude00 \\u00e9"}') == {"a": "\U0001f600 \u00e9"}


def test_bytes_must_be_utf_8_where_json_loads_would_pass_cesu_8_surrogates() -> None:
    with pytest.raises(UnicodeDecodeError):
        jsontext.loads(b'{"a": "\xed\xa0\x80"}')


def test_json_errors_are_the_ones_json_loads_raises() -> None:
    with pytest.raises(ValueError, match="Expecting value"):
        jsontext.loads(b"")
    with pytest.raises(RecursionError):
        jsontext.loads(b"[" * 100_000 + b"]" * 100_000)

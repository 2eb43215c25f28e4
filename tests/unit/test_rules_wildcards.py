"""Rule wildcards (``*``, ``?``, ``\\`` escapes) match like the regex they replaced, in linear time (issue 12).

The reference is the translation the engine used before: ``*`` to ``.*``, ``?`` to ``.``, escaped characters
literal, wrapped in ``.*`` for contains/endswith/startswith and matched whole, case-insensitively unless
cased. That regex backtracks quadratically on a value full of the first piece without the second; the
timing checks follow tests/unit/parsers/test_hostile_lines.py: a 200 kB value passes when matched in under
FLOOR seconds or when 4x the length costs under RATIO times the work (linear: about 4; quadratic: about 16).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from incidents.rules.conditions import Field, Keywords, Op, compile_condition
from incidents.rules.examples import event_from_fields
from incidents.rules.wildcards import wildcard_matcher

SMALL, LARGE = 50_000, 200_000
FLOOR, RATIO = 0.05, 10.0
AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
TEXT_OPS = (Op.EQ, Op.CONTAINS, Op.STARTSWITH, Op.ENDSWITH)


def reference(pattern: str, op: Op, *, cased: bool = False) -> re.Pattern[str]:
    """The regex the engine compiled before (incidents/rules/conditions.py until issue 12)."""
    out, escaped = [], False
    for ch in pattern:
        if escaped:
            out.append(re.escape(ch))
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append({"*": ".*", "?": "."}.get(ch, re.escape(ch)))
    if escaped:
        out.append(re.escape("\\"))
    body = "".join(out)
    wrapped = {Op.EQ: body, Op.CONTAINS: f".*{body}.*", Op.STARTSWITH: f"{body}.*", Op.ENDSWITH: f".*{body}"}[op]
    return re.compile(wrapped, re.DOTALL | (0 if cased else re.IGNORECASE))


def predicate(pattern: str, op: Op, *, cased: bool = False):
    test = compile_condition(Field("user.name", op, (pattern,), cased=cased))
    return lambda value: test(event_from_fields({"user.name": value}, AT, "e"))


# small alphabets so that patterns and values meet often: cases, a dotless/dotted i, sharp s, newline
PATTERN_CHARS = st.sampled_from(["a", "b", "A", "B", "*", "?", "\\", ".", "\n", "İ", "ß", "ẞ", "K"])
VALUE_CHARS = st.sampled_from(["a", "b", "A", "B", "*", "?", "\\", ".", "\n", "i", "İ", "ß", "ẞ", "k", "c"])


@settings(max_examples=300)
@given(pattern=st.text(PATTERN_CHARS, max_size=8), value=st.text(VALUE_CHARS, max_size=12),
       op=st.sampled_from(TEXT_OPS), cased=st.booleans())
@example(pattern="a*b", value="aXb", op=Op.EQ, cased=False)
@example(pattern="*a*a*", value="aa", op=Op.EQ, cased=False)  # two pieces may not share a character
@example(pattern="ab\\", value="xAB\\", op=Op.ENDSWITH, cased=False)  # a trailing backslash is literal
@example(pattern="a\\*b", value="a*b", op=Op.CONTAINS, cased=True)
@example(pattern="?", value="\n", op=Op.EQ, cased=False)
def test_a_wildcard_matches_exactly_as_the_regex_it_replaced(pattern: str, value: str, op: Op, cased: bool) -> None:
    expected = reference(pattern, op, cased=cased).fullmatch(value) is not None
    assert predicate(pattern, op, cased=cased)(value) is expected


def test_matching_examples_of_each_operator() -> None:
    assert predicate("adm*n?", Op.EQ)("ADMIN_admin1")
    assert not predicate("adm*n?", Op.EQ)("admin")
    assert predicate("exp*t", Op.CONTAINS)("/api/v1/EXPORT/all")
    assert predicate("/api/*/export", Op.STARTSWITH)("/api/v1/export?all=1")
    assert not predicate("/api/*/export", Op.STARTSWITH)("/web/api/v1/export")
    assert predicate("*.cs?", Op.ENDSWITH)("klanten.CSV")
    assert not predicate("a*b", Op.CONTAINS, cased=True)("A-B")
    assert predicate("a\\*b", Op.EQ)("A*B") and not predicate("a\\*b", Op.EQ)("axb")


def test_keyword_search_uses_the_same_matcher_over_every_string_field() -> None:
    found = compile_condition(Keywords(("mimi*katz",)))
    assert found(event_from_fields({"process.command_line": "C:\\t\\MimiKatz.exe", "host.name": "pc"}, AT, "e"))
    assert not found(event_from_fields({"process.command_line": "katz mimi", "host.name": "pc"}, AT, "e"))


# (pattern, op, value maker, expected): long runs of the first piece without (or only at the very end with)
# the next one, the value the quadratic regex was slowest on
CRAFTED = [
    ("a*b", Op.CONTAINS, lambda n: "a" * n, False),
    ("a*b", Op.CONTAINS, lambda n: "a" * n + "b", True),
    ("*a*b*c*", Op.EQ, lambda n: "ab" * (n // 2), False),
    ("a?a*b?b*c", Op.CONTAINS, lambda n: "aaab" * (n // 4), False),
    ("export*all*", Op.STARTSWITH, lambda n: "export" + "al" * (n // 2), False),
    ("x*x*z", Op.ENDSWITH, lambda n: "x" * n + "y", False),
    ("mimi*katz", "keywords", lambda n: "mimi " * (n // 5), False),
]


def _check(pattern: str, op: Op | str):
    if op == "keywords":
        found = compile_condition(Keywords((pattern,)))
    else:
        found = compile_condition(Field("process.command_line", op, (pattern,)))
    return lambda value: found(event_from_fields({"process.command_line": value}, AT, "e"))


def _cost(check, value: str, expected: bool) -> float:
    best = float("inf")
    for _ in range(2):
        began = time.perf_counter()
        assert check(value) is expected
        best = min(best, time.perf_counter() - began)
    return best


def test_crafted_200_kb_values_match_or_fail_in_linear_time() -> None:
    slow = {}
    for pattern, op, make, expected in CRAFTED:
        check = _check(pattern, op)
        large = _cost(check, make(LARGE), expected)
        if large < FLOOR:
            continue
        small = _cost(check, make(SMALL), expected)
        if large / max(small, 1e-6) >= RATIO:
            slow[f"{op} {pattern}"] = f"{large:.2f} s at 200 kB, {small:.3f} s at 50 kB"
    assert not slow, slow


def test_the_crafted_values_catch_the_quadratic_regex_this_replaced() -> None:
    """The old translation of contains "a*b" takes far longer on 6 kB of "a" than the matcher on 200 kB."""
    began = time.perf_counter()
    assert reference("a*b", Op.CONTAINS).fullmatch("a" * 6_000) is None
    old = time.perf_counter() - began
    assert old > 5 * _cost(_check("a*b", Op.CONTAINS), "a" * LARGE, False)


def test_an_empty_pattern_and_stars_alone() -> None:
    assert wildcard_matcher("")("") and not wildcard_matcher("")("a")
    assert wildcard_matcher("**")("") and wildcard_matcher("***")("anything")
    assert wildcard_matcher("a**b")("ab") and not wildcard_matcher("a**b")("a")

"""S3 bucket policies read as AWS defines "public" (streams.normalise.aws_policy), from the three shapes
producers carry them in: an object, JSON text, and the Java Map.toString text of Elastic's pipeline."""

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.normalise.aws_policy import public
from tests.corpus.producers import java_text
from tests.hostile import examples

EVERYONE_READS = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
TLS_ONLY = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def allow(principal=None, condition=None):
    return {**EVERYONE_READS, "Principal": principal or "*", **({"Condition": condition} if condition else {})}


CASES = [
    ("Principal *", [allow()], True),
    ('Principal {"AWS": "*"}', [allow({"AWS": "*"})], True),
    ('Principal {"AWS": ["*"]}', [allow({"AWS": ["*"]})], True),
    ("TLS-only deny for everyone", [TLS_ONLY], False),
    ("TLS-only deny beside a public read", [TLS_ONLY, allow()], True),
    ("one partner account", [allow({"AWS": "arn:aws:iam::444455556666:root"})], False),
    ("pinned to a VPC endpoint", [allow(condition={"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d"}})], False),
    ("pinned to the organisation", [allow(condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})],
     False),
    ("pinned to an office network", [allow(condition={"IpAddress": {"aws:SourceIp": "145.53.120.0/24"}})], False),
    ("'pinned' to the whole internet", [allow(condition={"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})], True),
    ("a wildcard principal ARN", [allow(condition={"StringLike": {"aws:PrincipalArn": "*"}})], True),
    ("only over TLS, still everyone", [allow(condition={"Bool": {"aws:SecureTransport": "true"}})], True),
    ("an IfExists pin lets requests without the key in",
     [allow(condition={"StringEqualsIfExists": {"aws:SourceVpce": "vpce-0a1b2c3d"}})], True),
]


@pytest.mark.parametrize("statements, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_policy_is_public_in_each_shape_a_producer_writes(statements, expected):
    policy = {"Version": "2012-10-17", "Statement": statements}
    params = {"bucketName": "b", "bucketPolicy": policy}
    shapes = [policy, statements, json.dumps(policy), params, json.dumps(params), java_text(params)]
    assert [public(shape) for shape in shapes] == [expected] * len(shapes)


def test_elastics_java_text_as_its_pipeline_writes_it():
    text = ("{bucketPolicy={Version=2012-10-17, Statement=[{Resource=arn:aws:s3:::b/*, Action=s3:GetObject, "
            "Effect=Allow, Principal=*, Sid=PublicRead}]}, bucketName=b, Host=b.s3.eu-west-1.amazonaws.com}")
    assert public(text) is True
    assert public(text.replace("Effect=Allow", "Effect=Deny")) is False


@pytest.mark.parametrize("text", ["", "not a policy", "{bucketPolicy={Statement=[{Effect=Allow, Principal=*}",
                                  "{a=b}}", "[1, 2", "{=x}"])
def test_text_that_is_no_policy_is_unknown_not_public(text):
    assert public(text) in (None, False)


def _costs(*texts: str, runs: int = 7) -> list[float]:
    """The best of ``runs`` timings of each text, the texts taking turns (a busy spell of the machine then
    slows all of them, not one: CI once gave 8.4x for 4x the text with the large one timed alone)."""
    best = [float("inf")] * len(texts)
    for _ in range(runs):
        for n, text in enumerate(texts):
            began = time.perf_counter()
            public(text)
            best[n] = min(best[n], time.perf_counter() - began)
    return best


@pytest.mark.parametrize("start, unit", [("{", "a=b, "), ("{a=[", "x, "), ("{", "a={"), ("{a=", "*"),
                                         ("{bucketPolicy={Statement=[", "{Effect=Deny, Principal=*}, ")])
def test_crafted_text_costs_linear_time_and_deep_nesting_is_unknown(start, unit):
    """Request parameters are whatever a producer sends: 200 kB of one shape costs about four times 50 kB
    (4.3-4.8x measured), never the square, 16x (each separator once copied the rest of the text), and nesting
    past the recursion limit is unreadable, not a crash."""
    small, large = (start + unit * (n // len(unit)) for n in (50_000, 200_000))
    assert public(large) in (None, False)
    cost_small, cost = _costs(small, large)
    assert cost < 0.02 or cost < 10 * cost_small, (cost, cost_small)


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.just("*"),
                       lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.sampled_from(["Effect", "Principal", "AWS", "Statement", "Condition",
                                                          "bucketPolicy", "aws:SourceIp", "IpAddress", "x"]),
                                         inner, max_size=4),
                       max_leaves=20)


@settings(max_examples=examples(200))
@given(st.one_of(JSONISH, JSONISH.map(java_text), JSONISH.map(json.dumps),
                 st.text(alphabet="{}[]=, *AEPabc:\"", max_size=80)))
def test_any_producer_value_reads_as_true_false_or_unknown_never_an_error(value):
    """Request parameters are attacker-shaped text or objects: the reading never raises."""
    assert public(value) in (True, False, None)

"""Dispatcher behaviour that needs no network: configuration, tag matching, a full queue."""

import asyncio
from pathlib import Path

import pytest

from notifications.alerts import Notification
from notifications.dispatcher import DeliveryQueue, DeliveryStatus, Dispatcher, load_targets
from notifications.errors import ConfigError
from notifications.policy import AlertKind

SECRET_URL = "security=json://user:s3cr3t@127.0.0.1:9/hook"


def note(tags=("security",), key="k"):
    return Notification(key=key, incident_id="i", kind=AlertKind.INCIDENT_OPENED, tags=frozenset(tags),
                        title="t", body="b")


def test_targets_carry_their_tags_and_masked_urls():
    [t] = load_targets([SECRET_URL, ], request_rate_per_sec=0)
    assert t.tags == {"security"} and "s3cr3t" not in t.name
    assert t.addressed_by({"security", "fg"}) and not t.addressed_by({"legal"})


def test_a_bad_url_is_refused_without_echoing_the_secret():
    with pytest.raises(ConfigError) as e:
        load_targets(["security=nosuchscheme://token-s3cr3t@host"])
    assert "#1" in str(e.value) and "s3cr3t" not in str(e.value)


def test_targets_from_an_apprise_yaml_config_file(tmp_path: Path):
    config = tmp_path / "apprise.yml"
    config.write_text("version: 1\nurls:\n  - json://127.0.0.1:9/a:\n      - tag: fg, legal\n"
                      "  - json://127.0.0.1:9/b:\n      - tag: security\n")
    targets = load_targets(config_file=config)
    assert [sorted(t.tags) for t in targets] == [["fg", "legal"], ["security"]]
    with pytest.raises(ConfigError, match="not found"):
        load_targets(config_file=tmp_path / "absent.yml")


async def test_no_matching_target_gives_one_no_target_result():
    [result] = await Dispatcher(load_targets([SECRET_URL])).deliver(note(tags=("legal",)))
    assert (result.status, result.target, result.final) == (DeliveryStatus.NO_TARGET, "-", True)


async def test_a_full_queue_refuses_without_blocking_and_reports_the_drop():
    results = []
    queue = DeliveryQueue(Dispatcher([]), on_result=results.append, max_pending=1)
    assert queue.submit(note(key="a")) is True
    assert queue.submit(note(key="b")) is False
    await asyncio.sleep(0)
    assert [(r.notification_key, r.status, r.detail) for r in results] == [("b", DeliveryStatus.FAILED, "queue full")]

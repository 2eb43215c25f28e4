"""On the real broker: a takeover's later logins reach the incident as updates, as in the offline replay."""

import json

import pytest

from datalek.replay import ReplayOptions, run
from tests.conftest import wait_until
from tests.integration.test_detection_stream import stored_incidents
from tests.integration.test_pipeline import wait_consumed
from tests.unit.test_affected_entities import TAKEN, ransomware, takeover

pytestmark = pytest.mark.kafka


def test_the_stream_and_the_replay_agree_on_affected_accounts_and_unknown_assets(worker_factory, database_url,
                                                                                  tmp_path):
    docs = sorted([*takeover(), ransomware("fs-archief-02")], key=lambda d: d["@timestamp"])
    path = tmp_path / "takeover.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    worker = worker_factory(database_url)
    worker.start()
    sent = worker.cli("ingest", str(path), "--format", "ecs")
    assert sent.returncode == 0, sent.stderr

    records = list(run(path, ReplayOptions(fmt="ecs")))
    replayed = [r for r in records if r["kind"] == "incident"]
    assert [r["kind"] for r in records].count("update") == 2
    assert records[-1]["unknown_assets"] == ["fs-archief-02"]
    wait_until(lambda: len(stored_incidents(database_url)) >= len(replayed), message="the replayed incidents")
    wait_consumed(worker, ["events", "detections"])
    streamed = [{"id": i.id, "asset": i.asset, "asset_known": i.asset_known, "affected": i.affected.to_dict(),
                 "event_ids": list(i.event_ids), "detections": list(i.detection_keys)}
                for i in stored_incidents(database_url)]
    assert streamed == [{k: r[k] for k in streamed[0]} for r in replayed]
    takeover_incident, unknown = sorted(streamed, key=lambda i: i["asset"])[::-1]
    assert takeover_incident["affected"]["accounts"] == sorted(TAKEN)
    assert (unknown["asset"], unknown["asset_known"]) == ("fs-archief-02", False)

"""Wire forms of detections and dead letters (JSON). Kept apart from the domain dataclasses."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from incidents.detection import Affected, Detection

DEAD_LETTER_BYTES = 900_000  # under Kafka's default 1 MB message and request size, with room for the frame
_TIMES = ("window_start", "window_end", "detected_at")


def correlation_key(d: Detection) -> bytes:
    """The Kafka key of a detection: what it correlates by (its asset, or its entity when the asset is
    unknown: IncidentRepository.open_for_entity), so every detection that may join one incident, and every
    update after the detection it extends, is recorded by one consumer in order, never by two at once."""
    return (f"asset={d.asset}" if d.asset else f"entity={d.entity}").encode()


def detection_to_wire(d: Detection) -> dict[str, Any]:
    return {
        "schema": 1, "key": d.key, "rule_id": d.rule_id, "entity": d.entity, "asset": d.asset,
        "breach_type": d.breach_type, "count": d.count, "event_ids": list(d.event_ids),
        "summary": d.summary, "severity": d.severity, **{name: getattr(d, name).isoformat() for name in _TIMES},
        "asset_known": d.asset_known, "affected": d.affected.to_dict(), "extends": d.extends,
    }


def detection_from_wire(data: dict[str, Any]) -> Detection:
    """Raise KeyError/ValueError/TypeError on a malformed record."""
    times = {name: datetime.fromisoformat(data[name]) for name in _TIMES}
    return Detection(
        key=str(data["key"]), rule_id=str(data["rule_id"]), entity=str(data["entity"]),
        asset=data.get("asset"), breach_type=str(data["breach_type"]), count=int(data["count"]),
        event_ids=tuple(str(i) for i in data["event_ids"]), summary=str(data["summary"]),
        severity=str(data.get("severity", "medium")), **times,
        asset_known=data.get("asset_known", True) is not False, affected=Affected.from_dict(data.get("affected")),
        extends=None if data.get("extends") is None else str(data["extends"]),
    )


def dead_letter(*, reason: str, topic: str, partition: int | None, offset: int | None,
                payload: Any, index: int = -1) -> dict[str, Any]:
    """A dead-letter record: the original payload plus why and where it was rejected."""
    return {"reason": reason, "topic": topic, "partition": partition, "offset": offset,
            "index": index, "payload": payload}


def fit(record: dict[str, Any], *, limit: int) -> bytes:
    """The dead-letter record as JSON of at most ``limit`` bytes: an oversized payload is cut (as text) and
    the record says so, with the payload's original size in bytes."""
    encoded = json.dumps(record, default=str).encode()
    if len(encoded) <= limit:
        return encoded
    payload = record["payload"]
    text = payload if isinstance(payload, str) else json.dumps(payload, default=str)
    size = len(text.encode())
    room = max(0, limit - (len(encoded) - size) - 512)  # the rest of the record, escapes and the new fields
    cut = text.encode()[:room].decode("utf-8", errors="ignore")
    fitted = {**record, "payload": cut, "truncated": True, "payload_bytes": size}
    encoded = json.dumps(fitted, default=str).encode()
    while len(encoded) > limit:  # JSON escapes made the text longer than its bytes: cut more
        cut = cut[: len(cut) * 3 // 4]
        encoded = json.dumps({**fitted, "payload": cut}, default=str).encode()
    return encoded

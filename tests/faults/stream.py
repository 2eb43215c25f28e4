"""A seeded stream for the fault suite: a day-shift of ordinary use with attack bursts and near misses.

    .venv/bin/python -m tests.faults.stream out.jsonl [--events 30000] [--seed 7]

ECS documents (https://www.elastic.co/guide/en/ecs/current/ecs-allowed-values-event-category.html): login
events are ``event.category: [authentication]``, ``event.type: [start]`` (or ``[info]``) with
``event.outcome`` success/failure; record views are ``[database]`` / ``[access]``. As producers vary them,
about half are nested objects and half dotted keys, some carry no ``event.id`` and timestamps come with
``Z`` or ``+00:00``, with or without milliseconds. Addresses are documentation ranges (RFC 5737, 3849).

Noise: one event per second - 300 customers logging in to the customer portal from their own address
(IPv4 or IPv6), mistyping now and then, and staff viewing CRM records. Every 12 minutes a burst, in turn:
brute force (12-20 failures within two minutes from one source), password spraying (12-15 accounts, one
failure every 25 s), credential stuffing then success (6-8 accounts
within two minutes, a success three minutes later); and beside each, its near miss (9 failures; 9
accounts; 4 accounts then a success; a customer failing twice then logging in).
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
CUSTOMERS = 300
BURST_EVERY = 720  # seconds
ACTIONS = ("login", "web_login")
# systems attacked in turn: each sees a burst every 84 minutes, beyond the one-hour correlation window
TARGETS = (("klantportaal", "portal-web-01"), ("facturatie", "billing-app-01"), ("mail", "mx-01"),
           ("documentopslag", "dms-01"), ("werkplekken", "ws-gw-01"), ("gespreksopnames", "rec-01"),
           ("website-analytics", "stats-01"))


def _stamp(at: datetime, rng: random.Random) -> str:
    text = at.isoformat(timespec="milliseconds" if rng.random() < 0.5 else "seconds")
    return text.replace("+00:00", "Z") if rng.random() < 0.6 else text


def _customer_ip(n: int) -> str:
    return f"2001:db8:24:{n:x}::1" if n % 3 == 0 else f"198.51.100.{n % 250 + 1}" if n < 250 else f"192.0.2.{n - 249}"


def login(at: datetime, rng: random.Random, *, ip: str, user: str, ok: bool,
          target: tuple[str, str] | None = None) -> dict[str, Any]:
    asset, host = target or ("klantportaal", f"portal-web-0{rng.randrange(1, 3)}")
    return {"@timestamp": _stamp(at, rng), "category": ["authentication"],
            "type": ["start"] if ok else ["start", "info"], "action": rng.choice(ACTIONS),
            "outcome": "success" if ok else "failure", "ip": ip, "user": user, "asset": asset,
            "host": host, "dataset": f"{asset}.auth"}


def record_view(at: datetime, rng: random.Random) -> dict[str, Any]:
    return {"@timestamp": _stamp(at, rng), "category": ["database"], "type": ["access"], "action": "record_view",
            "outcome": "success", "user": f"medewerker{rng.randrange(40)}", "asset": "crm", "host": "crm-db-01",
            "dataset": "crm.audit", "records": rng.randrange(1, 20)}


def _ecs(doc: dict[str, Any], n: int, rng: random.Random) -> dict[str, Any]:
    """The same event as a producer writes it: nested objects or dotted keys, with or without an id."""
    event = {"category": doc["category"], "type": doc["type"], "action": doc["action"], "outcome": doc["outcome"],
             "kind": "event", "dataset": doc["dataset"]}
    if rng.random() < 0.9:
        event["id"] = f"fs-{n:06d}"
    out: dict[str, Any] = {"@timestamp": doc["@timestamp"], "datalek": {"schema": 1, "asset": doc["asset"]},
                           "event": event, "user": {"name": doc["user"]}, "host": {"name": doc["host"]}}
    if "ip" in doc:
        out["source"] = {"ip": doc["ip"]}
    if "records" in doc:
        out["datalek"]["records"] = doc["records"]
    return out if rng.random() < 0.5 else _dotted(out)


def _dotted(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            flat.update(_dotted(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def noise(second: int, rng: random.Random) -> dict[str, Any]:
    at = T0 + timedelta(seconds=second, milliseconds=rng.randrange(1000))
    if rng.random() < 0.2:
        return record_view(at, rng)
    n = rng.randrange(CUSTOMERS)
    return login(at, rng, ip=_customer_ip(n), user=f"klant{n}", ok=rng.random() > 0.08)


def burst(index: int, start: datetime, rng: random.Random) -> list[dict[str, Any]]:
    """Attack ``index`` (kind by index % 3) and its near miss, both starting at ``start``."""
    src, near = f"203.0.113.{index % 250 + 1}", f"192.0.2.{200 + index % 50}"
    victim = f"klant{rng.randrange(CUSTOMERS)}"
    target = TARGETS[index % len(TARGETS)]

    def hit(seconds: float, ip: str, user: str, ok: bool = False) -> dict[str, Any]:
        return login(start + timedelta(seconds=seconds), rng, ip=ip, user=user, ok=ok, target=target)

    def account(salt: int, i: int) -> str:
        return f"klant{(index * salt + i) % CUSTOMERS}"

    kind = index % 3
    if kind == 0:  # brute force, and a source stopping at 9 failures
        attack = [hit(i * rng.uniform(4, 7), src, victim) for i in range(rng.randrange(12, 21))]
        miss = [hit(30 + i * 20, near, victim) for i in range(9)]
    elif kind == 1:  # spraying, and 9 accounts only
        attack = [hit(i * 25, src, account(17, i)) for i in range(rng.randrange(12, 16))]
        miss = [hit(10 + i * 40, near, account(29, i)) for i in range(9)]
    else:  # stuffing then success, and 4 accounts then a success
        users = [account(13, i) for i in range(rng.randrange(6, 9))]
        attack = [hit(i * 15, src, u) for i, u in enumerate(users)] + [hit(300, src, users[-1], True)]
        miss = [hit(20 + i * 15, near, account(31, i)) for i in range(4)] + [hit(320, near, account(31, 0), True)]
    typo = rng.randrange(CUSTOMERS)
    miss += [login(start + timedelta(seconds=60 + i * 9), rng, ip=_customer_ip(typo), user=f"klant{typo}",
                   ok=i == 2) for i in range(3)]
    return attack + miss


def generate(events: int, *, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``events`` ECS documents (noise plus bursts), in event-time order."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    docs: list[dict[str, Any]] = []
    second = index = 0
    while len(docs) < events:
        docs.append(noise(second, rng))
        second += 1
        if second % BURST_EVERY == 300:
            docs.extend(burst(index, T0 + timedelta(seconds=second), rng))
            index += 1
    docs = docs[:events]
    docs.sort(key=lambda d: datetime.fromisoformat(d["@timestamp"].replace("Z", "+00:00")))
    for n, doc in enumerate(docs):
        yield _ecs(doc, n, rng)


def write(path: Path, events: int, *, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for doc in generate(events, seed=seed):
            out.write(json.dumps(doc, separators=(",", ":")) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.path, args.events, seed=args.seed)


if __name__ == "__main__":
    main()

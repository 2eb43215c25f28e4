"""Writes the shipped scenario deterministically: normal portal traffic plus a password-guessing burst.

python datalek/scenarios/generate.py > datalek/scenarios/24online-password-guessing.jsonl
"""

import json
import random
from datetime import UTC, datetime, timedelta

rng = random.Random(24)  # noqa: S311 - a reproducible scenario, not security
start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ASSET = "klantportaal"  # the customer portal of 24 Online (see the data inventory)
events = []


def event(ts, action, outcome, user, ip, category="authentication"):
    """ECS categorisation as the portal sends it: a login starts a session attempt, a page view is a web access."""
    etype = {"authentication": "start", "web": "access"}[category]
    return {"@timestamp": ts.isoformat().replace("+00:00", "Z"), "datalek": {"schema": 1, "asset": ASSET},
            "event": {"kind": "event", "category": [category], "type": [etype], "action": action,
                      "outcome": outcome, "dataset": "portal.auth"},
            "user": {"name": user}, "source": {"ip": ip}, "host": {"name": "portal-web-01"}}


for n in range(60):  # ordinary logins and page views over half an hour, a few typos among them
    ts = start + timedelta(seconds=30 * n + rng.randint(0, 20))
    user, ip = f"klant{rng.randint(1000, 9999)}", f"198.51.100.{rng.randint(2, 250)}"
    if n % 13 == 5:
        events.append(event(ts, "login", "failure", user, ip))
    events.append(event(ts + timedelta(seconds=2), "login", "success", user, ip))
    events.append(event(ts + timedelta(seconds=5), "page_view", "success", user, ip, category="web"))

burst = start + timedelta(minutes=12)
for n in range(30):  # one source guesses passwords for a handful of accounts within two minutes
    events.append(event(burst + timedelta(seconds=4 * n), "login", "failure",
                        f"klant{2000 + n % 4}", "203.0.113.77"))

events.sort(key=lambda e: e["@timestamp"])
for n, e in enumerate(events):
    e["event"]["id"] = f"24online-portal-{n:05d}"
    print(json.dumps(e, separators=(",", ":")))

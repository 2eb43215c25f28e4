"""Real logs: loghub's OpenSSH_2k.log (a lab server under attack, 10 Dec, 06:55-11:04 UTC) replayed offline.

Failed SSH logins (``ssh_login`` failure) per source in the file, and what the shipped rules make of them
(brute force: >= 10 failures from one source in a 5-minute window; password spraying: >= 10 distinct
accounts from one source in 10 minutes; a group stays quiet for an hour after it fired):

    source            failures  span (UTC)      brute-force detections   spraying detections
    183.62.140.253    286       10:54 - 11:04   1 (10:50 window)         1
    187.141.143.180    80       09:12 - 09:20   1 (09:10 window)         1
    103.99.0.122       46       09:11 - 11:04   2 (09:10 and 11:00)      2
    112.95.230.3       26       07:27 - 07:28   1 (07:25 window)         0 (3 accounts)
    5.188.10.180       20       08:24 - 08:26   1 (08:25 window)         0 (7 accounts)
    185.190.58.151     18       09:07 - 09:12   1 (09:10 window)         0 (4 accounts)
    18 other sources  <= 7 each                 0                        0
    119.137.62.142      0       the one accepted login (user fztu, 09:32)  -> nothing

All hit the same host (asset LabSZ), so correlation (same asset within an hour) makes two incidents:
07:28-09:17 with 7 detections (the first five sources) and 10:54-11:04 with 4 (183.62.140.253, 103.99.0.122).
"""


import pytest

from datalek.replay import ReplayOptions, run
from datalek.rules import DEFAULT_RULES
from tests.datasets import LOGHUB_OPENSSH

LOG = LOGHUB_OPENSSH
pytestmark = pytest.mark.skipif(not LOG.exists(), reason="loghub dataset not available")

BRUTE_FORCE = {"183.62.140.253": 1, "187.141.143.180": 1, "103.99.0.122": 2, "112.95.230.3": 1,
               "5.188.10.180": 1, "185.190.58.151": 1}
SPRAYING = {"183.62.140.253": 1, "187.141.143.180": 1, "103.99.0.122": 2}
LEGITIMATE = "119.137.62.142"


def per_source(records, rule_id):
    found: dict[str, int] = {}
    for r in records:
        if r["kind"] == "detection" and r["rule_id"] == rule_id:
            ip = r["entity"].removeprefix("source.ip=")
            found[ip] = found.get(ip, 0) + 1
    return found


@pytest.fixture(scope="module")
def records():
    return list(run(LOG, ReplayOptions(fmt="openssh", year=2026)))


def test_every_line_of_the_real_log_becomes_an_event(records):
    assert records[-1]["events"] == 2008 and records[-1]["rejected"] == 0


def test_sources_that_hammer_the_server_get_brute_force_detections(records):
    assert per_source(records, "auth.repeated_failures") == BRUTE_FORCE
    assert per_source(records, "auth.password_spraying") == SPRAYING
    assert {r["rule_id"] for r in records if r["kind"] == "detection"} == {"auth.repeated_failures",
                                                                         "auth.password_spraying"}


def test_they_correlate_into_two_incidents_on_the_attacked_host(records):
    incidents = [r for r in records if r["kind"] == "incident"]
    assert [(i["asset"], i["opened_at"], len(i["detections"])) for i in incidents] == [
        ("LabSZ", "2026-12-10T07:28:14+00:00", 7), ("LabSZ", "2026-12-10T10:54:47+00:00", 4)]
    assert all(i["breach_types"] == ["confidentiality"] for i in incidents)
    sources = [{d.split("|")[2] for d in i["detections"]} for i in incidents]
    assert sources == [{f"source.ip={ip}" for ip in ("112.95.230.3", "5.188.10.180", "103.99.0.122",
                                                     "185.190.58.151", "187.141.143.180")},
                       {"source.ip=183.62.140.253", "source.ip=103.99.0.122"}]


def test_the_single_legitimate_login_yields_nothing(records):
    assert not any(LEGITIMATE in r.get("entity", "") for r in records)
    assert "auth.stuffing_then_success" not in {r.get("rule_id") for r in records}


def test_the_sigma_example_rules_find_the_same_sources():
    sigma = list(run(LOG, ReplayOptions(fmt="openssh", year=2026, default_rules=False,
                                        rules_dirs=(DEFAULT_RULES / "examples" / "sigma",))))
    assert per_source(sigma, "sigma.ssh_brute_force") == BRUTE_FORCE
    assert per_source(sigma, "sigma.password_spraying") == SPRAYING

"""Write the detection-quality corpus: every case file under tests/corpus/cases/, reproducibly.

    python tests/corpus/generate.py          # (re)write the files
    python tests/corpus/generate.py --check  # exit 1 when a file differs from what this writes

Files over 100 kB (the bulk bursts and working days) are not committed: ``materialise()`` writes them
on demand (the quality script and the corpus test call it) and cases/.gitignore lists them.

Each case is a function that returns the records of one file in the producer's own format (see
producers.py and README.md); a seeded random generator per file gives the bulk (bursts, working days),
so the files are byte-for-byte reproducible. The labels are NOT made here: they are in manifest.yml,
written by hand from what each case contains.
"""

from __future__ import annotations

import json
import random
import sys
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from tests.corpus.producers import (  # noqa: E402
    DOMAIN,
    INTERRUPTS,
    PLACES,
    Ids,
    assumed_role,
    at,
    bsd,
    cloudtrail,
    combined,
    elastic_cloudtrail,
    elastic_o365,
    elastic_okta,
    elastic_system_auth,
    gws,
    iam_user,
    journal,
    local,
    m365,
    m365_file,
    m365_login,
    o365_elastic,
    okta,
    rfc5424,
    s3_object,
    vector_journald,
    win_logon,
    winlogbeat,
    zulu,
)

ROOT = Path(__file__).resolve().parent / "cases"
Record = str | dict[str, Any]
Case = Callable[[Ids], list[Record]]
CASES: dict[str, tuple[Case, str]] = {}


def case(path: str, shape: str = "lines") -> Callable[[Case], Case]:
    """Register a case file. shape: lines (text or JSON Lines), array (one JSON array), records
    (CloudTrail's S3 log-file object {"Records": [...]}), pretty (indented JSON documents)."""
    def register(fn: Case) -> Case:
        CASES[path] = (fn, shape)
        return fn
    return register


def every(start: datetime, count: int, step: float, jitter: float = 0.0, rng: random.Random | None = None
          ) -> Iterator[datetime]:
    for n in range(count):
        extra = rng.uniform(0, jitter) if rng and jitter else 0.0
        yield start + timedelta(seconds=n * step + extra)


STAFF = [f"medewerker{n}" for n in range(1, 10)]
OFFICE_IP = "145.53.120.18"  # the office's NAT address
HOME_IPS = ["84.104.22.7", "77.161.40.212", "62.45.190.33", "86.81.5.140", "94.211.73.9"]
KLANTEN = ["j.devries", "s.bakker", "m.jansen", "a.visser", "p.smit", "l.meijer", "r.mulder", "e.bos",
           "t.vos", "k.peters", "h.hendriks", "n.dekker", "w.vanleeuwen", "d.brouwer", "f.dejong", "c.degroot"]


# ======================================================================= auth.repeated_failures

@case("brute-force/linux-debian.attack.log")
def brute_debian(ids: Ids) -> list[Record]:
    """sshd password guessing on a portal web server: sshd's own line per attempt, pam_unix's note beside it."""
    lines, ip = [], "203.0.113.7"
    for n, moment in enumerate(every(at("02:10:05"), 14, 9.0, 3.0, ids.rng)):
        pid, port = ids.pid(), ids.port()
        user = "root" if n % 3 else "admin"
        if user == "admin":
            lines.append(bsd(moment, "portal-web-01", f"sshd[{pid}]", f"Invalid user admin from {ip} port {port}"))
            lines.append(bsd(moment, "portal-web-01", f"sshd[{pid}]",
                             "pam_unix(sshd:auth): check pass; user unknown"))
            lines.append(bsd(moment, "portal-web-01", f"sshd[{pid}]",
                             f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                             f"ruser= rhost={ip}"))
            lines.append(bsd(moment + timedelta(seconds=2), "portal-web-01", f"sshd[{pid}]",
                             f"Failed password for invalid user admin from {ip} port {port} ssh2"))
        else:
            lines.append(bsd(moment, "portal-web-01", f"sshd[{pid}]",
                             f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                             f"ruser= rhost={ip}  user=root"))
            lines.append(bsd(moment + timedelta(seconds=2), "portal-web-01", f"sshd[{pid}]",
                             f"Failed password for root from {ip} port {port} ssh2"))
        who = "invalid user admin" if user == "admin" else "authenticating user root"
        lines.append(bsd(moment + timedelta(seconds=3), "portal-web-01", f"sshd[{pid}]",
                         f"Connection closed by {who} {ip} port {port} [preauth]"))
    return lines


@case("brute-force/linux-rhel.attack.log")
def brute_rhel(ids: Ids) -> list[Record]:
    """An older RHEL-style /var/log/secure mixed into messages: sshd logs via sshd(pam_unix) only."""
    lines, ip = [], "198.51.100.23"
    lines.append(bsd(at("03:59:01"), "billing-app-01", "crond[2210]", "(root) CMD (run-parts /etc/cron.hourly)"))
    for n, moment in enumerate(every(at("04:00:10"), 13, 12.0, 4.0, ids.rng)):
        pid = ids.pid()
        if n % 4 == 3:
            lines.append(bsd(moment, "billing-app-01", f"sshd(pam_unix)[{pid}]", "check pass; user unknown"))
        lines.append(bsd(moment, "billing-app-01", f"sshd(pam_unix)[{pid}]",
                         f"authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={ip}"
                         + ("" if n % 4 == 3 else "  user=root")))
    lines.append(bsd(at("04:05:01"), "billing-app-01", "crond[2301]", "(root) CMD (/usr/lib64/sa/sa1 1 1)"))
    lines.append(bsd(at("04:06:12"), "billing-app-01", "syslogd 1.4.1", "restart."))
    return lines


@case("brute-force/linux-rfc5424.attack.log")
def brute_rfc5424(ids: Ids) -> list[Record]:
    """sshd on a newer host forwarding RFC 5424 (rsyslog RSYSLOG_SyslogProtocol23Format), local time stamps."""
    lines, ip, host = [], "198.51.100.99", "crm-app-02"
    for n, moment in enumerate(every(at("06:40:02"), 12, 15.0, 3.0, ids.rng)):
        pid, port = ids.pid(), ids.port()
        user = "root" if n % 2 else "postgres"
        lines.append(rfc5424(moment, host, "sshd", pid, f"Failed password for {user} from {ip} port {port} ssh2",
                             pri=38))
        lines.append(rfc5424(moment + timedelta(seconds=1), host, "sshd", pid,
                             f"Connection closed by authenticating user {user} {ip} port {port} [preauth]", pri=38))
    return lines


ANSIBLE = "10.20.1.40"  # the configuration-management host
LINUX_HOSTS = ("portal-web-01", "portal-web-02", "crm-app-01", "crm-app-02", "billing-app-01", "files-01")


def _ansible_run(ids: Ids, start: datetime) -> list[tuple[datetime, str, int, str]]:
    """(moment, host, sshd pid, message) of a playbook run over the Linux hosts from the control node, with
    LogLevel VERBOSE (CIS 5.2.5): the deploy user's agent offers two keys the hosts do not accept ("Failed
    publickey"; sshd logs them at INFO too from MaxAuthTries/2 on) before the right one. No ControlPersist
    (paramiko): a connection per task, so the CRM database role's seven tasks give crm-app-01 fourteen refused
    key offers within a minute."""
    out, rng = [], ids.rng
    for n, host in enumerate(LINUX_HOSTS + ("crm-app-01",) * 6):
        moment = start + timedelta(seconds=4 * n + rng.randint(0, 2))
        pid, port = ids.pid(), ids.port()
        for key in ("RSA", "ECDSA"):
            out.append((moment, host, pid, f"Failed publickey for deploy from {ANSIBLE} port {port} ssh2: {key} "
                                           f"SHA256:{ids.alnum(43)}"))
        out.append((moment + timedelta(seconds=1), host, pid,
                    f"Accepted publickey for deploy from {ANSIBLE} port {port} ssh2: ED25519 SHA256:{ids.alnum(43)}"))
    return out


@case("brute-force/linux-debian.ansible.near.log")
def brute_debian_ansible(ids: Ids) -> list[Record]:
    """The nightly playbook run in auth.log: refused key offers from one address, 14 of them on one host."""
    return [bsd(moment, host, f"sshd[{pid}]", message) for moment, host, pid, message in
            sorted(_ansible_run(ids, at("02:00:03")))]


@case("brute-force/elastic-system-auth.ansible.near.jsonl")
def brute_elastic_ansible(ids: Ids) -> list[Record]:
    """The same run through Elastic Agent's system integration (system.auth.ssh.method: publickey)."""
    docs = []
    for moment, host, _, message in sorted(_ansible_run(ids, at("02:00:03"))):
        accepted = message.startswith("Accepted")
        docs.append(elastic_system_auth(ids, moment, host, message, action="ssh_login",
                                        outcome="success" if accepted else "failure", user="deploy", ip=ANSIBLE,
                                        port=int(message.split(" port ")[1].split()[0]), method="publickey",
                                        ssh_event="Accepted" if accepted else "Failed"))
    return docs


@case("brute-force/linux-journald.attack.jsonl")
def brute_journald(ids: Ids) -> list[Record]:
    """A Debian 13 host without rsyslog (OpenSSH 9.8+: the per-connection process is ``sshd-session``), read
    with ``journalctl -o json``: the guesses, pam_unix beside them, other units' entries between them, one
    guessed name that is not UTF-8 (MESSAGE as byte values)."""
    entries, ip, host = [], "203.0.113.44", "files-01"
    entries.append(journal(ids, at("00:59:58"), host, "systemd", 1, "Starting apt-daily.service - Daily apt "
                           "download activities...", unit="init.scope", transport="journal"))
    for n, moment in enumerate(every(at("01:00:07"), 13, 10.0, 3.0, ids.rng)):
        pid, port = ids.pid(), ids.port()
        user = ("root", "ubuntu", "root", "backup")[n % 4]
        invalid = user in ("ubuntu", "backup")
        if invalid:
            entries.append(journal(ids, moment, host, "sshd-session", pid,
                                   f"Invalid user {user} from {ip} port {port}"))
        entries.append(journal(ids, moment, host, "sshd-session", pid,
                               "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                               f"ruser= rhost={ip}" + ("" if invalid else f"  user={user}")))
        failed = f"Failed password for {'invalid user ' if invalid else ''}{user} from {ip} port {port} ssh2"
        # one guessed name in Latin-1, not UTF-8: journalctl writes that MESSAGE as an array of byte values
        message = failed.encode().replace(b"ubuntu", b"\xfcbuntu") if n == 5 else failed
        entries.append(journal(ids, moment + timedelta(seconds=2), host, "sshd-session", pid, message))
        entries.append(journal(ids, moment + timedelta(seconds=3), host, "sshd-session", pid,
                               f"Connection closed by {'invalid' if invalid else 'authenticating'} user {user} {ip} "
                               f"port {port} [preauth]"))
    entries.append(journal(ids, at("01:03:01"), host, "kernel", 0, "[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8a:11:02 "
                           f"SRC={ip} DST=10.0.4.7 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=2211 DF PROTO=TCP SPT=44410 "
                           "DPT=3306 WINDOW=64240 RES=0x00 SYN URGP=0", unit="", transport="kernel"))
    return entries


@case("spraying/linux-journald.attack.jsonl")
def spraying_journald(ids: Ids) -> list[Record]:
    """One password against twelve accounts over ssh, forwarded by Vector's journald source."""
    ip, host = "198.51.100.71", "crm-app-01"
    return [vector_journald(moment, host, "sshd", ids.pid(),
                            f"Failed password for {user} from {ip} port {ids.port()} ssh2")
            for user, moment in zip(STAFF + ["deploy", "postgres", "backup"],
                                    every(at("10:10:06"), 12, 40.0, 5.0, ids.rng), strict=False)]


@case("brute-force/linux-journald.near.jsonl")
def brute_journald_near(ids: Ids) -> list[Record]:
    """A working day on the same host in the journal: key logins, a typo then success, sudo, timers."""
    entries, host, rng = [], "files-01", ids.rng
    for n, hour in enumerate((7, 9, 11, 13, 15, 16)):
        admin, ip = ("medewerker3", "10.20.1.15") if n % 2 else ("medewerker8", "10.20.1.31")
        moment = at(f"{hour:02d}:{rng.randint(0, 50):02d}:{rng.randint(0, 59):02d}")
        pid, port = ids.pid(), ids.port()
        if n in (1, 4):
            entries.append(journal(ids, moment - timedelta(seconds=20), host, "sshd-session", pid,
                                   f"Failed password for {admin} from {ip} port {port} ssh2"))
        entries.append(journal(ids, moment, host, "sshd-session", pid,
                               f"Accepted publickey for {admin} from {ip} port {port} ssh2: ED25519 "
                               f"SHA256:{ids.alnum(43)}"))
        entries.append(journal(ids, moment, host, "sshd-session", pid,
                               f"pam_unix(sshd:session): session opened for user {admin}(uid=1003) by {admin}(uid=0)"))
        entries.append(journal(ids, moment + timedelta(minutes=2), host, "sudo", ids.pid(),
                               f"{admin} : TTY=pts/0 ; PWD=/home/{admin} ; USER=root ; COMMAND=/usr/bin/journalctl "
                               "-u nginx", unit=f"session-{rng.randint(100, 999)}.scope"))
        entries.append(journal(ids, moment + timedelta(minutes=30), host, "systemd", 1,
                               "Finished logrotate.service - Rotate log files.", unit="init.scope",
                               transport="journal"))
    return entries


@case("brute-force/linux-rhel.near.log")
def brute_rhel_near(ids: Ids) -> list[Record]:
    """A day on the old RHEL billing host: the admins' logins through sshd(pam_unix), one mistyped password
    each morning, su to the application account, cron every ten minutes."""
    lines, rng, host = [], ids.rng, "billing-app-01"
    for n in range(6 * 14):  # cron every ten minutes, 06:00-20:00
        moment = at("06:00:01") + timedelta(minutes=10 * n)
        lines.append(bsd(moment, host, f"crond[{ids.pid()}]", "(root) CMD (/usr/lib64/sa/sa1 1 1)"))
    for admin, start in (("medewerker3", "07:42:10"), ("medewerker8", "08:15:33")):
        pid = ids.pid()
        lines.append(bsd(at(start), host, f"sshd(pam_unix)[{pid}]",
                         f"authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=10.20.1.15  "
                         f"user={admin}"))
        for hour in range(4):
            moment = at(start) + timedelta(minutes=1, hours=2 * hour, seconds=rng.randint(0, 300))
            pid = ids.pid()
            lines.append(bsd(moment, host, f"sshd(pam_unix)[{pid}]", f"session opened for user {admin} by (uid=0)"))
            lines.append(bsd(moment + timedelta(minutes=2), host, f"su(pam_unix)[{ids.pid()}]",
                             f"session opened for user billing by {admin}(uid=500)"))
            lines.append(bsd(moment + timedelta(minutes=40), host, f"sshd(pam_unix)[{pid}]",
                             f"session closed for user {admin}"))
    return sorted(lines, key=_bsd_sort_key)


@case("brute-force/linux-rfc5424.near.log")
def brute_rfc5424_near(ids: Ids) -> list[Record]:
    """The CRM host's working day in RFC 5424: key logins, one typo then success, disconnects."""
    lines, rng, host = [], ids.rng, "crm-app-02"
    for n in range(10):
        admin, ip = ("medewerker3", "10.20.1.15") if n % 2 else ("medewerker8", "10.20.1.31")
        moment = at("07:30:00") + timedelta(minutes=50 * n + rng.randint(0, 20))
        pid, port = ids.pid(), ids.port()
        if n in (2, 7):
            lines.append(rfc5424(moment - timedelta(seconds=15), host, "sshd", pid,
                                 f"Failed password for {admin} from {ip} port {port} ssh2", pri=38))
        lines.append(rfc5424(moment, host, "sshd", pid, f"Accepted password for {admin} from {ip} port {port} ssh2",
                             pri=38))
        lines.append(rfc5424(moment + timedelta(minutes=25), host, "sshd", pid,
                             f"Disconnected from user {admin} {ip} port {port}", pri=38))
    return lines


@case("spraying/linux-journald.near.jsonl")
def spraying_journald_near(ids: Ids) -> list[Record]:
    """Vector's journald source on the CRM host: the team's key logins from the office through the morning,
    two of them after a mistyped passphrase fallback (a password prompt, one failure each)."""
    docs, rng, host = [], ids.rng, "crm-app-01"
    for n, user in enumerate(STAFF):
        moment = at("08:00:00") + timedelta(minutes=7 * n + rng.randint(0, 3))
        if n in (1, 6):
            docs.append(vector_journald(moment - timedelta(seconds=12), host, "sshd", ids.pid(),
                                        f"Failed password for {user} from {OFFICE_IP} port {ids.port()} ssh2"))
        docs.append(vector_journald(moment, host, "sshd", ids.pid(),
                                    f"Accepted publickey for {user} from {OFFICE_IP} port {ids.port()} ssh2: "
                                    f"ED25519 SHA256:{ids.alnum(43)}"))
    return docs


@case("brute-force/windows-security.attack.jsonl")
def brute_windows(ids: Ids) -> list[Record]:
    """RDP password guessing against the file server, 4625 per attempt (some shipped without the module)."""
    docs = []
    for n, moment in enumerate(every(at("01:20:03"), 16, 11.0, 2.0, ids.rng)):
        user = ("Administrator", "administrator", "admin")[n % 3]
        docs.append(win_logon(ids, moment, "files-01.24online.local", user, "203.0.113.9", failed=True,
                              logon_type="3", module=n % 4 != 1, numeric_code=n % 5 == 0))
    return docs


@case("brute-force/web-combined.attack.log")
def brute_web(ids: Ids) -> list[Record]:
    """Password guessing against the portal's login API (JSON: 401 on a wrong password)."""
    lines, ip = [], "203.0.113.50"
    for moment in every(at("03:15:02"), 30, 6.0, 2.0, ids.rng):
        lines.append(combined(moment, ip, "-", "POST /api/v1/login HTTP/1.1", 401, 61,
                              agent="python-requests/2.32.3"))
    return lines


@case("brute-force/cloudtrail.attack.json", shape="records")
def brute_cloudtrail(ids: Ids) -> list[Record]:
    """AWS console password guessing for one IAM user (CloudTrail log file with a Records array)."""
    records = []
    for moment in every(at("05:30:04"), 12, 14.0, 3.0, ids.rng):
        records.append(cloudtrail(
            ids, moment, "signin.amazonaws.com", "ConsoleLogin",
            {"type": "IAMUser", "principalId": f"AIDA{ids.alnum(17)}", "accountId": "111122223333",
             "accessKeyId": "", "userName": "medewerker5"},
            "203.0.113.81", response={"ConsoleLogin": "Failure"}, region="us-east-1", event_type="AwsConsoleSignIn",
            extra={"additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home",
                                           "MobileVersion": "No", "MFAUsed": "No"},
                   "errorMessage": "Failed authentication"}))
    return records


@case("brute-force/linux-debian.near.log")
def brute_debian_near(ids: Ids) -> list[Record]:
    """A working day on two Linux hosts: key logins, typos then success, sudo, cron, a one-off failure."""
    lines = []
    rng = ids.rng
    admins = (("portal-web-01", "medewerker3", "10.20.1.15"), ("crm-app-01", "medewerker8", "10.20.1.31"))
    for host, admin, ip in admins:
        for hour in (7, 9, 11, 13, 15):
            moment = at(f"{hour:02d}:{rng.randint(0, 50):02d}:{rng.randint(0, 59):02d}")
            pid, port = ids.pid(), ids.port()
            lines.append(bsd(moment, host, f"sshd[{pid}]",
                             f"Accepted publickey for {admin} from {ip} port {port} ssh2: "
                             f"ED25519 SHA256:{ids.alnum(43)}"))
            lines.append(bsd(moment, host, f"sshd[{pid}]",
                             f"pam_unix(sshd:session): session opened for user {admin}(uid=1003) by (uid=0)"))
            lines.append(bsd(moment + timedelta(seconds=1), host, "systemd-logind[612]",
                             f"New session {rng.randint(100, 999)} of user {admin}."))
            lines.append(bsd(moment + timedelta(minutes=3), host, "sudo",
                             f"{admin} : TTY=pts/0 ; PWD=/home/{admin} ; USER=root ; COMMAND=/usr/bin/systemctl "
                             "status nginx"))
            lines.append(bsd(moment + timedelta(minutes=9), host, f"sshd[{pid}]",
                             f"pam_unix(sshd:session): session closed for user {admin}"))
    # typos then success: connections of three wrong passwords each (sshd's line per attempt, PAM's note
    # beside it and PAM's summary at the end), then in. medewerker1 needs two connections: 6 attempts, but
    # 14 lines that say "failure" -- counting notes as attempts would call this a brute force.
    typos = ((at("08:02:10"), "medewerker1", "10.20.1.44", 2), (at("14:31:40"), "medewerker2", "10.20.1.52", 1))
    for start, user, ip, connections in typos:
        for c in range(connections):
            pid, port = ids.pid(), ids.port()
            begin = start + timedelta(seconds=30 * c)
            for n in range(3):
                moment = begin + timedelta(seconds=6 * n)
                lines.append(bsd(moment, "portal-web-01", f"sshd[{pid}]",
                                 f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
                                 f"rhost={ip}  user={user}"))
                lines.append(bsd(moment + timedelta(seconds=2), "portal-web-01", f"sshd[{pid}]",
                                 f"Failed password for {user} from {ip} port {port} ssh2"))
            lines.append(bsd(begin + timedelta(seconds=20), "portal-web-01", f"sshd[{pid}]",
                             f"PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  "
                             f"user={user}"))
        pid, port = ids.pid(), ids.port()
        lines.append(bsd(start + timedelta(seconds=30 * connections + 5), "portal-web-01", f"sshd[{pid}]",
                         f"Accepted password for {user} from {ip} port {port} ssh2"))
    # a one-off probe from the internet and a mistyped sudo password
    lines.append(bsd(at("12:44:09"), "portal-web-01", "sshd[30112]",
                     "Failed password for invalid user test from 198.51.100.140 port 51514 ssh2"))
    lines.append(bsd(at("16:12:30"), "crm-app-01", "sudo",
                     "pam_unix(sudo:auth): authentication failure; logname=medewerker8 uid=1003 euid=0 tty=/dev/pts/1 "
                     "ruser=medewerker8 rhost=  user=medewerker8"))
    for hour in range(0, 24, 2):
        lines.append(bsd(at(f"{hour:02d}:17:01"), "crm-app-01", "CRON[4411]",
                         "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"))
    return sorted(lines, key=_bsd_sort_key)


@case("brute-force/windows-security.near.jsonl")
def brute_windows_near(ids: Ids) -> list[Record]:
    """A working day on the file server: logons, logoffs, a few mistyped passwords then success."""
    docs, rng = [], ids.rng
    for user in STAFF[:6]:
        ip = f"10.20.2.{rng.randint(10, 200)}"
        for hour in (7, 10, 13, 16):
            moment = at(f"{hour:02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}")
            if rng.random() < 0.3:
                docs.append(win_logon(ids, moment - timedelta(seconds=20), "files-01.24online.local", user, ip,
                                      failed=True, module=rng.random() < 0.5))
            docs.append(win_logon(ids, moment, "files-01.24online.local", user, ip, failed=False))
            docs.append(winlogbeat(ids, moment + timedelta(minutes=50), "4634", "files-01.24online.local",
                                   {"TargetUserName": user, "TargetDomainName": "24ONLINE", "LogonType": "3",
                                    "TargetLogonId": f"0x{ids.hex(7)}"}))
    return sorted(docs, key=lambda d: d["@timestamp"])


@case("brute-force/web-combined.near.log")
def brute_web_near(ids: Ids) -> list[Record]:
    """A normal day on the portal: logins (some mistyped first), pages, orders and a few 404s."""
    lines, rng = [], ids.rng
    for n in range(120):
        moment = at("06:00:00") + timedelta(seconds=rng.randint(0, 13 * 3600))
        prefix = rng.choice(["84.104", "77.161", "62.45", "86.81", "94.211"])
        ip = f"{prefix}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
        if rng.random() < 0.12:
            lines.append(combined(moment - timedelta(seconds=15), ip, "-", "POST /api/v1/login HTTP/1.1", 401, 61))
        lines.append(combined(moment, ip, "-", "POST /api/v1/login HTTP/1.1", 200, 412))
        for page in rng.sample(["/account", "/orders", "/invoices/2026-10.pdf", "/shop/cart", "/account/address"], 2):
            lines.append(combined(moment + timedelta(seconds=rng.randint(5, 300)), ip, "-", f"GET {page} HTTP/1.1",
                                  200, rng.randint(2_000, 90_000), referrer="https://portal.24online.nl/"))
        if n % 17 == 0:
            lines.append(combined(moment + timedelta(seconds=400), ip, "-", "GET /favicon.ico HTTP/1.1", 404, 0))
    return sorted(lines, key=_clf_sort_key)


@case("brute-force/web-combined.expired-session.near.log")
def brute_web_expired(ids: Ids) -> list[Record]:
    """Tabs left open overnight in the office: once their sessions expire, the portal's single-page app polls
    its notifications every 15 s with the old token and gets a 401 each time (no password is tried), and the
    HTTP Basic challenge of the intranet wiki (401 before the browser sends the credentials, then 200)."""
    lines, rng = [], ids.rng
    for start in (at("18:02:11"), at("18:04:40")):
        for moment in every(start, 50, 15.0, 1.0, rng):
            lines.append(combined(moment, OFFICE_IP, "-", "GET /api/v1/notifications?since=1763400000 HTTP/1.1",
                                  401, 38, referrer="https://portal.24online.nl/account",
                                  agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/131.0"))
    for n, moment in enumerate(every(at("08:30:02"), 14, 31.0, 8.0, rng)):
        user = STAFF[n % len(STAFF)]
        lines.append(combined(moment, OFFICE_IP, "-", "GET /wiki/ HTTP/1.1", 401, 381))
        lines.append(combined(moment + timedelta(seconds=2), OFFICE_IP, user, "GET /wiki/ HTTP/1.1", 200, 20_114))
    return sorted(lines, key=_clf_sort_key)


# ======================================================================= auth.password_spraying

@case("spraying/okta.attack.json", shape="array")
def spraying_okta(ids: Ids) -> list[Record]:
    """One password against twelve staff accounts from one address, one try every ~45 s (an /api/v1/logs page)."""
    return [okta(ids, moment, "user.session.start", f"{user}@{DOMAIN}", "198.51.100.66", "FAILURE",
                 reason="INVALID_CREDENTIALS", place="bucharest", legacy="core.user_auth.login_failed")
            for user, moment in zip(STAFF + ["info", "sales", "hr"], every(at("09:40:07"), 12, 45.0, 5.0, ids.rng),
                                    strict=False)]


@case("spraying/m365.attack.json", shape="array")
def spraying_m365(ids: Ids) -> list[Record]:
    return [m365_login(ids, moment, f"{user}@{DOMAIN}", "198.51.100.67", failed=True)
            for user, moment in zip(STAFF + ["info", "sales", "hr", "finance", "support"],
                                    every(at("11:20:11"), 14, 38.0, 4.0, ids.rng), strict=False)]


@case("spraying/google-workspace.attack.jsonl")
def spraying_gws(ids: Ids) -> list[Record]:
    docs = []
    for user, moment in zip(STAFF + ["info", "sales"], every(at("13:10:09"), 11, 50.0, 5.0, ids.rng), strict=False):
        docs.append(gws(ids, moment, "login", "login_failure", user, "198.51.100.68", category=["authentication"],
                        kind=["start"], outcome="failure" if len(docs) % 3 else None,
                        extra={"google_workspace": {"login": {"challenge_method": ["password"],
                                                              "failure_type": "login_failure_invalid_password",
                                                              "type": "google_password", "is_suspicious": False}}}))
    return docs


@case("spraying/okta.near.json", shape="array")
def spraying_okta_near(ids: Ids) -> list[Record]:
    """A working day behind the office NAT: everyone signs in, a few mistype first, MFA, SSO to the CRM."""
    docs, rng = [], ids.rng
    for n, user in enumerate(STAFF):
        moment = at("07:05:00") + timedelta(minutes=14 * n + rng.randint(0, 5))
        login = f"{user}@{DOMAIN}"
        if n in (1, 5, 8):
            docs.append(okta(ids, moment - timedelta(seconds=25), "user.session.start", login, OFFICE_IP, "FAILURE",
                             reason="INVALID_CREDENTIALS"))
        docs.append(okta(ids, moment - timedelta(seconds=5), "policy.evaluate_sign_on", login, OFFICE_IP, "ALLOW",
                         display="Evaluation of sign-on policy"))
        docs.append(okta(ids, moment, "user.authentication.auth_via_mfa", login, OFFICE_IP, "SUCCESS",
                         display="Authentication of user via MFA"))
        docs.append(okta(ids, moment + timedelta(seconds=2), "user.session.start", login, OFFICE_IP, "SUCCESS"))
        docs.append(okta(ids, moment + timedelta(minutes=3), "user.authentication.sso", login, OFFICE_IP, "SUCCESS",
                         display="User single sign on to app",
                         target=[{"id": "0oa1crm", "type": "AppInstance", "alternateId": "Salesforce",
                                  "displayName": "Salesforce.com"}]))
        # the afternoon from home
        home = HOME_IPS[n % len(HOME_IPS)]
        docs.append(okta(ids, moment + timedelta(hours=6), "user.session.start", login, home, "SUCCESS",
                         place="utrecht" if n % 2 else "amsterdam"))
    return sorted(docs, key=lambda d: d["published"])


@case("spraying/m365.near.json", shape="array")
def spraying_m365_near(ids: Ids) -> list[Record]:
    docs, rng = [], ids.rng
    for n, user in enumerate(STAFF):
        moment = at("07:30:00") + timedelta(minutes=12 * n + rng.randint(0, 8))
        if n % 4 == 0:
            docs.append(m365_login(ids, moment - timedelta(seconds=30), f"{user}@{DOMAIN}", OFFICE_IP, failed=True))
        docs.append(m365_login(ids, moment, f"{user}@{DOMAIN}", OFFICE_IP, failed=False))
        docs.append(m365_login(ids, moment + timedelta(hours=5), f"{user}@{DOMAIN}", HOME_IPS[n % 5], failed=False))
    return sorted(docs, key=lambda d: d["CreationTime"])


@case("spraying/m365.interrupts.near.json", shape="array")
def spraying_m365_interrupts(ids: Ids) -> list[Record]:
    """Monday 09:00 behind the office NAT: twelve staff sign in within ten minutes, each first interrupted
    by the "Stay signed in?" prompt or an MFA challenge (UserLoginFailed with an interrupt code), then in."""
    docs = []
    for n, (user, moment) in enumerate(zip(STAFF + ["info", "sales", "hr"], every(at("08:00:04"), 12, 45.0, 10.0,
                                                                                 ids.rng), strict=False)):
        docs.append(m365_login(ids, moment, f"{user}@{DOMAIN}", OFFICE_IP, failed=True,
                               error=INTERRUPTS[n % len(INTERRUPTS)]))
        docs.append(m365_login(ids, moment + timedelta(seconds=9), f"{user}@{DOMAIN}", OFFICE_IP, failed=False))
    return docs


@case("spraying/o365-elastic.attack.jsonl")
def spraying_o365_elastic(ids: Ids) -> list[Record]:
    """One password against eleven staff accounts, through Elastic's o365 integration (50126 each)."""
    return [o365_elastic(ids, moment, user, "198.51.100.69", failed=True)
            for user, moment in zip(STAFF + ["info", "sales"], every(at("14:40:03"), 11, 41.0, 6.0, ids.rng),
                                    strict=False)]


@case("spraying/o365-elastic.interrupts.near.jsonl")
def spraying_o365_elastic_near(ids: Ids) -> list[Record]:
    """The 09:00 sign-ins behind the office NAT through Elastic's o365 integration: each first interrupted
    (MFA, "Stay signed in?"), which Elastic's pipeline marks as a failure, then in."""
    docs = []
    for n, (user, moment) in enumerate(zip(STAFF + ["info", "sales", "hr"], every(at("08:00:06"), 12, 44.0, 10.0,
                                                                                 ids.rng), strict=False)):
        docs.append(o365_elastic(ids, moment, user, OFFICE_IP, failed=True, error=INTERRUPTS[n % len(INTERRUPTS)]))
        docs.append(o365_elastic(ids, moment + timedelta(seconds=8), user, OFFICE_IP, failed=False))
    return docs


# ======================================================================= auth.stuffing_then_success

@case("stuffing/linux-debian.attack.log")
def stuffing_debian(ids: Ids) -> list[Record]:
    """Leaked pairs tried over ssh against the CRM host; the eighth works."""
    lines, ip, host = [], "192.0.2.44", "crm-app-01"
    users = ["oracle", "postgres", "deploy", "git", "ubuntu", "jenkins", "backup"]
    for user, moment in zip(users, every(at("22:30:04"), len(users), 24.0, 4.0, ids.rng), strict=True):
        pid, port = ids.pid(), ids.port()
        known = user in ("deploy", "backup")
        if not known:
            lines.append(bsd(moment, host, f"sshd[{pid}]", f"Invalid user {user} from {ip} port {port}"))
        lines.append(bsd(moment + timedelta(seconds=2), host, f"sshd[{pid}]",
                         f"Failed password for {'' if known else 'invalid user '}{user} from {ip} port {port} ssh2"))
    pid, port = ids.pid(), ids.port()
    lines.append(bsd(at("22:36:40"), host, f"sshd[{pid}]", f"Accepted password for backup from {ip} port {port} ssh2"))
    lines.append(bsd(at("22:36:40"), host, f"sshd[{pid}]",
                     "pam_unix(sshd:session): session opened for user backup(uid=1005) by (uid=0)"))
    return lines


@case("stuffing/okta.attack.json", shape="array")
def stuffing_okta(ids: Ids) -> list[Record]:
    docs, ip = [], "192.0.2.45"
    for user, moment in zip(STAFF[:7], every(at("20:10:05"), 7, 30.0, 5.0, ids.rng), strict=True):
        docs.append(okta(ids, moment, "user.session.start", f"{user}@{DOMAIN}", ip, "FAILURE",
                         reason="INVALID_CREDENTIALS", place="bucharest"))
    docs.append(okta(ids, at("20:16:30"), "user.session.start", f"medewerker4@{DOMAIN}", ip, "SUCCESS",
                     place="bucharest"))
    return docs


@case("stuffing/m365.attack.json", shape="array")
def stuffing_m365(ids: Ids) -> list[Record]:
    docs, ip = [], "192.0.2.46"
    for user, moment in zip(STAFF[2:9], every(at("19:40:02"), 7, 33.0, 4.0, ids.rng), strict=True):
        docs.append(m365_login(ids, moment, f"{user}@{DOMAIN}", ip, failed=True))
    docs.append(m365_login(ids, at("19:48:10"), f"medewerker6@{DOMAIN}", ip, failed=False))
    return docs


@case("stuffing/elastic-system-auth.attack.jsonl")
def stuffing_elastic(ids: Ids) -> list[Record]:
    """The same attack as Elastic Agent's system integration indexes it (PAM lines without action/outcome)."""
    docs, ip, host = [], "192.0.2.47", "portal-web-02"
    users = ["admin", "test", "oracle", "ftpuser", "deploy", "pi"]
    for n, (user, moment) in enumerate(zip(users, every(at("21:05:03"), len(users), 25.0, 3.0, ids.rng),
                                           strict=True)):
        port = ids.port()
        docs.append(elastic_system_auth(ids, moment, host,
                                        f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                                        f"ruser= rhost={ip}", hostname_only=n % 2 == 1))
        docs.append(elastic_system_auth(ids, moment + timedelta(seconds=2), host,
                                        f"Failed password for invalid user {user} from {ip} port {port} ssh2",
                                        action="ssh_login", outcome="failure", user=user, ip=ip, port=port,
                                        method="password", ssh_event="Failed", hostname_only=n % 2 == 1))
    port = ids.port()
    docs.append(elastic_system_auth(ids, at("21:09:55"), host,
                                    f"Accepted password for deploy from {ip} port {port} ssh2",
                                    action="ssh_login", outcome="success", user="deploy", ip=ip, port=port,
                                    method="password", ssh_event="Accepted"))
    return docs


@case("stuffing/elastic-system-auth.near.jsonl")
def stuffing_elastic_near(ids: Ids) -> list[Record]:
    """Admins' day: publickey logins, one mistyped password then success, sudo (no action, no outcome)."""
    docs, rng = [], ids.rng
    for n, (user, ip) in enumerate((("medewerker3", "10.20.1.15"), ("medewerker8", "10.20.1.31"))):
        for hour in (8, 12, 16):
            moment = at(f"{hour:02d}:{rng.randint(0, 50):02d}:{rng.randint(0, 59):02d}")
            port = ids.port()
            if hour == 12 and n == 0:
                docs.append(elastic_system_auth(ids, moment - timedelta(seconds=9), "portal-web-02",
                                                f"Failed password for {user} from {ip} port {port} ssh2",
                                                action="ssh_login", outcome="failure", user=user, ip=ip, port=port,
                                                method="password", ssh_event="Failed"))
            docs.append(elastic_system_auth(ids, moment, "portal-web-02",
                                            f"Accepted publickey for {user} from {ip} port {port} ssh2",
                                            action="ssh_login", outcome="success", user=user, ip=ip, port=port,
                                            method="publickey", ssh_event="Accepted", hostname_only=hour == 16))
            docs.append(elastic_system_auth(ids, moment + timedelta(minutes=2), "portal-web-02",
                                            f"{user} : TTY=pts/0 ; PWD=/home/{user} ; USER=root ; "
                                            "COMMAND=/usr/bin/journalctl -u nginx", program="sudo"))
    return sorted(docs, key=lambda d: d["@timestamp"])


# ======================================================================= data.mass_access

def _crm_read(ids: Ids, moment: datetime, user: str, *, host: str = "crm-app-01", dotted: bool = False,
              outcome: str = "success", records: int | None = None, action: str | None = "record-read",
              kind: list[str] | None = None, category: str = "database", denied: bool = False) -> dict[str, Any]:
    """24 Online's CRM application log in ECS (its own producer): one document per customer record read."""
    record_id = ids.rng.randint(100_000, 199_999)
    event = {"kind": "event", "category": [category], "type": kind or (["denied"] if denied else ["access"]),
             "outcome": outcome, "dataset": "crm.audit", "id": ids.rng.randint(10**9, 10**10)}
    if action:
        event["action"] = action
    doc: dict[str, Any] = {"@timestamp": zulu(moment), "event": event, "user": {"name": user},
                           "host": {"name": host}, "service": {"name": "crm"},
                           "url": {"path": f"/api/v2/customers/{record_id}"},
                           "source": {"ip": f"10.20.2.{ids.rng.randint(10, 200)}"}}
    if records is not None:
        doc["datalek"] = {"records": records}
    if dotted:
        flat: dict[str, Any] = {}
        _flatten(doc, "", flat)
        return flat
    return doc


@case("mass-access/ecs-crm.attack.jsonl")
def mass_access_crm(ids: Ids) -> list[Record]:
    """medewerker7 reads ~30 customer records an hour, then scrapes 650 in forty minutes."""
    docs, rng = [], ids.rng
    for hour in (8, 9, 10):
        for _ in range(rng.randint(24, 36)):
            docs.append(_crm_read(ids, at(f"{hour:02d}:00:00") + timedelta(seconds=rng.randint(0, 3599)),
                                  "medewerker7", outcome=rng.choice(["success", "Success"])))
    for moment in every(at("11:05:00"), 650, 3.6, 1.0, rng):
        docs.append(_crm_read(ids, moment, "medewerker7", dotted=rng.random() < 0.3))
    return sorted(docs, key=lambda d: d["@timestamp"])


@case("mass-access/m365.attack.json", shape="array")
def mass_access_m365(ids: Ids) -> list[Record]:
    """The customer SharePoint site synced to an unknown laptop: 560 files in half an hour."""
    docs = []
    for n, moment in enumerate(every(at("13:02:00"), 560, 3.0, 1.0, ids.rng)):
        op = "FileSyncDownloadedFull" if n % 5 else "FileDownloaded"
        docs.append(m365_file(ids, moment, op, f"medewerker7@{DOMAIN}", "185.220.101.33",
                              f"Klanten/{2020 + n % 7}/klant-{100000 + n}.pdf"))
    return docs


@case("mass-access/cloudtrail.attack.jsonl")
def mass_access_cloudtrail(ids: Ids) -> list[Record]:
    """An analyst's role session copies the exports bucket object by object (S3 data events)."""
    identity = assumed_role(ids, "DataAnalyst", "medewerker9")
    return [s3_object(ids, moment, "GetObject", identity, "185.220.101.34", f"exports/klanten/part-{n:05d}.csv",
                      size=ids.rng.randint(40_000, 400_000))
            for n, moment in enumerate(every(at("10:03:00"), 600, 4.5, 1.0, ids.rng))]


@case("mass-access/ecs-crm.near.jsonl")
def mass_access_crm_near(ids: Ids) -> list[Record]:
    """A normal working day in the CRM: six people reading records, one small export in office hours."""
    docs, rng = [], ids.rng
    for user in STAFF[:6]:
        for hour in range(7, 17):
            for _ in range(rng.randint(10, 60)):
                moment = at(f"{hour:02d}:00:00") + timedelta(seconds=rng.randint(0, 3599))
                docs.append(_crm_read(ids, moment, user, dotted=rng.random() < 0.2,
                                      action=rng.choice(["record-read", "record-read", None])))
    docs.append(_crm_read(ids, at("13:10:00"), "medewerker2", action="export", records=80))
    return sorted(docs, key=lambda d: d["@timestamp"])


@case("mass-access/m365.near.json", shape="array")
def mass_access_m365_near(ids: Ids) -> list[Record]:
    docs, rng = [], ids.rng
    for user in STAFF[:6]:
        for _ in range(rng.randint(30, 70)):
            moment = at("07:00:00") + timedelta(seconds=rng.randint(0, 10 * 3600))
            op = rng.choice(["FileAccessed", "FileAccessed", "FilePreviewed", "FileDownloaded", "FileModified"])
            docs.append(m365_file(ids, moment, op, f"{user}@{DOMAIN}", OFFICE_IP,
                                  f"Klanten/2026/offerte-{rng.randint(1000, 9999)}.docx"))
    return sorted(docs, key=lambda d: d["CreationTime"])


# ======================================================================= data.export_after_hours

@case("export-after-hours/ecs-crm.attack.jsonl")
def after_hours_crm(ids: Ids) -> list[Record]:
    """An export of 350 customer records at 23:40 Amsterdam time, on a Tuesday."""
    docs = [_crm_read(ids, local("23:31:10") + timedelta(seconds=20 * n), "medewerker3") for n in range(5)]
    docs.append(_crm_read(ids, local("23:40:12"), "medewerker3", action="export", records=350,
                          kind=["access"]))
    return docs


@case("export-after-hours/web-combined.attack.log")
def after_hours_web(ids: Ids) -> list[Record]:
    """The CRM's CSV export downloaded at 23:52 (nginx in front of the CRM, basic auth user in the log)."""
    lines = [combined(local("23:49:30") + timedelta(seconds=9 * n), "10.20.9.77", "medewerker3",
                      f"GET /crm/customers?page={n + 1} HTTP/1.1", 200, 48_211) for n in range(4)]
    lines.append(combined(local("23:52:02"), "10.20.9.77", "medewerker3",
                          "GET /crm/export/klanten.csv?segment=all HTTP/1.1", 200, 4_118_530))
    return lines


@case("export-after-hours/ecs-reporting.attack.jsonl")
def after_hours_reporting(ids: Ids) -> list[Record]:
    """The reporting tool (dotted keys, no event.action, upper-case outcome, host.hostname only) at 05:55."""
    return [{"@timestamp": zulu(local("05:55:41", day=1)), "event.kind": "event", "event.category": "database",
             "event.type": ["access"], "event.outcome": "SUCCESS", "event.id": 88123001,
             "event.dataset": "reporting.query", "user.name": "medewerker5", "host.hostname": "crm-db-01",
             "datalek.records": "420", "labels.report": "klanten per regio"}]


@case("export-after-hours/ecs-crm.near.jsonl")
def after_hours_crm_near(ids: Ids) -> list[Record]:
    """Exports in office hours, and a 20-record export at 21:30: nothing to report."""
    return [_crm_read(ids, local("10:15:00"), "medewerker3", action="export", records=90),
            _crm_read(ids, local("15:42:00"), "medewerker2", action="export", records=45),
            _crm_read(ids, local("21:30:00"), "medewerker3", action="export", records=20)]


@case("export-after-hours/ecs-crm.nightly-job.jsonl")
def after_hours_crm_nightly(ids: Ids) -> list[Record]:
    """The reporting account exports all 12,000 customer records to the warehouse at 03:10 every night
    (three nights), beside a day of ordinary reads: unreviewed, each night is an alert; reviewed, an
    exception (tests/corpus/exceptions/) takes the job out."""
    docs, rng = [], ids.rng
    for day in (-2, -1, 0):
        docs.append(_crm_read(ids, local("03:10:07", day=day) + timedelta(seconds=rng.randint(0, 40)),
                              "svc-rapportage", action="export", records=12_000, kind=["access"]))
    for user in STAFF[:3]:
        for hour in range(8, 17):
            for _ in range(rng.randint(8, 20)):
                docs.append(_crm_read(ids, local(f"{hour:02d}:00:00") + timedelta(seconds=rng.randint(0, 3599)),
                                      user))
    return sorted(docs, key=lambda d: d["@timestamp"])


@case("export-after-hours/web-combined.near.log")
def after_hours_web_near(ids: Ids) -> list[Record]:
    lines = [combined(local("10:20:00") + timedelta(seconds=30 * n), "10.20.9.77", "medewerker3",
                      f"GET /crm/customers/{ids.rng.randint(100000, 199999)} HTTP/1.1", 200, 9_512) for n in range(20)]
    lines.append(combined(local("11:02:13"), "10.20.9.77", "medewerker3",
                          "GET /crm/export/offertes-week47.csv HTTP/1.1", 200, 38_221))
    lines.append(combined(local("22:10:00"), "10.20.9.77", "medewerker3", "GET /crm/dashboard HTTP/1.1", 200, 11_000))
    return lines


# ======================================================================= data.export_without_ticket

def _ticket(ids: Ids, moment: datetime, requester: str, *, dotted: bool = False) -> dict[str, Any]:
    """The service desk's approval of a data-export request (its own ECS: a workflow event)."""
    doc = {"@timestamp": zulu(moment), "event": {"kind": "event", "category": ["iam"], "type": ["info"],
                                                 "action": "export_approved", "outcome": "success",
                                                 "dataset": "servicedesk.workflow"},
           "user": {"name": requester}, "host": {"name": "servicedesk"},
           "servicedesk": {"ticket": f"SD-{ids.rng.randint(10000, 99999)}", "approver": "privacy-officer"}}
    if dotted:
        flat: dict[str, Any] = {}
        _flatten(doc, "", flat)
        return flat
    return doc


@case("export-without-ticket/ecs-crm.attack.jsonl")
def without_ticket_crm(ids: Ids) -> list[Record]:
    """5000 customer records exported at 10:30 without a request; another user's approved request exists."""
    return [_ticket(ids, local("15:20:00", day=-1), "medewerker6"),
            _crm_read(ids, local("10:30:00"), "medewerker5", action="export", records=5000)]


@case("export-without-ticket/ecs-reporting.attack.jsonl")
def without_ticket_reporting(ids: Ids) -> list[Record]:
    return [{"@timestamp": zulu(local("14:05:10")), "event.kind": "event", "event.category": ["database"],
             "event.type": "access", "event.outcome": "Success", "event.id": 88123417,
             "event.dataset": "reporting.query", "user.name": "medewerker8", "host.hostname": "crm-db-01",
             "datalek.records": 1800, "labels.report": "alle klanten met IBAN"}]


@case("export-without-ticket/ecs-reporting.near.jsonl")
def reporting_near(ids: Ids) -> list[Record]:
    """The reporting tool's ordinary day: small reports in office hours, the dashboard's early refresh of a
    handful of rows before 07:00 (dotted keys, upper/mixed-case outcomes, host.hostname only, counts as text)."""
    docs, rng = [], ids.rng
    reports = (("06:40:02", "medewerker5", "6", "dashboard: open tickets"),
               ("09:12:40", "medewerker5", "140", "nieuwe klanten deze week"),
               ("11:30:05", "medewerker8", "85", "openstaande facturen > 60 dagen"),
               ("14:05:10", "medewerker8", "260", "klanten per regio"),
               ("16:20:33", "medewerker2", "40", "opzeggingen oktober"))
    for n, (when, user, rows, report) in enumerate(reports):
        docs.append({"@timestamp": zulu(local(when)), "event.kind": "event", "event.category": ["database"],
                     "event.type": ["access"], "event.outcome": ("SUCCESS", "Success")[n % 2],
                     "event.id": 88124000 + rng.randint(0, 999), "event.dataset": "reporting.query",
                     "user.name": user, "host.hostname": "crm-db-01", "datalek.records": rows,
                     "labels.report": report})
    return docs


@case("composite/ecs-portal.near.jsonl")
def composite_portal_near(ids: Ids) -> list[Record]:
    """The portal's evening: customers log in from home, some mistype first; four of them share a mobile
    carrier's address (carrier-grade NAT) within ten minutes, one mistype each."""
    docs, rng = [], ids.rng
    accounts = [f"{k}{n}@example.nl" for n in range(3) for k in KLANTEN]
    cgnat = "100.64.17.9"  # RFC 6598 shared address space, as a carrier's NAT shows it

    def logon(moment, account, ip, outcome):
        return {"@timestamp": zulu(moment), "event": {"kind": "event", "category": ["authentication"],
                                                      "type": ["start"], "action": "logon", "outcome": outcome,
                                                      "dataset": "portal.auth", "id": rng.randint(10**6, 10**7)},
                "source": {"ip": ip}, "user": {"name": account}, "host": {"hostname": "portal-web-01"},
                "url": {"path": "/login"}}
    for n, account in enumerate(accounts):
        moment = local("18:00:00") + timedelta(seconds=rng.randint(0, 4 * 3600))
        ip = cgnat if n < 4 else f"{rng.choice(['84.104', '77.161', '62.45'])}.{rng.randint(1, 254)}.{n % 250 + 1}"
        if n < 4:
            moment = local("20:10:00") + timedelta(minutes=2 * n)
        if n < 4 or n % 9 == 0:
            docs.append(logon(moment - timedelta(seconds=20), account, ip, "failure"))
        docs.append(logon(moment, account, ip, "success"))
    return sorted(docs, key=lambda d: d["@timestamp"])


@case("export-without-ticket/ecs-crm.approved.jsonl")
def without_ticket_approved(ids: Ids) -> list[Record]:
    """Approved the afternoon before, exported this morning: the export rule must stay silent (the
    volume rule may see 1500 records by a user who reads none on other hours)."""
    return [_ticket(ids, local("16:45:00", day=-1), "medewerker6", dotted=True),
            _crm_read(ids, local("09:40:00"), "medewerker6", action="export", records=1500)]


@case("export-without-ticket/ecs-crm.near.jsonl")
def without_ticket_near(ids: Ids) -> list[Record]:
    """A small export in office hours with a ticket, and one without a ticket far under the threshold."""
    return [_ticket(ids, local("11:00:00", day=-1), "medewerker6"),
            _crm_read(ids, local("09:10:00"), "medewerker6", action="export", records=400),
            _crm_read(ids, local("14:00:00"), "medewerker1", action="export", records=60)]


# ======================================================================= access.denied_burst

@case("denied-burst/ecs-crm.attack.jsonl")
def denied_crm(ids: Ids) -> list[Record]:
    """medewerker4 walks customer ids the CRM will not show them: 26 denials in two minutes."""
    docs = [_crm_read(ids, moment, "medewerker4", outcome="FAILURE" if n % 2 else "failure", denied=True,
                      action="record-read" if n % 3 else None)
            for n, moment in enumerate(every(at("14:20:03"), 26, 4.5, 1.0, ids.rng))]
    docs.append(_crm_read(ids, at("14:22:30"), "medewerker4"))
    return docs


@case("denied-burst/cloudtrail.attack.jsonl")
def denied_cloudtrail(ids: Ids) -> list[Record]:
    identity = iam_user(ids, "medewerker4")
    return [s3_object(ids, moment, "GetObject", identity, "145.53.120.18", f"exports/klanten/part-{n:05d}.csv",
                      error=("AccessDenied", "Access Denied"))
            for n, moment in enumerate(every(at("15:00:04"), 24, 8.0, 2.0, ids.rng))]


@case("denied-burst/web-combined.attack.log")
def denied_web(ids: Ids) -> list[Record]:
    return [combined(moment, "10.20.9.41", "medewerker4",
                     f"GET /crm/customers/{100000 + 37 * n} HTTP/1.1", 403, 153)
            for n, moment in enumerate(every(at("09:30:01"), 30, 3.0, 1.0, ids.rng))]


@case("denied-burst/ecs-crm.near.jsonl")
def denied_crm_near(ids: Ids) -> list[Record]:
    """A day with an occasional denial (a record of another team), spread over hours."""
    docs, rng = [], ids.rng
    for user in STAFF[:5]:
        for _ in range(40):
            docs.append(_crm_read(ids, at("07:00:00") + timedelta(seconds=rng.randint(0, 10 * 3600)), user))
        for _ in range(3):
            docs.append(_crm_read(ids, at("07:00:00") + timedelta(seconds=rng.randint(0, 10 * 3600)), user,
                                  outcome="failure", denied=True))
    return sorted(docs, key=lambda d: d["@timestamp"])


@case("denied-burst/cloudtrail.near.jsonl")
def denied_cloudtrail_near(ids: Ids) -> list[Record]:
    docs, identity = [], iam_user(ids, "medewerker4")
    for n in range(6):
        moment = at("08:00:00") + timedelta(minutes=70 * n)
        docs.append(s3_object(ids, moment, "GetObject", identity, OFFICE_IP, f"exports/team/weekrapport-{n}.xlsx"))
        docs.append(s3_object(ids, moment + timedelta(seconds=40), "GetObject", identity, OFFICE_IP,
                              "exports/finance/jaarrekening.xlsx", error=("AccessDenied", "Access Denied")))
    return docs


@case("denied-burst/web-combined.near.log")
def denied_web_near(ids: Ids) -> list[Record]:
    lines, rng = [], ids.rng
    for n in range(60):
        moment = at("07:30:00") + timedelta(seconds=rng.randint(0, 9 * 3600))
        user = rng.choice(STAFF[:5])
        status = 403 if n % 15 == 0 else 200
        lines.append(combined(moment, f"10.20.9.{rng.randint(10, 90)}", user,
                              f"GET /crm/customers/{rng.randint(100000, 199999)} HTTP/1.1", status, 153 if status == 403
                              else 9_000))
    lines.append(combined(at("08:01:00"), "10.20.9.50", "-", "GET /crm/ HTTP/1.1", 401, 381))
    return sorted(lines, key=_clf_sort_key)


# ======================================================================= iam.privilege_then_access

@case("privilege-then-access/m365.attack.json", shape="array")
def privilege_m365(ids: Ids) -> list[Record]:
    """An admin adds medewerker6 to an Entra role; twenty minutes later medewerker6 downloads customer files."""
    target = f"medewerker6@{DOMAIN}"
    docs = [m365(ids, at("10:00:12"), "Add member to role.", f"admin2@{DOMAIN}", "AzureActiveDirectory", 8,
                 ResultStatus="Success", ObjectId=target, AzureActiveDirectoryEventType=1,
                 Actor=[{"ID": f"admin2@{DOMAIN}", "Type": 5}, {"ID": ids.uuid(), "Type": 3}],
                 ActorContextId="7d3c0c6b-1a2e-4f5a-9d0e-24a0e1c0ffee",
                 Target=[{"ID": f"User_{ids.uuid()}", "Type": 2}, {"ID": ids.uuid(), "Type": 2},
                         {"ID": "User", "Type": 2}, {"ID": target, "Type": 5}],
                 ModifiedProperties=[{"Name": "Role.DisplayName", "NewValue": "SharePoint Administrator",
                                      "OldValue": ""},
                                     {"Name": "Role.WellKnownObjectName", "NewValue": "SharePointServiceAdministrator",
                                      "OldValue": ""}],
                 ExtendedProperties=[{"Name": "additionalDetails", "Value": "{}"}])]
    for n, moment in enumerate(every(at("10:20:40"), 5, 25.0, 3.0, ids.rng)):
        docs.append(m365_file(ids, moment, "FileDownloaded", target, "145.53.120.18",
                              f"Klanten/2026/klantenbestand-deel{n + 1}.xlsx"))
    return docs


@case("privilege-then-access/cloudtrail.attack.jsonl")
def privilege_cloudtrail(ids: Ids) -> list[Record]:
    docs = [cloudtrail(ids, at("09:00:31"), "iam.amazonaws.com", "AddUserToGroup", iam_user(ids, "admin2"),
                       "145.53.120.18", params={"groupName": "exports-readers", "userName": "medewerker6"},
                       region="us-east-1")]
    reader = iam_user(ids, "medewerker6")
    for n, moment in enumerate(every(at("09:15:02"), 6, 20.0, 2.0, ids.rng)):
        docs.append(s3_object(ids, moment, "GetObject", reader, "145.53.120.18", f"exports/klanten/part-{n:05d}.csv"))
    return docs


def _gws_download(ids: Ids, moment: datetime, user: str, title: str) -> dict[str, Any]:
    """A Drive download as Elastic's google_workspace drive pipeline writes it: category [file], type [info]."""
    return gws(ids, moment, "drive", "download", user, OFFICE_IP, category=["file"], kind=["info"],
               extra={"google_workspace": {"drive": {"doc_type": "spreadsheet", "visibility": "shared_internally",
                                                     "file": {"id": ids.alnum(44), "type": "spreadsheet",
                                                              "owner": {"email": f"fg@{DOMAIN}",
                                                                        "is_shared_drive": True}},
                                                     "primary_event": True}},
                      "file": {"name": title, "type": "file", "extension": "xlsx"}})


def _gws_assign_role(ids: Ids, moment: datetime, target: str, role: str) -> dict[str, Any]:
    """ASSIGN_ROLE as Elastic's admin pipeline writes it: category [iam], type [change] only (no admin)."""
    return gws(ids, moment, "admin", "ASSIGN_ROLE", "admin2", OFFICE_IP, category=["iam"], kind=["change"],
               extra={"google_workspace": {"admin": {"role": {"name": role, "id": str(ids.rng.randint(10**16, 10**17))},
                                                     "user": {"email": f"{target}@{DOMAIN}"}},
                                           "event": {"type": "DELEGATED_ADMIN_SETTINGS"}},
                      "user": {"target": {"name": target, "domain": DOMAIN, "email": f"{target}@{DOMAIN}"}}})


@case("privilege-then-access/google-workspace.attack.jsonl")
def privilege_gws(ids: Ids) -> list[Record]:
    """An admin role for medewerker6; within the hour medewerker6 downloads the customer sheets from Drive."""
    docs = [_gws_assign_role(ids, at("14:00:09"), "medewerker6", "Groups Admin")]
    docs += [_gws_download(ids, moment, "medewerker6", f"Klantenbestand {2021 + n}.xlsx")
             for n, moment in enumerate(every(at("14:31:10"), 4, 40.0, 5.0, ids.rng))]
    return docs


@case("privilege-then-access/google-workspace.near.jsonl")
def privilege_gws_near(ids: Ids) -> list[Record]:
    """A role granted at 08:00 and used after lunch; a colleague with no grant downloads all morning."""
    docs = [_gws_assign_role(ids, at("08:00:30"), "medewerker1", "Help Desk Admin")]
    docs += [_gws_download(ids, at("13:15:00") + timedelta(minutes=7 * n), "medewerker1", f"Offerte {n}.xlsx")
             for n in range(3)]
    docs += [_gws_download(ids, at("08:10:00") + timedelta(minutes=11 * n), "medewerker2", f"Planning {n}.xlsx")
             for n in range(5)]
    return sorted(docs, key=lambda d: d["@timestamp"])


@case("mass-access/google-workspace.attack.jsonl")
def mass_access_gws(ids: Ids) -> list[Record]:
    """The customer Drive downloaded to an unknown laptop: 540 sheets in 40 minutes."""
    return [_gws_download(ids, moment, "medewerker7", f"Klant {100000 + n}.xlsx")
            for n, moment in enumerate(every(at("15:05:00"), 540, 4.4, 0.5, ids.rng))]


@case("privilege-then-access/windows-security.attack.jsonl")
def privilege_windows(ids: Ids) -> list[Record]:
    """4732: medewerker6 added to the share's local group on the file server; then 4663 reads there."""
    docs = [winlogbeat(ids, at("12:00:05"), "4732", "files-01.24online.local",
                       {"MemberName": "CN=medewerker6,OU=Medewerkers,DC=24online,DC=local",
                        "MemberSid": "S-1-5-21-3623811015-3361044348-30300820-1106",
                        "TargetUserName": "Klanten-Lezen", "TargetDomainName": "FILES-01",
                        "TargetSid": "S-1-5-21-1004336348-1177238915-682003330-1012",
                        "SubjectUserSid": "S-1-5-21-3623811015-3361044348-30300820-1002",
                        "SubjectUserName": "admin2", "SubjectDomainName": "24ONLINE",
                        "SubjectLogonId": "0x3e7", "PrivilegeList": "-"},
                       extra={"user": {"name": "admin2", "domain": "24ONLINE",
                                       "target": {"name": "medewerker6", "domain": "24ONLINE"}},
                              "group": {"name": "Klanten-Lezen", "domain": "FILES-01",
                                        "id": "S-1-5-21-1004336348-1177238915-682003330-1012"},
                              "related": {"user": ["admin2", "medewerker6"]}})]
    for n, moment in enumerate(every(at("12:10:00"), 12, 15.0, 3.0, ids.rng)):
        path = f"D:\\Shares\\Klanten\\2026\\klant-{200100 + n}.pdf"
        docs.append(winlogbeat(ids, moment, "4663", "files-01.24online.local",
                               {"SubjectUserSid": "S-1-5-21-3623811015-3361044348-30300820-1106",
                                "SubjectUserName": "medewerker6", "SubjectDomainName": "24ONLINE",
                                "SubjectLogonId": f"0x{ids.hex(7)}", "ObjectServer": "Security", "ObjectType": "File",
                                "ObjectName": path, "HandleId": f"0x{ids.hex(4)}", "AccessList": "%%4416",
                                "AccessMask": "0x1", "ProcessId": "0x4", "ProcessName": "",
                                "ResourceAttributes": "S:AI"},
                               extra={"user": {"name": "medewerker6", "domain": "24ONLINE"},
                                      "file": {"path": path, "name": path.rsplit("\\", 1)[1]}}))
    return docs


def _win_read(ids: Ids, moment: datetime, user: str, path: str) -> dict[str, Any]:
    return winlogbeat(ids, moment, "4663", "files-01.24online.local",
                      {"SubjectUserSid": "S-1-5-21-3623811015-3361044348-30300820-1104", "SubjectUserName": user,
                       "SubjectDomainName": "24ONLINE", "SubjectLogonId": f"0x{ids.hex(7)}", "ObjectServer": "Security",
                       "ObjectType": "File", "ObjectName": path, "HandleId": f"0x{ids.hex(4)}", "AccessList": "%%4416",
                       "AccessMask": "0x1", "ProcessId": "0x4", "ProcessName": ""},
                      extra={"user": {"name": user, "domain": "24ONLINE"}, "file": {"path": path}})


@case("privilege-then-access/windows-security.near.jsonl")
def privilege_windows_near(ids: Ids) -> list[Record]:
    """A lockout (4740) and the helpdesk's unlock (4767) are account changes, not grants: the user then reads
    files as usual. A group grant (4728) in the morning, files read in the afternoon."""
    docs, user, ip = [], "medewerker2", "10.20.2.77"
    for n in range(5):
        docs.append(win_logon(ids, at("08:00:05") + timedelta(seconds=8 * n), "files-01.24online.local", user, ip,
                              failed=True))
    target = {"TargetUserName": user, "TargetDomainName": "24ONLINE",
              "TargetSid": "S-1-5-21-3623811015-3361044348-30300820-1104"}
    docs.append(winlogbeat(ids, at("08:00:45"), "4740", "dc01.24online.local",
                           {**target, "SubjectUserSid": "S-1-5-18", "SubjectUserName": "DC01$",
                            "SubjectDomainName": "24ONLINE", "SubjectLogonId": "0x3e7", "TargetUserName": user,
                            "CallerComputerName": "FILES-01"},
                           extra={"user": {"name": "DC01$", "target": {"name": user, "domain": "24ONLINE"}}}))
    docs.append(winlogbeat(ids, at("08:09:30"), "4767", "dc01.24online.local",
                           {**target, "SubjectUserSid": "S-1-5-21-3623811015-3361044348-30300820-1201",
                            "SubjectUserName": "helpdesk1", "SubjectDomainName": "24ONLINE",
                            "SubjectLogonId": "0x8c21f"},
                           extra={"user": {"name": "helpdesk1", "target": {"name": user, "domain": "24ONLINE"}}}))
    docs.append(win_logon(ids, at("08:11:02"), "files-01.24online.local", user, ip, failed=False))
    for n in range(10):
        docs.append(_win_read(ids, at("08:15:00") + timedelta(minutes=2 * n), user,
                              f"D:\\Shares\\Klanten\\2026\\offerte-{700 + n}.docx"))
    docs.append(winlogbeat(ids, at("09:00:00"), "4728", "dc01.24online.local",
                           {"MemberName": "CN=medewerker3,OU=Medewerkers,DC=24online,DC=local",
                            "MemberSid": "S-1-5-21-3623811015-3361044348-30300820-1103",
                            "TargetUserName": "Klanten-Lezen-GG", "TargetDomainName": "24ONLINE",
                            "SubjectUserName": "admin2", "SubjectDomainName": "24ONLINE"},
                           extra={"user": {"name": "admin2", "target": {"name": "medewerker3", "domain": "24ONLINE"}},
                                  "group": {"name": "Klanten-Lezen-GG", "domain": "24ONLINE"}}))
    for n in range(4):
        docs.append(_win_read(ids, at("12:30:00") + timedelta(minutes=3 * n), "medewerker3",
                              f"D:\\Shares\\Klanten\\2026\\factuur-{900 + n}.pdf"))
    return docs


@case("privilege-then-access/m365.near.json", shape="array")
def privilege_m365_near(ids: Ids) -> list[Record]:
    """A role granted in the morning, files read in the afternoon; another user reads without any grant."""
    target = f"medewerker1@{DOMAIN}"
    docs = [m365(ids, at("08:05:00"), "Add member to role.", f"admin2@{DOMAIN}", "AzureActiveDirectory", 8,
                 ResultStatus="Success", ObjectId=target, AzureActiveDirectoryEventType=1,
                 Target=[{"ID": f"User_{ids.uuid()}", "Type": 2}, {"ID": target, "Type": 5}],
                 ModifiedProperties=[{"Name": "Role.DisplayName", "NewValue": "Reports Reader", "OldValue": ""}])]
    for n in range(4):
        docs.append(m365_file(ids, at("11:30:00") + timedelta(minutes=9 * n), "FileAccessed", target, OFFICE_IP,
                              f"Klanten/2026/offerte-{n}.docx"))
        docs.append(m365_file(ids, at("10:00:00") + timedelta(minutes=5 * n), "FileDownloaded",
                              f"medewerker2@{DOMAIN}", OFFICE_IP, f"Klanten/2026/factuur-{n}.pdf"))
    return sorted(docs, key=lambda d: d["CreationTime"])


@case("privilege-then-access/cloudtrail.near.jsonl")
def privilege_cloudtrail_near(ids: Ids) -> list[Record]:
    docs = [cloudtrail(ids, at("08:00:10"), "iam.amazonaws.com", "AddUserToGroup", iam_user(ids, "admin2"),
                       OFFICE_IP, params={"groupName": "exports-readers", "userName": "medewerker1"},
                       region="us-east-1")]
    reader = iam_user(ids, "medewerker1")
    docs += [s3_object(ids, at("11:30:00") + timedelta(minutes=n), "GetObject", reader, OFFICE_IP,
                       f"exports/team/weekrapport-{n}.xlsx") for n in range(3)]
    return docs


# ======================================================================= malware.personal_data_host

def _defend(ids: Ids, moment: datetime, host: str, *, code: str, action: str, rule: str, threat: str,
            category: list[str], kind: list[str], hostname_only: bool = False, file: str | None = None
            ) -> dict[str, Any]:
    """An Elastic Defend alert document (logs-endpoint.alerts-*)."""
    doc: dict[str, Any] = {
        "@timestamp": zulu(moment), "agent": {"type": "endpoint", "version": "8.15.3", "id": ids.uuid()},
        "data_stream": {"dataset": "endpoint.alerts", "namespace": "default", "type": "logs"},
        "ecs": {"version": "8.10.0"},
        "event": {"kind": "alert", "category": category, "type": kind, "action": action, "code": code,
                  "module": "endpoint", "dataset": "endpoint.alerts", "severity": 73, "risk_score": 73,
                  "id": ids.alnum(20), "outcome": "success", "created": zulu(moment)},
        "host": {"hostname": host, "os": {"family": "windows", "name": "Windows Server 2022"}, "id": ids.uuid()},
        "message": f"{rule} Alert", "rule": {"name": rule, "ruleset": "production"},
        "threat": {"indicator": {}, "software": {"name": threat}} if threat else {},
        "process": {"name": "svch0st.exe", "pid": ids.pid(), "executable": "C:\\ProgramData\\svch0st.exe"},
        "user": {"name": "SYSTEM", "domain": "NT AUTHORITY"},
    }
    if not hostname_only:
        doc["host"]["name"] = host
    if file:
        doc["file"] = {"path": file, "name": file.rsplit("\\", 1)[1], "extension": file.rsplit(".", 1)[1]}
    return doc


@case("malware/elastic-defend.attack.jsonl")
def malware_defend(ids: Ids) -> list[Record]:
    """Ransomware protection fires on the file server (host.hostname only, as some agents ship it)."""
    return [_defend(ids, at("03:12:44"), "files-01", code="ransomware", action="rename",
                    rule="Ransomware Detection", threat="", category=["malware", "intrusion_detection", "file"],
                    kind=["info", "change"], hostname_only=True, file="D:\\Shares\\Klanten\\offerte-9911.docx.lockbit"),
            _defend(ids, at("03:12:49"), "files-01", code="ransomware", action="rename",
                    rule="Ransomware Detection", threat="", category=["malware", "intrusion_detection", "file"],
                    kind=["info", "change"], hostname_only=True, file="D:\\Shares\\Klanten\\offerte-9912.docx.lockbit")]


@case("malware/elastic-defend.unknown-host.jsonl")
def malware_defend_unknown(ids: Ids) -> list[Record]:
    """A malicious file on a build runner that the data inventory does not list (fail safe: may hold data)."""
    return [_defend(ids, at("15:41:02"), "nas-backup-02", code="malicious_file", action="execution",
                    rule="Malware Detection", threat="Win32/AgentTesla", category=["malware", "intrusion_detection",
                                                                                   "file"],
                    kind=["info", "denied"], file="C:\\Users\\ci\\AppData\\Local\\Temp\\invoice.exe")]


@case("malware/defender-endpoint.attack.json", shape="pretty")
def malware_mde(ids: Ids) -> list[Record]:
    """A Microsoft Defender for Endpoint alert (security API alert resource) on the CRM database server."""
    return [{"id": f"da{ids.rng.randint(10**17, 10**18)}_{ids.rng.randint(10**8, 10**9)}",
             "incidentId": 4711, "investigationId": None, "assignedTo": None, "severity": "High", "status": "New",
             "classification": None, "determination": None, "investigationState": "Queued",
             "detectionSource": "WindowsDefenderAv", "detectorId": ids.uuid(), "category": "Ransomware",
             "threatFamilyName": "Akira", "title": "Ransomware behavior detected in the file system",
             "description": "Files were encrypted and renamed with a known ransomware extension.",
             "alertCreationTime": zulu(at("04:02:11")), "firstEventTime": zulu(at("04:01:58")),
             "lastEventTime": zulu(at("04:02:07")), "lastUpdateTime": zulu(at("04:02:15")),
             "resolvedTime": None, "machineId": ids.hex(40), "computerDnsName": "crm-db-01.24online.local",
             "rbacGroupName": "Servers", "aadTenantId": "7d3c0c6b-1a2e-4f5a-9d0e-24a0e1c0ffee",
             "threatName": "Ransom:Win64/Akira.A", "mitreTechniques": ["T1486"],
             "relatedUser": {"userName": "svc-backup", "domainName": "24ONLINE"}, "loggedOnUsers": [],
             "comments": [], "evidence": []}]


@case("malware/defender-endpoint.eicar.near.json", shape="pretty")
def malware_mde_eicar(ids: Ids) -> list[Record]:
    """IT checks the antivirus on the file server with the EICAR test file (a harmless string every antivirus
    reports as a virus, made for this test): Defender alerts, and prevents it."""
    return [{"id": f"da{ids.rng.randint(10**17, 10**18)}_{ids.rng.randint(10**8, 10**9)}",
             "incidentId": 4712, "investigationId": None, "assignedTo": None, "severity": "Informational",
             "status": "Resolved", "classification": "TruePositive", "determination": "SecurityTesting",
             "investigationState": "Benign", "detectionSource": "WindowsDefenderAv", "detectorId": ids.uuid(),
             "category": "Malware", "threatFamilyName": "EICAR_Test_File",
             "title": "'EICAR_Test_File' malware was prevented",
             "description": "Malware and unwanted software are undesirable applications that perform annoying, "
                            "disruptive, or harmful actions on affected machines.",
             "alertCreationTime": zulu(at("10:15:42")), "firstEventTime": zulu(at("10:15:31")),
             "lastEventTime": zulu(at("10:15:31")), "lastUpdateTime": zulu(at("10:16:02")),
             "resolvedTime": zulu(at("10:16:02")), "machineId": ids.hex(40),
             "computerDnsName": "files-01.24online.local", "rbacGroupName": "Servers",
             "aadTenantId": "7d3c0c6b-1a2e-4f5a-9d0e-24a0e1c0ffee", "threatName": "Virus:DOS/EICAR_Test_File",
             "mitreTechniques": [], "relatedUser": {"userName": "medewerker3", "domainName": "24ONLINE"},
             "loggedOnUsers": [], "comments": [], "evidence": []}]


@case("malware/elastic-defend.near.jsonl")
def malware_defend_near(ids: Ids) -> list[Record]:
    """Endpoint telemetry (not alerts) from the same servers: process starts and file writes."""
    docs, rng = [], ids.rng
    for _ in range(40):
        host = rng.choice(["files-01", "crm-db-01"])
        moment = at("06:00:00") + timedelta(seconds=rng.randint(0, 12 * 3600))
        category, kind, dataset = rng.choice([(["process"], ["start"], "endpoint.events.process"),
                                             (["file"], ["creation"], "endpoint.events.file"),
                                             (["network"], ["start", "connection"], "endpoint.events.network")])
        docs.append({"@timestamp": zulu(moment), "agent": {"type": "endpoint", "version": "8.15.3"},
                     "data_stream": {"dataset": dataset, "namespace": "default", "type": "logs"},
                     "event": {"kind": "event", "category": category, "type": kind, "action": kind[0],
                               "module": "endpoint", "dataset": dataset, "id": ids.alnum(20)},
                     "host": {"name": host, "hostname": host, "os": {"family": "windows"}},
                     "process": {"name": rng.choice(["sqlservr.exe", "svchost.exe", "MsMpEng.exe", "robocopy.exe"]),
                                 "pid": ids.pid()},
                     "user": {"name": "SYSTEM"}})
    return sorted(docs, key=lambda d: d["@timestamp"])


# ======================================================================= dlp.external_mail

def _dlp_match(ids: Ids, moment: datetime, sender: str, to: list[str], actions: list[str]) -> dict[str, Any]:
    """A DlpRuleMatch record (DLP.All content type of the Management Activity API, Exchange workload)."""
    return m365(ids, moment, "DlpRuleMatch", sender, "Exchange", 13, UserKey="DlpAgent", UserType=4,
                ObjectId=f"<{ids.hex(16)}@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>",
                IncidentId=ids.uuid(), SensitiveInfoDetectionIsIncluded=False,
                PolicyDetails=[{"PolicyId": ids.uuid(), "PolicyName": "Persoonsgegevens NL",
                                "Rules": [{"RuleId": ids.uuid(), "RuleName": "IBAN of BSN naar extern",
                                           "Actions": actions, "Severity": "High",
                                           "ConditionsMatched": {"ConditionMatchedInNewScheme": True,
                                                                 "SensitiveInformation": [
                                                                     {"Confidence": 85, "Count": 48,
                                                                      "SensitiveType": ids.uuid(),
                                                                      "SensitiveInformationTypeName": "EU IBAN"}]},
                                           "ManagementRuleId": ids.uuid()}]}],
                ExchangeMetaData={"BCC": [], "CC": [], "FileSize": 181_233, "From": sender,
                                  "MessageID": f"<{ids.hex(16)}@24online.nl>", "RecipientCount": len(to),
                                  "Sent": moment.strftime("%Y-%m-%dT%H:%M:%S"), "Subject": "klantenlijst",
                                  "To": to, "UniqueID": ids.uuid()})


@case("dlp/m365.attack.json", shape="array")
def dlp_m365(ids: Ids) -> list[Record]:
    return [_dlp_match(ids, at("15:02:33"), f"medewerker2@{DOMAIN}", ["j.jansen1984@gmail.com"],
                       ["NotifyUser", "GenerateIncidentReport"])]


@case("dlp/ecs-mailgateway.attack.jsonl")
def dlp_gateway(ids: Ids) -> list[Record]:
    """The mail gateway's DLP finding as ECS (event.kind alert; the product's own action name; no outcome)."""
    return [{"@timestamp": zulu(at("16:20:05")),
             "event": {"kind": "alert", "category": ["email"], "type": ["info"], "action": "dlp-match",
                       "dataset": "mailgateway.dlp", "severity": 47, "id": 551203},
             "rule": {"name": "IBAN-NL", "ruleset": "persoonsgegevens"},
             "email": {"from": {"address": [f"medewerker5@{DOMAIN}"]}, "to": {"address": ["sales@concurrent.example"]},
                       "subject": "offertes en klantgegevens", "direction": "outbound",
                       "attachments": [{"file": {"name": "klanten_iban.xlsx", "size": 73_112}}]},
             "user": {"name": "medewerker5", "email": f"medewerker5@{DOMAIN}"},
             "host": {"name": "mail-gw-01"}, "observer": {"vendor": "mailgateway", "product": "dlp"}}]


@case("dlp/m365.near.json", shape="array")
def dlp_m365_near(ids: Ids) -> list[Record]:
    """DLP blocked the mail (the data did not leave); ordinary mail is sent all day."""
    docs = [_dlp_match(ids, at("11:12:00"), f"medewerker3@{DOMAIN}", ["privé.adres@gmail.com"],
                       ["BlockAccess", "NotifyUser"])]
    for n in range(12):
        docs.append(m365(ids, at("08:00:00") + timedelta(minutes=37 * n), "Send", f"{STAFF[n % 6]}@{DOMAIN}",
                         "Exchange", 2, ResultStatus="Succeeded", ClientIP=OFFICE_IP, LogonType=0,
                         ExternalAccess=False, MailboxOwnerUPN=f"{STAFF[n % 6]}@{DOMAIN}",
                         Item={"Id": ids.hex(40), "Subject": "offerte", "ParentFolder": {"Path": "\\Verzonden items"}}))
    return sorted(docs, key=lambda d: d["CreationTime"])


@case("dlp/ecs-mailgateway.near.jsonl")
def dlp_gateway_near(ids: Ids) -> list[Record]:
    docs = [{"@timestamp": zulu(at("10:05:00")),
             "event": {"kind": "alert", "category": ["email"], "type": ["denied"], "action": "dlp-block",
                       "outcome": "failure", "dataset": "mailgateway.dlp"},
             "rule": {"name": "BSN"}, "email": {"to": {"address": ["belastingadvies@example.org"]},
                                               "direction": "outbound"},
             "user": {"name": "medewerker1"}, "host": {"name": "mail-gw-01"}}]
    for n in range(15):
        docs.append({"@timestamp": zulu(at("07:30:00") + timedelta(minutes=31 * n)),
                     "event": {"kind": "event", "category": ["email"], "type": ["info"], "action": "delivered",
                               "outcome": "success", "dataset": "mailgateway.log"},
                     "email": {"direction": "outbound", "to": {"address": [f"klant{n}@example.com"]}},
                     "user": {"name": STAFF[n % 7]}, "host": {"name": "mail-gw-01"}})
    return docs


# ======================================================================= storage.made_public

def _bucket_call(ids: Ids, moment: datetime, name: str, params: dict[str, Any], *, user: str = "medewerker5",
                 error: tuple[str, str] | None = None) -> dict[str, Any]:
    bucket = params.get("bucketName", "24online-exports")
    return cloudtrail(ids, moment, "s3.amazonaws.com", name, iam_user(ids, user), OFFICE_IP,
                      params={"bucketName": bucket, "Host": f"{bucket}.s3.eu-west-1.amazonaws.com", **params},
                      error=error, resources=[{"accountId": "111122223333", "type": "AWS::S3::Bucket",
                                               "ARN": f"arn:aws:s3:::{bucket}"}],
                      extra={"additionalEventData": {"SignatureVersion": "SigV4",
                                                     "AuthenticationMethod": "AuthHeader"}})


@case("made-public/cloudtrail.attack.json", shape="records")
def public_cloudtrail(ids: Ids) -> list[Record]:
    """The public-access block removed, then a policy that lets anyone read the exports bucket."""
    policy = {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                                                      "Action": "s3:GetObject",
                                                      "Resource": "arn:aws:s3:::24online-exports/*"}]}
    return [_bucket_call(ids, at("13:01:10"), "DeleteBucketPublicAccessBlock", {"publicAccessBlock": ""}),
            _bucket_call(ids, at("13:02:45"), "PutBucketPolicy", {"bucketPolicy": policy, "policy": ""})]


@case("made-public/cloudtrail-acl.attack.jsonl")
def public_cloudtrail_acl(ids: Ids) -> list[Record]:
    acl = {"AccessControlList": {"Grant": [
        {"Grantee": {"xsi:type": "CanonicalUser", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                     "ID": ids.hex(64)}, "Permission": "FULL_CONTROL"},
        {"Grantee": {"xsi:type": "Group", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                     "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]},
        "Owner": {"ID": ids.hex(64)}, "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}
    return [_bucket_call(ids, at("16:44:02"), "PutBucketAcl", {"acl": "", "AccessControlPolicy": acl},
                         user="medewerker8")]


@case("made-public/m365.attack.json", shape="array")
def public_m365(ids: Ids) -> list[Record]:
    """An "Anyone with the link" link created on the customer site's export folder."""
    rec = m365_file(ids, at("14:30:20"), "AnonymousLinkCreated", f"medewerker5@{DOMAIN}", OFFICE_IP,
                    "Exports/klanten-2026-11.xlsx")
    rec |= {"EventData": "<Type>View</Type><MembersCanShare>False</MembersCanShare>",
            "UserAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/131.0", "EventSource": "SharePoint",
            "ItemType": "File"}
    return [rec]


@case("made-public/google-workspace.attack.jsonl")
def public_gws(ids: Ids) -> list[Record]:
    """A Drive file with customer data made visible to anyone with the link / on the web."""
    def drive(moment: datetime, visibility: str, title: str) -> dict[str, Any]:
        return gws(ids, moment, "drive", "change_document_visibility", "medewerker5", OFFICE_IP,
                   category=["file"], kind=["change"],
                   extra={"google_workspace": {"drive": {"visibility": visibility, "old_visibility": "private",
                                                         "visibility_change": "external", "doc_type": "spreadsheet",
                                                         "doc_title": title, "doc_id": ids.alnum(44),
                                                         "owner_is_shared_drive": False, "primary_event": True}},
                          "file": {"name": title, "type": "file", "owner": {"email": f"medewerker5@{DOMAIN}"}}})
    return [drive(at("10:45:03"), "people_with_link", "Klantenlijst 2026")]


@case("made-public/cloudtrail.near.json", shape="records")
def public_cloudtrail_near(ids: Ids) -> list[Record]:
    """Bucket housekeeping: a policy for one partner account, the block turned ON, a public ACL refused."""
    partner = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                                                       "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                                                       "Action": "s3:GetObject",
                                                       "Resource": "arn:aws:s3:::24online-exports/partner/*"}]}
    block = {"PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                                "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
                                                "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}}
    acl = {"AccessControlList": {"Grant": [{"Grantee": {"xsi:type": "Group",
                                                        "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                                            "Permission": "READ"}]}}
    return [_bucket_call(ids, at("09:00:00"), "PutBucketPolicy", {"bucketPolicy": partner, "policy": ""}),
            _bucket_call(ids, at("09:05:00"), "PutPublicAccessBlock", {"publicAccessBlock": "", **block}),
            _bucket_call(ids, at("09:10:00"), "PutBucketAcl", {"acl": "", "AccessControlPolicy": acl},
                         error=("AccessDenied", "Access Denied"))]


TLS_ONLY = {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::24online-exports", "arn:aws:s3:::24online-exports/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}  # Security Hub S3.5, AWS's own advice
VPC_ONLY = {"Sid": "ReadFromTheOfficeEndpoint", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::24online-exports/*",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f60718"}}}


@case("made-public/cloudtrail-tls.near.json", shape="records")
def public_cloudtrail_tls_near(ids: Ids) -> list[Record]:
    """Bucket policies that let nobody in: the "deny plain HTTP" statement for everyone (Principal "*"), then
    an Allow for everyone pinned to the office's VPC endpoint (not public in AWS's own terms)."""
    return [_bucket_call(ids, at("09:00:00"), "PutBucketPolicy",
                         {"bucketPolicy": {"Version": "2012-10-17", "Statement": [TLS_ONLY]}, "policy": ""}),
            _bucket_call(ids, at("09:20:00"), "PutBucketPolicy",
                         {"bucketPolicy": {"Version": "2012-10-17", "Statement": [TLS_ONLY, VPC_ONLY]},
                          "policy": ""})]


@case("made-public/cloudtrail-elastic.attack.jsonl")
def public_cloudtrail_elastic(ids: Ids) -> list[Record]:
    """Elastic's aws.cloudtrail documents: the TLS-only policy kept, then a statement letting anyone read
    added to it (object and Java text), and on a second bucket the same by an older integration (text only)."""
    read = {"Sid": "PublicRead", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::24online-exports/*"}
    call = _bucket_call(ids, at("13:02:45"), "PutBucketPolicy",
                        {"bucketPolicy": {"Version": "2012-10-17", "Statement": [TLS_ONLY, read]}, "policy": ""})
    older = _bucket_call(ids, at("13:04:10"), "PutBucketPolicy",
                         {"bucketName": "24online-facturen", "policy": "",
                          "bucketPolicy": {"Version": "2012-10-17", "Statement": [read | {
                              "Resource": "arn:aws:s3:::24online-facturen/*"}]}})
    return [elastic_cloudtrail(call), elastic_cloudtrail(older, flattened=False)]


@case("made-public/cloudtrail-elastic.near.jsonl")
def public_cloudtrail_elastic_near(ids: Ids) -> list[Record]:
    """The near misses of the raw file, as Elastic indexes them: TLS-only, the VPC endpoint (text only), a
    partner account, and the public ACL that was refused."""
    partner = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::24online-exports/partner/*"}
    acl = {"AccessControlList": {"Grant": [{"Grantee": {"xsi:type": "Group",
                                                        "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                                            "Permission": "READ"}]}}
    policy = lambda *statements: {"bucketPolicy": {"Version": "2012-10-17", "Statement": list(statements)},  # noqa: E731
                                  "policy": ""}
    return [elastic_cloudtrail(_bucket_call(ids, at("09:00:00"), "PutBucketPolicy", policy(TLS_ONLY))),
            elastic_cloudtrail(_bucket_call(ids, at("09:20:00"), "PutBucketPolicy", policy(TLS_ONLY, VPC_ONLY)),
                               flattened=False),
            elastic_cloudtrail(_bucket_call(ids, at("09:40:00"), "PutBucketPolicy", policy(partner))),
            elastic_cloudtrail(_bucket_call(ids, at("10:00:00"), "PutBucketAcl",
                                            {"acl": "", "AccessControlPolicy": acl},
                                            error=("AccessDenied", "Access Denied")))]


@case("made-public/m365.near.json", shape="array")
def public_m365_near(ids: Ids) -> list[Record]:
    docs = []
    for n, op in enumerate(("SharingInvitationCreated", "CompanyLinkCreated", "SharingSet", "SecureLinkCreated")):
        rec = m365_file(ids, at("09:00:00") + timedelta(minutes=40 * n), op, f"medewerker{n + 1}@{DOMAIN}",
                        OFFICE_IP, f"Offertes/offerte-{n}.docx")
        if op in ("SharingInvitationCreated", "SharingSet"):
            rec |= {"TargetUserOrGroupName": f"medewerker{n + 5}@{DOMAIN}", "TargetUserOrGroupType": "Member"}
        docs.append(rec)
    return docs


@case("made-public/google-workspace.near.jsonl")
def public_gws_near(ids: Ids) -> list[Record]:
    docs = []
    for n, visibility in enumerate(("people_within_domain_with_link", "shared_internally", "private")):
        docs.append(gws(ids, at("11:00:00") + timedelta(minutes=30 * n), "drive", "change_document_visibility",
                        f"medewerker{n + 1}", OFFICE_IP, category=["file"], kind=["change"],
                        extra={"google_workspace": {"drive": {"visibility": visibility, "old_visibility": "private",
                                                              "doc_type": "document", "doc_title": f"Notulen {n}",
                                                              "primary_event": True}}}))
    return docs


# ======================================================================= data.mass_deletion

@case("mass-deletion/m365.attack.json", shape="array")
def deletion_m365(ids: Ids) -> list[Record]:
    """560 files of the customer site moved to the recycle bin in eight minutes (a sync client gone wrong, or worse)."""
    return [m365_file(ids, moment, "FileRecycled", f"medewerker1@{DOMAIN}", "145.53.120.18",
                      f"Klanten/{2019 + n % 8}/klant-{300000 + n}.pdf")
            for n, moment in enumerate(every(at("10:00:30"), 560, 0.8, 0.1, ids.rng))]


@case("mass-deletion/cloudtrail.attack.jsonl")
def deletion_cloudtrail(ids: Ids) -> list[Record]:
    """A script deletes the exports one object at a time: one DeleteObject data event (with its key) each.
    (CloudTrail does not record the keys of a DeleteObjects batch, so batches are one event each.)"""
    identity = iam_user(ids, "medewerker1")
    return [s3_object(ids, moment, "DeleteObject", identity, "145.53.120.18", f"exports/klanten/part-{n:05d}.csv")
            for n, moment in enumerate(every(at("11:00:40"), 520, 0.9, 0.1, ids.rng))]


@case("mass-deletion/cloudtrail-elastic.attack.jsonl")
def deletion_cloudtrail_elastic(ids: Ids) -> list[Record]:
    """The same one-at-a-time deletion as Elastic's aws.cloudtrail integration indexes it (event.type [info])."""
    return [elastic_cloudtrail(record) for record in deletion_cloudtrail(ids)]


@case("mass-deletion/windows-security.attack.jsonl")
def deletion_windows(ids: Ids) -> list[Record]:
    """Object access auditing on the share: 4663 (DELETE requested) and 4660 (object deleted) per file."""
    docs, user = [], "medewerker1"
    for n, moment in enumerate(every(at("12:00:20"), 520, 0.9, 0.1, ids.rng)):
        handle = f"0x{ids.hex(4)}"
        path = f"D:\\Shares\\Klanten\\{2019 + n % 8}\\klant-{400000 + n}.pdf"
        subject = {"SubjectUserSid": "S-1-5-21-3623811015-3361044348-30300820-1101", "SubjectUserName": user,
                   "SubjectDomainName": "24ONLINE", "SubjectLogonId": "0x5a3f1c2", "HandleId": handle,
                   "ProcessId": "0x1f4c", "ProcessName": "C:\\Windows\\explorer.exe", "ObjectServer": "Security"}
        docs.append(winlogbeat(ids, moment, "4663", "files-01.24online.local",
                               {**subject, "ObjectType": "File", "ObjectName": path, "AccessList": "%%1537",
                                "AccessMask": "0x10000", "ResourceAttributes": "S:AI"},
                               extra={"user": {"name": user, "domain": "24ONLINE"}, "file": {"path": path}}))
        docs.append(winlogbeat(ids, moment, "4660", "files-01.24online.local", subject,
                               extra={"user": {"name": user, "domain": "24ONLINE"}}))
    return docs


@case("mass-deletion/m365.near.json", shape="array")
def deletion_m365_near(ids: Ids) -> list[Record]:
    """Tidying up: forty old drafts recycled over an afternoon."""
    return [m365_file(ids, at("14:00:00") + timedelta(minutes=4 * n), "FileRecycled", f"medewerker2@{DOMAIN}",
                      OFFICE_IP, f"Concepten/concept-{n}.docx") for n in range(40)]


@case("mass-deletion/cloudtrail.near.jsonl")
def deletion_cloudtrail_near(ids: Ids) -> list[Record]:
    """A nightly cleanup job's DeleteObjects batches (CloudTrail logs no keys for them), thirty single
    deletions, and sixty single deletions that S3 refused (AccessDenied)."""
    identity, docs = assumed_role(ids, "cleanup-job", "nightly"), []
    for batch in range(3):
        docs.append(s3_object(ids, at("02:00:00") + timedelta(seconds=30 * batch), "DeleteObjects", identity,
                              "10.30.0.12", "", params={"bucketName": "24online-exports",
                                                        "Host": "24online-exports.s3.eu-west-1.amazonaws.com",
                                                        "delete": ""}))
    person = iam_user(ids, "medewerker2")
    for n in range(30):
        docs.append(s3_object(ids, at("09:00:00") + timedelta(seconds=20 * n), "DeleteObject", person, OFFICE_IP,
                              f"tmp/job-{n:04d}.json"))
    for n in range(60):
        docs.append(s3_object(ids, at("09:20:00") + timedelta(seconds=5 * n), "DeleteObject", person, OFFICE_IP,
                              f"exports/klanten/part-{n:05d}.csv", error=("AccessDenied", "Access Denied")))
    return docs


@case("mass-deletion/cloudtrail-elastic.near.jsonl")
def deletion_cloudtrail_elastic_near(ids: Ids) -> list[Record]:
    """The cleanup job, the thirty deletions and the sixty refused ones, as Elastic indexes them."""
    return [elastic_cloudtrail(record) for record in deletion_cloudtrail_near(ids)]


# ======================================================================= raw cases as Elastic's integrations index them

def _twin(path: str, raw: Case, convert: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Register ``path``: the records of the raw case ``raw`` through an Elastic ingest pipeline's rewrite."""
    @case(path)
    def twin(ids: Ids) -> list[Record]:
        return [convert(record) for record in raw(ids)]  # type: ignore[arg-type]


for _path, _raw, _convert in (
    ("brute-force/cloudtrail-elastic.attack.jsonl", brute_cloudtrail, elastic_cloudtrail),
    ("denied-burst/cloudtrail-elastic.attack.jsonl", denied_cloudtrail, elastic_cloudtrail),
    ("denied-burst/cloudtrail-elastic.near.jsonl", denied_cloudtrail_near, elastic_cloudtrail),
    ("privilege-then-access/cloudtrail-elastic.attack.jsonl", privilege_cloudtrail, elastic_cloudtrail),
    ("privilege-then-access/cloudtrail-elastic.near.jsonl", privilege_cloudtrail_near, elastic_cloudtrail),
    ("mass-access/cloudtrail-elastic.attack.jsonl", mass_access_cloudtrail, elastic_cloudtrail),
    ("made-public/o365-elastic.attack.jsonl", public_m365, elastic_o365),
    ("made-public/o365-elastic.near.jsonl", public_m365_near, elastic_o365),
    ("privilege-then-access/o365-elastic.attack.jsonl", privilege_m365, elastic_o365),
    ("privilege-then-access/o365-elastic.near.jsonl", privilege_m365_near, elastic_o365),
    ("mass-access/o365-elastic.attack.jsonl", mass_access_m365, elastic_o365),
    ("mass-access/o365-elastic.near.jsonl", mass_access_m365_near, elastic_o365),
    ("mass-deletion/o365-elastic.attack.jsonl", deletion_m365, elastic_o365),
    ("mass-deletion/o365-elastic.near.jsonl", deletion_m365_near, elastic_o365),
    ("dlp/o365-elastic.attack.jsonl", dlp_m365, elastic_o365),
    ("dlp/o365-elastic.near.jsonl", dlp_m365_near, elastic_o365),
    ("spraying/okta-elastic.attack.jsonl", spraying_okta, elastic_okta),
    ("spraying/okta-elastic.near.jsonl", spraying_okta_near, elastic_okta),
    ("stuffing/okta-elastic.attack.jsonl", stuffing_okta, elastic_okta),
):
    _twin(_path, _raw, _convert)


# ======================================================================= device.lost_or_stolen

@case("device-lost/ecs-servicedesk.attack.jsonl")
def device_servicedesk(ids: Ids) -> list[Record]:
    """The service desk registers a stolen laptop (its own workflow event, ECS with its action name)."""
    return [{"@timestamp": zulu(at("08:41:00")),
             "event": {"kind": "event", "category": ["host"], "type": ["change"], "action": "device_reported_stolen",
                       "dataset": "servicedesk.workflow", "reason": "aangifte gedaan"},
             "host": {"name": "lt-0042", "type": "laptop"}, "user": {"name": "medewerker3"},
             "servicedesk": {"ticket": "SD-48211"}}]


@case("device-lost/intune.attack.jsonl")
def device_intune(ids: Ids) -> list[Record]:
    """Intune's audit event for the lost-mode remote action, forwarded as ECS by an Elastic Agent (generic
    Azure Event Hub input: the Graph auditEvent kept under azure.*, categorisation not filled)."""
    return [{"@timestamp": zulu(at("19:05:33")),
             "event": {"kind": "event", "action": "enableLostMode ManagedDevice", "provider": "Microsoft Intune",
                       "dataset": "azure.eventhub", "outcome": "success"},
             "host": {"name": "ph-0107"}, "user": {"name": f"admin2@{DOMAIN}"},
             "azure": {"intune": {"activity": "Enable lost mode", "activityType": "enableLostMode ManagedDevice",
                                  "activityResult": "Success", "activityOperationType": "Action",
                                  "category": "DeviceManagement", "componentName": "DeviceActions",
                                  "resources": [{"displayName": "ph-0107", "type": "ManagedDevice",
                                                 "resourceId": ids.uuid()}]}}}]


@case("device-lost/ecs-servicedesk.near.jsonl")
def device_servicedesk_near(ids: Ids) -> list[Record]:
    return [{"@timestamp": zulu(at("09:00:00") + timedelta(hours=n)),
             "event": {"kind": "event", "category": ["host"], "type": ["change"], "action": action,
                       "dataset": "servicedesk.workflow"},
             "host": {"name": f"lt-00{50 + n}"}, "user": {"name": STAFF[n]}}
            for n, action in enumerate(("device_enrolled", "device_found", "device_returned", "device_repaired"))]


@case("device-lost/intune.near.jsonl")
def device_intune_near(ids: Ids) -> list[Record]:
    return [{"@timestamp": zulu(at("10:00:00") + timedelta(minutes=20 * n)),
             "event": {"kind": "event", "action": f"{act} ManagedDevice", "provider": "Microsoft Intune",
                       "dataset": "azure.eventhub", "outcome": "success"},
             "host": {"name": f"ph-01{10 + n}"}, "user": {"name": f"admin2@{DOMAIN}"},
             "azure": {"intune": {"activityType": f"{act} ManagedDevice", "componentName": "DeviceActions"}}}
            for n, act in enumerate(("syncDevice", "rebootNow", "updateWindowsDeviceAccount"))]


# ======================================================================= auth.impossible_travel

@case("impossible-travel/okta.attack.json", shape="array")
def travel_okta(ids: Ids) -> list[Record]:
    login = f"medewerker4@{DOMAIN}"
    return [okta(ids, at("07:55:10"), "user.session.start", login, OFFICE_IP, "SUCCESS", place="amsterdam"),
            okta(ids, at("08:40:02"), "user.session.start", login, "103.252.200.11", "SUCCESS", place="singapore")]


@case("impossible-travel/google-workspace.attack.jsonl")
def travel_gws(ids: Ids) -> list[Record]:
    def login(moment: datetime, ip: str, place: str) -> dict[str, Any]:
        return gws(ids, moment, "login", "login_success", "medewerker2", ip, category=["authentication"],
                   kind=["start"], outcome="success", geo=place,
                   extra={"google_workspace": {"login": {"challenge_method": ["password", "totp"],
                                                         "type": "google_password", "is_suspicious": False}}})
    return [login(at("09:01:00"), OFFICE_IP, "amsterdam"), login(at("10:02:30"), "177.37.88.14", "sao_paulo")]


@case("impossible-travel/elastic-system-auth.attack.jsonl")
def travel_elastic(ids: Ids) -> list[Record]:
    """Two ssh logins of one admin, as Elastic's system integration enriches them with GeoIP (source.geo)."""
    docs = []
    for moment, ip, place, method in ((at("09:00:12"), OFFICE_IP, "amsterdam", "publickey"),
                                      (at("09:41:05"), "103.252.200.13", "singapore", "password")):
        port = ids.port()
        doc = elastic_system_auth(ids, moment, "crm-app-01", f"Accepted {method} for medewerker8 from {ip} port "
                                  f"{port} ssh2", action="ssh_login", outcome="success", user="medewerker8", ip=ip,
                                  port=port, method=method, ssh_event="Accepted")
        city, _, country, _, lat, lon = PLACES[place]
        doc["source"]["geo"] = {"city_name": city, "country_name": country, "location": {"lat": lat, "lon": lon}}
        docs.append(doc)
    return docs


@case("impossible-travel/okta.near.json", shape="array")
def travel_okta_near(ids: Ids) -> list[Record]:
    a, b = f"medewerker5@{DOMAIN}", f"medewerker6@{DOMAIN}"
    return [okta(ids, at("07:50:00"), "user.session.start", a, OFFICE_IP, "SUCCESS", place="amsterdam"),
            okta(ids, at("08:55:00"), "user.session.start", a, "86.81.5.140", "SUCCESS", place="rotterdam"),
            okta(ids, at("06:00:00"), "user.session.start", b, OFFICE_IP, "SUCCESS", place="amsterdam"),
            okta(ids, at("02:10:00", day=1), "user.session.start", b, "103.252.200.12", "SUCCESS", place="singapore")]


@case("impossible-travel/google-workspace.near.jsonl")
def travel_gws_near(ids: Ids) -> list[Record]:
    def login(moment: datetime, user: str, ip: str, place: str) -> dict[str, Any]:
        return gws(ids, moment, "login", "login_success", user, ip, category=["authentication"], kind=["start"],
                   outcome="success", geo=place)
    return [login(at("08:00:00"), "medewerker7", OFFICE_IP, "amsterdam"),
            login(at("09:30:00"), "medewerker7", "77.161.40.212", "utrecht"),
            login(at("12:00:00"), "medewerker8", OFFICE_IP, "amsterdam")]


# ======================================================================= the issue's scenarios (several rules)

@case("composite/ecs-portal-stuffing.attack.jsonl")
def composite_portal(ids: Ids) -> list[Record]:
    """Issue 9: 250 failed portal logins for 120 customer accounts from one address, then three of them
    log in. The portal's own ECS (action "logon"), some documents dotted, host.hostname without host.name."""
    docs, rng, ip = [], ids.rng, "203.0.113.200"
    accounts = [f"{k}{n}@example.nl" for n in range(8) for k in KLANTEN][:120]
    for n, moment in enumerate(every(at("01:00:05"), 250, 5.5, 1.0, rng)):
        doc = {"@timestamp": zulu(moment), "event": {"kind": "event", "category": ["authentication"],
                                                      "type": ["start"], "action": "logon",
                                                      "outcome": "failure" if n % 7 else "FAILURE",
                                                      "dataset": "portal.auth", "id": 7_000_000 + n},
               "source": {"ip": ip}, "user": {"name": accounts[n % 120]},
               "host": {"hostname": "portal-web-01"} if n % 2 else {"name": "portal-web-01"},
               "url": {"path": "/login"}, "user_agent": {"original": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"}}
        if n % 5 == 0:
            flat: dict[str, Any] = {}
            _flatten(doc, "", flat)
            doc = flat
        docs.append(doc)
    for n, account in enumerate((accounts[3], accounts[41], accounts[77])):
        docs.append({"@timestamp": zulu(at("01:24:00") + timedelta(seconds=40 * n)),
                     "event": {"kind": "event", "category": ["authentication"], "type": ["start"], "action": "logon",
                               "outcome": "success", "dataset": "portal.auth"},
                     "source": {"ip": ip}, "user": {"name": account}, "host": {"name": "portal-web-01"}})
    return docs


@case("composite/ecs-crm-export-night.attack.jsonl")
def composite_export(ids: Ids) -> list[Record]:
    """Issue 9: an export of 12,000 customer records at 23:40 (Amsterdam), no request, after a quiet evening."""
    docs = [_crm_read(ids, local("17:00:00") + timedelta(minutes=13 * n), "medewerker9") for n in range(10)]
    docs.append(_crm_read(ids, local("23:40:05"), "medewerker9", action="export", records=12_000))
    return docs


# ======================================================================= writing

def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, value in obj.items():
        if isinstance(value, dict) and key not in ("@timestamp",):
            _flatten(value, f"{prefix}{key}.", out)
        else:
            out[f"{prefix}{key}"] = value


def _bsd_sort_key(line: str) -> str:
    return line[:15].replace(" ", "0")


def _clf_sort_key(line: str) -> str:
    stamp = line.split("[", 1)[1].split("]", 1)[0]
    return datetime.strptime(stamp, "%d/%b/%Y:%H:%M:%S %z").isoformat()


def render(path: str) -> str:
    fn, shape = CASES[path]
    records = fn(Ids(random.Random(zlib.crc32(path.encode()))))
    if shape == "array":
        return json.dumps(records, ensure_ascii=False) + "\n"
    if shape == "records":
        return json.dumps({"Records": records}, ensure_ascii=False) + "\n"
    if shape == "pretty":
        return "".join(json.dumps(r, ensure_ascii=False, indent=2) + "\n" for r in records)
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


BULK_BYTES = 100_000  # larger files are not committed: they are written on demand (see .gitignore there)


def materialise(root: Path = ROOT, *, check: bool = False) -> list[str]:
    """Write every case file under ``root`` (only those missing or different); return the paths that
    were missing or different. With ``check``, write nothing."""
    changed, bulk = [], []
    for path in CASES:
        target, text = root / path, render(path)
        if len(text.encode()) > BULK_BYTES:
            bulk.append(path)
            if check and not target.exists():
                continue  # not committed: written on demand
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        changed.append(path)
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    ignore = "# bulk cases, written by tests/corpus/generate.py on demand\n" + "".join(f"/{p}\n" for p in sorted(bulk))
    gitignore = root / ".gitignore"
    if not check and (not gitignore.exists() or gitignore.read_text() != ignore):
        gitignore.write_text(ignore)
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = materialise(check=check)
    for path in changed:
        print(f"{'stale' if check else 'written'}: {path}", file=sys.stderr)
    return 1 if check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Record builders in the producers' own formats (see README.md for the documentation each follows).

Every function returns one record as the producer writes it: a raw syslog or access-log line, or a JSON
object (nested, as Filebeat/Elastic Agent, Okta, Microsoft and AWS emit it). Nothing here uses datalek's
internal field names, except where a case documents that an organisation's own application ships them.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
DAY = datetime(2026, 11, 17, tzinfo=UTC)  # a Tuesday; Amsterdam is UTC+1 in November
DOMAIN = "24online.nl"
AWS_ACCOUNT = "111122223333"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def at(hhmmss: str, *, day: int = 0) -> datetime:
    """A moment in UTC on the corpus day (plus ``day`` days)."""
    h, m, s = (int(p) for p in hhmmss.split(":"))
    return DAY + timedelta(days=day, hours=h, minutes=m, seconds=s)


def local(hhmmss: str, *, day: int = 0) -> datetime:
    """A moment given in Amsterdam local time, as UTC."""
    h, m, s = (int(p) for p in hhmmss.split(":"))
    moment = datetime(DAY.year, DAY.month, DAY.day, h, m, s, tzinfo=AMS) + timedelta(days=day)
    return moment.astimezone(UTC)


class Ids:
    """Seeded ids, so the corpus is byte-for-byte reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def alnum(self, n: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(n))

    def port(self) -> int:
        return self.rng.randint(32768, 60999)

    def pid(self) -> int:
        return self.rng.randint(1000, 65000)


def zulu(moment: datetime, *, ms: bool = True) -> str:
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond // 1000:03d}Z" if ms else "Z")


# ---------------------------------------------------------------- Linux syslog (auth.log / secure)

def bsd(moment: datetime, host: str, tag: str, message: str) -> str:
    """RFC 3164 as rsyslog writes it to /var/log/auth.log (local time = UTC on these servers)."""
    stamp = f"{MONTHS[moment.month - 1]} {moment.day:2d} {moment:%H:%M:%S}"
    return f"{stamp} {host} {tag}: {message}"


def rfc5424(moment: datetime, host: str, app: str, pid: int, message: str, pri: int = 38) -> str:
    return f"<{pri}>1 {moment.astimezone(AMS).isoformat(timespec='microseconds')} {host} {app} {pid} - - {message}"


def journal(ids: Ids, moment: datetime, host: str, ident: str, pid: int, message: str | bytes, *,
            unit: str = "ssh.service", transport: str = "syslog") -> dict[str, Any]:
    """One entry of ``journalctl -o json`` (systemd's JSON export format: every value a string, times in
    microseconds since the epoch; MESSAGE an array of byte values when it is not valid UTF-8)."""
    realtime = int(moment.timestamp()) * 1_000_000 + moment.microsecond
    comm = ident if ident != "sshd-session" else "sshd-session"
    entry: dict[str, Any] = {
        "__CURSOR": f"s={ids.hex(32)};i={ids.rng.randint(1, 999999):x};b={ids.hex(32)};m={ids.hex(9)};"
                    f"t={realtime:x};x={ids.hex(16)}",
        "__REALTIME_TIMESTAMP": str(realtime), "__MONOTONIC_TIMESTAMP": str(ids.rng.randint(10**9, 10**12)),
        "_BOOT_ID": "9f0c4e3ab1d24c7e8a5f6b7c8d9e0f1a", "_MACHINE_ID": "3c2b1a09f8e7d6c5b4a3928170f6e5d4",
        "_HOSTNAME": host, "PRIORITY": "6", "SYSLOG_FACILITY": "4" if ident != "sudo" else "10",
        "SYSLOG_IDENTIFIER": ident, "_TRANSPORT": transport, "_UID": "0", "_GID": "0", "_COMM": comm,
        "_SYSTEMD_UNIT": unit, "_SYSTEMD_SLICE": "system.slice", "_SYSTEMD_CGROUP": f"/system.slice/{unit}",
    }
    if transport == "syslog":
        entry |= {"SYSLOG_PID": str(pid), "SYSLOG_TIMESTAMP": f"{MONTHS[moment.month - 1]} {moment.day:2d} "
                                                            f"{moment:%H:%M:%S} ",
                  "_SOURCE_REALTIME_TIMESTAMP": str(realtime - ids.rng.randint(20, 900))}
    entry |= {"_PID": str(pid), "MESSAGE": list(message) if isinstance(message, bytes) else message}
    return entry


def vector_journald(moment: datetime, host: str, ident: str, pid: int, message: str) -> dict[str, Any]:
    """An entry as Vector's ``journald`` source forwards it: ``message``, ``host`` and ``timestamp`` renamed."""
    return {"host": host, "message": message, "source_type": "journald", "timestamp": zulu(moment),
            "PRIORITY": "6", "SYSLOG_FACILITY": "4", "SYSLOG_IDENTIFIER": ident, "SYSLOG_PID": str(pid),
            "_PID": str(pid), "_COMM": ident, "_TRANSPORT": "syslog", "_SYSTEMD_UNIT": "ssh.service"}


# ---------------------------------------------------------------- web access log (combined)

def combined(moment: datetime, client: str, user: str, request: str, status: int, size: int,
             referrer: str = "-", agent: str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/132.0") -> str:
    stamp = moment.astimezone(AMS).strftime("%d/%b/%Y:%H:%M:%S %z")
    return f'{client} - {user} [{stamp}] "{request}" {status} {size} "{referrer}" "{agent}"'


# ---------------------------------------------------------------- Elastic: system integration (auth)

def elastic_system_auth(ids: Ids, moment: datetime, host: str, message: str, *, program: str = "sshd",
                        action: str | None = None, outcome: str | None = None, user: str | None = None,
                        ip: str | None = None, port: int | None = None, method: str | None = None,
                        ssh_event: str | None = None, hostname_only: bool = False,
                        category: bool = True) -> dict[str, Any]:
    """A logs-system.auth document as Elastic Agent's system integration writes it.

    sshd "Accepted"/"Failed" lines get event.action ssh_login, outcome and category authentication; PAM
    and other lines keep only the message and process (no action, no outcome)."""
    event: dict[str, Any] = {"dataset": "system.auth", "module": "system", "kind": "event",
                             "ingested": zulu(moment + timedelta(seconds=2))}
    if action:
        event["action"] = action
    if outcome:
        event["outcome"] = outcome
    if category and action:
        event["category"] = ["authentication"]
        event["type"] = ["info"]
    doc: dict[str, Any] = {
        "@timestamp": zulu(moment),
        "agent": {"type": "filebeat", "version": "8.15.3", "name": host},
        "data_stream": {"dataset": "system.auth", "namespace": "default", "type": "logs"},
        "ecs": {"version": "8.0.0"}, "event": event,
        "host": {"hostname": host, "os": {"family": "debian", "name": "Debian GNU/Linux", "version": "12"}},
        "input": {"type": "log"}, "log": {"file": {"path": "/var/log/auth.log"}},
        "message": message, "process": {"name": program, "pid": ids.pid()},
    }
    if not hostname_only:
        doc["host"]["name"] = host
    if user:
        doc["user"] = {"name": user}
    if ip:
        doc["source"] = {"ip": ip, **({"port": port} if port else {})}
        doc["related"] = {"ip": [ip], **({"user": [user]} if user else {})}
    if ssh_event:
        doc["system"] = {"auth": {"ssh": {"event": ssh_event, **({"method": method} if method else {})}}}
    return doc


# ---------------------------------------------------------------- Windows Security via Winlogbeat

WIN_ACTIONS = {"4624": "logged-in", "4625": "logon-failed", "4634": "logged-out", "4740": "locked-out-user-account",
               "4732": "added-member-to-group", "4728": "added-member-to-group", "4663": "object-access-attempted",
               "4660": "object-deleted", "4767": "unlocked-user-account"}
WIN_TASKS = {"4624": "Logon", "4625": "Logon", "4634": "Logoff", "4740": "User Account Management",
             "4732": "Security Group Management", "4728": "Security Group Management",
             "4663": "File System", "4660": "File System", "4767": "User Account Management"}
WIN_ECS = {  # categorisation the winlogbeat security module / Elastic Agent windows integration adds
    "4624": (["authentication"], ["start"]), "4625": (["authentication"], ["start"]),
    "4634": (["authentication"], ["end"]), "4740": (["iam"], ["user", "change"]),
    "4732": (["iam"], ["group", "change"]), "4728": (["iam"], ["group", "change"]),
    "4663": (["file"], ["access"]), "4660": (["file"], ["deletion"]), "4767": (["iam"], ["user", "change"]),
}


def winlogbeat(ids: Ids, moment: datetime, code: str, computer: str, event_data: dict[str, Any], *,
               outcome: str = "success", module: bool = True, numeric_code: bool = False,
               extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Security-channel event as Winlogbeat ships it; ``module`` adds the security module's ECS fields
    (event.category/type/action, user.*, source.*), without it only what the base winlog input gives."""
    keyword = "Audit Success" if outcome == "success" else "Audit Failure"
    event: dict[str, Any] = {"code": int(code) if numeric_code else code, "kind": "event",
                             "provider": "Microsoft-Windows-Security-Auditing", "created": zulu(moment),
                             "outcome": outcome}
    if module:
        category, kind = WIN_ECS[code]
        event |= {"action": WIN_ACTIONS[code], "category": category, "type": kind, "module": "security"}
    else:
        event["action"] = WIN_TASKS[code]
    doc: dict[str, Any] = {
        "@timestamp": zulu(moment),
        "agent": {"type": "winlogbeat", "version": "8.15.3", "name": computer.split(".")[0].upper()},
        "ecs": {"version": "8.0.0"}, "event": event,
        "host": {"name": computer.split(".")[0], "hostname": computer.split(".")[0].upper(),
                 "os": {"family": "windows", "name": "Windows Server 2022 Standard"}},
        "log": {"level": "information"},
        "winlog": {"channel": "Security", "computer_name": computer, "event_id": code,
                   "provider_name": "Microsoft-Windows-Security-Auditing",
                   "provider_guid": "{54849625-5478-4994-a5ba-3e3b0328c30d}",
                   "record_id": ids.rng.randint(10_000_000, 99_999_999), "keywords": [keyword],
                   "opcode": "Info", "task": WIN_TASKS[code], "event_data": event_data,
                   "process": {"pid": 780, "thread": {"id": ids.rng.randint(1000, 9000)}}},
    }
    return doc | (extra or {})


def win_logon(ids: Ids, moment: datetime, computer: str, user: str, ip: str, *, failed: bool, logon_type: str = "3",
              module: bool = True, numeric_code: bool = False) -> dict[str, Any]:
    code = "4625" if failed else "4624"
    data = {"SubjectUserSid": "S-1-0-0", "SubjectUserName": "-", "TargetUserName": user,
            "TargetDomainName": "24ONLINE", "LogonType": logon_type, "IpAddress": ip, "IpPort": "0",
            "WorkstationName": "-", "LogonProcessName": "NtLmSsp ", "AuthenticationPackageName": "NTLM",
            "KeyLength": "0", "ProcessName": "-", "ProcessId": "0x0"}
    if failed:
        data |= {"Status": "0xc000006d", "SubStatus": "0xc000006a", "FailureReason": "%%2313"}
    else:
        data |= {"TargetUserSid": f"S-1-5-21-3623811015-3361044348-30300820-{1100 + len(user)}",
                 "TargetLogonId": f"0x{ids.hex(7)}", "ElevatedToken": "%%1843"}
    extra: dict[str, Any] = {}
    if module:
        extra = {"user": {"name": user, "domain": "24ONLINE"}, "source": {"ip": ip, "port": 0},
                 "related": {"ip": [ip], "user": [user]}}
    doc = winlogbeat(ids, moment, code, computer, data, outcome="failure" if failed else "success",
                     module=module, numeric_code=numeric_code)
    if module:
        types = {"2": "Interactive", "3": "Network", "10": "RemoteInteractive"}
        doc["winlog"]["logon"] = {"type": types.get(logon_type, logon_type)}
        if failed:
            doc["winlog"]["logon"]["failure"] = {"reason": "Unknown user name or bad password.",
                                                 "status": "This is either due to a bad username or "
                                                           "authentication information",
                                                 "sub_status": "User logon with misspelled or bad password"}
        doc |= extra
    return doc


# ---------------------------------------------------------------- Okta System Log (LogEvent)

PLACES = {
    "amsterdam": ("Amsterdam", "North Holland", "Netherlands", "1012", 52.3676, 4.9041),
    "rotterdam": ("Rotterdam", "South Holland", "Netherlands", "3011", 51.9225, 4.4792),
    "utrecht": ("Utrecht", "Utrecht", "Netherlands", "3511", 52.0907, 5.1214),
    "singapore": ("Singapore", None, "Singapore", "018956", 1.2897, 103.8501),
    "sao_paulo": ("Sao Paulo", "Sao Paulo", "Brazil", "01000", -23.5475, -46.6361),
    "bucharest": ("Bucharest", "Bucuresti", "Romania", "010011", 44.4323, 26.1063),
}


def okta(ids: Ids, moment: datetime, event_type: str, actor: str, ip: str, result: str, *,
         reason: str | None = None, place: str = "amsterdam", target: list[dict[str, Any]] | None = None,
         display: str = "User login to Okta", legacy: str | None = None) -> dict[str, Any]:
    city, state, country, postal, lat, lon = PLACES[place]
    geo = {"city": city, "state": state, "country": country, "postalCode": postal,
           "geolocation": {"lat": lat, "lon": lon}}
    return {
        "actor": {"id": f"00u{ids.alnum(17).lower()}", "type": "User", "alternateId": actor,
                  "displayName": actor.split("@")[0], "detailEntry": None},
        "client": {"userAgent": {"rawUserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15",
                                 "os": "Mac OS X", "browser": "SAFARI"},
                   "zone": "null", "device": "Computer", "id": None, "ipAddress": ip, "geographicalContext": geo},
        "device": None,
        "authenticationContext": {"authenticationProvider": None, "credentialProvider": None,
                                  "credentialType": None, "issuer": None, "interface": None,
                                  "authenticationStep": 0, "externalSessionId": f"idx{ids.alnum(22)}"},
        "displayMessage": display, "eventType": event_type,
        "outcome": {"result": result, "reason": reason},
        "published": zulu(moment),
        "securityContext": {"asNumber": 1136, "asOrg": "kpn b.v.", "isp": "kpn b.v.", "domain": "kpn.com",
                            "isProxy": False},
        "severity": "WARN" if result == "FAILURE" else "INFO",
        "debugContext": {"debugData": {"requestId": ids.alnum(27), "requestUri": "/idp/idx/identify",
                                       "threatSuspected": "false", "url": "/idp/idx/identify?"}},
        "legacyEventType": legacy, "transaction": {"type": "WEB", "id": ids.alnum(27), "detail": {}},
        "uuid": ids.uuid(), "version": "0",
        "request": {"ipChain": [{"ip": ip, "geographicalContext": geo, "version": "V4", "source": None}]},
        "target": target,
    }


# ---------------------------------------------------------------- Microsoft 365 unified audit log

ORG_ID = "7d3c0c6b-1a2e-4f5a-9d0e-24a0e1c0ffee"


def m365(ids: Ids, moment: datetime, operation: str, user: str, workload: str, record_type: int,
         **fields: Any) -> dict[str, Any]:
    """A record of the Office 365 Management Activity API common schema (CreationTime without a zone)."""
    base = {"CreationTime": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "Id": ids.uuid(),
            "Operation": operation, "OrganizationId": ORG_ID, "RecordType": record_type,
            "UserKey": f"i:0h.f|membership|1003{ids.hex(12)}@live.com", "UserType": 0, "Version": 1,
            "Workload": workload, "UserId": user}
    return base | fields


INTERRUPTS = (("50140", "KmsiInterrupt"), ("50074", "UserStrongAuthClientAuthNRequiredInterrupt"),
              ("50076", "UserStrongAuthClientAuthNRequired"), ("50158", "ExternalSecurityChallenge"))


def m365_login(ids: Ids, moment: datetime, user: str, ip: str, *, failed: bool,
               error: tuple[str, str] = ("50126", "InvalidUserNameOrPassword")) -> dict[str, Any]:
    """Azure AD STS logon records: UserLoginFailed also for sign-ins only interrupted (the "Stay signed
    in?" prompt, an MFA challenge), with the AADSTS code in ErrorNumber and its name in LogonError."""
    fields: dict[str, Any] = {
        "ResultStatus": "Success" if not failed else "Failed", "ClientIP": ip,
        "ObjectId": "00000003-0000-0ff1-ce00-000000000000", "AzureActiveDirectoryEventType": 1,
        "ExtendedProperties": [{"Name": "ResultStatusDetail", "Value": "Success" if not failed else "Failed"},
                               {"Name": "UserAgent", "Value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/131.0"},
                               {"Name": "RequestType", "Value": "Login:login"}],
        "ModifiedProperties": [], "Actor": [{"ID": ids.uuid(), "Type": 0}, {"ID": user, "Type": 5}],
        "ActorContextId": ORG_ID, "ActorIpAddress": ip, "InterSystemsId": ids.uuid(),
        "IntraSystemId": ids.uuid(), "SupportTicketId": "",
        "Target": [{"ID": "00000003-0000-0ff1-ce00-000000000000", "Type": 0}], "TargetContextId": ORG_ID,
        "ApplicationId": "4765445b-32c6-49b0-83e6-1d93765276ca",
    }
    if failed:
        fields |= {"ErrorNumber": error[0], "LogonError": error[1]}
    return m365(ids, moment, "UserLoginFailed" if failed else "UserLoggedIn", user, "AzureActiveDirectory", 15,
                **fields)


def m365_file(ids: Ids, moment: datetime, operation: str, user: str, ip: str, path: str, *,
              site: str = "https://24online.sharepoint.com/sites/klanten/") -> dict[str, Any]:
    folder, _, name = path.rpartition("/")
    return m365(ids, moment, operation, user, "SharePoint", 6, ClientIP=ip,
                ObjectId=f"{site}Gedeelde documenten/{path}", UserAgent="Microsoft SkyDriveSync 24.201.1006.0005",
                EventSource="SharePoint", ItemType="File", ListId=ids.uuid(), ListItemUniqueId=ids.uuid(),
                Site=ids.uuid(), WebId=ids.uuid(), SiteUrl=site, SourceFileExtension=name.rpartition(".")[2],
                SourceFileName=name, SourceRelativeUrl=f"Gedeelde documenten/{folder}",
                CorrelationId=ids.uuid(), HighPriorityMediaProcessing=False)


# ---------------------------------------------------------------- AWS CloudTrail

def cloudtrail(ids: Ids, moment: datetime, source: str, name: str, identity: dict[str, Any], ip: str, *,
               params: dict[str, Any] | None = None, response: Any = None, error: tuple[str, str] | None = None,
               region: str = "eu-west-1", read_only: bool = False, management: bool = True,
               event_type: str = "AwsApiCall",
               resources: list[dict[str, Any]] | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "eventVersion": "1.10", "userIdentity": identity, "eventTime": zulu(moment, ms=False),
        "eventSource": source, "eventName": name, "awsRegion": region, "sourceIPAddress": ip,
        "userAgent": "[aws-cli/2.18.0 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6]",
        "requestParameters": params, "responseElements": response,
    }
    if error:
        record |= {"errorCode": error[0], "errorMessage": error[1]}
    record |= {"requestID": ids.alnum(16), "eventID": ids.uuid(), "readOnly": read_only,
               **({"resources": resources} if resources else {}),
               "eventType": event_type, "managementEvent": management, "recipientAccountId": AWS_ACCOUNT,
               "eventCategory": "Management" if management else "Data"}
    return record | (extra or {})


def iam_user(ids: Ids, name: str) -> dict[str, Any]:
    return {"type": "IAMUser", "principalId": f"AIDA{ids.alnum(17)}", "arn": f"arn:aws:iam::{AWS_ACCOUNT}:user/{name}",
            "accountId": AWS_ACCOUNT, "accessKeyId": f"AKIA{ids.alnum(16)}", "userName": name}


def assumed_role(ids: Ids, role: str, session: str) -> dict[str, Any]:
    return {"type": "AssumedRole", "principalId": f"AROA{ids.alnum(17)}:{session}",
            "arn": f"arn:aws:sts::{AWS_ACCOUNT}:assumed-role/{role}/{session}", "accountId": AWS_ACCOUNT,
            "accessKeyId": f"ASIA{ids.alnum(16)}",
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": f"AROA{ids.alnum(17)}",
                                                 "arn": f"arn:aws:iam::{AWS_ACCOUNT}:role/{role}",
                                                 "accountId": AWS_ACCOUNT, "userName": role},
                               "attributes": {"creationDate": zulu(DAY, ms=False), "mfaAuthenticated": "true"}}}


def s3_object(ids: Ids, moment: datetime, name: str, identity: dict[str, Any], ip: str, key: str, *,
              bucket: str = "24online-exports", size: int = 48_213, error: tuple[str, str] | None = None,
              params: dict[str, Any] | None = None) -> dict[str, Any]:
    return cloudtrail(
        ids, moment, "s3.amazonaws.com", name, identity, ip,
        params=params or {"bucketName": bucket, "Host": f"{bucket}.s3.eu-west-1.amazonaws.com", "key": key},
        error=error, read_only=name.startswith("Get"), management=False,
        resources=[{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                   {"accountId": AWS_ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
        extra={"additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                       "bytesTransferredIn": 0,
                                       "bytesTransferredOut": 0 if error or name != "GetObject" else size,
                                       "x-amz-id-2": ids.alnum(40), "AuthenticationMethod": "AuthHeader"}})


# ---------------------------------------------------------------- Microsoft 365 via Elastic's o365 integration

def o365_elastic(ids: Ids, moment: datetime, user: str, ip: str, *, failed: bool,
                 error: tuple[str, str] = ("50126", "InvalidUserNameOrPassword")) -> dict[str, Any]:
    """An Azure AD STS logon as Elastic's o365 integration indexes it (logs-o365.audit-*): the Operation in
    ``event.action``, the RecordType name in ``event.code``, the record's other fields under ``o365.audit``;
    its pipeline sets ``event.outcome`` from the Operation, failure for every UserLoginFailed."""
    operation = "UserLoginFailed" if failed else "UserLoggedIn"
    audit: dict[str, Any] = {"Operation": operation, "RecordType": 15, "ResultStatus": "Failed" if failed else
                             "Success", "UserType": 0, "Version": 1, "Workload": "AzureActiveDirectory",
                             "AzureActiveDirectoryEventType": 1, "UserId": f"{user}@{DOMAIN}", "ClientIP": ip,
                             "ObjectId": "00000003-0000-0ff1-ce00-000000000000",
                             "ApplicationId": "4765445b-32c6-49b0-83e6-1d93765276ca"}
    if failed:
        audit |= {"ErrorNumber": error[0], "LogonError": error[1]}
    return {
        "@timestamp": zulu(moment), "ecs": {"version": "8.11.0"},
        "event": {"action": operation, "category": ["authentication"], "type": ["start"], "kind": "event",
                  "code": "AzureActiveDirectoryStsLogon", "dataset": "o365.audit", "module": "o365",
                  "provider": "AzureActiveDirectory", "id": ids.uuid(),
                  "outcome": "failure" if failed else "success"},
        "data_stream": {"dataset": "o365.audit", "namespace": "default", "type": "logs"},
        "organization": {"id": ORG_ID}, "source": {"ip": ip},
        "user": {"id": f"{user}@{DOMAIN}", "name": user, "domain": DOMAIN, "email": f"{user}@{DOMAIN}"},
        "related": {"ip": [ip], "user": [user]},
        "o365": {"audit": audit},
    }


# ---------------------------------------------------------------- Google Workspace via Elastic integration

def gws(ids: Ids, moment: datetime, stream: str, action: str, user: str, ip: str, *,
        category: list[str], kind: list[str], outcome: str | None = None, extra: dict[str, Any] | None = None,
        geo: str | None = None) -> dict[str, Any]:
    """A document of Elastic's google_workspace integration (Admin SDK Reports API activity, one per event)."""
    event: dict[str, Any] = {"action": action, "category": category, "type": kind, "kind": "event",
                             "provider": stream, "dataset": f"google_workspace.{stream}",
                             "id": str(ids.rng.randint(10**17, 10**18)), "created": zulu(moment + timedelta(minutes=3))}
    if outcome:
        event["outcome"] = outcome
    doc: dict[str, Any] = {
        "@timestamp": zulu(moment), "ecs": {"version": "8.11.0"}, "event": event,
        "data_stream": {"dataset": f"google_workspace.{stream}", "namespace": "default", "type": "logs"},
        "organization": {"id": "C03az79cb"},
        "user": {"email": f"{user}@{DOMAIN}", "name": user, "domain": DOMAIN,
                 "id": str(ids.rng.randint(10**20, 10**21))},
        "source": {"ip": ip, "user": {"email": f"{user}@{DOMAIN}", "name": user, "domain": DOMAIN}},
        "related": {"ip": [ip], "user": [user]},
        "google_workspace": {"actor": {"type": "USER"}, "kind": "admin#reports#activity",
                             "organization": {"domain": DOMAIN}, "event": {"type": stream}},
    }
    if geo:
        city, state, country, _, lat, lon = PLACES[geo]
        doc["source"]["geo"] = {"city_name": city, "country_name": country, "location": {"lat": lat, "lon": lon},
                                **({"region_name": state} if state else {})}
    for key, value in (extra or {}).items():
        doc.setdefault(key, {}).update(value) if isinstance(value, dict) else doc.__setitem__(key, value)
    return doc


def java_text(value: Any) -> str:
    """Java's ``Map.toString``/``List.toString`` of a parsed JSON value, as Elastic's aws.cloudtrail pipeline
    stores requestParameters in ``aws.cloudtrail.request_parameters`` (``{bucketName=x, acl=[...]}``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={java_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(java_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _dropped_empty(value: Any) -> Any:
    """Elastic's pipeline drops null and empty values, recursively."""
    if isinstance(value, dict):
        kept = {k: _dropped_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", {}, [])}
    if isinstance(value, list):
        return [v for v in (_dropped_empty(v) for v in value) if v not in (None, "", {}, [])]
    return value


def elastic_cloudtrail(record: dict[str, Any], *, flattened: bool = True) -> dict[str, Any]:
    """A CloudTrail record as Elastic's aws.cloudtrail integration indexes it (ingest pipeline of the aws
    package): eventName in event.action, event.type [info] for calls it has no categorisation for, the
    request as Java text and (``flattened``, newer versions) as an object; empty values dropped."""
    record = _dropped_empty(record)
    identity = record.get("userIdentity", {})
    params = record.get("requestParameters")
    failed = "errorCode" in record
    cloudtrail: dict[str, Any] = {
        "event_version": record["eventVersion"], "event_type": record["eventType"],
        "event_category": record["eventCategory"], "request_id": record["requestID"],
        "read_only": record["readOnly"], "recipient_account_id": record["recipientAccountId"],
        "user_identity": {"type": identity.get("type"), "arn": identity.get("arn"),
                          "access_key_id": identity.get("accessKeyId")},
        "flattened": {},
    }
    for key, name in (("requestParameters", "request_parameters"), ("responseElements", "response_elements"),
                      ("additionalEventData", "additional_eventdata")):
        if record.get(key):
            cloudtrail[name] = java_text(record[key])
            if flattened:
                cloudtrail["flattened"][name] = record[key]
    if failed:
        cloudtrail |= {"error_code": record["errorCode"], "error_message": record["errorMessage"]}
    console = (record.get("responseElements") or {}).get("ConsoleLogin") if record["eventName"] == "ConsoleLogin" \
        else None
    outcome = console.lower() if console else "failure" if failed else "success"
    doc = {"@timestamp": record["eventTime"].replace("Z", ".000Z"),
           "event": {"kind": "event", "type": ["info"], "outcome": outcome,
                     "action": record["eventName"], "provider": record["eventSource"], "id": record["eventID"],
                     "dataset": "aws.cloudtrail", "module": "aws"},
           "aws": {"cloudtrail": _dropped_empty(cloudtrail)},
           "cloud": {"account": {"id": identity.get("accountId")}, "region": record["awsRegion"],
                     "provider": "aws"},
           "source": {"address": record["sourceIPAddress"], "ip": record["sourceIPAddress"]},
           "user": {"name": identity.get("userName") or _issuer(identity), "id": identity.get("principalId"),
                    "target": {"name": (params or {}).get("userName")}},
           "user_agent": {"original": record["userAgent"]},
           "related": {"user": [identity["userName"]] if identity.get("userName") else []},
           "group": {"name": (params or {}).get("groupName")},
           "ecs": {"version": "8.11.0"}, "data_stream": {"dataset": "aws.cloudtrail", "type": "logs"}}
    return _dropped_empty(doc)


def _issuer(identity: dict[str, Any]) -> Any:
    """Elastic's user.name for an assumed role: the role (sessionContext.sessionIssuer.userName)."""
    return identity.get("sessionContext", {}).get("sessionIssuer", {}).get("userName")


O365_RECORD_TYPES = {1: "ExchangeAdmin", 2: "ExchangeItem", 3: "ExchangeItemGroup", 4: "SharePoint",
                     6: "SharePointFileOperation", 7: "OneDrive", 8: "AzureActiveDirectory",
                     9: "AzureActiveDirectoryAccountLogon", 11: "ComplianceDLPSharePoint", 13: "ComplianceDLPExchange",
                     14: "SharePointSharingOperation", 15: "AzureActiveDirectoryStsLogon",
                     50: "ExchangeItemAggregated"}
_O365_FILE = {"FileAccessed", "FileDeleted", "FileDownloaded", "FileModified", "FileMoved", "FileRenamed",
              "FileRestored", "FileUploaded", "FolderCopied", "FolderCreated", "FolderDeleted", "FolderModified",
              "FolderMoved", "FolderRenamed", "FolderRestored"}
_O365_TYPES = {"access": {"FileAccessed", "FileDownloaded"},
               "change": {"FileModified", "FileMoved", "FileRenamed", "FileRestored", "FolderModified", "FolderMoved",
                          "FolderRenamed", "FolderRestored"},
               "deletion": {"FileDeleted", "FolderDeleted"}, "creation": {"FileUploaded", "FolderCopied",
                                                                          "FolderCreated"}}


def _local(upn: Any) -> dict[str, Any]:
    """Elastic's split of a UPN into name, domain and email (only when it has one @)."""
    if not isinstance(upn, str) or upn.count("@") != 1:
        return {}
    name, domain = upn.split("@")
    return {"name": name, "domain": domain, "email": upn}


def elastic_o365(record: dict[str, Any]) -> dict[str, Any]:
    """A Management Activity API record as Elastic's o365 integration indexes it (its audit ingest pipeline):
    every record event.category [web] and event.type [info], more only for SharePoint file operations, STS
    logons and DLP; the Operation in event.action, the RecordType's name in event.code, user.name the part of
    UserId before the @, the target of an Azure AD operation in user.target, host.name the user's domain."""
    audit = dict(record)
    operation, code = audit.pop("Operation"), O365_RECORD_TYPES.get(audit["RecordType"], str(audit["RecordType"]))
    category, kind, etype = ["web"], "event", ["info"]
    if operation in _O365_FILE:
        category.append("file")
    etype += [t for t, ops in _O365_TYPES.items() if operation in ops]
    if code == "AzureActiveDirectoryStsLogon":
        category.append("authentication")
        etype += ["start", "access"]
    if code in ("ComplianceDLPSharePoint", "ComplianceDLPExchange"):
        kind = "alert"
        category.append("file")
        etype.append("access")
    status = str(audit.get("ResultStatus", "")).lower()
    outcome = "failure" if status in ("failed", "false") else "success"
    if kind == "alert":  # DLP: failure when a rule blocked access and no user override (ExceptionInfo) let it go
        rules = [r for p in audit.get("PolicyDetails") or [] for r in p.get("Rules") or []]
        blocked = any("BlockAccess" in (r.get("Actions") or []) for r in rules)
        outcome = "failure" if blocked and not audit.get("ExceptionInfo") else "success"
    ip = next((audit.pop(k) for k in ("ClientIPAddress", "ClientIP", "ActorIpAddress") if k in audit), None)
    user = {"id": audit.get("UserId"), **_local(audit.get("UserId"))}
    if code == "AzureActiveDirectory" and audit.get("ObjectId"):
        user["target"] = {"id": audit["ObjectId"], **_local(audit["ObjectId"])}
    doc = {"@timestamp": audit["CreationTime"] + ".000Z", "ecs": {"version": "8.11.0"},
           "event": {"kind": kind, "category": category, "type": etype, "action": operation, "code": code,
                     "provider": audit.get("Workload"), "id": audit.get("Id"), "outcome": outcome,
                     "dataset": "o365.audit", "module": "o365"},
           "data_stream": {"dataset": "o365.audit", "namespace": "default", "type": "logs"},
           "organization": {"id": audit.get("OrganizationId")}, "user": user,
           "host": {"id": audit.get("OrganizationId"), "name": user.get("domain")},
           "o365": {"audit": audit}}
    if ip:
        doc["source"] = {"ip": ip}
        doc["client"] = {"ip": ip, "address": ip}
    return _dropped_empty(doc)


# Elastic's okta integration (the generated ecs_category_type table of its system data stream)
OKTA_ELASTIC = {"user.session.start": (["session"], ["start"]),
                "user.authentication.sso": (["authentication"], ["info"]),
                "user.authentication.auth_via_mfa": (["authentication"], ["info"]),
                "policy.evaluate_sign_on": (["authentication"], ["info"]),
                "user.account.privilege.grant": (["iam"], ["info", "user"])}


def elastic_okta(record: dict[str, Any]) -> dict[str, Any]:
    """A System Log event as Elastic's okta integration indexes it: eventType in event.action, its own ECS
    table for category and type, user.name the part of the actor's login before the @."""
    category, etype = OKTA_ELASTIC.get(record["eventType"], ([], ["info"]))
    result = record["outcome"]["result"]
    outcome = {"SUCCESS": "success", "ALLOW": "success", "FAILURE": "failure", "DENY": "failure"}.get(result, "unknown")
    actor, client = record["actor"], record["client"]
    doc = {"@timestamp": record["published"], "ecs": {"version": "8.11.0"},
           "event": {"kind": "event", "category": category, "type": etype, "action": record["eventType"],
                     "outcome": outcome, "id": record["uuid"], "dataset": "okta.system", "module": "okta"},
           "data_stream": {"dataset": "okta.system", "namespace": "default", "type": "logs"},
           "okta": {"event_type": record["eventType"], "display_message": record["displayMessage"],
                    "outcome": {"result": result, "reason": record["outcome"].get("reason")},
                    "actor": {"alternate_id": actor["alternateId"], "id": actor["id"], "type": actor["type"]},
                    "client": {"ip": client["ipAddress"], "zone": client["zone"]}},
           "user": {"name": actor["alternateId"].split("@")[0]},
           "source": {"ip": client["ipAddress"], "user": {"name": actor["alternateId"].split("@")[0]}},
           "client": {"ip": client["ipAddress"]}}
    return _dropped_empty(doc)

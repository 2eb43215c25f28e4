"""Entra ID logs a sign-in it only interrupted (the "Stay signed in?" prompt, an MFA challenge, a device
check, an expired session an app renews) as failed: ``UserLoginFailed`` in the Management Activity API,
a non-zero ``resultType`` in the sign-in logs. Those carry no failed outcome after normalisation, in every
shape they arrive in (datalek's m365 parser, the raw record as ECS input, Elastic's o365 and azure
integrations); a wrong password, an unknown, locked or disabled account and a Conditional Access block stay
failures. Without this, the 09:00 sign-ins behind one NAT address opened a password-spraying incident
(tests/corpus: spraying/m365.interrupts.near.json, spraying/o365-elastic.interrupts.near.jsonl)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from streams.parsers import FORMATS, ParseContext, Parsed
from tests.unit.normalise.support import expect, normalised

T = "2026-03-03T08:00:00"
INTERRUPTS = [("50140", "KmsiInterrupt"), ("50074", "UserStrongAuthClientAuthNRequiredInterrupt"),
              ("50076", "UserStrongAuthClientAuthNRequired"), ("50079", "UserStrongAuthEnrollmentRequired"),
              ("50072", "UserStrongAuthEnrollmentRequiredInterrupt"),
              ("50125", "PasswordResetRegistrationRequiredInterrupt"),
              ("50097", "DeviceAuthenticationRequired"), ("50158", "ExternalSecurityChallenge"),
              ("50058", "UserInformationNotProvided"), ("16000", "SelectUserAccount"), ("50199", "CmsiInterrupt"),
              ("700082", "ExpiredOrRevokedGrantInactiveToken")]
FAILURES = [("50126", "InvalidUserNameOrPassword"), ("50034", "UserAccountNotFound"), ("50053", "IdsLocked"),
            ("50057", "UserDisabled"), ("53003", "BlockedByConditionalAccess"), ("500121", "")]


def record(code: str, name: str) -> dict[str, Any]:
    """A Management Activity API Azure AD STS logon record (AuditData)."""
    return {"CreationTime": T, "Id": "8b1f7c2e-0d7a-4c1e-9f3b-2a6d5e4c3b21", "Operation": "UserLoginFailed",
            "OrganizationId": "7d3c0c6b-1a2e-4f5a-9d0e-24a0e1c0ffee", "RecordType": 15, "ResultStatus": "Failed",
            "UserKey": "10032001A2B3C4D5", "UserType": 0, "Workload": "AzureActiveDirectory",
            "ClientIP": "145.53.120.18", "UserId": "medewerker1@example.nl", "ErrorNumber": code,
            **({"LogonError": name} if name else {})}


def parsed_m365(code: str, name: str) -> dict[str, Any]:
    [result] = FORMATS["m365"]([json.dumps(record(code, name))], context=ParseContext(source="m365"))
    assert isinstance(result, Parsed)
    return result.event


def elastic_o365(code: str, name: str) -> dict[str, Any]:
    audit = {"Operation": "UserLoginFailed", "Workload": "AzureActiveDirectory", "ErrorNumber": code,
             **({"LogonError": name} if name else {})}
    return normalised({"@timestamp": T + "Z", "event": {"dataset": "o365.audit", "action": "UserLoginFailed",
                                                         "code": "AzureActiveDirectoryStsLogon", "outcome": "failure",
                                                         "category": ["authentication"], "type": ["start"]},
                       "o365": {"audit": audit}, "source": {"ip": "145.53.120.18"}})


def elastic_signinlogs(code: str, _name: str) -> dict[str, Any]:
    return normalised({"@timestamp": T + "Z", "event": {"dataset": "azure.signinlogs", "action": "Sign-in activity",
                                                         "outcome": "failure", "category": ["authentication"]},
                       "azure": {"signinlogs": {"result_type": code, "operation_name": "Sign-in activity",
                                                "properties": {"status": {"error_code": int(code)}}}},
                       "source": {"ip": "145.53.120.18"}})


SHAPES = [parsed_m365, lambda c, n: normalised({"@timestamp": T + "Z", **record(c, n)}), elastic_o365,
          elastic_signinlogs]
SHAPE_IDS = ["m365 parser", "raw record as ECS input", "Elastic o365", "Elastic azure signinlogs"]


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize(("code", "name"), INTERRUPTS)
def test_an_interrupted_sign_in_is_no_failed_attempt(shape, code, name):
    expect(shape(code, name), category=["authentication"], outcome=None)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize(("code", "name"), FAILURES)
def test_a_wrong_password_or_a_blocked_account_stays_a_failure(shape, code, name):
    expect(shape(code, name), category=["authentication"], outcome="failure")


def test_only_the_name_is_enough():
    """A record without ErrorNumber (some exports keep only LogonError)."""
    document = {k: v for k, v in record("50140", "KmsiInterrupt").items() if k != "ErrorNumber"}
    expect(normalised({"@timestamp": T + "Z", **document}), outcome=None)

"""GET /api/v1/openapi.json: the API described by hand (OpenAPI 3.1). A test holds it to the registered routes."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from datalek.register_xlsx import MEDIA_TYPE as XLSX
from datalek.web.api.base import answer
from datalek.web.api.facts_schema import SCHEMAS as FACTS_SCHEMAS
from datalek.web.api.incidents import DECISION, FIELDS

_TEXT = {"type": "string"}
_MOMENT = {"type": "string", "description": "ISO 8601; without an offset read in Europe/Amsterdam; empty: now"}
_FIELD_SCHEMAS: dict[str, Any] = {
    "reason": {**_TEXT, "description": "why (kept in the audit log); required to dismiss, reopen and close"},
    "aware_at": {**_MOMENT, "description": "when the organisation became aware (starts the 72-hour clock); "
                                           "not in the future; empty: now"},
    "before_detection": {"type": "boolean", "description": "the organisation knew before the first detection"},
    "meldnummer": {**_TEXT, "description": "the AP's reference of the notification"},
    "reported_at": _MOMENT, "delay_reason": {**_TEXT, "description": "required when reported after 72 hours"},
    "informed_at": _MOMENT, "kind": {"enum": ["supplement", "amend", "withdraw"]}, "text": _TEXT,
    "choice": {"enum": ["accept", "override"], "description": "accept the proposal (default) or override it"},
    "notify_ap": {"type": "boolean", "description": "override: notify the AP"},
    "notify_subjects": {"type": "boolean", "description": "override: inform the data subjects"},
}
ERROR = {"$ref": "#/components/schemas/Error"}
INCIDENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Incident"}}}
REF = {"name": "ref", "in": "path", "required": True, "description": "incident id or a unique prefix (4+ characters)",
       "schema": {"type": "string", "pattern": "^[0-9a-f-]{4,36}$"}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "bad input (bad JSON, unknown or invalid field)", 401: "no or an invalid bearer token",
             403: "the token lacks the scope, or the role may not take this step",
             404: "no such incident", 409: "the incident's state does not allow this step now, or it lacks what "
                                           "the step needs", 413: "the body is too large", 503: "Kafka unavailable"}
    return {str(c): {"description": texts[c], "content": {"application/json": {"schema": ERROR}}} for c in codes}


def _op(summary: str, scope: str | None, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    security = [{"bearer": [scope]}] if scope else []
    codes = (401, 403) if scope else ()
    return {"summary": summary, "security": security, "responses": {**responses, **_errors(*codes)}, **extra}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _object(names: frozenset[str], **more: Any) -> dict[str, Any]:
    props = {n: _FIELD_SCHEMAS[n] for n in sorted(names)}
    return {"type": "object", "properties": {**props, **more}, "additionalProperties": False}


_STEPS = {"oneOf": [_object(fields, step={"const": name}) | {"required": ["step"]}
                    for name, fields in FIELDS.items()]}
_DONE = {"200": {"description": "the incident after the step", "content": INCIDENT}}
_WRITE = _errors(400, 404, 409)

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "datalek API", "version": "1", "description": (
        "The web console's workflow for programs. Authenticate with your personal token: "
        "`Authorization: Bearer <token>` (`datalek users token NAME [--scope read --scope workflow "
        "--scope ingest]`). Cookies are not accepted on /api/v1, so requests need no CSRF token. "
        "The role is checked on every request, as in the console; reads, exports and steps are audited "
        "under the person. Errors are JSON {\"error\": \"...\"}.")},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": (
            "A personal token; its scopes: read (incidents, drafts, register), workflow (steps, facts, "
            "decision), ingest (events).")}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {
                "error": _TEXT, "problems": {"type": "object", "additionalProperties": _TEXT}}},
            "Incident": {"type": "object", "description": "the register entry (facts, decision, audit trail), the "
                         "assessment with the proposal, and `steps`: what your role may do now",
                         "required": ["id", "status", "steps", "facts", "assessment"], "properties": {
                             "id": _TEXT, "status": _TEXT, "steps": {"type": "array", "items": _TEXT},
                             "facts": {"oneOf": [{"$ref": "#/components/schemas/Facts"}, {"type": "null"}]},
                             "assessment": {"type": ["object", "null"], "description": "severity (ENISA), "
                                            "the proposal with its rationale, and the facts it scored"}}},
            **FACTS_SCHEMAS,
        },
    },
    "paths": {
        "/api/v1/openapi.json": {"get": _op("this description", None, {"200": {"description": "OpenAPI 3.1"}})},
        "/api/v1/incidents": {"get": _op("incidents, newest first", "read", {"200": {
            "description": "{\"incidents\": [...]}"}})},
        "/api/v1/incidents/{ref}": {"parameters": [REF], "get": _op("one incident (audited: api.viewed)", "read", {
            "200": {"description": "the incident", "content": INCIDENT}, **_errors(404)})},
        "/api/v1/incidents/{ref}/transitions": {"parameters": [REF], "post": _op(
            "a workflow step: triage, reopen, dismiss, confirm, report, inform, close, follow_up", "workflow",
            {**_DONE, **_WRITE}, requestBody=_body(_STEPS))},
        "/api/v1/incidents/{ref}/facts": {"parameters": [REF], **{method: _op(
            "record the facts (the JSON of `datalek assess`); every problem at once (`problems`: field -> "
            "problem)", "workflow", {**_DONE, **_WRITE}, requestBody=_body({"oneOf": [
                {"$ref": "#/components/schemas/Facts"}, {"$ref": "#/components/schemas/FactsFirstShape"}]}))
            for method in ("put", "post")}},
        "/api/v1/incidents/{ref}/decision": {"parameters": [REF], "post": _op(
            "the privacy officer's decision: accept the proposal or override it with a reason", "workflow",
            {**_DONE, **_WRITE}, requestBody=_body(_object(DECISION)))},
        "/api/v1/incidents/{ref}/drafts/{kind}": {"parameters": [REF, {
            "name": "kind", "in": "path", "required": True, "schema": {"enum": ["ap", "subjects"]}}], "get": _op(
            "the AP notification draft or the notice to data subjects, for review (audited: api.draft.KIND)",
            "read", {"200": {"description": "the draft", "content": {t: {} for t in (
                "application/json", "text/markdown", "text/html")}}, **_errors(400, 404, 409)},
            parameters=[{"name": "format", "in": "query", "schema": {"enum": ["json", "md", "html"]}},
                        {"name": "notice", "in": "query", "schema": {"enum": ["nl", "en"]}}])},
        "/api/v1/register": {"get": _op(
            "the breach register, Art. 33(5) (audited per incident: api.register.exported)", "read",
            {"200": {"description": "{\"register\": [...]}, CSV or an XLSX workbook (the CSV's columns)",
                     "content": {"application/json": {}, "text/csv": {}, XLSX: {}}},
             **_errors(400)},
            parameters=[{"name": "format", "in": "query", "schema": {"enum": ["json", "csv", "xlsx"]}}])},
        "/api/v1/events": {"post": _op(
            "ECS events to the events topic: one object, an array, or {\"events\": [...]}. Each is validated as "
            "the worker does; the answer lists each as accepted (with its id) or rejected (with the reason). "
            "Not written to the audit log; event values are never logged.", "ingest",
            {"200": {"description": "all accepted"}, "207": {"description": "some rejected"},
             "400": {"description": "none accepted, or not JSON"}, **_errors(413, 503)},
            requestBody=_body({"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}))},
    },
}


async def _serve(request: web.Request) -> web.Response:
    return answer(SPEC)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/api/v1/openapi.json", _serve, name="api.openapi", allow_head=False)

"""CLI of the GDPR workflow: users, workflow steps, the breach register and the offline assessment.

People act through their personal token, or on a single-user machine their OS account (`datalek.identity`),
and must be registered (`datalek users add`) with a role.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from datalek import identity
from datalek.bootstrap import utc_now
from datalek.cli_common import acting, err, fail, migrated, read_incident, reader
from datalek.settings import Settings
from incidents import register, services
from incidents import workflow as wf
from incidents.assessment import BreachFacts, assess, override
from incidents.assessment.decision import accept
from incidents.errors import IncidentError
from incidents.model import UNKNOWN_ASSET_NOTE, Incident, Status
from incidents.persistence import audit, users

workflow_cli = typer.Typer(no_args_is_help=True)
users_cli = typer.Typer(help="People who may act on incidents, with their role.", no_args_is_help=True)
register_cli = typer.Typer(help="The breach register (Art. 33(5)).", no_args_is_help=True)
audit_cli = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
Reason = Annotated[str, typer.Option("--reason", help="why (kept in the audit log)")]
REGISTER_FORMATS = register.TEXT_FORMATS
BINARY_FORMATS = ("xlsx",)  # written to a file (--output) only, never to a terminal


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as e:
        raise fail(f"{value!r} is not an ISO 8601 time, e.g. 2026-11-20T09:30+01:00") from e
    if moment.tzinfo is None:
        raise fail(f"{value!r}: give a UTC offset, e.g. 2026-11-20T09:30+01:00")
    return moment


def _step(incident_id: str, step: services.Step) -> Incident:
    container = migrated(Settings())
    name = acting(container)
    try:
        incident = services.act(container.uow(), incident_id, actor_name=name, now=utc_now(), step=step)
    except (IncidentError, ValueError) as e:
        raise fail(str(e)) from e
    typer.echo(f"{incident.id[:8]} is {incident.status.value}")
    return incident


def _move(to: Status, reason: str) -> services.Step:
    return lambda i, a: wf.transition(i, to, at=utc_now(), actor=a, reason=reason)


@workflow_cli.command()
def triage(incident_id: str, reason: Reason = "triage started") -> None:
    """Start triage of a detected incident."""
    _step(incident_id, _move(Status.TRIAGE, reason))


@workflow_cli.command()
def dismiss(incident_id: str, reason: Reason) -> None:
    """Not a personal-data breach (stays in the register with the reason)."""
    _step(incident_id, _move(Status.DISMISSED, reason))


BeforeDetection = Annotated[bool, typer.Option(
    "--before-detection", help="the organisation knew before datalek's first detection (confirms an earlier time)")]


@workflow_cli.command()
def confirm(incident_id: str, reason: Reason,
            aware_at: Annotated[str | None, typer.Option(help="ISO time of awareness; default now")] = None,
            before_detection: BeforeDetection = False) -> None:
    """Confirm a personal-data breach; the moment of awareness starts the 72-hour clock."""
    aware = _when(aware_at)
    _step(incident_id, lambda i, a: wf.confirm(i, at=utc_now(), actor=a, reason=reason, became_aware_at=aware,
                                               before_detection=before_detection))


@workflow_cli.command()
def awareness(incident_id: str, reason: Reason,
              aware_at: Annotated[str, typer.Option(help="ISO time of awareness, with its UTC offset")],
              before_detection: BeforeDetection = False) -> None:
    """Correct the moment of awareness (with a reason)."""
    aware = _when(aware_at)
    assert aware is not None
    _step(incident_id, lambda i, a: wf.change_awareness(i, became_aware_at=aware, at=utc_now(), actor=a,
                                                        reason=reason, before_detection=before_detection))


@workflow_cli.command()
def facts(incident_id: str, path: Path) -> None:
    """Record the assessment facts from a JSON file (the format of `datalek assess`)."""
    recorded = _load_facts(path)
    _step(incident_id, lambda i, a: wf.record_facts(i, recorded, at=utc_now(), actor=a))


@workflow_cli.command("facts-template")
def facts_template(incident_id: str) -> None:
    """Draft facts from the data inventory (categories, groups, counts), to complete and record with `facts`."""
    incident, _ = read_incident(migrated(Settings()), incident_id, action="facts.template")
    draft = incident.facts or (incident.inventory.facts(incident.breach_types) if incident.inventory else None)
    if draft is None and not incident.asset_known:
        raise fail(f"{UNKNOWN_ASSET_NOTE}; write the facts by hand")
    if draft is None:
        raise fail("the inventory knows no personal data on this incident's asset; write the facts by hand")
    sys.stdout.write(json.dumps(draft.to_dict(), indent=2) + "\n")


@workflow_cli.command()
def decide(
    incident_id: str,
    notify_ap: Annotated[bool | None, typer.Option("--notify-ap/--no-notify-ap")] = None,
    notify_subjects: Annotated[bool | None, typer.Option("--notify-subjects/--no-notify-subjects")] = None,
    reason: Reason = "",
) -> None:
    """The FG's decision: accept the proposal, or override it (then --reason is required)."""

    def step(i: Incident, a: wf.Actor) -> tuple[Incident, wf.StatusChanged]:
        if i.facts is None:
            raise wf.MissingInformation("record the facts first (datalek incidents facts)")
        proposal = assess(i.facts).proposal
        if notify_ap is None and notify_subjects is None:
            decision = accept(proposal, actor=a.name, reason=reason)
        else:
            decision = override(proposal, actor=a.name, reason=reason,
                                notify_regulator=proposal.notify_regulator if notify_ap is None else notify_ap,
                                notify_subjects=(proposal.notify_subjects if notify_subjects is None
                                                 else notify_subjects))
        return wf.decide(i, decision, at=utc_now(), actor=a)

    _step(incident_id, step)


@workflow_cli.command()
def report(incident_id: str, meldnummer: Annotated[str, typer.Option()],
           reported_at: Annotated[str | None, typer.Option(help="ISO time; default now")] = None,
           delay_reason: Annotated[str | None, typer.Option()] = None) -> None:
    """Record that the AP was notified, with its meldnummer (late reports need --delay-reason)."""
    when = _when(reported_at) or utc_now()
    _step(incident_id, lambda i, a: wf.report(i, meldnummer=meldnummer, reported_at=when, at=utc_now(), actor=a,
                                              delay_reason=delay_reason))


@workflow_cli.command()
def inform(incident_id: str, informed_at: Annotated[str | None, typer.Option()] = None) -> None:
    """Record that the data subjects were informed (Art. 34)."""
    when = _when(informed_at) or utc_now()
    _step(incident_id, lambda i, a: wf.inform_subjects(i, informed_at=when, at=utc_now(), actor=a))


@workflow_cli.command()
def close(incident_id: str, reason: Reason) -> None:
    """Close an incident whose obligations are met."""
    _step(incident_id, _move(Status.CLOSED, reason))


@workflow_cli.command("follow-up")
def follow_up(incident_id: str, kind: wf.FollowUpKind, text: Annotated[str, typer.Option()]) -> None:
    """Record a follow-up notification (supplement, amend, withdraw) to the AP."""
    _step(incident_id, lambda i, a: (i, wf.follow_up(i, kind=kind, text=text, at=utc_now(), actor=a)))


@users_cli.command("add")
def add_user(name: str, role: wf.Role,
             token: Annotated[bool, typer.Option("--token", help="also issue their token (printed once)")] = False,
             ) -> None:
    """Register a person (an admin does; the very first person registered becomes the admin)."""
    container = migrated(Settings())
    with container.session_factory() as session:
        bootstrap = not users.registered(session)
    by = f"os:{identity.os_account()}" if bootstrap else acting(container)
    try:
        with container.session_factory.begin() as session:
            given = users.add(session, name=name, role=role, by=by, at=utc_now())
            issued = users.issue_token(session, name=name, by=name if bootstrap else by, at=utc_now()) \
                if bootstrap or token else None
    except IncidentError as e:
        raise fail(str(e)) from e
    first = " (the first person registered administers people)" if bootstrap else ""
    typer.echo(f"{name} is {given.value}{first}", err=issued is not None)
    if issued:
        typer.echo(f"token for {name}, shown once: put it in DATALEK_TOKEN", err=True)
        typer.echo(issued)


@users_cli.command("role")
def change_role(name: str, role: wf.Role) -> None:
    """Change a person's role (admins only; audited)."""
    _people_change(lambda session, by: users.change_role(session, name=name, role=role, by=by, at=utc_now()))
    typer.echo(f"{name} is {role.value}")


@users_cli.command("remove")
def remove_user(name: str) -> None:
    """Remove a person; their token stops working (admins only; audited)."""
    _people_change(lambda session, by: users.remove(session, name=name, by=by, at=utc_now()))
    typer.echo(f"{name} is removed")


@users_cli.command("list")
def list_users() -> None:
    """Registered people, their roles and their token's scopes (token=no: none issued)."""
    container = migrated(Settings())
    acting(container)
    with container.session_factory() as session:
        for p in users.people(session):
            typer.echo(f"{p['name']:<24} {p['role']:<16} token={p['token']} added {p['added_at']} by {p['added_by']}")


@users_cli.command("token")
def issue_token(name: str, scope: Annotated[list[users.Scope] | None, typer.Option(
        help="what the token may do; repeat for more (default: read and workflow; a webhook: only ingest)")] = None,
                ) -> None:
    """Issue a new API token (web, API, CLI) replacing the old one; printed once, only its hash is kept."""
    container = migrated(Settings())
    by = acting(container)
    try:
        with container.session_factory.begin() as session:
            token = users.issue_token(session, name=name, by=by, at=utc_now(), scopes=scope or users.DEFAULT_SCOPES)
    except IncidentError as e:
        raise fail(str(e)) from e
    typer.echo(token)


def _people_change(change: Callable[[Session, str], None]) -> None:
    container = migrated(Settings())
    by = acting(container)
    try:
        with container.session_factory.begin() as session:
            change(session, by)
    except IncidentError as e:
        raise fail(str(e)) from e


@register_cli.command("export")
def export_register(fmt: Annotated[str, typer.Option("--format", help="json | csv | md | xlsx")] = "json",
                    output: Annotated[Path | None, typer.Option("--output", "-o")] = None) -> None:
    """Export every incident with facts, decision and audit trail."""
    _check_register_format(fmt, output, what="the register")
    entries = register_entries(Settings())
    if fmt in BINARY_FORMATS:
        _write_xlsx(entries, output)
        return
    text = REGISTER_FORMATS[fmt](entries)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _check_register_format(fmt: str, output: Path | None, *, what: str) -> None:
    if fmt not in REGISTER_FORMATS and fmt not in BINARY_FORMATS:
        raise fail(f"{what} is written as {' | '.join([*REGISTER_FORMATS, *BINARY_FORMATS])}, not {fmt!r}")
    if fmt in BINARY_FORMATS and output is None:
        raise fail(f"{fmt} is a binary file: give --output FILE.{fmt} (it is never written to the terminal)")


def _write_xlsx(entries: list[dict[str, Any]], output: Path | None) -> None:
    from datalek.register_xlsx import to_xlsx

    assert output is not None  # _check_register_format refused it before anything was read
    try:
        output.write_bytes(to_xlsx(entries))
    except OSError as e:
        raise fail(f"{output}: {e.strerror}") from e


@audit_cli.command("verify")
def verify_audit() -> None:
    """Check the audit log's hash chain: exit 1 naming the first deleted, inserted or altered row."""
    container = migrated(Settings())
    with container.uow() as uow:
        reader(uow, container.settings)
        result = audit.verify(uow.session)
    if not result.intact:
        typer.echo(f"audit log BROKEN at row {result.broken_at} (row {result.rows} in order): {result.reason}",
                   err=True)
        raise typer.Exit(code=1)
    typer.echo(f"audit log intact: {result.rows} rows, chain verified")


def register_entries(settings: Settings) -> list[dict[str, object]]:
    container = migrated(settings)
    with container.uow() as uow:
        who = reader(uow, settings)
        incidents = uow.incidents.list(limit=None)
        entries = [register.entry(i, audit.trail(uow.session, i.id)) for i in incidents]
        for i in incidents:
            uow.audit(i.id, at=utc_now(), actor=who, action="register.exported")
        uow.commit()
        return entries


def _load_facts(path: Path) -> BreachFacts:
    try:
        return BreachFacts.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except OSError as e:
        raise fail(f"{path}: {e.strerror}") from e
    except ValueError as e:  # JSON errors and InvalidFacts (which names the field)
        raise fail(f"{path}: {e}") from e


def assess_command(path: Path, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Assess a facts file without a database: severity with components, proposal and rationale."""
    result = assess(_load_facts(path)).to_dict()
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return
    sev, prop = result["severity"], result["proposal"]
    typer.echo(f"severity {sev['score']} ({sev['level']}); AP 9.3: {result['ap_answer']['value']}")
    typer.echo(f"notify the AP: {prop['notify_regulator']}; inform data subjects: {prop['notify_subjects']}")
    for factor in prop["rationale"]:
        typer.echo(f"  - {factor['text']}")


def _register_text(entry: dict[str, Any], fmt: str) -> str:
    return REGISTER_FORMATS[fmt]([entry])


def draft(
    incident_id: str,
    kind: Annotated[str, typer.Option(help="ap | subjects | register")] = "ap",
    fmt: Annotated[str, typer.Option("--format", help="md | html | json (register: md | json | csv | xlsx)")] = "md",
    lang: Annotated[str, typer.Option(help="nl | en (notice to data subjects)")] = "nl",
    follow_up: Annotated[str | None, typer.Option(help="supplement | amend | withdraw")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Draft the AP notification, the notice to data subjects or the register entry (for human review)."""
    from datalek.cli_draft import draft_command
    from datalek.web.details import apply_organisation, read_supplement
    from incidents.persistence import documents
    from notifications.config import load_organisation
    from notifications.errors import NotificationError
    from notifications.report import incident_warnings

    if kind == "register":
        _check_register_format(fmt, output, what="the register entry")
    settings = Settings()
    container = migrated(settings)
    incident, trail = read_incident(container, incident_id, action=f"draft.{kind}")
    with container.session_factory() as session:  # the details and answers the FG keeps in the console
        kept, answers = documents.organisation(session), documents.supplement(session, incident.id)
    supplement, now = read_supplement(answers), utc_now()
    try:
        if kind == "register" and fmt in BINARY_FORMATS:
            text = None
            _write_xlsx([register.entry(incident, trail)], output)
        elif kind == "register":
            text = _register_text(register.entry(incident, trail), fmt)
        else:
            text = draft_command(incident, kind=kind, fmt=fmt, lang=lang, follow_up=follow_up, now=now,
                                 organisation=apply_organisation(load_organisation(settings.organisation.details),
                                                                 kept), supplement=supplement)
    except NotificationError as e:
        raise fail(str(e)) from e
    for warning in incident_warnings(incident, now=now, supplement=supplement):
        err.print(f"let op (tijdlijn): {warning}", markup=False, highlight=False, soft_wrap=True)
    if text is None:
        return
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")

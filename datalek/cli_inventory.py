"""`datalek inventory`: what detection has seen that the data inventory lacks; the incident's inventory
and entity fields as the CLI shows them."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from datalek.cli_common import migrated, out, reader
from datalek.settings import Settings
from incidents.model import UNKNOWN_ASSET_NOTE, Incident

inventory_cli = typer.Typer(help="The data inventory as detection sees it.", no_args_is_help=True)


def entities_json(i: Incident) -> dict[str, Any]:
    """Inventory flag and affected entities of an incident (personal data: for `incidents show`, never alerts)."""
    note = None if i.asset_known else UNKNOWN_ASSET_NOTE
    return {"asset_known": i.asset_known, "asset_note": note, "affected": i.affected.to_dict()}


@inventory_cli.command("unknown")
def unknown(as_json: Annotated[bool, typer.Option("--json", help="JSON lines")] = False) -> None:
    """Hosts and assets seen on incidents that the data inventory lacks: complete the inventory with them."""
    container = migrated(Settings())
    with container.uow() as uow:
        reader(uow, container.settings)
        seen = uow.incidents.assets_seen()
    known = container.inventory
    missing = [(a, n, last) for a, n, last in seen if a and not known.knows(a)]
    if as_json:
        for asset, count, last in missing:
            sys.stdout.write(json.dumps({"asset": asset, "incidents": count, "last_activity_at": last.isoformat()})
                             + "\n")
        return
    if not missing:
        out.print("every asset seen on an incident is in the inventory")
        return
    table = Table("asset or host", "incidents", "last activity (UTC)", title=UNKNOWN_ASSET_NOTE)
    for asset, count, last in missing:
        table.add_row(asset, str(count), last.strftime("%Y-%m-%d %H:%M"))
    out.print(table)

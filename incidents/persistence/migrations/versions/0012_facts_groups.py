"""facts documents in the shape with groups: categories and counts per group of data subjects, recipient facts,
the ENISA factor "insight" (was "nature"), service_effect; downgrade merges the groups back (lossy)

Revision ID: 0012
Revises: 0011

Self-contained on purpose: a migration must keep doing what it did when the code around it changes.
"""
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_OLD = ("subject_groups", "data_subjects", "data_categories", "special_categories")
_INCIDENTS = sa.table("incidents", sa.column("id", sa.String(36)), sa.column("facts", sa.JSON()))


def upgrade() -> None:
    _rewrite(facts_up)


def downgrade() -> None:
    _rewrite(facts_down)


def _rewrite(change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    conn = op.get_bind()
    for row_id, facts in conn.execute(sa.select(_INCIDENTS.c.id, _INCIDENTS.c.facts)).all():
        if isinstance(facts, dict):
            conn.execute(_INCIDENTS.update().where(_INCIDENTS.c.id == row_id).values(facts=change(facts)))


def facts_up(old: dict[str, Any]) -> dict[str, Any]:
    """One stored document of the first shape in the shape with groups (a current one is left as it is)."""
    new = {k: v for k, v in old.items() if k not in _OLD}
    if "groups" not in old:
        count = old.get("data_subjects")
        new["groups"] = [{"subject_groups": sorted(old.get("subject_groups") or []), "data_subjects": count,
                          "data_categories": sorted(old.get("data_categories") or []),
                          "special_categories": sorted(old.get("special_categories") or [])}]
    recipients = old.get("recipients", "none")
    if isinstance(recipients, str):
        deleted = "data_retrieved_or_deleted" in (old.get("measures") or [])
        trusted = recipients == "trusted"
        new["recipients"] = {"received": "known" if trusted else recipients, "trusted": trusted,
                             "deletion_confirmed": trusted and deleted}
    new["dpc_adjustments"] = [{**a, "factor": "insight" if a.get("factor") == "nature" else a.get("factor")}
                              for a in old.get("dpc_adjustments") or []]
    new.setdefault("service_effect", None)
    return new


def facts_down(new: dict[str, Any]) -> dict[str, Any]:
    """The first shape: groups merged (categories and kinds together, counts added), insurance as
    financial_other, a trusted recipient who confirmed deletion as "trusted" plus the deletion measure."""
    if "groups" not in new:
        return new
    old = {k: v for k, v in new.items() if k not in ("groups", "service_effect")}
    groups = new["groups"] or []
    for key in ("subject_groups", "data_categories", "special_categories"):
        merged = {v for g in groups for v in g.get(key) or []}
        old[key] = sorted({"financial_other" if v == "insurance" else v for v in merged})
    old["data_subjects"] = _total([g.get("data_subjects") for g in groups])
    r = new.get("recipients")
    if isinstance(r, dict):
        trusted = r.get("trusted") and r.get("received") == "known"
        old["recipients"] = "trusted" if trusted else r.get("received", "none")
        if trusted and r.get("deletion_confirmed"):
            old["measures"] = sorted({*(new.get("measures") or []), "data_retrieved_or_deleted"})
    old["dpc_adjustments"] = [{**a, "factor": "nature" if a.get("factor") == "insight" else a.get("factor")}
                              for a in new.get("dpc_adjustments") or []]
    return old


def _total(counts: list[Any]) -> Any:
    if not counts or any(c is None for c in counts):
        return None
    low = sum(c if isinstance(c, int) else c["min"] for c in counts)
    high = sum(c if isinstance(c, int) else c["max"] for c in counts)
    return low if low == high else {"min": low, "max": high}

"""Facts documents of the first shape (before groups), converted on input so existing files keep working.

The old shape had one ``data_subjects`` count, ``subject_groups`` and the categories at the top level; it
becomes one entry of ``groups``. ``recipients: "trusted"`` becomes a known, trusted recipient whose deletion
is confirmed when the measures list ``data_retrieved_or_deleted`` (what the old rule required).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import InvalidFacts

OLD_GROUP_FIELDS = ("subject_groups", "data_subjects", "data_categories", "special_categories")


def is_old(d: Mapping[str, Any]) -> bool:
    """True for a document of the first shape."""
    return any(k in d for k in OLD_GROUP_FIELDS) or d.get("recipients") == "trusted"


def old_error(e: InvalidFacts) -> InvalidFacts:
    """An error about the converted document, named as the old document's author wrote the field."""
    if e.field.startswith("groups[0]."):
        return InvalidFacts(e.field.removeprefix("groups[0]."), e.problem)
    return e


def upgrade(d: Mapping[str, Any]) -> dict[str, Any]:
    """The document in the current shape; a current document is returned as it is (a copy)."""
    new = dict(d)
    old = [k for k in OLD_GROUP_FIELDS if k in new]
    if old and "groups" in new:
        raise InvalidFacts(old[0], "give the categories and counts inside 'groups', not next to it")
    if old:
        new["groups"] = [{k: new.pop(k) for k in old}]
    if new.get("recipients") == "trusted":
        measures = new.get("measures")
        deleted = isinstance(measures, list) and "data_retrieved_or_deleted" in measures
        new["recipients"] = {"received": "known", "trusted": True, "deletion_confirmed": deleted}
    return new

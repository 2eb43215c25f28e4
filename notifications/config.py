"""Reads the organisation details file (YAML). The only file I/O of the drafts."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from notifications.errors import ConfigError
from notifications.organisation import Organisation

DEFAULT_ORGANISATION_FILE = Path(str(resources.files("datalek") / "config" / "organisation-24online.yml"))


def load_organisation(path: Path | None = None) -> Organisation:
    """The organisation from ``path`` (default: the shipped 24 Online file); errors name the file."""
    source = path or DEFAULT_ORGANISATION_FILE
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read organisation file {source}: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"organisation file {source} is not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"organisation file {source} must hold a mapping")
    try:
        return Organisation.from_mapping(data)
    except ConfigError as e:
        raise ConfigError(f"{source}: {e}") from e

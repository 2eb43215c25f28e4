"""docker-compose.yml is checked, not run: it follows the Compose Specification's JSON schema, and every
``DATALEK_`` variable it gives a service is a setting (pydantic-settings ignores names it does not know).

The schema is the one the PyPI package check-jsonschema ships (vendored from the compose-spec repository,
Apache-2.0, its licence beside it in the package); a dev dependency, so nothing is fetched at test time.
"""

from __future__ import annotations

import json
import os
import re
from importlib.metadata import distribution
from pathlib import Path

import pytest
import yaml
from jsonschema.validators import validator_for
from pydantic import BaseModel

from datalek.settings import Settings

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, ${NAME:+alt}, ${NAME+alt}; $$ escapes
_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}")


def compose_schema() -> dict:
    # read as data from the installed distribution, without importing check-jsonschema (its CLI needs click 8.5,
    # faust-streaming wants click < 8.4: pip resolves an older release whose import fails; the file is the same)
    dist = distribution("check-jsonschema")
    path = Path(str(dist.locate_file("check_jsonschema/builtin_schemas/vendor/compose-spec.json")))
    return json.loads(path.read_text(encoding="utf-8"))


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable interpolation, as `docker compose config` applies it before validating."""
    def value(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group("name"), m.group("op") or "", m.group("arg") or ""
        given = env.get(name)
        unset_or_empty = not given if op.startswith(":") else given is None
        if op.endswith("-"):
            return arg if unset_or_empty else given
        if op.endswith("?"):
            if unset_or_empty:
                raise ValueError(f"{name}: {arg}")
            return given
        if op.endswith("+"):
            return "" if unset_or_empty else arg
        return given or ""
    return _VARIABLE.sub(value, text)


def load_compose(text: str, env: dict[str, str] | None = None) -> dict:
    return yaml.safe_load(interpolate(text, env or {}))


def schema_errors(document: dict) -> list[str]:
    schema = compose_schema()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    errors = validator_class(schema).iter_errors(document)
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors)


def setting_variables(model: type[BaseModel] = Settings, prefix: str = "DATALEK_") -> set[str]:
    """Every environment name the settings read: the prefix, nested sections joined with ``__``."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        env_name = f"{prefix}{(field.alias or name).upper()}"
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            names |= setting_variables(section, f"{env_name}__")
        else:
            names.add(env_name)
    return names


def service_environment(document: dict) -> dict[str, dict[str, str | None]]:
    """Per service, the variables it sets (the mapping and the ``["NAME=value"]`` list forms)."""
    result: dict[str, dict[str, str | None]] = {}
    for service, spec in document.get("services", {}).items():
        env = spec.get("environment") or {}
        if isinstance(env, list):
            env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
        result[service] = {str(k): None if v is None else str(v) for k, v in env.items()}
    return result


def unknown_settings(document: dict) -> list[str]:
    known = setting_variables()
    return sorted(f"{service}: {name}" for service, env in service_environment(document).items()
                  for name in env if name.startswith("DATALEK_") and name not in known)


def test_docker_compose_follows_the_compose_specification():
    document = load_compose(COMPOSE.read_text(encoding="utf-8"))
    assert schema_errors(document) == []
    assert {"kafka", "postgres", "worker", "web"} <= set(document["services"])


def test_every_datalek_variable_in_docker_compose_is_a_setting():
    document = load_compose(COMPOSE.read_text(encoding="utf-8"))
    assert unknown_settings(document) == []
    assert any(name.startswith("DATALEK_") for env in service_environment(document).values() for name in env)


def test_the_values_docker_compose_gives_parse_as_settings(monkeypatch):
    document = load_compose(COMPOSE.read_text(encoding="utf-8"))
    ours = {name: env for name, env in service_environment(document).items() if "build" in document["services"][name]}
    assert set(ours) == {"worker", "web"}
    for service, env in ours.items():
        for name in [n for n in os.environ if n.startswith("DATALEK_")]:
            monkeypatch.delenv(name)
        for name, value in env.items():
            if name.startswith("DATALEK_") and value is not None:
                monkeypatch.setenv(name, value)
        settings = Settings()  # a value that does not parse is a ValidationError here
        assert settings.kafka.bootstrap == "kafka:9092", service
        assert settings.database_url.get_secret_value() == "postgresql+psycopg://datalek:datalek@postgres:5432/datalek"
        assert len(settings.alerts.apprise_urls) == 1, service


# The checks themselves: each rejects what it should, so a green run above means something.

def test_the_schema_check_rejects_what_compose_rejects():
    good = "services:\n  worker:\n    image: datalek\n    depends_on: {kafka: {condition: service_healthy}}\n"
    assert schema_errors(load_compose(good)) == []
    errors = schema_errors(load_compose(good.replace("service_healthy", "healthy") + "    portz: [8080]\n"))
    assert any(e.startswith("services/worker/depends_on:") for e in errors), errors
    assert any("'portz'" in e for e in errors), errors


def test_the_settings_check_names_a_misspelt_variable():
    document = load_compose("services:\n"
                            "  worker:\n    image: x\n    environment:\n"
                            "      DATALEK_KAFKA__BOOTSTRAP: kafka:9092\n      DATALEK_KAFKA_BOOTSTRAP: kafka:9092\n"
                            "  web:\n    image: x\n    environment: [DATALEK_DATABASE_URLS=sqlite://, OTHER=1]\n")
    assert unknown_settings(document) == ["web: DATALEK_DATABASE_URLS", "worker: DATALEK_KAFKA_BOOTSTRAP"]


def test_setting_variables_follow_the_nesting():
    names = setting_variables()
    assert {"DATALEK_DATABASE_URL", "DATALEK_KAFKA__BOOTSTRAP", "DATALEK_ALERTS__APPRISE_URLS",
            "DATALEK_WEB__TRUSTED_PROXY", "DATALEK_TOKEN"} <= names
    assert "DATALEK_KAFKA" not in names and "DATALEK_BOOTSTRAP" not in names


@pytest.mark.parametrize(("text", "env", "expected"), [
    ("${A:-x}", {}, "x"), ("${A:-x}", {"A": ""}, "x"), ("${A-x}", {"A": ""}, ""), ("${A-x}", {"A": "v"}, "v"),
    ("${A}", {"A": "v"}, "v"), ("${A}", {}, ""), ("$${A}", {"A": "v"}, "${A}"), ("${A:+y}", {"A": "v"}, "y"),
])
def test_interpolation(text, env, expected):
    assert interpolate(text, env) == expected

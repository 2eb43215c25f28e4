"""The one settings object. The only code that reads the environment (prefix ``DATALEK_``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True)


class KafkaSettings(_Section):
    bootstrap: str | None = None  # None: the embedded Tansu broker on 127.0.0.1:embedded_port
    embedded_port: int = 29092
    topic_prefix: str = "datalek"
    partitions: int = 1
    replication_factor: int = 1
    app_id: str = "datalek"
    session_timeout: float = 10.0
    standby_replicas: int = Field(default=1, ge=0)  # standby copies of the rule-state table (Faust)
    envelope_size: int = 200  # events per Kafka message written by `datalek ingest`
    envelope_linger: float = 0.2  # seconds an ingest envelope waits for more events
    envelope_max_lag: float = 60.0  # event-time seconds an asset's envelope may lag the newest event read
    connect_timeout: float = 30.0  # seconds to wait for the broker at start-up

    @property
    def embedded(self) -> bool:
        return self.bootstrap is None

    @property
    def bootstrap_servers(self) -> str:
        return self.bootstrap or f"127.0.0.1:{self.embedded_port}"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}.{name}"


class DetectionSettings(_Section):
    rules_dirs: tuple[Path, ...] = ()  # folders of extra rules (native YAML or Sigma), beside the shipped ones
    default_rules: bool = True  # load the shipped rule set (datalek/rules/*.yml)
    correlation_window_seconds: int = 3600
    normalise_dirs: tuple[Path, ...] = ()  # folders of extra producer mappings (YAML), before the shipped ones


class InputSettings(_Section):
    # caps applied before any parser reads the input (streams.lines, streams.syslog_receiver, streams.raw)
    max_line_bytes: int = Field(default=1024 * 1024, ge=1)  # longer lines are dead-lettered with their size
    max_syslog_message_bytes: int = Field(default=64 * 1024, ge=1)


class AlertSettings(_Section):
    apprise_urls: tuple[SecretStr, ...] = ()
    apprise_config: Path | None = None
    incident_base_url: str = "http://127.0.0.1:8080/incidents/"
    reminder_hours: tuple[int, ...] = (48, 24, 6)  # hours left on the 72-hour clock
    max_attempts: int = 5
    retry_base_seconds: float = 2.0  # backoff: base * 2**(n-1) seconds before retry n
    timeout_seconds: float = 30.0
    throttle_seconds: float | None = None  # Apprise's pause between sends per target; None: its default
    plan_interval: float = 5.0  # seconds between alert-planning passes in the worker


class OrganisationSettings(_Section):
    name: str = "24 Online"
    details: Path | None = None  # organisation YAML for drafts; None: the shipped one of 24 Online
    inventory: Path | None = None  # None: the shipped inventory of the example organisation


class IdentitySettings(_Section):
    # True only on a machine where one person has the OS account that runs datalek: the CLI then acts as that
    # account (its real uid, never $USER/$LOGNAME). Otherwise the CLI needs a personal token (DATALEK_TOKEN).
    single_user: bool = False


def data_dir() -> Path:
    """The per-user data folder: ``$XDG_DATA_HOME/datalek``, else ``~/.local/share/datalek``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "datalek"


def _default_database_url() -> SecretStr:
    return SecretStr(f"sqlite:///{data_dir() / 'datalek.db'}")


class WebSettings(_Section):
    # True only behind a TLS proxy you run: its X-Forwarded-Proto/-For then decide Secure cookies, HSTS,
    # the origin check and the address login attempts are counted by. Otherwise anyone could send them.
    trusted_proxy: bool = False
    login_attempts: int = 10  # failed sign-ins per client address and window before 429
    login_window_seconds: int = 300
    api_max_body_bytes: int = 1024 * 1024  # POST /api/v1/events: larger bodies are refused (413)
    api_max_events: int = 1000  # POST /api/v1/events: events per request


class Settings(BaseSettings):
    """All configuration. Nested sections use ``__``: ``DATALEK_KAFKA__BOOTSTRAP``."""

    model_config = SettingsConfigDict(env_prefix="DATALEK_", env_nested_delimiter="__", frozen=True)

    # one place per user, whatever folder a command runs in (DATALEK_DATABASE_URL overrides it)
    database_url: SecretStr = Field(default_factory=_default_database_url)
    database_timeout: float = 30.0  # seconds a statement, lock wait or connection attempt may take
    # auto: every command brings the schema up to date (the embedded default); check: commands only verify it
    # and the application's role needs no DDL rights (production: `datalek db upgrade` as a DDL-capable role)
    database_migrate: Literal["auto", "check"] = "auto"
    log_level: str = "info"
    log_format: Literal["plain", "json"] = "plain"  # json: one ECS-named JSON object per line, for log shippers
    kafka: KafkaSettings = KafkaSettings()
    detection: DetectionSettings = DetectionSettings()
    input: InputSettings = InputSettings()
    alerts: AlertSettings = AlertSettings()
    organisation: OrganisationSettings = OrganisationSettings()
    identity: IdentitySettings = IdentitySettings()
    web: WebSettings = WebSettings()
    token: SecretStr | None = None  # DATALEK_TOKEN: the personal API token the CLI acts with

    def masked(self) -> dict[str, object]:
        """Settings for display: secrets stay masked."""
        return self.model_dump(mode="json")

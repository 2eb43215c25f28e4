"""The composition root: builds the engine, session factory, handlers and the Faust app from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

import faust
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from datalek.rules import load_inventory, load_rules
from datalek.settings import Settings
from incidents import services
from incidents.detection import Detection
from incidents.inventory import Inventory
from incidents.persistence import database, outbox
from incidents.persistence.uow import SqlUnitOfWork
from incidents.rules import Engine as RuleEngine
from streams.app import Handlers, StreamConfig, build_app
from streams.kafka_admin import TOPICS


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return database.make_engine(self.settings.database_url.get_secret_value())

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return database.session_factory(self.engine)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory)

    @cached_property
    def inventory(self) -> Inventory:
        return load_inventory(self.settings.organisation.inventory)

    def rule_engine(self) -> RuleEngine:
        """The shipped rules plus the configured folders, with the data inventory attached."""
        d = self.settings.detection
        rules = load_rules(d.rules_dirs, defaults=d.default_rules)
        return RuleEngine(rules, inventory=self.inventory)

    def topics(self) -> dict[str, str]:
        return {name: self.settings.kafka.topic(name) for name in TOPICS}

    def record_detection(self, detection: Detection) -> None:
        window = timedelta(seconds=self.settings.detection.correlation_window_seconds)
        try:
            services.record_detection(self.uow(), detection, now=utc_now(), correlation_window=window)
        except IntegrityError:
            # another worker recorded it concurrently; a second pass sees it and does nothing
            services.record_detection(self.uow(), detection, now=utc_now(), correlation_window=window)

    def handlers(self) -> Handlers:
        return Handlers(
            record_detection=self.record_detection,
            pending_outbox=lambda: outbox.pending(self.session_factory),
            mark_published=lambda ids: outbox.mark_published(self.session_factory, ids, at=utc_now()),
            is_transient=lambda e: isinstance(e, OperationalError | InterfaceError),
        )

    def stream_app(self) -> faust.App:
        k = self.settings.kafka
        config = StreamConfig(app_id=k.app_id, bootstrap=k.bootstrap_servers, partitions=k.partitions,
                              replication_factor=k.replication_factor, session_timeout=k.session_timeout,
                              topics=self.topics(), engine=self.rule_engine())
        return build_app(config, self.handlers())

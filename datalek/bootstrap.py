"""The composition root: builds the engine, session factory, handlers and the Faust app from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from datalek.settings import Settings
from incidents import services
from incidents.detection import Detection
from incidents.model import Incident
from incidents.persistence import alerts, database, outbox
from incidents.persistence.uow import SqlUnitOfWork

if TYPE_CHECKING:  # the stream, rule and alert modules load when used: a workflow command needs none of them
    import faust

    from incidents.inventory import Inventory
    from incidents.rules import Engine as RuleEngine
    from notifications.dispatcher import DeliveryQueue, DeliveryResult
    from streams.alerting import AlertStore
    from streams.app import Handlers
    from streams.normalise import Normaliser
    from streams.retry import RetryPolicy


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        t = self.settings.database_timeout
        return database.make_engine(self.settings.database_url.get_secret_value(), statement_timeout=t,
                                    connect_timeout=min(t, 10.0), pool_timeout=t)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return database.session_factory(self.engine)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory)

    @cached_property
    def inventory(self) -> Inventory:
        from datalek.rules import load_inventory

        return load_inventory(self.settings.organisation.inventory)

    @cached_property
    def normaliser(self) -> Normaliser:
        """The producer mappings: the configured folders, then the shipped ones."""
        from streams.normalise import load_normaliser

        return load_normaliser(self.settings.detection.normalise_dirs)

    def rule_engine(self) -> RuleEngine:
        """The shipped rules plus the configured folders, with the data inventory attached."""
        from datalek.rules import load_rules
        from incidents.rules import Engine as RuleEngine

        d = self.settings.detection
        rules = load_rules(d.rules_dirs, defaults=d.default_rules)
        return RuleEngine(rules, inventory=self.inventory)

    def topics(self) -> dict[str, str]:
        from streams.kafka_admin import TOPICS

        return {name: self.settings.kafka.topic(name) for name in TOPICS}

    def raw_topics(self) -> dict[str, str]:
        from streams.raw import raw_topic_names

        return raw_topic_names(self.settings.kafka.topic)

    def all_topic_names(self) -> list[str]:
        return [*self.topics().values(), *self.raw_topics().values()]

    def record_detection(self, detection: Detection) -> None:
        """Record one detection. A race with another worker (the same detection inserted, the incident
        updated meanwhile) raises a conflict that the worker's retry resolves from a fresh read."""
        window = timedelta(seconds=self.settings.detection.correlation_window_seconds)
        services.record_detection(self.uow(), detection, now=utc_now(), correlation_window=window,
                                  prefill=self.inventory.prefill)

    def retry_policy(self) -> RetryPolicy:
        """Transient database failures retried while they last; a call that hangs (a stalled server answers
        no TCP timeout) counts as one after twice the statement timeout."""
        from streams.retry import RetryPolicy

        return RetryPolicy(is_transient=database.is_transient, is_conflict=database.is_conflict,
                           call_timeout=2 * self.settings.database_timeout)

    def handlers(self) -> Handlers:
        from streams.app import Handlers

        return Handlers(
            record_detection=self.record_detection,
            pending_outbox=lambda: outbox.pending(self.session_factory),
            mark_published=lambda ids: outbox.mark_published(self.session_factory, ids, at=utc_now()),
            is_transient=database.is_transient, is_conflict=database.is_conflict,
            call_timeout=2 * self.settings.database_timeout,
        )

    def stream_app(self) -> faust.App:
        from streams.alerting import add_alerting
        from streams.app import StreamConfig, build_app
        from streams.raw import RawLimits

        k = self.settings.kafka
        config = StreamConfig(app_id=k.app_id, bootstrap=k.bootstrap_servers, partitions=k.partitions,
                              replication_factor=k.replication_factor, session_timeout=k.session_timeout,
                              standby_replicas=k.standby_replicas,
                              topics=self.topics(), engine=self.rule_engine(), raw_topics=self.raw_topics(),
                              normaliser=self.normaliser,
                              raw_limits=RawLimits(line_bytes=self.settings.input.max_line_bytes))
        app = build_app(config, self.handlers())
        a = self.settings.alerts
        add_alerting(app, queue=self.delivery_queue(), store=self.alert_store(), clock=utc_now,
                     base_url=a.incident_base_url, marks=a.reminder_hours, interval=a.plan_interval,
                     policy=self.retry_policy())
        return app

    def delivery_queue(self) -> DeliveryQueue:
        from notifications.dispatcher import Backoff, DeliveryQueue, Dispatcher, load_targets
        from streams.alerting import recorder

        a = self.settings.alerts
        targets = load_targets([u.get_secret_value() for u in a.apprise_urls], config_file=a.apprise_config,
                               request_rate_per_sec=a.throttle_seconds)
        return DeliveryQueue(Dispatcher(targets, timeout=a.timeout_seconds),
                             on_result=recorder(self.alert_store(), self.retry_policy()),
                             max_attempts=a.max_attempts, backoff=Backoff(base=a.retry_base_seconds))

    def alert_store(self) -> AlertStore:
        from streams.alerting import AlertStore

        f = self.session_factory

        def record(r: DeliveryResult) -> None:
            alerts.record_delivery(f, incident_id=r.incident_id, alert_key=r.notification_key.split(":", 1)[1],
                                   target=r.target, status=r.status.value, attempt=r.attempt, final=r.final,
                                   at=r.at, detail=r.detail)

        def load(incident_id: str) -> Incident | None:
            with self.uow() as uow:
                return uow.incidents.get(incident_id)

        return AlertStore(open_incidents=lambda: alerts.open_incidents(f),
                          decide=lambda rows: alerts.decide(f, rows, at=utc_now()),
                          pending=lambda: alerts.pending(f), load=load, record=record)

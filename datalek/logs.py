"""Log output of the long-running commands (`datalek run`, `datalek web`): plain lines for people, or one JSON
object per line for a log shipper (``DATALEK_LOG_FORMAT=json``), with ECS field names.

Only what the code logs is written; the code never logs personal data (ids, counts and categories only).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

PLAIN = "%(asctime)s %(levelname)s %(name)s %(message)s"
NOISY_LOGGERS = ("faust", "mode", "aiokafka", "kafka")  # their start-up tables are for debugging


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ``@timestamp`` (UTC), ``log.level``, ``log.logger``, ``message`` and, for an
    exception, ``error.type`` and ``error.stack_trace``."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "@timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "log.level": record.levelname.lower(), "log.logger": record.name, "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            doc["error.type"] = record.exc_info[0].__name__
            doc["error.stack_trace"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def formatter(fmt: str) -> dict[str, Any]:
    """The ``logging.config`` formatter entry for ``plain`` or ``json``."""
    return {"()": f"{__name__}.JsonFormatter"} if fmt == "json" else {"format": PLAIN}


def config(level: str, fmt: str = "plain") -> dict[str, Any]:
    """Our logs at ``level``; Faust, mode and the Kafka clients only from WARNING unless ``level`` is debug."""
    level = level.upper()
    noisy = level if level == "DEBUG" else "WARNING"
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"main": formatter(fmt)},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main"}},
            "root": {"level": level, "handlers": ["console"]},
            "loggers": {name: {"level": noisy} for name in NOISY_LOGGERS}
            | {"faust.worker": {"level": level}}  # its one "Ready" line says the worker consumes
            | {name: {"level": "INFO" if level == "DEBUG" else noisy}  # their DEBUG logs bodies and URLs
               for name in ("apprise", "urllib3")}}

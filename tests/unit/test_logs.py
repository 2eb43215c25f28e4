"""Log output of `datalek run` and `datalek web`: quiet plain lines by default, -v/--log-level for more, and one
JSON object per line (ECS names) with DATALEK_LOG_FORMAT=json."""

import json
import logging
import logging.config

import pytest
from typer.testing import CliRunner

from datalek import logs
from datalek.cli import app, with_log_level
from datalek.settings import Settings


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = (root.level, root.handlers[:], {n: logging.getLogger(n).level for n in (*logs.NOISY_LOGGERS, "datalek")})
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def test_json_logs_are_one_ecs_object_per_line(restore_logging, capsys):
    logging.config.dictConfig(logs.config("info", "json"))
    logging.getLogger("datalek.worker").info("incident %s opened", "5b1d8a0e")
    try:
        raise ConnectionError("broker gone")
    except ConnectionError:
        logging.getLogger("datalek.relay").exception("relay stopped")
    logging.getLogger("faust.tables").info("a start-up table")  # quiet unless debug
    first, second, *rest = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert rest == []
    assert first["message"] == "incident 5b1d8a0e opened" and first["log.level"] == "info"
    assert first["log.logger"] == "datalek.worker" and first["@timestamp"].endswith("+00:00")
    assert second["error.type"] == "ConnectionError" and "broker gone" in second["error.stack_trace"]


def test_plain_is_the_default_and_debug_lets_faust_speak(restore_logging, capsys):
    assert Settings().log_format == "plain"
    logging.config.dictConfig(logs.config("debug"))
    logging.getLogger("faust.tables").debug("a start-up table")
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("DEBUG faust.tables a start-up table")


def test_the_command_line_level_wins_and_a_bad_one_is_one_line_with_status_2():
    assert with_log_level(Settings(log_level="info"), "DEBUG").log_level == "debug"
    assert with_log_level(Settings(log_level="warning"), None).log_level == "warning"
    bad = CliRunner().invoke(app, ["run", "--log-level", "loud"])
    assert bad.exit_code == 2 and "'loud' is not one of debug, info, warning, error" in bad.output
    helped = CliRunner().invoke(app, ["run", "--help"])
    assert "--log-level" in helped.output and "--verbose" in helped.output and "DATALEK_LOG_FORMAT" in helped.output


@pytest.mark.parametrize("level", ["warning", "error", "info"])
def test_the_worker_keeps_the_root_logger_at_its_level(restore_logging, level):
    """Faust's spinner (kept at WARNING and above) would set the root logger to DEBUG, so that every debug
    call of aiokafka and Faust builds a record: `datalek run --log-level warning` spent 4-7 % of its time on them."""
    import faust

    from streams.app import worker

    runner = worker(faust.App("log-level-test"), loglevel=level, logging_config=logs.config(level))
    runner._setup_logging()
    assert logging.getLogger().level == getattr(logging, level.upper())
    assert not logging.getLogger("aiokafka.producer").isEnabledFor(logging.DEBUG)

"""Log lines: text or JSON with the event being handled, and outages in a few lines."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from adapters.logs import (
    FORGET_AFTER_S,
    EventFilter,
    JsonFormatter,
    OutageFilter,
    TextFormatter,
    configure,
    current_event,
    event_context,
)
from adapters.settings import Settings
from storage.engine import DATABASE_BACK, DatabaseUnreachable

REFUSED = DatabaseUnreachable("db.internal:5432/tinysteps", "connection refused")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def failed_request(error: BaseException = REFUSED) -> logging.LogRecord:
    """What aiohttp logs for each request that raised: a message and the whole traceback."""
    try:
        raise RuntimeError("while handling") from error
    except RuntimeError as raised:
        return logging.LogRecord(
            "aiohttp.server",
            logging.ERROR,
            __file__,
            1,
            "Error handling request",
            (),
            (type(raised), raised, raised.__traceback__),
        )


def answered() -> logging.LogRecord:
    """What the engine logs when a connection works again (see storage/engine.py)."""
    record = logging.LogRecord(
        "storage.engine", logging.WARNING, __file__, 1, "the database answers again", (), None
    )
    setattr(record, DATABASE_BACK, True)
    return record


def plain(message: str = "tick: 3 sent") -> logging.LogRecord:
    return logging.LogRecord("bot.schedule", logging.INFO, __file__, 1, message, (), None)


def lines(outage: OutageFilter, records: list[logging.LogRecord]) -> list[str]:
    """The lines a handler would write: each record the filter keeps, as it keeps it."""
    out = []
    for record in records:
        kept = outage.filter(record)
        if kept:
            shown = kept if isinstance(kept, logging.LogRecord) else record
            out.append(TextFormatter().format(shown))
    return out


def test_an_outage_is_one_line_then_a_count_then_a_summary() -> None:
    clock = Clock()
    outage = OutageFilter(clock=clock)

    first = lines(outage, [failed_request()])
    quiet = lines(outage, [failed_request() for _ in range(7)])
    clock.now += 8
    back = lines(outage, [failed_request(), answered()])

    assert len(first) == 1
    assert "\n" not in first[0]  # no traceback
    assert first[0].endswith(
        "ERROR aiohttp.server: Error handling request: Can't reach the database at "
        "db.internal:5432/tinysteps: connection refused (further failures like this are "
        "counted until the database answers)"
    )
    assert quiet == []
    assert len(back) == 1
    assert "database reachable again after 9 failures in 8 s" in back[0]
    assert outage.failures == 0


def test_a_long_outage_says_it_goes_on_at_10_100_1000_failures() -> None:
    outage = OutageFilter(clock=Clock())

    shown = lines(outage, [failed_request() for _ in range(1000)])

    assert len(shown) == 4
    assert [line.split("still can't use the database: ")[-1][:15] for line in shown[1:]] == [
        "10 failures so ",
        "100 failures so",
        "1000 failures s",
    ]


def test_failures_long_after_the_last_one_are_a_new_outage() -> None:
    clock = Clock()
    outage = OutageFilter(clock=clock)
    lines(outage, [failed_request(), failed_request()])
    clock.now += FORGET_AFTER_S - 1

    still = lines(outage, [failed_request()])
    clock.now += FORGET_AFTER_S + 1
    again = lines(outage, [failed_request()])

    assert still == []
    assert len(again) == 1
    assert "Can't reach the database" in again[0]
    assert outage.failures == 1


def test_a_different_outage_error_gets_its_own_first_line() -> None:
    outage = OutageFilter(clock=Clock())
    unknown = DatabaseUnreachable("db.internal:5432/tinysteps", "no such host")

    shown = lines(outage, [failed_request(), failed_request(unknown), failed_request(unknown)])

    assert len(shown) == 2
    assert "no such host" in shown[1]


def test_other_errors_and_lines_pass_untouched() -> None:
    outage = OutageFilter(clock=Clock())
    other = failed_request(ValueError("a bug"))

    assert outage.filter(other) is True
    assert outage.filter(plain()) is True
    assert outage.filter(answered()) is True  # nothing was collapsed: the engine's own line
    assert other.exc_info is not None


def test_an_outage_named_in_a_message_argument_is_collapsed_too() -> None:
    outage = OutageFilter(clock=Clock())
    record = logging.LogRecord(
        "bot.schedule", logging.WARNING, __file__, 1, "delivery %s failed: %s", (7, REFUSED), None
    )

    assert isinstance(outage.filter(record), logging.LogRecord)
    assert outage.filter(record) is False


def test_the_first_line_is_a_copy_so_other_handlers_keep_the_traceback() -> None:
    record = failed_request()

    one = OutageFilter(clock=Clock()).filter(record)

    assert isinstance(one, logging.LogRecord)
    assert one is not record
    assert one.exc_info is None
    assert record.exc_info is not None


def test_json_lines_carry_time_level_logger_message_and_event_id() -> None:
    record = plain("sent 3 of 3")
    with event_context("Ev042"):
        EventFilter().filter(record)
    record.created = datetime(2026, 11, 24, 14, 30, tzinfo=UTC).timestamp() + 0.25

    entry = json.loads(JsonFormatter().format(record))

    assert entry == {
        "time": "2026-11-24T14:30:00.250Z",
        "level": "INFO",
        "logger": "bot.schedule",
        "message": "sent 3 of 3",
        "event_id": "Ev042",
    }


def test_a_json_line_holds_its_traceback_on_one_line() -> None:
    line = JsonFormatter().format(failed_request(ValueError("a bug")))

    assert "\n" not in line
    entry = json.loads(line)
    assert "event_id" not in entry
    assert "ValueError: a bug" in entry["exception"]


def test_text_lines_name_the_event_when_there_is_one() -> None:
    inside, outside = plain("a"), plain("b")
    with event_context("Ev7"):
        EventFilter().filter(inside)
    EventFilter().filter(outside)

    assert " INFO bot.schedule [event Ev7]: a" in TextFormatter().format(inside)
    assert " INFO bot.schedule: b" in TextFormatter().format(outside)


async def test_the_event_id_follows_tasks_started_inside_the_context() -> None:
    async def seen() -> str | None:
        await asyncio.sleep(0)
        return current_event()

    with event_context("Ev9"):
        task = asyncio.create_task(seen())
    assert await task == "Ev9"
    assert current_event() is None


@pytest.fixture
def root() -> Iterator[logging.Logger]:
    """The root logger, put back as it was afterwards."""
    logger = logging.getLogger()
    handlers, level = list(logger.handlers), logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_configure_writes_json_and_replaces_its_own_handler(root: logging.Logger) -> None:
    first, second = io.StringIO(), io.StringIO()
    configure("info", "json", stream=first)
    configure("INFO", "json", stream=second)

    with event_context("Ev1"):
        logging.getLogger("adapters.test").info("hello %s", "there")
    logging.getLogger("adapters.test").debug("not at INFO")

    assert first.getvalue() == ""
    [line] = second.getvalue().splitlines()
    assert json.loads(line)["message"] == "hello there"
    assert json.loads(line)["event_id"] == "Ev1"


def test_configure_collapses_an_outage_end_to_end(root: logging.Logger) -> None:
    out = io.StringIO()
    configure("INFO", "text", stream=out)
    server = logging.getLogger("aiohttp.server")

    for _ in range(50):
        try:
            raise REFUSED
        except DatabaseUnreachable:
            server.exception("Error handling request")
    logging.getLogger("storage.engine").warning(
        "the database answers again", extra={DATABASE_BACK: True}
    )

    written = out.getvalue().splitlines()
    assert len(written) == 3  # the first failure, "10 failures so far", the summary
    assert "Traceback" not in out.getvalue()
    assert "database reachable again after 50 failures" in written[-1]


@pytest.mark.parametrize(
    ("given", "chosen"), [("json", "json"), (" JSON ", "json"), ("text", "text")]
)
def test_log_format_is_read_from_the_settings(given: str, chosen: str) -> None:
    assert Settings(_env_file=None, log_format=given).log_format == chosen  # type: ignore[call-arg, arg-type]


def test_an_unknown_log_format_is_a_clear_configuration_error() -> None:
    with pytest.raises(ValueError, match="LOG_FORMAT must be text or json"):
        Settings(_env_file=None, log_format="yaml")  # type: ignore[call-arg, arg-type]


def test_log_format_defaults_to_text() -> None:
    assert Settings(_env_file=None).log_format == "text"  # type: ignore[call-arg]

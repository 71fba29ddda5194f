"""Log lines for operators: readable text or JSON, tagged with the event being handled, and a
database outage told in a few lines rather than a traceback per failed request.

Example, once at the entry point: `configure(settings.tinysteps_log_level, settings.log_format)`;
then around the handling of one incoming event: `with event_context(event.event_id): ...`.

During an outage every request fails the same way, and each failure used to log its whole
traceback (an 8-second PostgreSQL outage wrote 342,000 lines). `OutageFilter` logs the first
failure of each kind as one line, counts the rest (a reminder at 10, 100, 1,000… failures),
and turns the engine's "answers again" line (`storage.engine.DATABASE_BACK`) into a summary:
"database reachable again after 342 failures in 8 s".
"""

from __future__ import annotations

import copy
import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Literal

from storage.engine import DATABASE_BACK, outage

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(event_tag)s: %(message)s"

_EVENT: ContextVar[str | None] = ContextVar("tinysteps_event_id", default=None)
# A failure this long after the previous one starts a new outage (its first line is written
# again), in case the line saying the database was back never came.
FORGET_AFTER_S = 300.0
_OURS = "_tinysteps_handler"  # marks the handler `configure` installed, to replace it


@contextmanager
def event_context(event_id: str | None) -> Iterator[None]:
    """Tag every log line written inside the block (and tasks started there) with `event_id`.

    Example: `with event_context(event.event_id): out = await conversation.handle(event)`.
    """
    token = _EVENT.set(event_id)
    try:
        yield
    finally:
        _EVENT.reset(token)


def current_event() -> str | None:
    """The id of the event being handled here, if any."""
    return _EVENT.get()


class EventFilter(logging.Filter):
    """Copies the current event's id onto each record as `event_id` (unless it has one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "event_id", None) is None:
            setattr(record, "event_id", _EVENT.get())  # noqa: B010  # not a LogRecord field
        return True


class OutageFilter(logging.Filter):
    """Collapses database-outage errors: the first of each kind is one line (no traceback), the
    rest are counted, and the database's return is one summary line with the count.

    Deterministic: it depends only on the records it is given and on `clock` (seconds).
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._kinds: set[str] = set()
        self._since = self._last = 0.0

    @property
    def failures(self) -> int:
        """Failures logged since the database was last seen answering."""
        return self._failures

    def filter(self, record: logging.LogRecord) -> bool | logging.LogRecord:
        if getattr(record, DATABASE_BACK, False):
            return self._back(record)
        reason = _outage_of(record)
        if reason is None:
            return True
        with self._lock:
            now = self._clock()
            if now - self._last > FORGET_AFTER_S:  # no word of the database's return: start over
                self._failures = 0
                self._kinds.clear()
            if not self._failures:
                self._since = now
            self._last = now
            self._failures += 1
            count, first = self._failures, reason not in self._kinds
            self._kinds.add(reason)
        if first:
            return _one_line(
                record,
                "%s: %s (further failures like this are counted until the database answers)",
                record.getMessage(),
                reason,
            )
        if _milestone(count):
            return _one_line(
                record, "still can't use the database: %d failures so far (%s)", count, reason
            )
        return False

    def _back(self, record: logging.LogRecord) -> bool | logging.LogRecord:
        with self._lock:
            count, seconds = self._failures, self._clock() - self._since
            self._failures = 0
            self._kinds.clear()
        if not count:
            return True  # failures nobody logged (a readiness probe): the engine's own line
        return _one_line(
            record,
            "database reachable again after %d %s in %s",
            count,
            "failure" if count == 1 else "failures",
            _duration(seconds),
        )


class TextFormatter(logging.Formatter):
    """`2026-11-24 15:30:00,123 INFO bot.schedule [event Ev1]: message` (event when known)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        event_id = getattr(record, "event_id", None)
        setattr(record, "event_tag", f" [event {event_id}]" if event_id else "")  # noqa: B010
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, event_id when known, and
    the traceback (if any) as one string field."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event_id = getattr(record, "event_id", None)
        if event_id:
            entry["event_id"] = event_id
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def handler(
    fmt: Literal["text", "json"] | str = "text", *, stream: IO[str] | None = None
) -> logging.Handler:
    """A stream handler (stderr by default) in `fmt`, with the event and outage filters."""
    made = logging.StreamHandler(stream if stream is not None else sys.stderr)
    made.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    made.addFilter(EventFilter())
    made.addFilter(OutageFilter())
    return made


def configure(
    level: str | int = "INFO",
    fmt: Literal["text", "json"] | str = "text",
    *,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Send every log line to stderr (or `stream`) as `fmt` (`text` or `json`) from `level` up.

    Calling it again replaces the handler it installed before; other handlers stay.
    """
    root = logging.getLogger()
    made = handler(fmt, stream=stream)
    setattr(made, _OURS, True)
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
    root.addHandler(made)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    return made


def _outage_of(record: logging.LogRecord) -> str | None:
    """Why the database can't be used, if the record's exception (or an argument) says so."""
    errors: list[BaseException] = []
    if record.exc_info and record.exc_info[1] is not None:
        errors.append(record.exc_info[1])
    if isinstance(record.args, tuple):
        errors.extend(arg for arg in record.args if isinstance(arg, BaseException))
    for error in errors:
        reason = outage(error)
        if reason is not None:
            return reason
    return None


def _one_line(record: logging.LogRecord, msg: str, *args: object) -> logging.LogRecord:
    """A copy of `record` saying `msg % args`, without a traceback (other handlers keep theirs)."""
    line = copy.copy(record)
    line.msg, line.args = msg, args
    line.exc_info, line.exc_text, line.stack_info = None, None, None
    return line


def _milestone(count: int) -> bool:
    """10, 100, 1,000…: a reminder that the outage goes on, without a line per failure."""
    return count >= 10 and str(count).strip("0") == "1"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{max(seconds, 0):.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"

"""Log lines as operators see them: each with the event id it was tagged with."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from adapters.logs import EventFilter


class Lines(logging.Handler):
    """Every record at INFO or above, as (message, event id)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.addFilter(EventFilter())
        self.lines: list[tuple[str, str | None]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.getMessage(), getattr(record, "event_id", None)))

    def event_of(self, words: str) -> str | None:
        """The event id of the first line containing `words`."""
        return next(event for message, event in self.lines if words in message)


@contextmanager
def logged() -> Iterator[Lines]:
    root = logging.getLogger()
    handler, level = Lines(), root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)

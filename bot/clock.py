"""Time comes only through a clock, so tests and `tinysteps tick --at` can choose the instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stays where it is put; `advance` moves it on (no sleeping in tests)."""

    instant: datetime

    def __post_init__(self) -> None:
        if self.instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")

    def now(self) -> datetime:
        return self.instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.instant = self.instant + delta

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")
        self.instant = instant

"""What a tick is told and reports: its settings, decisions, outcomes and progress."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.model import ChannelPost, DirectMessage
from bot.ports import (
    DeliveryKind,
    Finished,
    Nudge,
)


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    lease: timedelta = timedelta(minutes=5)  # longer than any platform call may take
    plan_chunk: int = 500  # people's rows written per planning transaction
    batch: int = 50  # small claims: fair between replicas, little held up if one dies
    concurrency: int = 8  # messages in flight per process
    lanes: int = 2  # batches in progress at once: one sending while another is read or recorded
    max_attempts: int = 5
    weekly_after: timedelta = timedelta(hours=3)  # after the nudge time, last school day
    digest_at: time = time(16, 0)  # the weekly digest, school time, last school day of the week
    retry_base: timedelta = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a person is, or is not, nudged at this tick (`tinysteps tick --dry-run`)."""

    person_id: int
    name: str
    school: str
    reason: str
    kind: DeliveryKind | None = None
    due_at: datetime | None = None


OUTCOMES = ("planned", "sent", "recovered", "deferred", "failed", "unreachable", "cancelled")


@dataclass(slots=True)
class TickReport:
    planned: int = 0
    sent: int = 0
    recovered: int = 0  # found already delivered after a crash: not sent again
    deferred: int = 0  # rate-limited or failed for now; retried later
    failed: int = 0
    unreachable: int = 0  # the platform can't reach them yet (not retried; tomorrow asks again)
    cancelled: int = 0  # no longer wanted (answered, paused, opted out, forgotten)
    decisions: list[Decision] = field(default_factory=list)

    def summary(self) -> str:
        return ", ".join(f"{name} {getattr(self, name)}" for name in OUTCOMES)

    def add(self, other: TickReport) -> None:
        for name in OUTCOMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Planning:
    """How far a tick's planning has got, so its deliverers can start on the first rows."""

    def __init__(self) -> None:
        self.progress = 0  # chunks written so far
        self.finished = False
        self._moved = asyncio.Event()

    def advance(self) -> None:
        self.progress += 1
        self._moved.set()
        self._moved = asyncio.Event()  # those waiting hold the old one, now set

    def finish(self) -> None:
        self.finished = True
        self.advance()

    async def beyond(self, seen: int) -> None:
        """Wait until more has been planned than `seen` (or planning is over)."""
        if self.progress == seen:
            await self._moved.wait()


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a person is due today, planned in the same chunk."""

    person_id: int
    day: date
    due: datetime
    kinds: list[DeliveryKind]
    nudge: Nudge | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one outbox row, recorded with the rest of its batch."""

    finished: Finished
    message: DirectMessage | ChannelPost | None
    report: TickReport

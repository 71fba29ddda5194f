"""APScheduler as the clock: one job a minute calls the same `Scheduler.tick` as `tinysteps tick`."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Coroutine
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from prometheus_client import Counter

from bot.ports import Clock
from bot.schedule import OUTCOMES, Scheduler, TickReport

log = logging.getLogger(__name__)

# Counted per process; Prometheus sums replicas.
DELIVERIES = Counter(
    "tinysteps_deliveries",
    "Scheduled messages (nudges, reminders, weekly notes) by outcome.",
    ["outcome"],
)
CUT_SHORT_SECONDS = 1.0
# How often `serve` looks for replies nobody is sending: a crashed sender's are then sent at
# most this long after its lease (`bot.conversation.owed.LEASE`) runs out.
SWEEP_SECONDS = 5  # for a cancelled tick to unwind (roll back, let go of connections)


def record(report: TickReport) -> None:
    for outcome in OUTCOMES:
        DELIVERIES.labels(outcome=outcome).inc(getattr(report, outcome))


def worker_name() -> str:
    """Unique per process, so a lease names exactly one deliverer."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


async def tick_now(scheduler: Scheduler, clock: Clock) -> TickReport:
    report = await scheduler.tick(clock.now())
    record(report)
    return report


class Ticker:
    """Ticks at the start of every minute; a late or overlapping tick is merged, never doubled.

    `stop` is for a graceful shutdown: no tick starts after it, and the one under way may
    finish within the grace period or is cut short (its claimed rows are then released by the
    caller, see `storage/shutdown.py`).
    """

    def __init__(self, scheduler: Scheduler, clock: Clock, *, ticking: bool = True) -> None:
        """Without `ticking` (cron runs `tinysteps tick`), only owed replies are swept: they
        belong to the events this process answers, not to the schedule."""
        self._scheduler = scheduler
        self._clock = clock
        self._running: dict[asyncio.Future[None], asyncio.Task[object]] = {}
        self.apscheduler = AsyncIOScheduler(timezone="UTC")
        if ticking:
            self.apscheduler.add_job(
                self.tick,
                "cron",
                minute="*",
                id="tinysteps-tick",
                coalesce=True,
                max_instances=1,
                misfire_grace_time=30,
            )
        self.apscheduler.add_job(
            self.sweep,
            "interval",
            seconds=SWEEP_SECONDS,
            id="tinysteps-owed-replies",
            coalesce=True,
            max_instances=1,
        )

    def start(self) -> None:
        self.apscheduler.start()
        if self.apscheduler.get_job("tinysteps-tick") is not None:
            log.info("scheduler started: ticking every minute")

    async def tick(self) -> None:
        """One tick now (APScheduler's job each minute)."""
        await self._run(tick_now(self._scheduler, self._clock), "a tick")

    async def sweep(self) -> None:
        """Owed replies whose sender died (APScheduler's job every few seconds)."""
        await self._run(self._scheduler.resend_owed(), "sending owed replies")

    async def _run(self, work: Coroutine[Any, Any, object], what: str) -> None:
        """`work` in a task of its own that `stop` can cut short without APScheduler taking
        that for a failure."""
        job = asyncio.current_task()
        assert job is not None
        task = asyncio.create_task(work)
        self._running[job] = task
        try:
            await asyncio.wait([task])
        finally:
            del self._running[job]
        if task.cancelled():
            log.warning("%s was cut short by shutdown", what)
            return
        task.result()  # a failure is APScheduler's to log, as before

    async def stop(self, grace: float) -> int:
        """Start no more ticks, give the one under way `grace` seconds, then cut it short.

        Returns how many ticks had to be cut short (0 or 1: ticks never overlap).
        """
        if self.apscheduler.running:
            self.apscheduler.pause()
        late: set[asyncio.Future[None]] = set()
        if self._running:
            _, late = await asyncio.wait(list(self._running), timeout=grace)
            for job in late:
                if job in self._running:
                    self._running[job].cancel()
            if late:
                await asyncio.wait(late, timeout=CUT_SHORT_SECONDS)
        if self.apscheduler.running:
            self.apscheduler.shutdown(wait=False)
        return len(late)


def start_clock(scheduler: Scheduler, clock: Clock) -> AsyncIOScheduler:
    """A started `Ticker`'s APScheduler, for callers that only need the clock running."""
    ticker = Ticker(scheduler, clock)
    ticker.start()
    return ticker.apscheduler

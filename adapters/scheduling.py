"""APScheduler as the clock: one job a minute calls the same `Scheduler.tick` as `tinysteps tick`."""

from __future__ import annotations

import logging
import os
import socket
import uuid

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


def start_clock(scheduler: Scheduler, clock: Clock) -> AsyncIOScheduler:
    """Tick at the start of every minute; a late or overlapping tick is merged, never doubled."""
    apscheduler = AsyncIOScheduler(timezone="UTC")
    apscheduler.add_job(
        tick_now,
        "cron",
        args=(scheduler, clock),
        minute="*",
        id="tinysteps-tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=30,
    )
    apscheduler.start()
    log.info("scheduler started: ticking every minute")
    return apscheduler

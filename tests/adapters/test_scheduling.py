"""APScheduler is only the clock: one coalesced job a minute calls the same tick as the CLI."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import REGISTRY

from adapters.directory import Directory
from adapters.scheduling import SWEEP_SECONDS, Ticker, start_clock, tick_now
from adapters.server import build_app, build_services
from adapters.settings import Settings
from adapters.web.messenger import WebMessenger
from bot.clock import FixedClock
from bot.schedule import Scheduler
from storage import migrate
from storage.store import SqlStore

TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


def sent_so_far() -> float:
    return REGISTRY.get_sample_value("tinysteps_deliveries_total", {"outcome": "sent"}) or 0.0


async def test_the_clock_ticks_every_minute_merging_late_ticks(store: SqlStore) -> None:
    clock = FixedClock(TUESDAY_1530)
    scheduler = Scheduler(store, WebMessenger(store, clock), clock, worker="w")

    apscheduler = start_clock(scheduler, clock)
    try:
        job = apscheduler.get_job("tinysteps-tick")
        assert str(job.trigger) == "cron[minute='*']"
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 30)
    finally:
        apscheduler.shutdown(wait=False)


async def test_owed_replies_are_looked_for_every_few_seconds(store: SqlStore) -> None:
    clock = FixedClock(TUESDAY_1530)
    scheduler = Scheduler(store, WebMessenger(store, clock), clock, worker="w")

    apscheduler = start_clock(scheduler, clock)
    try:
        job = apscheduler.get_job("tinysteps-owed-replies")
        assert str(job.trigger) == f"interval[0:00:0{SWEEP_SECONDS}]"
        assert (job.coalesce, job.max_instances) == (True, 1)
    finally:
        apscheduler.shutdown(wait=False)


async def test_a_tick_delivers_through_the_web_messenger_and_counts(store: SqlStore) -> None:
    clock = FixedClock(TUESDAY_1530)
    directory = Directory(store, clock, default_timezone="Europe/London")
    school = await directory.create_school("Hill Top")
    person = await directory.add_person(school.id, "Sam")
    before = sent_so_far()

    await tick_now(Scheduler(store, WebMessenger(store, clock), clock, worker="w"), clock)

    async with store.transaction() as tx:
        transcript = await tx.web_messages.transcript(school.id, person.id)
    assert len(transcript) == 1
    assert transcript[0].delivery_key is not None
    assert sent_so_far() == before + 1


async def test_metrics_are_served(tmp_path: object) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/m.db")  # type: ignore[call-arg]
    services = build_services(settings)
    await migrate.upgrade(services.engine)
    async with TestClient(TestServer(build_app(services))) as client:
        response = await client.get("/metrics")

        assert response.status == 200
        assert "tinysteps_deliveries_total" in await response.text()


async def test_owed_replies_are_swept_where_cron_does_the_ticking(store: SqlStore) -> None:
    clock = FixedClock(TUESDAY_1530)
    scheduler = Scheduler(store, WebMessenger(store, clock), clock, worker="w")
    ticker = Ticker(scheduler, clock, ticking=False)  # TINYSTEPS_SCHEDULER=0

    ticker.start()
    try:
        jobs = [job.id for job in ticker.apscheduler.get_jobs()]
    finally:
        ticker.apscheduler.shutdown(wait=False)

    assert jobs == ["tinysteps-owed-replies"]

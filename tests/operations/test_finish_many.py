"""`finish_many` says exactly how many of a batch's rows were still held, on both backends.

On PostgreSQL an executemany UPDATE's rowcount is -1 (asyncpg reports no count for a batch),
so a normal tick once warned that its whole batch had "lost their lease before being recorded".
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.ports import Delivery, DeliveryKind, DeliveryStatus, Finished, NewDelivery, NewPerson
from bot.testing import InMemoryMessenger
from storage.store import SqlStore
from tests.bot.schedule.conftest import TUESDAY_1530, World

NOW = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
LEASE = timedelta(minutes=5)


async def outbox(store: SqlStore, rows: int) -> None:
    """`rows` prompts for one person, on as many days, all due now."""
    async with store.transaction() as tx:
        school = await tx.schools.create("Hill Top", timezone="Europe/London")
        person = await tx.people.create(NewPerson(school.id, "test", "T1", "U1", "Ana"), at=NOW)
        await tx.deliveries.plan(
            [
                NewDelivery(person.id, school.id, DeliveryKind.PROMPT, date(2026, 11, 1 + n), NOW)
                for n in range(rows)
            ]
        )


async def claim(store: SqlStore, worker: str, at: datetime, limit: int = 100) -> list[Delivery]:
    async with store.transaction() as tx:
        return list(await tx.deliveries.claim(worker, now=at, lease_until=at + LEASE, limit=limit))


async def finish(store: SqlStore, worker: str, claimed: list[Delivery]) -> int:
    async with store.transaction() as tx:
        return await tx.deliveries.finish_many(
            worker,
            [Finished(d, DeliveryStatus.SENT, message_id=f"m{d.id}") for d in claimed],
            at=NOW,
        )


async def test_a_normal_batch_is_all_still_held(store: SqlStore) -> None:
    await outbox(store, 5)
    claimed = await claim(store, "replica-a", NOW)

    kept = await finish(store, "replica-a", claimed)

    assert (len(claimed), kept) == (5, 5)
    async with store.transaction() as tx:
        assert await tx.deliveries.count(1, DeliveryStatus.SENT) == 5


async def test_rows_taken_over_after_the_lease_are_the_only_ones_lost(store: SqlStore) -> None:
    await outbox(store, 5)
    claimed = await claim(store, "replica-a", NOW)
    later = NOW + LEASE + timedelta(seconds=1)  # replica-a stalled past its lease
    taken = await claim(store, "replica-b", later, limit=2)

    kept = await finish(store, "replica-a", claimed)

    assert (len(taken), kept) == (2, 3)
    async with store.transaction() as tx:
        assert await tx.deliveries.count(1, DeliveryStatus.SENT) == 3
        assert await tx.deliveries.count(1, DeliveryStatus.SENDING) == 2  # replica-b's, untouched
    assert await finish(store, "replica-b", taken) == 2


async def test_a_batch_nobody_holds_any_more_reports_none_kept(store: SqlStore) -> None:
    await outbox(store, 3)
    claimed = await claim(store, "replica-a", NOW)
    await claim(store, "replica-b", NOW + LEASE + timedelta(seconds=1))

    assert await finish(store, "replica-a", claimed) == 0


@pytest.fixture
async def world(store: SqlStore) -> World:
    async with store.transaction() as tx:
        school = await tx.schools.create("Hill Top", timezone="Europe/London")
        await tx.schools.link_workspace(school.id, "test", "T1")
    return World(store, FixedClock(TUESDAY_1530), InMemoryMessenger(), school)


async def test_a_normal_tick_warns_of_no_lost_lease(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(4):
        await world.add(f"U{n}")

    with caplog.at_level(logging.WARNING):
        report = await world.tick(TUESDAY_1530)

    assert report.sent == 4
    assert "lost their lease" not in caplog.text

"""Three replicas ticking together on PostgreSQL on the day a step is due its "did it work?":
the person is asked once, and the step counts one follow-up."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FixedClock
from bot.ports import NewPerson
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
from storage.store import SqlStore

pytestmark = pytest.mark.postgres

DUE_DAY = datetime(2026, 12, 8, 15, 30, tzinfo=UTC)  # ten school days after 24 November


async def test_three_replicas_ask_how_it_went_once(replica_engines: list[AsyncEngine]) -> None:
    store = SqlStore(replica_engines[0])
    async with store.transaction() as tx:
        school = await tx.schools.create("Replica High", timezone="Europe/London")
        person = await tx.people.create(NewPerson(school.id, "test", "T1", "U1", "Sam"), at=DUE_DAY)
        await tx.people.mark_welcomed(person.id, DUE_DAY)
        entry = await tx.improvements.add(
            person_id=person.id,
            school_id=school.id,
            text="Exit tickets before the bell",
            local_date=date(2026, 11, 24),
            at=DUE_DAY,
        )
    messenger, clock = InMemoryMessenger(), FixedClock(DUE_DAY)

    await asyncio.gather(
        *(
            Scheduler(SqlStore(e), messenger, clock, worker=f"replica-{n}").tick(DUE_DAY)
            for n, e in enumerate(replica_engines)
        )
    )

    asked = [m for m in messenger.to("U1") if "How did it go?" in m.content.fallback]
    assert len(asked) == 1
    async with store.transaction() as tx:
        found = await tx.improvements.get(entry.id)
    assert found is not None
    assert found.followups == 1

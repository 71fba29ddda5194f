"""A school with people, a fixed clock and a recording messenger, over real storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.model import Actor
from bot.ports import NewPerson, Person, School, Store
from bot.schedule import ScheduleConfig, Scheduler, TickReport
from bot.testing import InMemoryMessenger

# Tuesday 24 November 2026, in term in England; London is on GMT (UTC+0).
TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


@dataclass
class World:
    store: Store
    clock: FixedClock
    messenger: InMemoryMessenger
    school: School

    def scheduler(
        self, worker: str = "worker-1", config: ScheduleConfig | None = None
    ) -> Scheduler:
        return Scheduler(
            self.store, self.messenger, self.clock, worker=worker, config=config or ScheduleConfig()
        )

    async def tick(self, at: datetime | None = None) -> TickReport:
        if at is not None:
            self.clock.set(at)
        return await self.scheduler().tick(self.clock.now())

    async def add(self, user_id: str, timezone: str | None = None) -> Person:
        async with self.store.transaction() as tx:
            return await tx.people.create(
                NewPerson(
                    school_id=self.school.id,
                    platform="test",
                    workspace_id="T1",
                    user_id=user_id,
                    display_name=user_id,
                    timezone=timezone,
                ),
                at=self.clock.now(),
            )

    def received(self, user_id: str) -> list[str]:
        return [m.content.fallback for m in self.messenger.to(user_id)]


def actor(user_id: str) -> Actor:
    return Actor("test", "T1", user_id, user_id)


@pytest.fixture
async def world(store: Store) -> World:
    async with store.transaction() as tx:
        school = await tx.schools.create("Hill Top", timezone="Europe/London")
        await tx.schools.link_workspace(school.id, "test", "T1")
    return World(store, FixedClock(TUESDAY_1530), InMemoryMessenger(), school)

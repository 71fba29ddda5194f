"""Weekly digests through the outbox, and the daily retention job (issue 13 §2-3)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from bot.model import ChannelPost
from bot.ports import Role
from tests.bot.schedule.conftest import World

FRIDAY_1605 = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)  # the week's last school day, after 16:00
FRIDAY_1500 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
THURSDAY_1605 = datetime(2026, 11, 26, 16, 5, tzinfo=UTC)


async def channel_digest(world: World) -> None:
    async with world.store.transaction() as tx:
        await tx.digests.subscribe(
            world.school.id, "test", "T1", at=world.clock.now(), channel_id="C-leaders"
        )


def posts(world: World) -> list[ChannelPost]:
    return [a for a in world.messenger.sent if isinstance(a, ChannelPost)]


async def test_a_channel_gets_the_digest_on_the_last_school_day(world: World) -> None:
    await world.add("ADA")
    await channel_digest(world)

    await world.tick(FRIDAY_1605)

    [post] = posts(world)
    assert post.channel_id == "C-leaders"
    assert "Hill Top" in post.content.fallback


async def test_no_digest_before_four_or_on_another_day(world: World) -> None:
    await channel_digest(world)

    await world.tick(THURSDAY_1605)
    await world.tick(FRIDAY_1500)

    assert posts(world) == []


async def test_three_replicas_deliver_the_digest_once(world: World) -> None:
    await channel_digest(world)
    world.clock.set(FRIDAY_1605)
    replicas = [world.scheduler(f"replica-{n}") for n in range(3)]

    await asyncio.gather(*(r.tick(FRIDAY_1605) for r in replicas))
    await asyncio.gather(*(r.tick(FRIDAY_1605) for r in replicas))

    assert len(posts(world)) == 1


async def test_a_leaders_own_digest_stops_when_they_stop_leading(world: World) -> None:
    lead = await world.add("LEAD")
    async with world.store.transaction() as tx:
        await tx.people.set_role(lead.id, world.school.id, Role.LEADER)
        await tx.digests.subscribe(
            world.school.id, "test", "T1", at=world.clock.now(), person_id=lead.id
        )
        await tx.people.set_role(lead.id, world.school.id, Role.STAFF)

    report = await world.tick(FRIDAY_1605)

    assert not [m for m in world.received("LEAD") if "Hill Top" in m]
    assert report.cancelled >= 1


async def test_retention_deletes_entries_older_than_the_schools_choice(world: World) -> None:
    ada = await world.add("ADA")
    async with world.store.transaction() as tx:
        for day in (date(2023, 11, 1), date(2025, 11, 1)):
            await tx.improvements.add(
                person_id=ada.id,
                school_id=world.school.id,
                text=f"on {day}",
                local_date=day,
                at=world.clock.now(),
            )
        await tx.schools.set_retention(world.school.id, 2 * 366)

    await world.tick()

    async with world.store.transaction() as tx:
        kept = [e.text for e in await tx.improvements.all_for(ada.id)]
    assert kept == ["on 2025-11-01"]


async def test_without_retention_everything_is_kept(world: World) -> None:
    ada = await world.add("ADA")
    async with world.store.transaction() as tx:
        await tx.improvements.add(
            person_id=ada.id,
            school_id=world.school.id,
            text="long ago",
            local_date=date(2016, 1, 4),
            at=world.clock.now(),
        )

    await world.tick()

    async with world.store.transaction() as tx:
        assert len(await tx.improvements.all_for(ada.id)) == 1

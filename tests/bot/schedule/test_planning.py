"""A big school is planned in chunks while delivery is already under way."""

from __future__ import annotations

import asyncio

from bot.schedule import Planning, ScheduleConfig
from tests.bot.schedule.conftest import TUESDAY_1530, World

IN_TWOS = ScheduleConfig(plan_chunk=2)


async def test_a_school_planned_in_chunks_asks_everyone_once(world: World) -> None:
    for n in range(5):
        await world.add(f"U{n}")

    report = await world.scheduler(config=IN_TWOS).tick(TUESDAY_1530)

    assert (report.planned, report.sent) == (5, 5)
    assert all(len(world.received(f"U{n}")) == 1 for n in range(5))


async def test_deliverers_wait_for_planning_to_finish(world: World) -> None:
    for n in range(5):
        await world.add(f"U{n}")
    scheduler = world.scheduler(config=IN_TWOS)
    planning = Planning()

    delivering = asyncio.create_task(scheduler.deliver(TUESDAY_1530, planning))
    await scheduler.plan(TUESDAY_1530, planning=planning)
    planning.finish()

    assert (await delivering).sent == 5


async def test_planning_moves_on_with_each_chunk_written(world: World) -> None:
    for n in range(5):
        await world.add(f"U{n}")
    planning = Planning()

    await world.scheduler(config=IN_TWOS).plan(TUESDAY_1530, planning=planning)

    assert (planning.progress, planning.finished) == (3, False)


async def test_a_second_tick_plans_nothing_new_after_a_chunked_one(world: World) -> None:
    for n in range(5):
        await world.add(f"U{n}")
    await world.scheduler(config=IN_TWOS).tick(TUESDAY_1530)

    again = await world.scheduler(config=IN_TWOS).tick(TUESDAY_1530)

    assert (again.planned, again.sent) == (0, 0)

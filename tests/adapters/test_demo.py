"""The demo school: believable, on school days only, and loaded once."""

from __future__ import annotations

from datetime import timedelta

from adapters.demo import DEMO_SCHOOL, load_demo
from bot.clock import FixedClock
from bot.ports import Store


async def test_the_demo_has_a_dozen_staff_in_two_time_zones(
    store: Store, clock: FixedClock
) -> None:
    result = await load_demo(store, clock)

    async with store.transaction() as tx:
        people = await tx.people.in_school(result.school_id)
    assert len(people) == 12
    assert {p.timezone for p in people} == {"Europe/London", "America/New_York"}


async def test_demo_improvements_fall_on_school_days_in_the_last_weeks(
    store: Store, clock: FixedClock
) -> None:
    result = await load_demo(store, clock)

    async with store.transaction() as tx:
        people = await tx.people.in_school(result.school_id)
        days = set()
        for person in people:
            days |= await tx.improvements.dates_for(
                person.id, since=clock.now().date() - timedelta(days=60)
            )
    assert result.improvements > 100
    assert all(day.weekday() < 5 for day in days)


async def test_loading_the_demo_twice_leaves_one_school(store: Store, clock: FixedClock) -> None:
    await load_demo(store, clock)
    again = await load_demo(store, clock)

    async with store.transaction() as tx:
        names = [s.name for s in await tx.schools.all()]
    assert not again.created
    assert names.count(DEMO_SCHOOL) == 1

"""One gentle reminder for those who haven't answered; a weekly note for those who logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.conversation import Conversation
from bot.model import Message, Place
from tests.bot.chat import handled
from tests.bot.schedule.conftest import TUESDAY_1530, World, actor

REMINDER = "A gentle reminder"
FRIDAY_1530 = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)


def reminders(messages: list[str]) -> int:
    return sum(REMINDER in m for m in messages)


async def answer(world: World, user_id: str, text: str = "Tidied the library") -> None:
    await handled(
        Conversation(world.store, world.clock), Message(actor(user_id), Place("D"), f"log {text}")
    )


async def test_a_reminder_goes_two_hours_later_to_someone_who_has_not_answered(
    world: World,
) -> None:
    await world.add("U1")
    await world.tick(TUESDAY_1530)

    await world.tick(TUESDAY_1530 + timedelta(hours=2))

    assert reminders(world.received("U1")) == 1


async def test_no_reminder_before_the_delay(world: World) -> None:
    await world.add("U1")
    await world.tick(TUESDAY_1530)

    await world.tick(TUESDAY_1530 + timedelta(minutes=119))

    assert reminders(world.received("U1")) == 0


async def test_someone_who_answered_gets_no_reminder(world: World) -> None:
    await world.add("U1")
    await world.tick(TUESDAY_1530)
    world.clock.advance(timedelta(minutes=10))
    await answer(world, "U1")

    await world.tick(TUESDAY_1530 + timedelta(hours=2))

    assert reminders(world.received("U1")) == 0


async def test_never_more_than_one_reminder(world: World) -> None:
    await world.add("U1")
    await world.tick(TUESDAY_1530)

    for minutes in (120, 121, 180, 300):
        await world.tick(TUESDAY_1530 + timedelta(minutes=minutes))

    assert reminders(world.received("U1")) == 1


async def test_reminders_can_be_turned_off(world: World) -> None:
    await world.add("U1")
    async with world.store.transaction() as tx:
        await tx.calendars.set_schedule(world.school.id, reminder_minutes=None)
    await world.tick(TUESDAY_1530)

    await world.tick(TUESDAY_1530 + timedelta(hours=3))

    assert reminders(world.received("U1")) == 0


async def test_the_weekly_note_comes_on_the_last_school_day_to_those_who_logged(
    world: World,
) -> None:
    await world.add("Keen")
    await world.add("Quiet")
    world.clock.set(TUESDAY_1530)
    await answer(world, "Keen")
    world.clock.set(FRIDAY_1530)
    await answer(world, "Keen", "Another one")

    await world.tick(FRIDAY_1530 + timedelta(hours=3))

    keen = [m for m in world.received("Keen") if "This week you logged" in m]
    assert keen == ["This week you logged 2 small steps. Lovely work. Have a restful weekend!"]
    assert not [m for m in world.received("Quiet") if "This week" in m]


async def test_no_weekly_note_before_the_last_school_day(world: World) -> None:
    await world.add("Keen")
    world.clock.set(TUESDAY_1530)
    await answer(world, "Keen")

    await world.tick(TUESDAY_1530 + timedelta(hours=4))

    assert not [m for m in world.received("Keen") if "This week" in m]


async def test_the_weekly_note_can_be_turned_off_by_the_person(world: World) -> None:
    person = await world.add("Keen")
    async with world.store.transaction() as tx:
        await tx.people.set_preferences(person.id, weekly_note=False)
    world.clock.set(FRIDAY_1530)
    await answer(world, "Keen")

    await world.tick(FRIDAY_1530 + timedelta(hours=3))

    assert not [m for m in world.received("Keen") if "This week" in m]

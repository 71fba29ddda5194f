"""Who is nudged, when: once per school day at their local nudge time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.model import DirectMessage, Message, Place
from bot.ports import Closure, Status, Term
from bot.schedule import Decision
from tests.bot.chat import handled
from tests.bot.schedule.conftest import TUESDAY_1530, World, actor

ASKED = "What's one small thing you improved today?"


def asked(messages: list[str]) -> int:
    return sum(ASKED in m for m in messages)


async def test_nobody_is_nudged_before_their_nudge_time(world: World) -> None:
    await world.add("U1")

    await world.tick(TUESDAY_1530 - timedelta(minutes=1))

    assert world.received("U1") == []


async def test_a_person_is_nudged_at_their_schools_nudge_time(world: World) -> None:
    await world.add("U1")

    report = await world.tick(TUESDAY_1530)

    assert asked(world.received("U1")) == 1
    assert (report.planned, report.sent) == (1, 1)


async def test_ticking_again_the_same_day_sends_nothing_more(world: World) -> None:
    await world.add("U1")
    await world.tick(TUESDAY_1530)

    await world.tick(TUESDAY_1530 + timedelta(minutes=1))
    await world.tick(TUESDAY_1530 + timedelta(minutes=30))

    assert asked(world.received("U1")) == 1


async def test_the_first_nudge_carries_the_welcome_in_the_same_message(world: World) -> None:
    await world.add("U1")

    await world.tick(TUESDAY_1530)

    [message] = world.received("U1")
    assert message.startswith("Welcome to Tiny Steps")
    assert ASKED in message


async def test_the_delivered_row_remembers_the_platform_message_id(world: World) -> None:
    person = await world.add("U1")
    await world.tick(TUESDAY_1530)

    async with world.store.transaction() as tx:
        nudge = await tx.nudges.for_day(person.id, date(2026, 11, 24))

    assert nudge is not None
    assert nudge.message_id == "m1"


async def test_a_person_is_nudged_in_their_own_time_zone(world: World) -> None:
    await world.add("NY", timezone="America/New_York")

    await world.tick(TUESDAY_1530)
    assert world.received("NY") == []
    await world.tick(datetime(2026, 11, 24, 20, 30, tzinfo=UTC))  # 15:30 in New York

    assert asked(world.received("NY")) == 1


async def test_a_personal_nudge_time_overrides_the_schools(world: World) -> None:
    person = await world.add("U1")
    async with world.store.transaction() as tx:
        await tx.people.set_preferences(person.id, nudge_time=time(8, 0))

    await world.tick(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))

    assert asked(world.received("U1")) == 1


async def test_nobody_is_nudged_at_the_weekend(world: World) -> None:
    await world.add("U1")

    await world.tick(datetime(2026, 11, 28, 15, 30, tzinfo=UTC))  # Saturday

    assert world.received("U1") == []


async def test_nobody_is_nudged_on_a_public_holiday(world: World) -> None:
    await world.add("U1")

    await world.tick(datetime(2026, 12, 25, 15, 30, tzinfo=UTC))  # Christmas Day, a Friday

    assert world.received("U1") == []


async def test_nobody_is_nudged_outside_term(world: World) -> None:
    await world.add("U1")
    async with world.store.transaction() as tx:
        await tx.calendars.add_terms(world.school.id, [Term(date(2026, 9, 3), date(2026, 11, 20))])

    await world.tick(TUESDAY_1530)

    assert world.received("U1") == []


async def test_nobody_is_nudged_on_a_closure_day(world: World) -> None:
    await world.add("U1")
    async with world.store.transaction() as tx:
        await tx.calendars.add_closures(
            world.school.id, [Closure(date(2026, 11, 24), date(2026, 11, 24), "INSET day")]
        )

    await world.tick(TUESDAY_1530)

    assert world.received("U1") == []


async def test_paused_and_opted_out_people_are_not_nudged(world: World) -> None:
    paused, stopped = await world.add("P"), await world.add("S")
    async with world.store.transaction() as tx:
        await tx.people.set_status(paused.id, Status.PAUSED, paused_until=date(2026, 11, 30))
        await tx.people.set_status(stopped.id, Status.OPTED_OUT)

    await world.tick(TUESDAY_1530)

    assert world.received("P") == world.received("S") == []


async def test_a_pause_that_ends_today_means_a_nudge_today(world: World) -> None:
    person = await world.add("P")
    async with world.store.transaction() as tx:
        await tx.people.set_status(person.id, Status.PAUSED, paused_until=date(2026, 11, 24))

    await world.tick(TUESDAY_1530)

    assert asked(world.received("P")) == 1


async def test_someone_who_logged_already_today_is_not_nudged(world: World) -> None:
    await world.add("U1")
    conversation = Conversation(world.store, FixedClock(TUESDAY_1530 - timedelta(hours=5)))
    await handled(conversation, Message(actor("U1"), Place("D1"), "log early bird"))

    await world.tick(TUESDAY_1530)

    assert world.received("U1") == []


async def test_the_answer_to_a_scheduled_nudge_is_logged_as_today(world: World) -> None:
    await world.add("U1")
    await world.tick(TUESDAY_1530)
    conversation = Conversation(world.store, world.clock)

    out = await handled(conversation, Message(actor("U1"), Place("D1"), "Tidier cloakroom"))

    assert any(isinstance(a, DirectMessage) and "Logged" in a.content.fallback for a in out)


async def test_dry_run_explains_and_writes_nothing(world: World) -> None:
    await world.add("U1")
    stopped = await world.add("S")
    async with world.store.transaction() as tx:
        await tx.people.set_status(stopped.id, Status.OPTED_OUT)
    decisions: list[Decision] = []

    await world.scheduler().plan(TUESDAY_1530, decisions, dry_run=True)
    report = await world.scheduler().deliver(TUESDAY_1530)

    reasons = {d.name: d.reason for d in decisions}
    assert reasons == {"U1": "due now", "S": "opted out"}
    assert report.sent == 0
    assert world.messenger.sent == []


async def test_dry_run_names_the_holiday(world: World) -> None:
    await world.add("U1")
    decisions: list[Decision] = []

    await world.scheduler().plan(datetime(2026, 12, 25, 16, 0, tzinfo=UTC), decisions, dry_run=True)

    assert "Christmas" in decisions[0].reason

"""Delivery: rate limits defer, failures retry, and a crashed claim is checked before resending."""

from __future__ import annotations

from datetime import date, timedelta

from bot.conversation.replies import prompt
from bot.model import Content, DirectMessage
from bot.ports import Delivery, Unreachable
from bot.schedule import ScheduleConfig, Scheduler
from tests.bot.schedule.conftest import TUESDAY_1530, World, actor

ASKED = "What's one small thing you improved today?"


class Refusing:
    """A platform that answers every send with `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    async def send(self, action: object) -> str | None:
        self.calls += 1
        raise self.error

    async def find(self, recipient: object, key: str) -> str | None:
        return None

    async def find_post(self, post: object) -> str | None:
        return None


def broken() -> Refusing:
    """A platform that is down."""
    return Refusing(ConnectionError("platform unreachable"))


def not_installed() -> Refusing:
    """A platform that won't let the bot message this person (Teams, before they add the app)."""
    return Refusing(Unreachable("app not installed for them"))


async def test_a_rate_limited_message_is_deferred_not_lost(world: World) -> None:
    await world.add("U1")
    world.messenger.rate_limit_next = 1

    first = await world.tick(TUESDAY_1530)
    second = await world.tick(TUESDAY_1530 + timedelta(seconds=30))

    assert (first.deferred, first.sent) == (1, 0)
    assert second.sent == 1
    assert len(world.received("U1")) == 1


async def test_a_deferred_message_waits_for_retry_after(world: World) -> None:
    await world.add("U1")
    world.messenger.rate_limit_next = 1
    world.messenger.retry_after = 120

    await world.tick(TUESDAY_1530)
    early = await world.tick(TUESDAY_1530 + timedelta(seconds=60))

    assert early.sent == 0


async def test_one_rate_limit_does_not_hold_up_everyone_else(world: World) -> None:
    for n in range(5):
        await world.add(f"U{n}")
    world.messenger.rate_limit_next = 1

    report = await world.tick(TUESDAY_1530)

    assert (report.sent, report.deferred) == (4, 1)


async def test_a_failing_platform_is_retried_then_given_up(world: World) -> None:
    await world.add("U1")
    broken_platform = broken()
    config = ScheduleConfig(max_attempts=3)

    scheduler = Scheduler(world.store, broken_platform, world.clock, worker="w", config=config)
    outcomes = []
    for minutes in (0, 1, 3, 7, 15):
        outcomes.append(await scheduler.tick(TUESDAY_1530 + timedelta(minutes=minutes)))

    assert broken_platform.calls == 3
    assert [o.failed for o in outcomes].count(1) == 1


async def test_someone_the_platform_cannot_reach_is_not_retried_that_day(world: World) -> None:
    await world.add("U1")
    platform = not_installed()

    scheduler = Scheduler(world.store, platform, world.clock, worker="w")
    first = await scheduler.tick(TUESDAY_1530)
    later = [await scheduler.tick(TUESDAY_1530 + timedelta(minutes=m)) for m in (1, 5, 30)]

    assert (first.unreachable, first.deferred, first.failed) == (1, 0, 0)
    assert platform.calls == 1
    assert all(report.planned == 0 for report in later)


async def test_someone_unreachable_is_asked_again_the_next_school_day(world: World) -> None:
    await world.add("U1")

    await Scheduler(world.store, not_installed(), world.clock, worker="w").tick(TUESDAY_1530)
    wednesday = await world.tick(TUESDAY_1530 + timedelta(days=1))

    assert wednesday.sent == 1
    assert len(world.received("U1")) == 1


async def _claim_and_die(world: World) -> list[Delivery]:
    """A deliverer that claimed today's rows and died before recording anything."""
    await world.scheduler().plan(TUESDAY_1530)
    async with world.store.transaction() as tx:
        claimed = await tx.deliveries.claim(
            "dead-worker",
            now=TUESDAY_1530,
            lease_until=TUESDAY_1530 + timedelta(minutes=5),
            limit=10,
        )
    assert claimed
    return list(claimed)


async def test_a_live_claim_is_left_alone(world: World) -> None:
    await world.add("U1")
    await _claim_and_die(world)

    report = await world.tick(TUESDAY_1530 + timedelta(minutes=1))

    assert report.sent == 0
    assert world.received("U1") == []


async def test_an_expired_claim_that_never_sent_is_sent_once(world: World) -> None:
    await world.add("U1")
    await _claim_and_die(world)

    report = await world.tick(TUESDAY_1530 + timedelta(minutes=6))

    assert report.sent == 1
    assert sum(ASKED in m for m in world.received("U1")) == 1


async def test_an_expired_claim_that_did_send_is_recorded_not_resent(world: World) -> None:
    person = await world.add("U1")
    [row] = await _claim_and_die(world)
    async with world.store.transaction() as tx:
        nudge = await tx.nudges.for_day(person.id, date(2026, 11, 24))
    assert nudge is not None
    # The dead worker's message did reach the person before it died.
    world.messenger.sent.append(DirectMessage(actor("U1"), _content(), nudge.id, key=row.key))

    report = await world.tick(TUESDAY_1530 + timedelta(minutes=6))

    assert (report.recovered, report.sent) == (1, 0)
    assert len(world.received("U1")) == 1


async def test_a_sent_row_is_marked_sent(world: World) -> None:
    await world.add("U1")

    await world.tick(TUESDAY_1530)

    async with world.store.transaction() as tx:
        left = await tx.deliveries.claim(
            "w2", now=TUESDAY_1530 + timedelta(days=1), lease_until=TUESDAY_1530, limit=10
        )
    assert left == []


def _content() -> Content:
    return prompt(1)

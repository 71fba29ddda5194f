"""The outbox side of a graceful stop, in one process: a stopping store claims nothing more,
releasing hands its rows back for anyone to take at once, and the clock's tick under way gets
its grace period and is then cut short. `test_sigterm.py` does it to real `serve` processes.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters import server
from adapters.scheduling import Ticker
from adapters.web.messenger import WebMessenger
from bot.clock import FixedClock, SystemClock
from bot.model import Actor, Content, DirectMessage
from bot.ports import DeliveryStatus
from bot.schedule import Scheduler
from storage.shutdown import StoppableStore
from storage.store import SqlStore
from tests.deploy.outbox import due_rows

LEASE = timedelta(minutes=5)


async def test_a_stopping_store_claims_nothing_more_while_other_replicas_still_do(
    engine: AsyncEngine,
) -> None:
    stopping, other = StoppableStore(engine), SqlStore(engine)
    await due_rows(other, 3)
    now = datetime.now(UTC)

    stopping.stop_claiming()

    async with stopping.transaction() as tx:
        assert (
            await tx.deliveries.claim("stopping", now=now, lease_until=now + LEASE, limit=9) == []
        )
    async with other.transaction() as tx:
        taken = await tx.deliveries.claim("other", now=now, lease_until=now + LEASE, limit=9)
    assert len(taken) == 3


async def test_release_hands_back_only_this_workers_rows_for_anyone_to_take_at_once(
    engine: AsyncEngine,
) -> None:
    store = StoppableStore(engine)
    await due_rows(store, 4)
    now = datetime.now(UTC)
    async with store.transaction() as tx:
        mine = await tx.deliveries.claim("stopping", now=now, lease_until=now + LEASE, limit=3)
        theirs = await tx.deliveries.claim("other", now=now, lease_until=now + LEASE, limit=3)

    released = await store.release("stopping")

    assert (released, len(theirs)) == (3, 1)
    async with store.transaction() as tx:  # at once, not when the five-minute lease runs out
        again = await tx.deliveries.claim("next", now=now, lease_until=now + LEASE, limit=9)
    assert sorted(d.id for d in again) == sorted(d.id for d in mine)
    assert {d.attempts for d in again} == {2}, "the next deliverer asks the platform first"


async def owe(store: SqlStore, event_id: str, *, worker: str, now: datetime) -> int:
    """A reply owed to an event, held by `worker` for a minute."""
    reply = DirectMessage(Actor("web", "w1", "u1"), Content((), "Logged"))
    async with store.transaction() as tx:
        return await tx.replies.owe(
            "web", event_id, [reply], worker=worker, at=now, until=now + timedelta(minutes=1)
        )


async def test_a_stopping_store_sweeps_up_no_owed_replies(engine: AsyncEngine) -> None:
    stopping = StoppableStore(engine)
    now = datetime.now(UTC)
    await owe(stopping, "Ev1", worker="gone", now=now - timedelta(minutes=5))

    stopping.stop_claiming()

    async with stopping.transaction() as tx:
        assert await tx.replies.claim("stopping", now=now, until=now + LEASE, limit=9) == []


async def test_release_hands_back_this_workers_owed_replies_for_anyone_to_send_at_once(
    engine: AsyncEngine,
) -> None:
    store = StoppableStore(engine)
    now = datetime.now(UTC)
    mine = await owe(store, "Ev1", worker="stopping", now=now)
    await owe(store, "Ev2", worker="other", now=now)

    assert await store.release("stopping") == 1

    async with store.transaction() as tx:  # at once, not when the lease runs out
        again = await tx.replies.claim("next", now=now, until=now + LEASE, limit=9)
    assert [(reply.id, reply.attempts) for reply in again] == [(mine, 2)]


class Stuck:
    """A platform that accepts the connection and never answers."""

    def __init__(self) -> None:
        self.sending = asyncio.Event()
        self.sent: list[str] = []

    async def send(self, message: object) -> str:
        self.sending.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def find(self, *_: object) -> str | None:
        return None

    async def find_post(self, *_: object) -> str | None:
        return None


async def test_a_tick_still_sending_after_the_grace_period_is_cut_short_and_handed_back(
    engine: AsyncEngine,
) -> None:
    store = StoppableStore(engine)
    due = await due_rows(store, 3)
    platform = Stuck()
    scheduler = Scheduler(store, platform, SystemClock(), worker="stopping")
    ticker = Ticker(scheduler, SystemClock())
    tick = asyncio.create_task(ticker.tick())
    await platform.sending.wait()

    store.stop_claiming()
    cut = await ticker.stop(grace=0.1)
    released = await store.release("stopping")

    assert (cut, released) == (1, len(due.people))
    await tick  # APScheduler's job ends quietly: a cut tick is not a failure
    async with store.transaction() as tx:
        assert await tx.deliveries.count(due.school_id, DeliveryStatus.PENDING) == 3


async def test_a_tick_under_way_may_finish_within_the_grace_period(engine: AsyncEngine) -> None:
    store = StoppableStore(engine)
    due = await due_rows(store, 3)
    clock = FixedClock(datetime.now(UTC))
    scheduler = Scheduler(store, WebMessenger(store, clock), clock, worker="stopping")
    ticker = Ticker(scheduler, clock)
    tick = asyncio.create_task(ticker.tick())
    await asyncio.sleep(0)  # the tick has begun

    cut = await ticker.stop(grace=30)
    await tick

    assert cut == 0
    async with store.transaction() as tx:
        assert await tx.deliveries.count(due.school_id, DeliveryStatus.SENT) == 3


def test_the_shutdown_budget_fits_in_docker_s_10_s() -> None:
    """Requests and sends under way, then closing, then handing back, with a second or two
    left for the interpreter to exit before Docker's SIGKILL."""
    assert server.GRACE_SECONDS < server.STOP_SECONDS
    assert server.STOP_SECONDS + server.RELEASE_SECONDS <= 8

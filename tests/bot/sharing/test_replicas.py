"""Three replicas on one PostgreSQL, each with its own connection pool: votes counted at once
make one standout and one question, and deliverers racing each other post once per target."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.conversation import Conversation
from bot.model import Place, Reaction
from bot.schedule import Scheduler
from storage.store import SqlStore
from tests.bot.sharing.conftest import MATHS, RIVERSIDE, SCIENCE, SHOWCASE, Staffroom

pytestmark = pytest.mark.postgres

ROUNDS = 6


@pytest.fixture
def store(replica_engines: list[AsyncEngine]) -> SqlStore:
    """The first replica's store: the staffroom is set up through it."""
    return SqlStore(replica_engines[0])


async def test_votes_on_three_replicas_at_once_make_one_question_each(
    room: Staffroom, replica_engines: list[AsyncEngine]
) -> None:
    replicas = [Conversation(SqlStore(e), room.clock) for e in replica_engines]
    voters = (room.ben, room.cat, room.dl)  # the threshold, exactly: each vote may be last
    for n in range(ROUNDS):  # a race lost once in a few tries is caught here
        entry = await room.shared(room.ana, f"Exit tickets, take {n}")
        message = await room.message_of(entry, MATHS)

        await asyncio.gather(
            *(
                replica.handle(
                    Reaction(v.actor, Place(MATHS, is_direct=False), message, "clap", True)
                )
                for replica, v in zip(replicas, voters, strict=True)
            )
        )
    await room.deliver()

    questions = [m for m in room.dms(room.ana) if "May it travel" in m.content.fallback]
    assert len(questions) == ROUNDS


async def test_deliverers_on_three_replicas_post_once_per_target(
    room: Staffroom, replica_engines: list[AsyncEngine]
) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")
    await room.votes_for(entry, room.ben, room.cat, room.dl)
    await room.deliver()
    await room.ana.press("consent_named", str(entry))

    await asyncio.gather(
        *(
            Scheduler(SqlStore(e), room.messenger, room.clock, worker=f"replica-{n}").deliver(
                room.clock.now()
            )
            for n, e in enumerate(replica_engines)
        )
    )

    posted = Counter(p.channel_id for p in room.messenger.sent if hasattr(p, "channel_id"))
    assert posted == {MATHS: 1, SHOWCASE: 1, SCIENCE: 1, RIVERSIDE: 1}

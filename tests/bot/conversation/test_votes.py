"""Reactions on a broadcast improvement count as votes: once per person, never the author's."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.model import Actor, Place, Reaction
from bot.ports import Store
from tests.bot.chat import Chat, actor, handled, person_of
from tests.posts import posted

BROADCAST = "C-showcase:1764000000.000100"


@pytest.fixture
async def broadcast(chat: Chat, store: Store, clock: FixedClock) -> int:
    """The chat person's improvement, reposted to a showcase channel."""
    await chat.say("log Swapped homework to Mondays")
    async with store.transaction() as tx:
        entry = await tx.improvements.last_for(await person_of(store, chat.actor))
        assert entry is not None
        await posted(
            tx,
            entry,
            platform="test",
            workspace_id="T1",
            channel_id="C-showcase",
            message_id=BROADCAST,
            at=clock.now(),
        )
    return entry.id


async def react(
    conversation: Conversation,
    who: Actor,
    *,
    emoji: str = "clap",
    added: bool = True,
    message: str = BROADCAST,
    event_id: str | None = None,
) -> None:
    await handled(
        conversation,
        Reaction(who, Place("C-showcase", is_direct=False), message, emoji, added, event_id),
    )


async def votes(store: Store, improvement_id: int) -> int:
    async with store.transaction() as tx:
        return await tx.votes.count(improvement_id)


async def test_a_colleagues_reaction_is_a_vote(
    broadcast: int, conversation: Conversation, store: Store
) -> None:
    await react(conversation, actor("U2"))

    assert await votes(store, broadcast) == 1


async def test_two_emoji_from_one_person_are_one_vote(
    broadcast: int, conversation: Conversation, store: Store
) -> None:
    await react(conversation, actor("U2"), emoji="clap")
    await react(conversation, actor("U2"), emoji="star")

    assert await votes(store, broadcast) == 1


async def test_a_removed_reaction_takes_its_vote_back(
    broadcast: int, conversation: Conversation, store: Store
) -> None:
    await react(conversation, actor("U2"))

    await react(conversation, actor("U2"), added=False)

    assert await votes(store, broadcast) == 0


async def test_the_author_cannot_vote_for_their_own_step(
    broadcast: int, chat: Chat, conversation: Conversation, store: Store
) -> None:
    await react(conversation, chat.actor)

    assert await votes(store, broadcast) == 0


async def test_a_repeated_reaction_event_counts_once(
    broadcast: int, conversation: Conversation, store: Store
) -> None:
    await react(conversation, actor("U2"), event_id="Ev1")
    await react(conversation, actor("U2"), event_id="Ev1", added=False)

    assert await votes(store, broadcast) == 1


async def test_reactions_on_other_messages_are_not_votes(
    broadcast: int, conversation: Conversation, store: Store
) -> None:
    await react(conversation, actor("U2"), message="C-general:1.0")

    assert await votes(store, broadcast) == 0

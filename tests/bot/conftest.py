"""Fixtures for core tests: a fixed clock, a conversation over real storage, a chat helper."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.model import DirectMessage
from bot.ports import Store
from tests.bot.chat import TUESDAY, Chat, actor, person_of


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TUESDAY)


@pytest.fixture
def conversation(store: Store, clock: FixedClock) -> Conversation:
    return Conversation(store, clock)


@pytest.fixture
async def chat(conversation: Conversation) -> Chat:
    """A person already welcomed, so tests see only the reply they are about."""
    talk = Chat(conversation, actor())
    await talk.say("help")
    return talk


@pytest.fixture
async def prompted(chat: Chat, store: Store, conversation: Conversation) -> Chat:
    """A person whose prompt for today has been sent and waits for an answer."""
    out = await conversation.prompt(await person_of(store, chat.actor))
    nudge_ids = [a.nudge_id for a in out if isinstance(a, DirectMessage) and a.nudge_id]
    await conversation.prompt_delivered(nudge_ids[0], "prompt-1")
    return chat

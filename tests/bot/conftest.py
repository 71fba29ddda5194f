"""Fixtures for core tests: a fixed clock, a conversation over real storage, a chat helper."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.ports import Store
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
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
def messenger() -> InMemoryMessenger:
    """Records what the schedule sends; its first message gets the id "m1"."""
    return InMemoryMessenger()


@pytest.fixture
def scheduler(store: Store, messenger: InMemoryMessenger, clock: FixedClock) -> Scheduler:
    return Scheduler(store, messenger, clock, worker="test")


@pytest.fixture
async def prompted(chat: Chat, store: Store, scheduler: Scheduler) -> Chat:
    """A person whose prompt for today has been sent (as message "m1") and waits for an answer."""
    assert await scheduler.ask_now(await person_of(store, chat.actor)) is None
    return chat

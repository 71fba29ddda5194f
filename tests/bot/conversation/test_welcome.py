"""Adding Tiny Steps for yourself gets a hello at once, and only once."""

from __future__ import annotations

from bot import texts
from bot.conversation import Conversation
from bot.model import DirectMessage
from bot.ports import Store
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
from tests.bot.chat import actor, person_of


async def test_someone_who_adds_the_app_is_welcomed_at_once(conversation: Conversation) -> None:
    [hello] = await conversation.welcome(actor("U9"))

    assert isinstance(hello, DirectMessage)
    assert hello.content.fallback.startswith("Welcome")


async def test_the_welcome_is_said_once(conversation: Conversation) -> None:
    await conversation.welcome(actor("U9"))

    assert await conversation.welcome(actor("U9")) == []


async def test_the_first_question_after_a_welcome_comes_on_its_own(
    conversation: Conversation,
    store: Store,
    scheduler: Scheduler,
    messenger: InMemoryMessenger,
) -> None:
    await conversation.welcome(actor("U9"))

    await scheduler.ask_now(await person_of(store, actor("U9")))

    assert [a.content.fallback for a in messenger.sent if isinstance(a, DirectMessage)] == [
        texts.PROMPT_FALLBACK
    ]

"""Editing or deleting a message on the platform updates or removes the entry it logged."""

from __future__ import annotations

from bot.conversation import Conversation
from bot.model import Message, MessageDeleted, MessageEdited
from bot.ports import Store
from tests.bot.chat import DIRECT, Chat, entries_of, handled, said


async def answer(conversation: Conversation, chat: Chat, text: str, message_id: str) -> None:
    await handled(conversation, Message(chat.actor, DIRECT, text, message_id=message_id))


async def test_editing_the_message_edits_the_entry(
    prompted: Chat, conversation: Conversation, store: Store
) -> None:
    await answer(conversation, prompted, "Tidied the libary", "D:1.1")

    out = await handled(
        conversation, MessageEdited(prompted.actor, DIRECT, "D:1.1", "Tidied the library")
    )

    assert out == []
    assert await entries_of(store, prompted.actor) == ["Tidied the library"]


async def test_deleting_the_message_removes_the_entry_and_says_so(
    prompted: Chat, conversation: Conversation, store: Store
) -> None:
    await answer(conversation, prompted, "Oops, wrong chat", "D:1.2")

    out = await handled(conversation, MessageDeleted(prompted.actor, DIRECT, "D:1.2"))

    assert "Removed" in said(out)
    assert await entries_of(store, prompted.actor) == []


async def test_editing_a_message_that_logged_nothing_passes_quietly(
    chat: Chat, conversation: Conversation, store: Store
) -> None:
    out = await handled(conversation, MessageEdited(chat.actor, DIRECT, "D:9.9", "hello again"))

    assert out == []
    assert await entries_of(store, chat.actor) == []


async def test_an_edit_to_blank_is_refused_and_keeps_the_entry(
    prompted: Chat, conversation: Conversation, store: Store
) -> None:
    await answer(conversation, prompted, "Kept this", "D:1.3")

    out = await handled(conversation, MessageEdited(prompted.actor, DIRECT, "D:1.3", "   "))

    assert "didn't catch any words" in said(out)
    assert await entries_of(store, prompted.actor) == ["Kept this"]


async def test_an_edited_log_command_keeps_only_the_entry_words(
    chat: Chat, conversation: Conversation, store: Store
) -> None:
    await answer(conversation, chat, "log Tidied the reading corner", "D:1.4")

    await handled(
        conversation,
        MessageEdited(chat.actor, DIRECT, "D:1.4", "log Tidied the reading corner again"),
    )

    assert await entries_of(store, chat.actor) == ["Tidied the reading corner again"]


async def test_deleting_the_days_only_answer_reopens_the_day(
    prompted: Chat, conversation: Conversation, store: Store
) -> None:
    await answer(conversation, prompted, "Named a pupil by mistake", "D:1.5")
    await handled(conversation, MessageDeleted(prompted.actor, DIRECT, "D:1.5"))

    out = await prompted.say("Calmer start to the lesson")

    assert "Logged" in said(out)
    assert await entries_of(store, prompted.actor) == ["Calmer start to the lesson"]

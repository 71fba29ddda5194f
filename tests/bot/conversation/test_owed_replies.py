"""What the core says back is owed until sent (issue 16 §4): a crash between storing an event
and answering it loses no reply, and a retry or a sweep sends it exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.conversation.owed import LEASE, MAX_ATTEMPTS, Answer
from bot.model import DirectMessage, Message, Place, Reaction
from bot.ports import Store
from bot.testing import InMemoryMessenger
from tests.bot.chat import Chat, actor, entries_of

AFTER_THE_LEASE = LEASE + timedelta(seconds=1)


def logged(text: str, chat: Chat, event_id: str) -> Message:
    return Message(chat.actor, chat.place, f"log {text}", event_id=event_id)


def words(answer: Answer) -> list[str]:
    return [a.content.fallback for a in answer.actions if isinstance(a, DirectMessage)]


@pytest.fixture
def other_process(store: Store, clock: FixedClock) -> Conversation:
    """A second process on the same database, as after a restart or on another replica."""
    return Conversation(store, clock, worker="other-process")


async def test_the_answer_to_an_event_is_owed_until_it_is_sent(
    chat: Chat, conversation: Conversation, store: Store, clock: FixedClock
) -> None:
    answer = await conversation.handle(logged("Tidied the trays", chat, "Ev1"))

    assert answer.receipt is not None
    async with store.transaction() as tx:
        owed = await tx.replies.claim(
            "x", now=clock.now() + AFTER_THE_LEASE, until=clock.now(), limit=9
        )
    assert [reply.id for reply in owed] == [answer.receipt]


async def test_nothing_is_owed_once_the_answer_is_sent(
    chat: Chat, conversation: Conversation, store: Store, clock: FixedClock
) -> None:
    answer = await conversation.handle(logged("Tidied the trays", chat, "Ev1"))

    await conversation.owed.sent(answer)

    async with store.transaction() as tx:
        owed = await tx.replies.claim(
            "x", now=clock.now() + AFTER_THE_LEASE, until=clock.now(), limit=9
        )
    assert owed == []


async def test_a_retried_event_whose_answer_never_went_out_gets_it(
    chat: Chat, conversation: Conversation, other_process: Conversation, clock: FixedClock
) -> None:
    first = await conversation.handle(logged("Tidied the trays", chat, "Ev1"))  # then a crash
    clock.advance(AFTER_THE_LEASE)

    retried = await other_process.handle(logged("Tidied the trays", chat, "Ev1"))

    assert words(retried) == words(first)
    assert any(text.startswith("Logged") for text in words(retried))
    assert retried.attempts == 2


async def test_a_retried_event_whose_answer_went_out_gets_nothing(
    chat: Chat, conversation: Conversation, clock: FixedClock
) -> None:
    await conversation.owed.sent(await conversation.handle(logged("Trays", chat, "Ev1")))
    clock.advance(AFTER_THE_LEASE)

    retried = await conversation.handle(logged("Trays", chat, "Ev1"))

    assert retried.actions == []


async def test_a_retry_leaves_the_answer_to_the_sender_still_holding_it(
    chat: Chat, conversation: Conversation, other_process: Conversation
) -> None:
    await conversation.handle(logged("Trays", chat, "Ev1"))  # being sent, within its lease

    retried = await other_process.handle(logged("Trays", chat, "Ev1"))

    assert retried.actions == []


async def test_a_retried_event_is_stored_once_whatever_is_owed(
    chat: Chat,
    conversation: Conversation,
    other_process: Conversation,
    store: Store,
    clock: FixedClock,
) -> None:
    await conversation.handle(logged("Trays", chat, "Ev1"))
    clock.advance(AFTER_THE_LEASE)

    await other_process.handle(logged("Trays", chat, "Ev1"))

    assert await entries_of(store, chat.actor) == ["Trays"]


async def test_the_sweep_sends_what_a_dead_sender_owed_once(
    chat: Chat,
    conversation: Conversation,
    other_process: Conversation,
    messenger: InMemoryMessenger,
    clock: FixedClock,
) -> None:
    await conversation.handle(logged("Trays", chat, "Ev1"))  # then a crash
    clock.advance(AFTER_THE_LEASE)

    assert await other_process.owed.resend(messenger) == 1
    assert await other_process.owed.resend(messenger) == 0
    assert [m.content.fallback[:6] for m in messenger.to(chat.actor.user_id)] == ["Logged"]


async def test_the_sweep_leaves_answers_whose_sender_still_holds_them(
    chat: Chat,
    conversation: Conversation,
    other_process: Conversation,
    messenger: InMemoryMessenger,
) -> None:
    await conversation.handle(logged("Trays", chat, "Ev1"))

    assert await other_process.owed.resend(messenger) == 0
    assert messenger.sent == []


async def test_a_message_that_arrived_before_the_crash_is_not_sent_again(
    chat: Chat,
    conversation: Conversation,
    other_process: Conversation,
    messenger: InMemoryMessenger,
    clock: FixedClock,
) -> None:
    answer = await conversation.handle(logged("Trays", chat, "Ev1"))
    for action in answer.actions:  # sent, but the process died before saying so
        await messenger.send(action)
    clock.advance(AFTER_THE_LEASE)

    await other_process.owed.resend(messenger)

    assert len(messenger.sent) == len(answer.actions)


async def test_each_direct_message_of_an_answer_carries_its_own_key(
    conversation: Conversation,
) -> None:
    answer = await conversation.handle(
        Message(actor("U-new"), Place("D9"), "log First", event_id="E")
    )

    keys = [a.key for a in answer.actions if isinstance(a, DirectMessage)]
    assert len(keys) == 2  # the welcome, then "Logged"
    assert len(set(keys)) == 2
    assert all(key and key.startswith(f"reply-{answer.receipt}-") for key in keys)


async def test_a_failed_send_is_tried_again_after_a_while(
    chat: Chat,
    conversation: Conversation,
    messenger: InMemoryMessenger,
    clock: FixedClock,
) -> None:
    answer = await conversation.handle(logged("Trays", chat, "Ev1"))
    messenger.rate_limit_next = 1

    await conversation.owed.deliver(answer, messenger)

    assert await conversation.owed.resend(messenger) == 0  # not at once
    clock.advance(timedelta(seconds=messenger.retry_after + 1))
    assert await conversation.owed.resend(messenger) == 1
    assert [m.content.fallback[:6] for m in messenger.direct_messages()] == ["Logged"]


async def test_an_answer_that_keeps_failing_is_given_up(
    chat: Chat,
    conversation: Conversation,
    messenger: InMemoryMessenger,
    clock: FixedClock,
) -> None:
    answer = await conversation.handle(logged("Trays", chat, "Ev1"))
    messenger.rate_limit_next = MAX_ATTEMPTS

    await conversation.owed.deliver(answer, messenger)
    for _ in range(MAX_ATTEMPTS):
        clock.advance(timedelta(minutes=5))
        await conversation.owed.resend(messenger)

    clock.advance(timedelta(minutes=5))
    assert await conversation.owed.resend(messenger) == 0
    assert messenger.sent == []


async def test_a_rate_limit_is_waited_out_before_trying_again(
    chat: Chat, conversation: Conversation, clock: FixedClock
) -> None:
    answer = await conversation.handle(logged("Trays", chat, "Ev1"))
    busy = InMemoryMessenger(rate_limit_next=1, retry_after=600)

    await conversation.owed.deliver(answer, busy)
    clock.advance(timedelta(minutes=5))

    assert await conversation.owed.resend(busy) == 0
    clock.advance(timedelta(minutes=6))
    assert await conversation.owed.resend(busy) == 1


async def test_a_vote_owes_nothing(conversation: Conversation, chat: Chat) -> None:
    answer = await conversation.handle(Reaction(chat.actor, chat.place, "D:1.1", "clap"))

    assert answer == Answer([])


async def test_a_receipt_is_never_reused_once_its_reply_is_sent(
    chat: Chat, conversation: Conversation
) -> None:
    first = await conversation.handle(logged("Trays", chat, "Ev1"))
    await conversation.owed.sent(first)

    second = await conversation.handle(logged("Pegs", chat, "Ev2"))

    assert second.receipt != first.receipt  # its messages' keys must not match the first's

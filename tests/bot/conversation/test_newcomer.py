"""Rough edges a newcomer hit in the conversation (issue 11): each answer is short and useful."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.model import ButtonPress, FormSubmitted, Place
from bot.ports import Store
from tests.bot.chat import DIRECT, Chat, actor, buttons, entries_of, handled, said


@pytest.fixture
async def staff(conversation: Conversation, chat: Chat) -> Chat:
    """A second person in the admin's school: plain staff."""
    colleague = Chat(conversation, actor("U2"))
    await colleague.say("help")
    return colleague


async def test_forget_me_offers_to_keep_the_data(chat: Chat) -> None:
    out = await chat.say("forget me")

    assert set(buttons(out)) == {"forget_confirm", "forget_cancel"}


async def test_keep_my_data_deletes_nothing(chat: Chat, store: Store) -> None:
    await chat.say("log Tidied the trays")
    await chat.say("forget me")

    out = await chat.press("forget_cancel")

    assert "nothing is deleted" in said(out)
    assert await entries_of(store, chat.actor) == ["Tidied the trays"]


@pytest.mark.parametrize("word", ["no", "No.", "cancel", "keep my data"])
async def test_saying_no_to_forget_me_is_not_logged_as_a_step(
    prompted: Chat, store: Store, word: str
) -> None:
    await prompted.say("forget me")

    out = await prompted.say(word)

    assert "nothing changed" in said(out)
    assert await entries_of(store, prompted.actor) == []


async def test_help_for_staff_lists_their_own_settings(staff: Chat) -> None:
    out = await staff.say("help")

    assert "`my time 16:00`" in said(out)
    assert "`weekly off`" in said(out)
    assert "`config`" not in said(out)


async def test_help_for_an_admin_lists_config(chat: Chat) -> None:
    out = await chat.say("help")

    assert "`config`" in said(out)


async def test_an_unknown_config_word_gets_one_short_answer(chat: Chat) -> None:
    out = await chat.say("config colour blue")

    assert len(out) == 1
    assert "setting called “colour”" in said(out)
    assert "Nudge time" not in said(out)


@pytest.mark.parametrize("words", ["pause for 0 days", "pause for 0 weeks", "pause until today"])
async def test_a_pause_of_no_days_says_what_works(chat: Chat, words: str) -> None:
    out = await chat.say(words)

    assert "at least a day" in said(out)
    assert "`pause for 1 day`" in said(out)


async def test_a_sentence_out_of_the_blue_is_offered_for_logging(chat: Chat, store: Store) -> None:
    out = await chat.say("Moved the visualiser so everyone can see")

    assert "Log it as today's step?" in said(out)
    assert "not sure what" not in said(out)
    assert buttons(out)["log"] == "Moved the visualiser so everyone can see"
    assert await entries_of(store, chat.actor) == []


async def test_a_question_out_of_the_blue_is_not_offered_as_a_step(chat: Chat) -> None:
    out = await chat.say("what can you do for me?")

    assert "not sure what" in said(out)


async def test_a_card_submitted_twice_logs_once(
    conversation: Conversation, prompted: Chat, store: Store
) -> None:
    card = FormSubmitted(
        prompted.actor, DIRECT, "log", (("text", "Exit tickets"),), message_id="card-1"
    )
    await handled(conversation, card)

    out = await handled(conversation, card)

    assert "Already logged" in said(out)
    assert "Exit tickets" in said(out)
    assert await entries_of(store, prompted.actor) == ["Exit tickets"]


async def test_two_different_cards_log_two_entries(
    conversation: Conversation, chat: Chat, store: Store
) -> None:
    for card, words in (("card-1", "Exit tickets"), ("card-2", "Think-pair-share")):
        await handled(
            conversation,
            FormSubmitted(
                chat.actor, Place("D-direct"), "log", (("text", words),), message_id=card
            ),
        )

    assert sorted(await entries_of(store, chat.actor)) == ["Exit tickets", "Think-pair-share"]


async def test_the_log_this_button_pressed_twice_logs_once(chat: Chat, store: Store) -> None:
    press = ButtonPress(chat.actor, DIRECT, "log", "Tidier trays", message_id="offer-1")
    await handled(chat.conversation, press)

    out = await handled(chat.conversation, press)

    assert "Already logged" in said(out)
    assert await entries_of(store, chat.actor) == ["Tidier trays"]

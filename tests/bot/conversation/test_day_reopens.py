"""A day whose last entry is removed is open again (issue 11, item 9 and the newcomer's undo)."""

from __future__ import annotations

from bot.model import Update
from bot.ports import Store
from tests.bot.chat import Chat, buttons, entries_of, said


async def test_after_undoing_the_only_answer_a_new_answer_is_logged(
    prompted: Chat, store: Store
) -> None:
    await prompted.say("Seating plan")
    await prompted.say("undo")

    out = await prompted.say("New seating plan")

    assert "Logged" in said(out)
    assert await entries_of(store, prompted.actor) == ["New seating plan"]


async def test_undoing_the_only_answer_says_today_is_open_again(prompted: Chat) -> None:
    await prompted.say("Seating plan")

    out = await prompted.say("undo")

    assert "Today is open again" in said(out)


async def test_undoing_the_only_answer_puts_the_question_back(prompted: Chat) -> None:
    await prompted.say("Seating plan")

    out = await prompted.say("undo")

    updates = [a for a in out if isinstance(a, Update)]
    assert [u.message_id for u in updates] == ["m1"]
    assert "skip" in buttons(updates)


async def test_after_undoing_the_only_answer_skip_works(prompted: Chat) -> None:
    await prompted.say("Seating plan")
    await prompted.say("undo")

    out = await prompted.say("skip")

    assert "nothing to skip" not in said(out).lower()
    assert "already logged" not in said(out)


async def test_the_day_stays_answered_while_another_entry_remains(
    prompted: Chat, store: Store
) -> None:
    await prompted.say("Seating plan")
    await prompted.say("log Cold calling")
    await prompted.say("undo")

    out = await prompted.say("A third thought")

    assert "already logged" in said(out)
    assert await entries_of(store, prompted.actor) == ["Seating plan"]


async def test_undoing_a_step_logged_before_the_question_leaves_the_question_to_come(
    chat: Chat, store: Store
) -> None:
    await chat.say("log Early step")

    out = await chat.say("undo")

    assert "Today is open again" not in said(out)
    assert not [a for a in out if isinstance(a, Update)]

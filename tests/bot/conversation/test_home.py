"""A person's own page: their streak and steps, their controls, and the school for leaders."""

from __future__ import annotations

from bot.conversation import Conversation
from bot.model import Buttons, Content, Fields, Heading
from bot.ports import Role, Store
from tests.bot.chat import Chat, actor, person_of


def text_of(content: Content) -> str:
    parts: list[str] = []
    for block in content.blocks:
        if isinstance(block, Fields):
            parts += [f"{label}: {value}" for label, value in block.pairs]
        elif isinstance(block, Buttons):
            parts += [f"[{b.action}]" for b in block.buttons]
        else:
            parts.append(str(getattr(block, "text", getattr(block, "items", ""))))
    return "\n".join(parts)


def headings(content: Content) -> list[str]:
    return [b.text for b in content.blocks if isinstance(b, Heading)]


async def make(store: Store, chat: Chat, role: Role) -> None:
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
        assert person is not None
        await tx.people.set_role(person.id, person.school_id, role)


async def test_home_shows_the_streak_and_recent_steps(
    chat: Chat, conversation: Conversation
) -> None:
    await chat.say("log Put the timetable on the door")

    page = text_of(await conversation.home(chat.actor))

    assert "Streak: 1 school day" in page
    assert "Put the timetable on the door" in page


async def test_home_for_a_newcomer_explains_how_to_log(conversation: Conversation) -> None:
    page = text_of(await conversation.home(actor("U9")))

    assert "Nothing logged yet" in page


async def test_home_offers_pause_and_stop_while_active(
    chat: Chat, conversation: Conversation
) -> None:
    page = text_of(await conversation.home(chat.actor))

    assert "[pause_menu]" in page
    assert "[stop]" in page
    assert "asked at 15:30" in page


async def test_home_offers_resume_while_paused(chat: Chat, conversation: Conversation) -> None:
    await chat.say("pause for 2 weeks")

    page = text_of(await conversation.home(chat.actor))

    assert "Paused until" in page
    assert "[resume]" in page


async def test_home_offers_start_after_opting_out(chat: Chat, conversation: Conversation) -> None:
    await chat.say("stop")

    assert "[start]" in text_of(await conversation.home(chat.actor))


async def test_staff_do_not_see_the_school_glance(
    chat: Chat, store: Store, conversation: Conversation
) -> None:
    await make(store, chat, Role.STAFF)

    page = await conversation.home(chat.actor)

    assert not any(h.startswith("This week at") for h in headings(page))


async def test_leaders_see_this_weeks_school_glance(
    chat: Chat, store: Store, conversation: Conversation
) -> None:
    await make(store, chat, Role.LEADER)
    await chat.say("log Shared a starter with maths")

    page = text_of(await conversation.home(chat.actor))

    assert "Taking part: 1 of 1" in page
    assert "[config]" not in page


async def test_admins_get_a_way_to_the_settings(chat: Chat, conversation: Conversation) -> None:
    page = text_of(await conversation.home(chat.actor))

    assert "[config]" in page

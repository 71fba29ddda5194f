"""Admins' school-wide settings in chat: channels, digests, retention, the audit trail."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.model import ChannelPost, Place
from bot.ports import ChannelKind, Store
from tests.bot.chat import Chat, actor, person_of, said

STAFFROOM = Place("C-staffroom", is_direct=False)


@pytest.fixture
async def maths(chat: Chat) -> Chat:
    await chat.say("config department add Maths")
    return chat


async def channels_of(store: Store, who: Chat) -> list[tuple[str, ChannelKind, str]]:
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, who.actor))
        assert person is not None
        return [
            (c.channel_id, c.kind, c.name) for c in await tx.channels.in_school(person.school_id)
        ]


async def test_a_channel_becomes_a_departments_and_says_so_there(maths: Chat, store: Store) -> None:
    out = await maths.command("config channel department maths", place=STAFFROOM)

    [post] = [a for a in out if isinstance(a, ChannelPost)]
    assert post.channel_id == "C-staffroom"
    assert "the Maths department's channel" in post.content.fallback
    assert await channels_of(store, maths) == [("C-staffroom", ChannelKind.DEPARTMENT, "Maths")]


async def test_a_channel_is_chosen_in_the_channel_not_in_a_dm(chat: Chat, store: Store) -> None:
    out = await chat.say("config channel showcase")

    assert "Say this in the channel you mean" in said(out)
    assert await channels_of(store, chat) == []


async def test_a_channel_changes_purpose_and_can_have_none(chat: Chat, store: Store) -> None:
    await chat.command("config channel showcase", place=STAFFROOM)
    await chat.command("config channel leaders", place=STAFFROOM)
    assert await channels_of(store, chat) == [("C-staffroom", ChannelKind.LEADERS, "")]

    out = await chat.command("config channel none", place=STAFFROOM)

    assert "no Tiny Steps purpose any more" in said(out)
    assert await channels_of(store, chat) == []


async def test_an_unknown_channel_purpose_is_explained(chat: Chat) -> None:
    out = await chat.command("config channel party", place=STAFFROOM)

    assert "config channel showcase" in said(out)


async def test_config_channels_lists_them(chat: Chat) -> None:
    await chat.command("config channel showcase", place=STAFFROOM)

    assert "C-staffroom: showcase" in said(await chat.say("config channels"))


async def test_staff_cannot_choose_channels(chat: Chat, conversation: Conversation) -> None:
    staff = Chat(conversation, actor("U2"))
    await staff.say("help")

    out = await staff.command("config channel showcase", place=STAFFROOM)

    assert "Only your school's Tiny Steps admins" in said(out)


async def test_a_digest_is_asked_for_in_a_channel_and_stopped(chat: Chat, store: Store) -> None:
    on = await chat.command("config digest weekly here", place=STAFFROOM)
    off = await chat.command("config digest off", place=STAFFROOM)
    again = await chat.command("config digest off", place=STAFFROOM)

    assert "this channel gets the school's summary" in said(on)
    assert "no more weekly summaries" in said(off)
    assert "nothing changed" in said(again)


async def test_a_digest_here_needs_a_channel(chat: Chat) -> None:
    out = await chat.say("config digest weekly here")

    assert "in the channel that should get it" in said(out)


@pytest.mark.parametrize(
    ("words", "answer"),
    [
        ("3 years", "older than 3 years will be deleted"),
        ("18 months", "older than 18 months will be deleted"),
        ("off", "kept until someone removes them"),
        ("2 days", "at least 30 days"),
        ("a while", "config retention 3 years"),
    ],
)
async def test_retention_is_set_in_plain_words(chat: Chat, words: str, answer: str) -> None:
    assert answer in said(await chat.say(f"config retention {words}"))


async def test_the_audit_shows_who_changed_what(chat: Chat) -> None:
    await chat.say("config time 15:30")
    await chat.say("config retention 3 years")

    out = await chat.say("config audit")

    assert "U1: retention (nothing → 1098)" in said(out)
    assert "U1: nudge time (15:30)" in said(out)


async def test_forget_me_takes_a_persons_words_out_of_the_audit(
    chat: Chat, conversation: Conversation, store: Store
) -> None:
    sam = Chat(conversation, actor("U2", display_name="Sam"))
    await sam.say("help")
    await chat.say("config role Sam leader")
    await sam.press("forget_confirm")

    out = await chat.say("config audit")

    assert "Sam" not in said(out)
    assert "role" in said(out)

"""Workspace guests take part only where the school says so (`config guests on|off`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.model import Actor, DirectMessage
from bot.people.roster import Member, Roster
from bot.ports import Person, Store
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
from tests.bot.chat import Chat, entries_of, said

TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TUESDAY_1530)


@pytest.fixture
async def admin(conversation: Conversation) -> Chat:
    """The school's first person, so its admin."""
    chat = Chat(conversation, Actor("test", "T1", "U1", "Ana"))
    await chat.say("help")
    return chat


@pytest.fixture
async def guest(admin: Chat, store: Store, clock: FixedClock) -> Person:
    roster = Roster(store, clock, default_timezone="Europe/London")
    await roster.member("test", "T1", Member("G1", "Gail", guest=True))
    async with store.transaction() as tx:
        found = await tx.people.by_identity("test", "T1", "G1")
    assert found is not None
    return found


async def asked(store: Store, clock: FixedClock) -> set[str]:
    messenger = InMemoryMessenger()
    await Scheduler(store, messenger, clock, worker="w").tick(clock.now())
    return {m.recipient.user_id for m in messenger.sent if isinstance(m, DirectMessage)}


async def test_a_guest_is_recorded_as_a_guest(guest: Person) -> None:
    assert guest.guest


async def test_guests_are_left_out_by_default(
    guest: Person, store: Store, clock: FixedClock
) -> None:
    assert await asked(store, clock) == {"U1"}


async def test_guests_are_asked_once_an_admin_turns_them_on(
    admin: Chat, guest: Person, store: Store, clock: FixedClock
) -> None:
    out = await admin.say("config guests on")

    assert "guests in your workspace are asked" in said(out)
    assert await asked(store, clock) == {"U1", "G1"}


async def test_a_left_out_guest_who_writes_is_told_kindly_and_nothing_is_logged(
    conversation: Conversation, guest: Person, store: Store
) -> None:
    chat = Chat(conversation, Actor("test", "T1", "G1", "Gail", guest=True))

    out = await chat.say("log Tidied the trays")

    assert "guests aren't included" in said(out)
    assert await entries_of(store, chat.actor) == []


async def test_a_guest_seen_first_in_chat_is_a_guest_too(
    conversation: Conversation, admin: Chat, store: Store
) -> None:
    chat = Chat(conversation, Actor("test", "T1", "G2", "Gus", guest=True))

    out = await chat.say("hello")

    assert "guests aren't included" in said(out)
    async with store.transaction() as tx:
        found = await tx.people.by_identity("test", "T1", "G2")
    assert found is not None
    assert found.guest


async def test_a_guest_made_a_full_member_takes_part(
    guest: Person, store: Store, clock: FixedClock
) -> None:
    await Roster(store, clock, default_timezone="Europe/London").member(
        "test", "T1", Member("G1", "Gail")
    )

    assert await asked(store, clock) == {"U1", "G1"}


async def test_only_admins_change_the_guests_setting(
    conversation: Conversation, admin: Chat
) -> None:
    staff = Chat(conversation, Actor("test", "T1", "U2", "Sam"))
    await staff.say("help")

    out = await staff.say("config guests on")

    assert "admins" in said(out)


async def test_an_unclear_guests_setting_says_what_works(admin: Chat) -> None:
    out = await admin.say("config guests maybe")

    assert "`config guests on`" in said(out)

"""Admins manage departments in chat; staff choose their own (issue 13 §1, first part)."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.ports import Store
from tests.bot.chat import Chat, actor, entries_of, person_of, said


@pytest.fixture
async def staff(conversation: Conversation, chat: Chat) -> Chat:
    """A second person in the admin's school: plain staff."""
    colleague = Chat(conversation, actor("U2"))
    await colleague.say("help")
    return colleague


@pytest.fixture
async def maths(chat: Chat) -> Chat:
    """The admin's school has a Maths department."""
    await chat.say("config department add Maths")
    return chat


async def department_of(store: Store, who: Chat) -> str | None:
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, who.actor))
        assert person is not None
        names = {d.id: d.name for d in await tx.schools.departments(person.school_id)}
    return names.get(person.department_id) if person.department_id else None


async def test_an_admin_adds_a_department(chat: Chat) -> None:
    out = await chat.say("config department add Maths")

    assert "Added the Maths department" in said(out)
    assert "Maths (0 people)" in said(await chat.say("config departments"))


async def test_a_department_name_is_not_added_twice(maths: Chat) -> None:
    out = await maths.say("config department add maths")

    assert "already a department called maths" in said(out)


async def test_staff_choose_their_own_department(maths: Chat, staff: Chat, store: Store) -> None:
    out = await staff.say("my department maths")

    assert "you're in Maths" in said(out)
    assert await department_of(store, staff) == "Maths"
    assert "Maths (1 person)" in said(await maths.say("config departments"))


async def test_an_unknown_department_names_the_ones_there_are(maths: Chat, staff: Chat) -> None:
    out = await staff.say("my department Geography")

    assert "don't know a department called “Geography”" in said(out)
    assert "Maths" in said(out)


async def test_leaving_a_department(maths: Chat, staff: Chat, store: Store) -> None:
    await staff.say("my department Maths")

    await staff.say("my department none")

    assert await department_of(store, staff) is None


async def test_a_rename_keeps_its_people(maths: Chat, staff: Chat, store: Store) -> None:
    await staff.say("my department Maths")

    out = await maths.say("config department rename Maths to Mathematics")

    assert "Renamed Maths to Mathematics" in said(out)
    assert await department_of(store, staff) == "Mathematics"


async def test_removing_a_department_keeps_its_entries_history(
    maths: Chat, staff: Chat, store: Store
) -> None:
    await staff.say("my department Maths")
    await staff.say("log Fraction walls")

    out = await maths.say("config department remove Maths")

    assert "1 person now has no department" in said(out)
    assert await department_of(store, staff) is None
    assert await entries_of(store, staff.actor) == ["Fraction walls"]
    async with store.transaction() as tx:
        person = await tx.people.by_identity("test", "T1", "U2")
        assert person is not None
        entry = await tx.improvements.last_for(person.id)
    assert entry is not None
    assert entry.department_id is not None


async def test_a_removed_department_can_be_added_again(maths: Chat) -> None:
    await maths.say("config department remove Maths")

    out = await maths.say("config department add Maths")

    assert "Added the Maths department" in said(out)


async def test_only_admins_manage_departments(maths: Chat, staff: Chat) -> None:
    out = await staff.say("config department add Drama")

    assert "admins" in said(out)


async def test_an_unclear_department_command_says_what_works(maths: Chat) -> None:
    out = await maths.say("config department merge Maths")

    assert "`config department add Maths`" in said(out)


async def test_a_sentence_about_my_department_is_still_an_answer(
    prompted: Chat, store: Store
) -> None:
    out = await prompted.say("my department meeting was calmer today")

    assert "Logged" in said(out)
    assert await entries_of(store, prompted.actor) == ["my department meeting was calmer today"]

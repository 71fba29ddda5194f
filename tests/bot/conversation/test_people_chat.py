"""Admins place people in chat: roles and departments, by mention or (web chat) by name."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.model import Mention
from bot.ports import Role, Store
from tests.bot.chat import Chat, actor, person_of, said


@pytest.fixture
async def sam(conversation: Conversation) -> Chat:
    colleague = Chat(conversation, actor("U2", display_name="Sam Jones"))
    await colleague.say("help")
    return colleague


@pytest.fixture
async def departments(chat: Chat) -> Chat:
    await chat.say("config department add Maths")
    await chat.say("config department add Science")
    return chat


async def role_of(store: Store, who: Chat) -> tuple[Role, set[str]]:
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, who.actor))
        assert person is not None
        leads = await tx.people.leads(person.id)
        names = {d.name for d in await tx.schools.departments(person.school_id) if d.id in leads}
    return person.role, names


async def test_a_mentioned_person_becomes_a_leader(chat: Chat, sam: Chat, store: Store) -> None:
    out = await chat.say("config role @Sam Jones leader", mentions=(Mention("U2", "@Sam Jones"),))

    assert "Sam Jones is now a leader" in said(out)
    assert await role_of(store, sam) == (Role.LEADER, set())


async def test_a_leader_of_some_departments(departments: Chat, sam: Chat, store: Store) -> None:
    out = await departments.say("config role Sam Jones leader Maths, science")

    assert "now leads Maths, Science" in said(out)
    assert await role_of(store, sam) == (Role.LEADER, {"Maths", "Science"})


async def test_an_unknown_department_changes_nothing(
    departments: Chat, sam: Chat, store: Store
) -> None:
    out = await departments.say("config role Sam Jones leader Maths, Drama")

    assert "don't know a department called “Drama”" in said(out)
    assert await role_of(store, sam) == (Role.STAFF, set())


async def test_the_last_admin_cannot_step_down(chat: Chat, store: Store) -> None:
    out = await chat.say("config role U1 staff")

    assert "no admin" in said(out)
    assert (await role_of(store, chat))[0] is Role.ADMIN


async def test_an_admin_can_step_down_once_there_is_another(
    chat: Chat, sam: Chat, store: Store
) -> None:
    await chat.say("config role Sam Jones admin")

    out = await chat.say("config role U1 staff")

    assert "U1 is now staff" in said(out)
    assert (await role_of(store, sam))[0] is Role.ADMIN


async def test_someone_from_another_workspace_cannot_be_placed(
    chat: Chat, conversation: Conversation
) -> None:
    stranger = Chat(conversation, actor("U9", "T2"))
    await stranger.say("help")

    out = await chat.say("config role @U9 leader", mentions=(Mention("U9", "@U9"),))

    assert "can't find @U9 in your school" in said(out)


async def test_an_unknown_name_is_refused(chat: Chat) -> None:
    out = await chat.say("config role Nobody Here leader")

    assert "can't find Nobody in your school" in said(out)


async def test_staff_cannot_give_roles(chat: Chat, sam: Chat, store: Store) -> None:
    out = await sam.say("config role Sam Jones admin")

    assert "Only your school's Tiny Steps admins" in said(out)
    assert (await role_of(store, sam))[0] is Role.STAFF


async def test_an_admin_places_someone_in_a_department(
    departments: Chat, sam: Chat, store: Store
) -> None:
    out = await departments.say(
        "config person @Sam Jones department Science", mentions=(Mention("U2", "@Sam Jones"),)
    )

    assert "Sam Jones is in Science now" in said(out)
    assert "Science (1 person)" in said(await departments.say("config departments"))


async def test_a_role_change_is_audited_with_before_and_after(departments: Chat, sam: Chat) -> None:
    await departments.say("config role Sam Jones leader Maths")

    out = await departments.say("config audit 1")

    assert "role for Sam Jones (staff → leader (Maths))" in said(out)

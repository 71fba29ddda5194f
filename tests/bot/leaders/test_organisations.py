"""Trusts put together by operators (`tinysteps org …`), refusing what would not make sense."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.leaders import organisations
from bot.leaders.organisations import OrganisationRefused
from bot.ports import Role, Store
from tests.bot.chat import Chat, actor, person_of


@pytest.fixture
async def school(chat: Chat, store: Store) -> int:
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
        assert person is not None
        return person.school_id


async def test_a_trust_gathers_schools_and_names_its_leaders(
    store: Store, clock: FixedClock, chat: Chat, school: int
) -> None:
    await organisations.create(store, clock, "North Trust")
    await organisations.add_school(store, clock, "north trust", school)
    person = await person_of(store, chat.actor)

    said = await organisations.set_role(store, clock, "North Trust", person, "leader")

    assert "is now a leader across North Trust" in said
    async with store.transaction() as tx:
        [role] = await tx.people.organisation_roles(person)
    assert (role.name, role.role) == ("North Trust", Role.LEADER)


async def test_a_trust_name_is_not_used_twice(store: Store, clock: FixedClock) -> None:
    await organisations.create(store, clock, "North Trust")

    with pytest.raises(OrganisationRefused, match="already a trust called"):
        await organisations.create(store, clock, "north  trust")


async def test_an_unknown_trust_is_named(store: Store, clock: FixedClock, school: int) -> None:
    with pytest.raises(OrganisationRefused, match="no trust called South"):
        await organisations.add_school(store, clock, "South", school)


async def test_someone_outside_the_trust_gets_no_trust_role(
    store: Store, clock: FixedClock, conversation: Conversation, school: int
) -> None:
    await organisations.create(store, clock, "North Trust")
    outsider = Chat(conversation, actor("U9", "T9"))
    await outsider.say("help")

    with pytest.raises(OrganisationRefused, match="outside North Trust"):
        await organisations.set_role(
            store, clock, "North Trust", await person_of(store, outsider.actor), "leader"
        )


async def test_a_trust_role_is_leader_admin_or_none(
    store: Store, clock: FixedClock, chat: Chat, school: int
) -> None:
    await organisations.create(store, clock, "North Trust")
    await organisations.add_school(store, clock, "North Trust", school)

    with pytest.raises(OrganisationRefused, match="leader"):
        await organisations.set_role(
            store, clock, "North Trust", await person_of(store, chat.actor), "boss"
        )

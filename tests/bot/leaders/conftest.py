"""A trust of two schools with one person in every role, for the role-by-scope matrix.

Hill Top (workspace T1): ADMIN (the first person, so its admin), STAFF in Maths, DL leading
Maths, SL leading the whole school, TL staff at school but a leader of the North Trust.
Riverside (workspace T2): OTHER, its admin. Both schools are in the North Trust.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.conversation import Conversation
from bot.ports import Role, Store
from tests.bot.chat import Chat, actor


@dataclass
class Trust:
    admin: Chat
    staff: Chat
    dl: Chat
    sl: Chat
    tl: Chat
    other: Chat

    def by_role(self, name: str) -> Chat:
        return {
            "staff": self.staff,
            "department leader": self.dl,
            "school leader": self.sl,
            "trust leader": self.tl,
            "admin": self.admin,
        }[name]


@pytest.fixture
async def trust(conversation: Conversation, store: Store) -> Trust:
    admin = Chat(conversation, actor("ADMIN"))
    await admin.say("help")
    others = {u: Chat(conversation, actor(u)) for u in ("STAFF", "DL", "SL", "TL")}
    for who in others.values():
        await who.say("help")
    other = Chat(conversation, actor("OTHER", "T2"))
    await other.say("help")
    await admin.say("config department add Maths")
    await admin.say("config department add Science")
    await admin.say("config person STAFF department Maths")
    await admin.say("config role DL leader Maths")
    await admin.say("config role SL leader")
    async with store.transaction() as tx:
        trust_id = await tx.schools.add_organisation("North Trust")
        for chat in (admin, other):
            found = await tx.people.by_identity("test", chat.actor.workspace_id, chat.actor.user_id)
            assert found is not None
            await tx.schools.join_organisation(found.school_id, trust_id)
        tl = await tx.people.by_identity("test", "T1", "TL")
        assert tl is not None
        await tx.people.set_organisation_role(trust_id, tl.id, Role.LEADER)
    return Trust(admin, others["STAFF"], others["DL"], others["SL"], others["TL"], other)

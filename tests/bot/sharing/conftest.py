"""A trust of two schools with channels set up for sharing, over real storage.

Hill Top (workspace T1, named "Our school" as any new school is): ADMIN; Ana, Ben and Cat in Maths; Dan in Science; DL leads Maths.
Channels: C-maths (Maths), C-science (Science), C-show (Hill Top's showcase).
Riverside (workspace T2): RIVER, its admin, with C-river (its showcase). Both schools are in
the North Trust, so Hill Top's standouts travel to Riverside's showcase.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.model import ChannelPost, DirectMessage, Outgoing, Place, Reaction
from bot.ports import Store
from bot.schedule import Scheduler, TickReport
from bot.testing import InMemoryMessenger
from tests.bot.chat import Chat, actor, buttons, handled

MATHS, SCIENCE, SHOWCASE, RIVERSIDE = "C-maths", "C-science", "C-show", "C-river"


@dataclass
class Staffroom:
    store: Store
    clock: FixedClock
    messenger: InMemoryMessenger
    conversation: Conversation
    admin: Chat
    ana: Chat
    ben: Chat
    cat: Chat
    dan: Chat
    dl: Chat
    river: Chat

    async def deliver(self) -> TickReport:
        """What the outbox holds, sent now (as each minute's tick would)."""
        scheduler = Scheduler(self.store, self.messenger, self.clock, worker="test")
        return await scheduler.deliver(self.clock.now())

    async def log(self, chat: Chat, words: str) -> int:
        """Log a step; its id (from the confirmation's Undo button)."""
        return int(buttons(await chat.say(f"log {words}"))["undo"])

    async def shared(self, chat: Chat, words: str) -> int:
        """A step logged, shared with its department, and posted."""
        entry = await self.log(chat, words)
        await chat.press("share", str(entry))
        await self.deliver()
        return entry

    def posts(self, channel: str) -> list[ChannelPost]:
        return self.messenger.posts_in(channel)

    def dms(self, who: Chat) -> list[DirectMessage]:
        return self.messenger.to(who.actor.user_id)

    async def react(self, who: Chat, channel: str, message_id: str, *, added: bool = True) -> None:
        place = Place(channel, is_direct=False)
        await handled(self.conversation, Reaction(who.actor, place, message_id, "clap", added))

    async def votes_for(self, entry: int, *voters: Chat) -> None:
        """Colleagues' reactions on the entry's post in Maths."""
        message_id = await self.message_of(entry, MATHS)
        for voter in voters:
            await self.react(voter, MATHS, message_id)

    async def message_of(self, entry: int, channel: str) -> str:
        async with self.store.transaction() as tx:
            for post in await tx.posts.of_entry(entry):
                if post.channel_id == channel and post.message_id is not None:
                    return post.message_id
        raise AssertionError(f"entry {entry} was not posted in {channel}")


def in_channel(chat: Chat, channel: str) -> Chat:
    return Chat(chat.conversation, chat.actor, Place(channel, is_direct=False))


def texts_of(out: list[Outgoing] | list[ChannelPost] | list[DirectMessage]) -> str:
    return "\n".join(a.content.fallback for a in out if isinstance(a, ChannelPost | DirectMessage))


@pytest.fixture
async def room(store: Store, clock: FixedClock, conversation: Conversation) -> Staffroom:
    def person(user: str, name: str, workspace: str = "T1") -> Chat:
        return Chat(conversation, actor(user, workspace, display_name=name))

    admin = person("ADMIN", "Ada Admin")
    await admin.say("help")
    ana, ben, cat, dan, dl = (
        person("ANA", "Ana Jones"),
        person("BEN", "Ben Ray"),
        person("CAT", "Cat Lee"),
        person("DAN", "Dan Fox"),
        person("DL", "Dee Lead"),
    )
    for chat in (ana, ben, cat, dan, dl):
        await chat.say("help")
    for command in (
        "config department add Maths",
        "config department add Science",
        "config role Dee Lead leader Maths",
    ):
        await admin.say(command)
    for chat, department in ((ana, "Maths"), (ben, "Maths"), (cat, "Maths"), (dan, "Science")):
        await chat.say(f"my department {department}")
    await in_channel(admin, MATHS).say("config channel department Maths")
    await in_channel(admin, SCIENCE).say("config channel department Science")
    await in_channel(admin, SHOWCASE).say("config channel showcase")
    river = person("RIVER", "Rhys River", "T2")
    await river.say("help")
    await in_channel(river, RIVERSIDE).say("config channel showcase")
    async with store.transaction() as tx:
        trust = await tx.schools.add_organisation("North Trust")
        for chat in (admin, river):
            found = await tx.people.by_identity("test", chat.actor.workspace_id, chat.actor.user_id)
            assert found is not None
            await tx.schools.join_organisation(found.school_id, trust)
    return Staffroom(
        store, clock, InMemoryMessenger(), conversation, admin, ana, ben, cat, dan, dl, river
    )

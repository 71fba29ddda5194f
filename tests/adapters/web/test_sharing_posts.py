"""The web chat's messenger changes a post in place, as Slack and Teams do: a shared step
withdrawn by its author shows "withdrawn" where it was."""

from __future__ import annotations

from adapters.directory import Directory, web_workspace
from adapters.web.messenger import WebMessenger
from bot import texts
from bot.clock import FixedClock
from bot.conversation.replies import say
from bot.model import ChannelPost
from bot.sharing.content import withdrawn
from storage.store import SqlStore
from tests.bot.chat import TUESDAY


async def test_the_web_chat_replaces_a_post_in_its_transcript(store: SqlStore) -> None:
    clock = FixedClock(TUESDAY)
    directory = Directory(store, clock, default_timezone="Europe/London")
    school = await directory.create_school("Hill Top")
    sam = await directory.add_person(school.id, "Sam")
    messenger = WebMessenger(store, clock)
    here = ("web", web_workspace(school.id), "maths")
    first = await messenger.send(ChannelPost(*here, say("Sam shared a small step")))
    assert first is not None

    again = await messenger.send(ChannelPost(*here, withdrawn(), replaces=first))

    assert again == first
    async with store.transaction() as tx:
        [post] = await tx.web_messages.transcript(school.id, sam.id)
    assert (str(post.id), post.content["fallback"]) == (first, texts.WITHDRAWN_POST)

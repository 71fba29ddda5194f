"""Helpers for talking to the core in tests: a chat as one person, and what the bot said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.conversation import Conversation
from bot.model import (
    Actor,
    ButtonPress,
    Buttons,
    Command,
    Content,
    DirectMessage,
    Ephemeral,
    FormSubmitted,
    Incoming,
    Mention,
    Message,
    OpenForm,
    Outgoing,
    Place,
    Quote,
    Update,
)
from bot.ports import Store

DIRECT = Place("D-direct")

# A Tuesday in term, mid-morning in London.
TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def contents(out: Sequence[Outgoing]) -> list[Content]:
    found: list[Content] = []
    for action in out:
        if isinstance(action, DirectMessage | Ephemeral | Update):
            found.append(action.content)
        elif isinstance(action, OpenForm):  # what a platform without forms says instead
            found.append(action.instead)
    return found


def said(out: Sequence[Outgoing]) -> str:
    """Everything the bot said, fallbacks and quotes, as one searchable string."""
    parts: list[str] = []
    for content in contents(out):
        parts.append(content.fallback)
        parts.extend(block.text for block in content.blocks if isinstance(block, Quote))
    return "\n".join(parts)


def buttons(out: Sequence[Outgoing]) -> dict[str, str]:
    """Action → value of every button offered."""
    found: dict[str, str] = {}
    for content in contents(out):
        for block in content.blocks:
            if isinstance(block, Buttons):
                found.update({b.action: b.value for b in block.buttons})
    return found


@dataclass
class Chat:
    """Talk to the bot as one person, in the style of botbuilder's TestAdapter."""

    conversation: Conversation
    actor: Actor
    place: Place = DIRECT

    async def say(
        self, text: str, *, event_id: str | None = None, mentions: tuple[Mention, ...] = ()
    ) -> list[Outgoing]:
        message = Message(
            self.actor, self.place, text, message_id=None, event_id=event_id, mentions=mentions
        )
        return await handled(self.conversation, message)

    async def command(self, text: str, *, place: Place | None = None) -> list[Outgoing]:
        return (
            await self.conversation.handle(Command(self.actor, place or self.place, text))
        ).actions

    async def press(self, action: str, value: str = "") -> list[Outgoing]:
        press = ButtonPress(self.actor, self.place, action, value)
        return await handled(self.conversation, press)

    async def submit(self, form: str, **fields: str) -> list[Outgoing]:
        form_submitted = FormSubmitted(self.actor, self.place, form, tuple(fields.items()))
        return await handled(self.conversation, form_submitted)


async def handled(conversation: Conversation, event: Incoming) -> list[Outgoing]:
    """What the core says to `event`, sent as an adapter would: nothing of it stays owed."""
    answer = await conversation.handle(event)
    await conversation.owed.sent(answer)
    return answer.actions


def actor(
    user_id: str = "U1",
    workspace: str = "T1",
    *,
    display_name: str | None = None,
    timezone: str | None = None,
) -> Actor:
    return Actor(
        platform="test",
        workspace_id=workspace,
        user_id=user_id,
        display_name=display_name or user_id,
        timezone=timezone,
    )


async def person_of(store: Store, who: Actor) -> int:
    async with store.transaction() as tx:
        person = await tx.people.by_identity(who.platform, who.workspace_id, who.user_id)
    assert person is not None
    return person.id


async def entries_of(store: Store, who: Actor) -> list[str]:
    async with store.transaction() as tx:
        person = await tx.people.by_identity(who.platform, who.workspace_id, who.user_id)
        if person is None:
            return []
        return [e.text for e in await tx.improvements.recent_for(person.id, 100)]

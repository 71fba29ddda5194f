"""The web chat's messenger: "delivering" a message means adding it to the stored transcript."""

from __future__ import annotations

import logging

from bot.conversation import replies
from bot.model import (
    Actor,
    ChannelPost,
    DirectMessage,
    Ephemeral,
    OpenForm,
    Outgoing,
    Update,
    Upload,
)
from bot.ports import Clock

from .render import content_json, upload_json
from .transcript import WebStore

log = logging.getLogger(__name__)


class WebMessenger:
    """Implements `bot.ports.Messenger` for people of the web platform.

    Each message is committed on its own, like a platform accepting it; the delivery key is
    stored with it so a recovering deliverer can find it (`find`). A channel post that
    `replaces` an earlier one (a withdrawn step) changes that message instead.
    """

    def __init__(self, store: WebStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def send(self, action: Outgoing) -> str | None:
        if isinstance(action, OpenForm):  # the web chat shows no forms: typing is as quick
            action = replies.to_place(action.recipient, action.place, action.instead)
        now = self._clock.now()
        async with self._store.transaction() as tx:
            match action:
                case DirectMessage() | Ephemeral() | Upload():
                    recipient = action.recipient
                    person = await tx.people.by_identity(
                        recipient.platform, recipient.workspace_id, recipient.user_id
                    )
                    if person is None:
                        log.info("not delivering to %s: they were forgotten", recipient.user_id)
                        return None
                    content = (
                        upload_json(action.comment, action.file)  # shown whole, in their chat
                        if isinstance(action, Upload)
                        else content_json(action.content, private=isinstance(action, Ephemeral))
                    )
                    scheduled = action if isinstance(action, DirectMessage) else None
                    message_id = await tx.web_messages.add(
                        school_id=person.school_id,
                        person_id=person.id,
                        author="bot",
                        content=content,
                        nudge_id=scheduled.nudge_id if scheduled else None,
                        delivery_key=scheduled.key if scheduled else None,
                        at=now,
                    )
                case ChannelPost(content=content, replaces=str() as earlier) if earlier.isdigit():
                    # A withdrawn step: its post changes where it is, as in Slack and Teams.
                    if not await tx.web_messages.replace(
                        int(earlier), content_json(content), at=now
                    ):
                        log.info("could not replace post %s: it is gone", earlier)
                    return earlier
                case ChannelPost(platform, workspace_id, channel_id, content, key=key):
                    school = await tx.schools.for_workspace(platform, workspace_id)
                    if school is None:
                        return None
                    message_id = await tx.web_messages.add(
                        school_id=school.id,
                        channel_id=channel_id,
                        author="bot",
                        content=content_json(content),
                        delivery_key=key,
                        at=now,
                    )
                case Update(_, message_id_text, content):
                    if message_id_text.isdigit():
                        await tx.web_messages.replace(
                            int(message_id_text), content_json(content), at=now
                        )
                    return message_id_text
            return str(message_id)

    async def find(self, recipient: Actor, key: str) -> str | None:
        return await self._by_key(key)

    async def find_post(self, post: ChannelPost) -> str | None:
        return await self._by_key(post.key) if post.key else None

    async def _by_key(self, key: str) -> str | None:
        async with self._store.transaction() as tx:
            found = await tx.web_messages.by_key(key)
        return str(found) if found is not None else None

"""One `Messenger` for the scheduler that hands each message to its platform's messenger."""

from __future__ import annotations

from collections.abc import Mapping

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
from bot.ports import Messenger


class UnknownPlatform(LookupError):
    """A message for a platform that is not enabled in this process."""


class PlatformMessenger:
    def __init__(self, by_platform: Mapping[str, Messenger]) -> None:
        self._by_platform = dict(by_platform)

    async def send(self, action: Outgoing) -> str | None:
        return await self._for(_platform_of(action)).send(action)

    async def find(self, recipient: Actor, key: str) -> str | None:
        return await self._for(recipient.platform).find(recipient, key)

    async def find_post(self, post: ChannelPost) -> str | None:
        return await self._for(post.platform).find_post(post)

    def _for(self, platform: str) -> Messenger:
        try:
            return self._by_platform[platform]
        except KeyError:
            raise UnknownPlatform(f"no messenger for the {platform!r} platform") from None


def _platform_of(action: Outgoing) -> str:
    match action:
        case DirectMessage(recipient=who) | Ephemeral(recipient=who):
            return who.platform
        case ChannelPost(platform=platform):
            return platform
        case OpenForm(recipient=who) | Upload(recipient=who):
            return who.platform
        case Update():
            raise UnknownPlatform("updates are sent by the adapter that received the event")

"""Time and delivery: the clock, the messenger and what a platform may answer."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.model import Actor, ChannelPost, Outgoing

# --- time and delivery --------------------------------------------------------------------


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class Messenger(Protocol):
    """How the core sends proactively (nudges, reposts), like httpx's transport."""

    async def send(self, action: Outgoing) -> str | None:
        """Deliver one action; return the platform's message id when it has one.

        A `DirectMessage.key` must travel with the message so that `find` can see it later.
        Raise `RateLimited` when the platform asks us to slow down.
        """
        ...

    async def find(self, recipient: Actor, key: str) -> str | None:
        """The id of a message already delivered under `key`, if the platform has it."""
        ...

    async def find_post(self, post: ChannelPost) -> str | None:
        """The id of a channel post already delivered under `post.key`, if the platform can
        tell (Slack and the web chat can; Teams gives bots no channel history)."""
        ...


class Unreachable(Exception):
    """The platform won't let us message this person at all (e.g. Tiny Steps isn't installed
    for them in Teams, or their account is gone): trying again soon would not help."""


class RateLimited(Exception):
    """The platform said "too many requests": try this message again after `retry_after`."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:.0f}s")
        self.retry_after = retry_after

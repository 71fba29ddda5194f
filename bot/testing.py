"""First-class fakes for testing the core without any platform."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import Actor, ChannelPost, DirectMessage, Outgoing
from bot.ports import RateLimited, Unreachable


@dataclass
class InMemoryMessenger:
    """A `Messenger` that keeps what it was asked to send, numbering each message.

    `rate_limit_next` makes the next sends raise `RateLimited`, as a busy platform would;
    posts to a channel in `refusing` raise `Unreachable`, as an archived one would.
    """

    sent: list[Outgoing] = field(default_factory=list)
    rate_limit_next: int = 0
    retry_after: float = 30.0
    refusing: set[str] = field(default_factory=set)

    async def send(self, action: Outgoing) -> str | None:
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            raise RateLimited(self.retry_after)
        if isinstance(action, ChannelPost) and action.channel_id in self.refusing:
            raise Unreachable(f"channel {action.channel_id} is archived")
        self.sent.append(action)
        return f"m{len(self.sent)}"

    async def find(self, recipient: Actor, key: str) -> str | None:
        for number, action in enumerate(self.sent, start=1):
            if (
                isinstance(action, DirectMessage)
                and action.key == key
                and action.recipient == recipient
            ):
                return f"m{number}"
        return None

    async def find_post(self, post: ChannelPost) -> str | None:
        for number, action in enumerate(self.sent, start=1):
            if isinstance(action, ChannelPost) and post.key and action.key == post.key:
                return f"m{number}"
        return None

    def direct_messages(self) -> list[DirectMessage]:
        return [a for a in self.sent if isinstance(a, DirectMessage)]

    def to(self, user_id: str) -> list[DirectMessage]:
        """The direct messages one person received."""
        return [
            a for a in self.sent if isinstance(a, DirectMessage) and a.recipient.user_id == user_id
        ]

    def posts_in(self, channel_id: str) -> list[ChannelPost]:
        """What was posted in (or changed in) one channel, in order."""
        return [a for a in self.sent if isinstance(a, ChannelPost) and a.channel_id == channel_id]

"""First-class fakes for testing the core without any platform."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import Outgoing


@dataclass
class InMemoryMessenger:
    """A `Messenger` that keeps what it was asked to send, numbering each message."""

    sent: list[Outgoing] = field(default_factory=list)

    async def send(self, action: Outgoing) -> str | None:
        self.sent.append(action)
        return f"m{len(self.sent)}"

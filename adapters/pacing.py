"""Staying inside a platform's rate limits without slowing everyone down.

`ChannelPacer` spaces posts to one channel (Slack: about one per second); `WindowPacer` keeps a
conversation inside several windows at once (Teams: 7 per second, 8 per 2 seconds, 60 per 30
seconds, 1,800 per hour); `RateLimitGate` is shared by every request to one workspace or
tenant, so a 429 pauses all of them for exactly `Retry-After` rather than each on its own.
Time comes in through `monotonic` and `sleep`, so tests drive it by hand.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

Sleep = Callable[[float], Awaitable[Any]]
Monotonic = Callable[[], float]

CHANNEL_INTERVAL = 1.0  # seconds between two posts to one channel
DEFAULT_RETRY_AFTER = 1.0
MAX_INLINE_WAIT = 10.0  # longer Retry-Afters go back to the scheduler rather than hold a worker
MAX_REMEMBERED = 50_000


class RateLimitGate:
    """Closed until a moment in the future; everyone waiting is released together."""

    def __init__(self, *, monotonic: Monotonic = time.monotonic, sleep: Sleep = asyncio.sleep):
        self._monotonic = monotonic
        self._sleep = sleep
        self._open_at = 0.0

    def hold(self, seconds: float) -> None:
        self._open_at = max(self._open_at, self._monotonic() + seconds)

    async def wait(self) -> None:
        while (remaining := self._open_at - self._monotonic()) > 0:
            await self._sleep(remaining)


class ChannelPacer:
    """At most one post per `interval` to each channel; different channels never wait."""

    def __init__(
        self,
        interval: float = CHANNEL_INTERVAL,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next: dict[str, float] = {}

    async def wait(self, channel: str) -> None:
        now = self._monotonic()
        slot = max(now, self._next.get(channel, 0.0))
        self._next[channel] = slot + self.interval
        if len(self._next) > MAX_REMEMBERED:
            self._forget_idle(now)
        if slot > now:
            await self._sleep(slot - now)

    def _forget_idle(self, now: float) -> None:
        self._next = {c: t for c, t in self._next.items() if t > now}


class WindowPacer:
    """At most `count` sends per `seconds` in every window given, per conversation."""

    def __init__(
        self,
        windows: tuple[tuple[int, float], ...],
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._windows = windows
        self._longest = max(seconds for _, seconds in windows)
        self._monotonic = monotonic
        self._sleep = sleep
        self._sent: dict[str, deque[float]] = {}

    async def wait(self, conversation: str) -> None:
        while (delay := self._delay(conversation)) > 0:
            await self._sleep(delay)
        self._sent.setdefault(conversation, deque()).append(self._monotonic())
        if len(self._sent) > MAX_REMEMBERED:
            self._forget_idle()

    def _delay(self, conversation: str) -> float:
        now = self._monotonic()
        sent = self._sent.get(conversation)
        if not sent:
            return 0.0
        while sent and now - sent[0] >= self._longest:
            sent.popleft()
        delay = 0.0
        for count, seconds in self._windows:
            recent = [t for t in sent if now - t < seconds]
            if len(recent) >= count:
                delay = max(delay, recent[-count] + seconds - now)
        return delay

    def _forget_idle(self) -> None:
        now = self._monotonic()
        self._sent = {c: s for c, s in self._sent.items() if s and now - s[-1] < self._longest}


def retry_after(headers: Mapping[str, Any]) -> float:
    """Slack's `Retry-After` in seconds (header names and list values vary by client)."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER

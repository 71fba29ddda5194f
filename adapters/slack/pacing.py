"""Staying inside Slack's rate limits without slowing everyone down.

Two rules from Slack's docs: about one message per second per channel, and a 429 with
`Retry-After` when a workspace sends faster than its tier allows. `ChannelPacer` spaces posts
to the same channel; `RateLimitGate` is shared by every request to one workspace, so a 429
pauses all of them for exactly `Retry-After` (not each on its own with random jitter, which
wastes the window), and slack-sdk's retry machinery then sends the request again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

Sleep = Callable[[float], Awaitable[Any]]
Monotonic = Callable[[], float]

CHANNEL_INTERVAL = 1.0  # seconds between two posts to one channel
DEFAULT_RETRY_AFTER = 1.0
MAX_INLINE_WAIT = 10.0  # longer Retry-Afters go back to the scheduler rather than hold a worker
MAX_REMEMBERED_CHANNELS = 50_000


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
        self._interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next: dict[str, float] = {}

    async def wait(self, channel: str) -> None:
        now = self._monotonic()
        slot = max(now, self._next.get(channel, 0.0))
        self._next[channel] = slot + self._interval
        if len(self._next) > MAX_REMEMBERED_CHANNELS:
            self._forget_idle(now)
        if slot > now:
            await self._sleep(slot - now)

    def _forget_idle(self, now: float) -> None:
        self._next = {c: t for c, t in self._next.items() if t > now}


class GateRetryHandler(AsyncRetryHandler):
    """slack-sdk retry handler for 429s that waits on the workspace's shared gate."""

    def __init__(
        self, gate: RateLimitGate, max_retry_count: int = 5, max_wait: float = MAX_INLINE_WAIT
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.gate = gate
        self.max_wait = max_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after(response.headers)
        if wait > self.max_wait:
            self.gate.hold(wait)  # nobody else sends into the closed window either
            return False
        return True

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self.gate.hold(retry_after(response.headers if response else {}))
        await self.gate.wait()
        state.increment_current_attempt()


def retry_after(headers: dict[str, Any]) -> float:
    """Slack's `Retry-After` in seconds (header names and list values vary by client)."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER

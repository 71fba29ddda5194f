"""Slack's 429s: slack-sdk's retry machinery, waiting on the workspace's shared gate."""

from __future__ import annotations

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from adapters.pacing import MAX_INLINE_WAIT, RateLimitGate, retry_after


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
        # A long wait is the scheduler's to keep (the row is deferred until then); holding the
        # gate here would park every other send of the workspace in this process meanwhile.
        return retry_after(response.headers) <= self.max_wait

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

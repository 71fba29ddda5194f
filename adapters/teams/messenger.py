"""Proactive sends to Teams through stored conversation references (the scheduler's path).

Each conversation is kept inside Teams' limits (7 per second, 8 per 2 seconds, 60 per 30
seconds, 1,800 per hour per bot). A 429 closes the tenant's gate for `Retry-After` and the
card is sent again; a long Retry-After goes back to the scheduler as `RateLimited`.
Teams gives bots no way to read a chat's history, so `find` cannot confirm after a crash that
a card already arrived: recovery then sends it again (at most once more, by the outbox lease).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from adapters.pacing import RateLimitGate, WindowPacer, retry_after
from bot.model import Actor, ChannelPost, DirectMessage, Ephemeral, Outgoing, Update
from bot.ports import RateLimited
from storage.store import SqlStore

from .cards import card_activity
from .render import card

TEAMS_WINDOWS = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
MAX_TRIES = 5
MAX_INLINE_WAIT = 10.0


class NotReachable(LookupError):
    """Nobody has installed Tiny Steps for this person yet, so Teams won't let us message them."""


class TeamsMessenger:
    """Implements `bot.ports.Messenger` for Teams."""

    def __init__(
        self,
        adapter: CloudAdapter,
        store: SqlStore,
        *,
        app_id: str | None,
        pacer: WindowPacer | None = None,
    ) -> None:
        self._adapter = adapter
        self._store = store
        self._app_id = app_id
        self._pacer = pacer or WindowPacer(TEAMS_WINDOWS)
        self._gates: dict[str, RateLimitGate] = {}

    async def send(self, action: Outgoing) -> str | None:
        match action:
            case (
                DirectMessage(recipient=who, content=content)
                | Ephemeral(recipient=who, content=content)
            ):
                async with self._store.transaction() as tx:
                    reference = await tx.teams_conversations.personal(who.workspace_id, who.user_id)
                if reference is None:
                    raise NotReachable(f"no personal chat with {who.user_id}")
                return await self._post(reference, card(content), content.fallback)
            case ChannelPost(workspace_id=tenant, channel_id=channel, content=content):
                async with self._store.transaction() as tx:
                    reference = await tx.teams_conversations.conversation(tenant, channel)
                if reference is None:
                    raise NotReachable(f"not installed in {channel}")
                return await self._post(reference, card(content), content.fallback)
            case Update():
                raise NotImplementedError("Teams cards are updated within the turn that answers")

    async def find(self, recipient: Actor, key: str) -> str | None:
        return None  # see the module docstring

    async def _post(self, reference: dict[str, Any], rendered: dict[str, Any], text: str) -> str:
        conversation = reference.get("conversation") or {}
        tenant = str(conversation.get("tenantId") or "")
        gate = self._gates.setdefault(tenant, RateLimitGate())
        for attempt in range(1, MAX_TRIES + 1):
            await self._pacer.wait(str(conversation.get("id", "")))
            await gate.wait()
            try:
                return await self._send_once(reference, rendered, text)
            except aiohttp.ClientResponseError as error:
                if error.status != 429:
                    raise
                wait = retry_after(error.headers or {})
                if wait > MAX_INLINE_WAIT or attempt == MAX_TRIES:
                    raise RateLimited(wait) from error  # the scheduler waits, holding no worker
                gate.hold(wait)
        raise AssertionError("unreachable")

    async def _send_once(
        self, reference: dict[str, Any], rendered: dict[str, Any], text: str
    ) -> str:
        sent: dict[str, str] = {}
        failed: list[Exception] = []

        async def deliver(context: TurnContext) -> None:
            try:  # raised here, the SDK's turn-error handler would swallow it
                response = await context.send_activity(card_activity(rendered, text))
            except Exception as error:  # re-raised below, outside the SDK's turn
                failed.append(error)
                return
            sent["id"] = response.id if response is not None and response.id else ""

        continuation = ConversationReference.model_validate(reference).get_continuation_activity()
        if self._app_id:
            await self._adapter.continue_conversation(self._app_id, continuation, deliver)
        else:  # local mode: the anonymous identity, as for incoming activities
            await self._adapter.continue_conversation_with_claims(
                ClaimsIdentity(), continuation, deliver, audience=""
            )
        if failed:
            raise failed[0]
        return sent.get("id") or ""

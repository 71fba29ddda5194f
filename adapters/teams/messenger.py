"""Proactive sends to Teams through stored conversation references (the scheduler's path).

Teams gives bots no way to read a chat's history, so `find` cannot confirm after a crash that
a card already arrived: recovery then sends it again (at most once more, by the outbox lease).
"""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from bot.model import Actor, ChannelPost, DirectMessage, Ephemeral, Outgoing, Update
from storage.store import SqlStore

from .cards import card_activity
from .render import card


class NotReachable(LookupError):
    """Nobody has installed Tiny Steps for this person yet, so Teams won't let us message them."""


class TeamsMessenger:
    """Implements `bot.ports.Messenger` for Teams."""

    def __init__(self, adapter: CloudAdapter, store: SqlStore, *, app_id: str | None) -> None:
        self._adapter = adapter
        self._store = store
        self._app_id = app_id

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
        sent: dict[str, str] = {}

        async def deliver(context: TurnContext) -> None:
            response = await context.send_activity(card_activity(rendered, text))
            sent["id"] = response.id if response is not None and response.id else ""

        continuation = ConversationReference.model_validate(reference).get_continuation_activity()
        if self._app_id:
            await self._adapter.continue_conversation(self._app_id, continuation, deliver)
        else:  # local mode: the anonymous identity, as for incoming activities
            await self._adapter.continue_conversation_with_claims(
                ClaimsIdentity(), continuation, deliver, audience=""
            )
        return sent.get("id") or ""

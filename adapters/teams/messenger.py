"""Proactive sends to Teams through stored conversation references (the scheduler's path).

Each conversation is kept inside Teams' limits (7 per second, 8 per 2 seconds, 60 per 30
seconds, 1,800 per hour per bot). A 429 closes the tenant's gate for `Retry-After` and the
card is sent again; a long Retry-After goes back to the scheduler as `RateLimited`.
Teams gives bots no way to read a chat's history, so `find` cannot confirm after a crash that
a card already arrived: recovery then sends it again (at most once more, by the outbox lease).

Proactive cards are posted as plain JSON on the SDK's own authenticated connector session
(`POST v3/conversations/{id}/activities`, the Bot Connector's "send to conversation"): the
activity is exactly what the SDK's `apply_conversation_reference` + `send_to_conversation`
would send (a test holds them equal), without building and validating pydantic models for
every one of a morning's ten thousand cards — that was most of the CPU a fan-out cost. A post
that `replaces` an earlier one (a withdrawn step) is rare: it goes through the SDK's own
`update_activity`, and changes the card where it is.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, ChannelAccount
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ChannelServiceClientFactoryBase
from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from adapters.pacing import MAX_INLINE_WAIT, RateLimitGate, WindowPacer, retry_after
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
from bot.ports import Clock, RateLimited, Unreachable

from .cards import SUMMARY_CHARS
from .files import FileCards
from .references import TeamsStore
from .render import CARD_CONTENT_TYPE, as_text, card, form_card
from .roster import open_personal_chat

log = logging.getLogger(__name__)

TEAMS_WINDOWS = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
CLIENT_LIFETIME = 600.0  # seconds a connector client (and its token) is reused
LOCAL_AUDIENCE = "https://api.botframework.com"  # any non-empty audience; no token is fetched
MAX_TRIES = 5
# The person removed the app or left, or the chat is gone (Teams' "BotNotInConversationRoster",
# "ConversationNotFound"): retrying today won't help.
GONE = frozenset({403, 404})
MESSAGE_GONE = 404  # updating a card: the card itself was deleted
REFERENCES_LIFETIME = 300.0  # seconds a tenant's cached references are trusted


class TeamsMessenger:
    """Implements `bot.ports.Messenger` for Teams."""

    def __init__(
        self,
        adapter: CloudAdapter,
        clients: ChannelServiceClientFactoryBase,
        store: TeamsStore,
        clock: Clock,
        *,
        app_id: str | None,
        pacer: WindowPacer | None = None,
        files: FileCards | None = None,
    ) -> None:
        self._adapter = adapter
        self._store = store
        self._clock = clock
        self._files = files or FileCards(None, clock, None)
        self._app_id = app_id
        self._pacer = pacer or WindowPacer(TEAMS_WINDOWS)
        self._gates: dict[str, RateLimitGate] = {}
        self._clients = ConnectorClients(adapter, clients, app_id)
        self._references: dict[tuple[str, str], dict[str, Any]] = {}
        # Tenants whose references are all in `_references`, and when they were read: another
        # replica may have stored new ones, so a tenant is read again after a few minutes.
        self._loaded: dict[str, float] = {}
        self._loading = asyncio.Lock()

    def forget(self, tenant: str, user_id: str | None) -> None:
        """A conversation reference changed: read the tenant's again next time."""
        if user_id is not None:
            self._references.pop((tenant, user_id), None)
            self._loaded.pop(tenant, None)

    async def remember_chats(self, tenant: str, references: dict[str, dict[str, Any]]) -> None:
        """Personal chats opened by Tiny Steps, by user id, in one transaction."""
        async with self._store.transaction() as tx:
            for user_id, reference in references.items():
                await tx.teams_conversations.remember(
                    tenant_id=tenant,
                    conversation_id=str(reference["conversation"]["id"]),
                    scope="personal",
                    reference=reference,
                    at=self._clock.now(),
                    user_id=user_id,
                )
        for user_id, reference in references.items():
            self._references[(tenant, user_id)] = reference

    async def send(self, action: Outgoing) -> str | None:
        match action:
            case (
                DirectMessage(recipient=who, content=content)
                | Ephemeral(recipient=who, content=content)
            ):
                reference = await self._personal(who.workspace_id, who.user_id)
                if reference is None:
                    raise Unreachable(
                        f"no personal chat with {who.user_id} (app not installed for them)"
                    )
                return await self._post(reference, card(content), content.fallback)
            case OpenForm(recipient=who, form=form):  # Teams bots have no modals: a card
                reference = await self._personal(who.workspace_id, who.user_id)
                if reference is None:
                    raise Unreachable(f"no personal chat with {who.user_id}")
                return await self._post(reference, form_card(form), form.title)
            case Upload(recipient=who, comment=comment):  # always to their 1:1 chat
                reference = await self._personal(who.workspace_id, who.user_id)
                if reference is None:
                    raise Unreachable(f"no personal chat with {who.user_id}")
                return await self._post(reference, await self._files.card(action), comment.fallback)
            case ChannelPost(workspace_id=tenant, channel_id=channel, content=content):
                async with self._store.transaction() as tx:
                    found = await tx.teams_conversations.conversation(tenant, channel)
                if found is None:
                    raise Unreachable(f"not installed in {channel}")
                return await self._post(
                    found, card(content), content.fallback, replaces=action.replaces
                )
            case Update():
                raise NotImplementedError("Teams cards are updated within the turn that answers")

    async def connector(self, service_url: str) -> Any:
        """The SDK connector client for a service URL, for calls outside any turn."""
        return await self._clients.get(service_url)

    async def reachable(self, tenant: str, user_id: str) -> bool:
        """Whether Tiny Steps has a 1:1 chat with this person."""
        return await self._personal(tenant, user_id) is not None

    async def _personal(self, tenant: str, user_id: str) -> dict[str, Any] | None:
        found = await self._known(tenant, user_id)
        return found if found is not None else await self._open_from_roster(tenant, user_id)

    async def _open_from_roster(self, tenant: str, user_id: str) -> dict[str, Any] | None:
        """A team member without a 1:1 chat yet: try to open one now. Their chat wasn't opened
        when the team was reached (the app wasn't installed for them then, or the process
        stopped halfway), and Teams may allow it today."""
        async with self._store.transaction() as tx:
            entry = await tx.teams_conversations.roster_entry(tenant, user_id)
        if entry is None:
            return None
        return await self.open_chat(
            tenant,
            user_id,
            ChannelAccount.model_validate(entry["bot"]),
            ChannelAccount.model_validate(entry["user"]),
            str(entry["serviceUrl"]),
        )

    async def open_chat(
        self,
        tenant: str,
        user_id: str,
        bot: ChannelAccount,
        account: ChannelAccount,
        service_url: str,
    ) -> dict[str, Any] | None:
        """Open (and keep) a 1:1 chat with someone; None when Teams won't allow one."""
        client = await self.connector(service_url)
        reference = await open_personal_chat(client, bot, account, tenant, service_url)
        if reference is not None:
            await self.remember_chats(tenant, {user_id: reference})
        return reference

    async def _known(self, tenant: str, user_id: str) -> dict[str, Any] | None:
        async with self._loading:  # concurrent sends wait for one read, not one read each
            read_at = self._loaded.get(tenant)
            if read_at is None or time.monotonic() - read_at > REFERENCES_LIFETIME:
                # the whole tenant at once: the fan-out will want it
                async with self._store.transaction() as tx:
                    everyone = await tx.teams_conversations.personal_all(tenant)
                self._references.update({(tenant, user): ref for user, ref in everyone.items()})
                self._loaded[tenant] = time.monotonic()
        return self._references.get((tenant, user_id))

    async def find(self, recipient: Actor, key: str) -> str | None:
        return None  # see the module docstring

    async def find_post(self, post: ChannelPost) -> str | None:
        return None  # a bot can't read a channel's history in Teams

    async def _post(
        self,
        reference: dict[str, Any],
        rendered: dict[str, Any],
        text: str,
        *,
        replaces: str | None = None,
    ) -> str:
        """Send a card, or with `replaces` change that earlier card of ours to this one."""
        conversation = reference["conversation"]
        gate = self._gates.setdefault(str(conversation.get("tenantId") or ""), RateLimitGate())
        for attempt in range(1, MAX_TRIES + 1):
            await self._pacer.wait(str(conversation["id"]))
            await gate.wait()
            try:
                if replaces is not None:
                    return await self._update_once(reference, replaces, rendered, text)
                return await self._send_once(reference, rendered, text)
            except aiohttp.ClientResponseError as error:
                if replaces is not None and error.status == MESSAGE_GONE:
                    # Someone deleted the card: there is nothing left to change.
                    log.info("could not update %s: Teams answered 404", replaces)
                    return replaces
                if error.status in GONE:
                    raise Unreachable(f"Teams answered {error.status}: app removed?") from error
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
        client = await self._clients.get(str(reference["serviceUrl"]))
        target = f"v3/conversations/{reference['conversation']['id']}/activities"
        async with client.client.post(target, json=card_for(reference, rendered, text)) as sent:
            sent.raise_for_status()  # a 429 carries its Retry-After header to _post
            answer = await sent.json(content_type=None)
        return str((answer or {}).get("id") or "")

    async def _update_once(
        self, reference: dict[str, Any], activity_id: str, rendered: dict[str, Any], text: str
    ) -> str:
        """`PUT v3/conversations/{id}/activities/{activity id}` through the SDK's connector:
        the card changes where it is, in the same thread, keeping its replies."""
        client = await self._clients.get(str(reference["serviceUrl"]))
        activity = Activity.model_validate(
            {**card_for(reference, rendered, text), "id": activity_id}
        )
        await client.conversations.update_activity(
            str(reference["conversation"]["id"]), activity_id, activity
        )
        return activity_id

    async def close(self) -> None:
        await self._clients.close()


def card_for(reference: dict[str, Any], rendered: dict[str, Any], text: str) -> dict[str, Any]:
    """The message activity carrying one card to a stored conversation reference."""
    activity: dict[str, Any] = {
        "type": "message",
        "channelId": reference.get("channelId") or "msteams",
        "serviceUrl": reference["serviceUrl"],
        "from": reference.get("bot"),
        "conversation": reference["conversation"],
        "recipient": reference.get("user"),
        "locale": reference.get("locale"),
        "summary": as_text(text)[:SUMMARY_CHARS],
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": rendered}],
    }
    return {key: value for key, value in activity.items() if value is not None}


class ConnectorClients:
    """One SDK connector client per service URL, reused for a few minutes.

    The SDK's `continue_conversation` builds a fresh client, token lookup and turn for every
    message; for a morning's fan-out that is most of the cost. The client comes from the
    factory the adapter itself uses (so tokens come from MSAL exactly as for replies) and is renewed
    well inside a token's lifetime.
    """

    def __init__(
        self,
        adapter: CloudAdapter,
        factory: ChannelServiceClientFactoryBase,
        app_id: str | None,
        *,
        lifetime: float = CLIENT_LIFETIME,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._adapter = adapter
        self._factory = factory
        self._app_id = app_id
        self._lifetime = lifetime
        self._monotonic = monotonic
        self._clients: dict[str, tuple[float, Any]] = {}
        self._lock = asyncio.Lock()

    async def get(self, service_url: str) -> Any:
        async with self._lock:
            made = self._clients.get(service_url)
            if made is not None and self._monotonic() - made[0] < self._lifetime:
                return made[1]
            if made is not None:
                await made[1].close()
            if self._app_id:
                identity = self._adapter.create_claims_identity(self._app_id)
                audience, anonymous = identity.get_token_audience(), False
            else:  # local mode: no tokens at all
                identity, audience, anonymous = ClaimsIdentity(), LOCAL_AUDIENCE, True
            client = await self._factory.create_connector_client(
                None, identity, service_url, audience, use_anonymous=anonymous
            )
            self._clients[service_url] = (self._monotonic(), client)
            return client

    async def close(self) -> None:
        for _, client in self._clients.values():
            await client.close()
        self._clients.clear()

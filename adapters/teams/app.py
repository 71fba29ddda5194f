"""The Teams bot: `POST /api/messages` through the Microsoft 365 Agents SDK's CloudAdapter.

Every activity is checked by the SDK's JWT middleware when `MICROSOFT_APP_ID` is set; without
it, only the explicit local mode (`TINYSTEPS_TEAMS_INSECURE_LOCAL=1`, loopback only, checked at
start-up) accepts anonymous activities. Replies go back to the activity's `serviceUrl` as
Adaptive Cards; an answered prompt card is updated in place so it cannot be submitted twice.

Before the SDK sees a request: a token whose header names no signing key (`kid`) or another
algorithm than RS256 is refused (401) without asking Microsoft for keys, and a body that is not
an activity Teams sends (`translate.check`) gets a 400; nothing in it is handled or stored.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
from aiohttp import web
from microsoft_agents.activity import Activity, InvokeResponse
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import (
    JwtTokenValidator,
    _JwkClientCacheEntry,
    _JwkClientManager,
)

from adapters.background import Background
from adapters.logs import event_context
from adapters.payload import Malformed, json_body, obj
from bot import texts
from bot.conversation import Conversation
from bot.model import (
    Actor,
    ChannelPost,
    Command,
    DirectMessage,
    Ephemeral,
    Incoming,
    Mention,
    Message,
    OpenForm,
    Outgoing,
    Update,
    Upload,
)
from bot.people.roster import Roster
from bot.ports import Clock, Unreachable

from . import translate
from .cards import card_activity
from .files import FileCards
from .members import TeamMembers, is_install, is_removal
from .messenger import TeamsMessenger
from .package import SPOTLIGHT_COMMAND
from .references import DownloadStore, TeamsStore
from .render import card, form_card

log = logging.getLogger(__name__)

SUBMIT_ACTION = "composeExtension/submitAction"  # a message extension's action, submitted

UNAUTHORIZED = {"error": "Invalid token or authentication failed."}  # the SDK's own refusal
MAX_KEY_ID_CHARS = 255
KEY_FETCH_TIMEOUT = 10.0  # seconds to wait for Microsoft's signing keys (PyJWT's default: 30)
KEY_FETCH_RETRY = 10.0  # seconds a failed key fetch is remembered, so not retried per request


@dataclass(frozen=True, slots=True)
class TeamsConfig:
    app_id: str | None = None
    app_password: str | None = None
    tenant_id: str | None = None
    insecure_local: bool = False  # anonymous, loopback only (the server checks the address)


def _auth_configuration(config: TeamsConfig) -> AgentAuthConfiguration:
    if config.app_id:
        return AgentAuthConfiguration(
            client_id=config.app_id,
            client_secret=config.app_password,
            tenant_id=config.tenant_id,
        )
    return AgentAuthConfiguration(anonymous_allowed=True)


class TeamsAdapter:
    def __init__(
        self,
        *,
        conversation: Conversation,
        roster: Roster,
        store: TeamsStore,
        clock: Clock,
        config: TeamsConfig,
        downloads: DownloadStore | None = None,
        public_url: str | None = None,
    ) -> None:
        """`downloads` and `public_url` (the https address Teams reaches this server at) give
        files too big for a card a download link; without them the card says where else."""
        if not (config.app_id or config.insecure_local):
            raise ValueError("Teams needs MICROSOFT_APP_ID, or the explicit insecure local mode")
        self.conversation = conversation
        self.roster = roster
        self.store = store
        self.clock = clock
        self.config = config
        self._auth = _auth_configuration(config)
        self._jwt_checked = jwt_authorization_decorator(self.handle)  # type: ignore[no-untyped-call]
        connections = MsalConnectionManager(
            connections_configurations={"SERVICE_CONNECTION": self._auth}
        )
        # The factory the adapter replies through; proactive sends use the same one, held
        # here rather than read from the adapter's private attribute.
        self.clients = RestChannelServiceClientFactory(connections)
        self.adapter = CloudAdapter(
            connection_manager=connections, channel_service_client_factory=self.clients
        )
        self.adapter.on_turn_error = self._on_turn_error  # the SDK's default shows the exception
        # The last reference stored per (tenant, conversation), so an unchanged one isn't
        # written again on every message.
        self._stored: dict[tuple[str, str], dict[str, Any]] = {}
        self.files = FileCards(downloads, clock, public_url)
        self.messenger = TeamsMessenger(
            self.adapter, self.clients, store, clock, app_id=config.app_id, files=self.files
        )
        self._background = Background("Teams")
        self.members = TeamMembers(
            roster=roster,
            store=store,
            clock=clock,
            messenger=self.messenger,
            background=self._background,
        )

    async def _on_turn_error(self, context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed", exc_info=error)
        if context.activity.type == "message":
            try:
                await context.send_activity(texts.SOMETHING_WENT_WRONG)
            except aiohttp.ClientError as unsent:  # replying may be what failed: not a 500
                log.warning("could not say sorry in Teams: %s", unsent)

    def setup(self, app: web.Application) -> None:
        with warnings.catch_warnings():  # the SDK's JWT middleware reads this plain-str key
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            app["agent_configuration"] = self._auth
        handler = self.handle
        if self.config.app_id:
            remember_key_fetches()
            handler = self._authenticated
        app.router.add_post("/api/messages", handler)

        async def close(_: web.Application) -> None:
            await self.settled()
            await self.messenger.close()

        app.on_cleanup.append(close)

    async def _authenticated(self, request: web.Request) -> web.StreamResponse:
        """The SDK's JWT check, after refusing at once a token it could not check: one naming
        no signing key made it fail with a 500, and any other made it fetch keys first."""
        token = _bearer(request.headers.get("Authorization"))
        if token is not None and (why := _unusable_token(token)) is not None:
            log.info("refusing a Teams request: its token %s", why)
            return web.json_response(UNAUTHORIZED, status=401)
        response: web.StreamResponse = await self._jwt_checked(request)
        return response

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """An activity, checked (`_activity`), then handed to the SDK's adapter."""
        try:
            activity = await self._activity(request)
        except Malformed as refusal:
            log.warning("refusing a Teams request: %s", refusal)
            return web.json_response({"error": str(refusal)}, status=400)
        if (outsider := self._outsider(activity)) is not None:
            log.info("ignoring a Teams %s: %s", activity.get("type"), outsider)
            return web.Response(status=202)
        with event_context(str(activity.get("id") or "") or None):
            response = await self.adapter.process(request, self)
        return response if response is not None else web.Response(status=202)

    @staticmethod
    async def _activity(request: web.Request) -> dict[str, Any]:
        """The activity, or `Malformed` saying why the body is not one Teams sends. It is read
        as the SDK will read it (`request.text()`, in the charset the request names) and
        parsed as the SDK will parse it, so what is checked here is what the SDK handles."""
        try:
            body = json_body(await request.text())
        except (UnicodeDecodeError, LookupError) as error:  # not in its charset, or no such
            raise Malformed("the body cannot be decoded") from error
        if not isinstance(body, dict) or not body.get("type"):
            raise Malformed("the body is not an activity")
        try:  # as `process` and `on_turn` will
            activity = Activity.model_validate(body)
            parsed = activity.model_dump(by_alias=True, exclude_none=True, mode="json")
        except Exception as error:  # pydantic's ValidationError, or the plain Exception the
            name = type(error).__name__  # SDK raises itself
            raise Malformed(f"the body is not an activity ({name})") from error
        translate.check(parsed)
        return parsed

    def _outsider(self, activity: dict[str, Any]) -> str | None:
        """Why a single-tenant bot (`MICROSOFT_APP_TENANT_ID`) ignores this activity: it comes
        from another organisation's tenant. None when it is ours (or the bot is multi-tenant)."""
        ours = self.config.tenant_id
        tenant = translate.tenant_of(activity)
        if not ours or not tenant or tenant == ours:
            return None
        return f"it comes from tenant {tenant}, not ours"

    # --- the SDK calls this for every activity ----------------------------------------------

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity.model_dump(by_alias=True, exclude_none=True, mode="json")
        if is_removal(activity):
            group = await self.members.uninstalled(activity)
            self._stored = {k: v for k, v in self._stored.items() if k[1] != group}
            return
        await self._remember(context, activity)
        if is_install(activity):
            if not await self.members.first_install(activity):
                return  # Teams tells of one install twice (conversationUpdate + installationUpdate)
            await self.members.installed(activity)
            if not translate.place(activity).is_direct:  # minutes for a big team: not in-turn
                self._background.spawn(self.members.reach_members(activity))
                return
            for hello in await self.conversation.welcome(translate.actor(activity)):
                await self._deliver(context, hello)
            return
        if activity.get("type") == "conversationUpdate":
            await self.members.members_changed(activity)
            return
        if activity.get("type") == "invoke":
            await self._invoked(context, activity)
            return
        if activity.get("type") == "messageReaction":
            for vote in translate.reactions(activity):
                await self.conversation.handle(vote)
            return
        event = translate.incoming(activity)
        if event is None:
            log.info("ignoring a Teams %s activity", activity.get("type"))
            return
        if isinstance(event, Command | Message) and event.mentions:
            event = await self._entra_mentions(activity, event)
        await self._answer(context, event)

    async def _entra_mentions(
        self, activity: dict[str, Any], event: Command | Message
    ) -> Command | Message:
        """Mentions name people by their Teams id (`29:…`); people are known by their Entra
        id, which the connector tells for anyone in this conversation."""
        client = await self.messenger.connector(str(activity.get("serviceUrl") or ""))
        conversation = translate.conversation_id(activity)
        resolved = []
        for mention in event.mentions:
            if mention.user_id.startswith("29:"):
                try:
                    account = await client.conversations.get_conversation_member(
                        conversation, mention.user_id
                    )
                    mention = Mention(account.aad_object_id or mention.user_id, mention.text)
                except aiohttp.ClientError as error:
                    log.info("no Entra id for a mention in %s: %s", conversation, error)
            resolved.append(mention)
        return dataclasses.replace(event, mentions=tuple(resolved))

    async def _answer(self, context: TurnContext, event: Incoming) -> None:
        """Hand one event to the core and deliver what it says, privately where it should be;
        what could not be sent stays owed, and is sent again later (`bot.conversation.owed`)."""
        answer = await self.conversation.handle(event)
        async with self.conversation.owed.settling(answer):
            await self._say(context, event, answer.actions)

    async def _say(self, context: TurnContext, event: Incoming, actions: list[Outgoing]) -> None:
        if event.place.is_direct:
            for action in actions:
                await self._deliver(context, action)
            return
        # In a channel or group chat, anything meant for one person goes to their 1:1 chat.
        private = [
            a for a in actions if isinstance(a, DirectMessage | Ephemeral | OpenForm | Upload)
        ]
        in_private = bool(private) and await self._private_chat(context, private[0].recipient)
        for action in actions:
            if not isinstance(action, DirectMessage | Ephemeral | OpenForm | Upload):
                await self._deliver(context, action)
            elif in_private:
                try:
                    await self.messenger.send(
                        action
                        if isinstance(action, OpenForm | Upload)
                        else DirectMessage(action.recipient, action.content)
                    )
                except Unreachable:  # they removed the app since; say how to add it back
                    in_private = False
        if private:
            await context.send_activity(
                texts.ANSWERED_PRIVATELY if in_private else texts.CANNOT_ANSWER_PRIVATELY
            )

    async def _remember(self, context: TurnContext, activity: dict[str, Any]) -> None:
        """Keep where this conversation can be reached, for the scheduler's proactive cards.

        A channel is kept once, as the channel (not per thread, nor per person who spoke)."""
        tenant = translate.tenant_of(activity)
        conversation = translate.conversation_id(activity)
        if not tenant or not conversation:
            return
        scope = str((activity.get("conversation") or {}).get("conversationType") or "personal")
        reference = context.activity.get_conversation_reference().model_dump(
            by_alias=True, exclude_none=True, mode="json"
        )
        reference.pop("activityId", None)  # this message's id: proactive sends don't need it
        reference.pop("requestId", None)
        reference["conversation"]["id"] = conversation
        if scope != "personal":
            reference.pop("user", None)
        key = (tenant, conversation)
        if _essentials(self._stored.get(key)) == _essentials(reference):
            return  # the same place: a new locale or name on each message is no reason to write
        user_id = translate.actor(activity).user_id if scope == "personal" else None
        async with self.store.transaction() as tx:
            await tx.teams_conversations.remember(
                tenant_id=tenant,
                conversation_id=conversation,
                scope=scope,
                reference=reference,
                at=self.clock.now(),
                user_id=user_id,
            )
        self._stored[key] = reference
        self.messenger.forget(tenant, user_id)

    async def _invoked(self, context: TurnContext, activity: dict[str, Any]) -> None:
        """Teams waits for an answer to every invoke: a card's Universal Action is handled like
        its submit, *Spotlight this* on a message is answered in the invoke's own reply; the
        rest (other message extensions, task modules…) are politely declined."""
        name = str(activity.get("name") or "")
        body: dict[str, Any] | None
        if name == "adaptiveCard/action":
            event = translate.card_action(activity)
            if event is not None:
                await self._answer(context, event)
            body = _invoke_body(name, texts.TEAMS_CARD_DONE)
        elif name == SUBMIT_ACTION and translate.command_of(activity) == SPOTLIGHT_COMMAND:
            body = await self._spotlight(activity)
        else:
            log.info("declining a Teams %s invoke", name or "nameless")
            body = _invoke_body(name, texts.TEAMS_NOT_SUPPORTED)
        response = InvokeResponse(status=200, body=body)
        await context.send_activity(Activity(type="invokeResponse", value=response))

    async def _spotlight(self, activity: dict[str, Any]) -> dict[str, Any] | None:
        """A leader's *Spotlight this*. What the core says to them comes back in the invoke's
        answer, a small message only they see (Teams' "task" message): nothing is posted in
        the channel. No answer at all when there is nothing to say (the toggle was off, or
        Teams retried an invoke already handled)."""
        press = translate.spotlight(activity)
        if press is None:
            return None
        said: list[str] = []
        answer = await self.conversation.handle(press)
        async with self.conversation.owed.settling(answer):
            for action in answer.actions:
                if isinstance(action, Ephemeral):
                    said.append(action.content.fallback)
                    continue
                try:  # anything for someone else goes where the messenger sends it
                    await self.messenger.send(action)
                except Unreachable as error:
                    log.info("could not send a spotlight's %s: %s", type(action).__name__, error)
        return {"task": {"type": "message", "value": "\n\n".join(said)}} if said else None

    async def settled(self) -> None:
        """Wait for background work started by earlier activities (tests, shutdown)."""
        await self._background.wait_idle()

    async def _private_chat(self, context: TurnContext, who: Actor) -> bool:
        """Teams has no "only visible to you" messages: personal answers to a channel command
        go to the person's 1:1 chat, opened now if need be. False if Teams won't allow one."""
        if await self.messenger.reachable(who.workspace_id, who.user_id):
            return True
        activity = context.activity
        if activity.recipient is None or activity.from_property is None:
            return False
        opened = await self.messenger.open_chat(
            who.workspace_id,
            who.user_id,
            activity.recipient,
            activity.from_property,
            str(activity.service_url),
        )
        return opened is not None

    async def _deliver(self, context: TurnContext, action: Outgoing) -> None:
        match action:
            case DirectMessage(content=content) | Ephemeral(content=content):
                await self._send_card(context, card(content), content.fallback)
            case Update(message_id=target, content=content):
                updated = card_activity(card(content), content.fallback)
                updated.id = target
                await context.update_activity(updated)
            case ChannelPost(content=content):
                await self._send_card(context, card(content), content.fallback)
            case OpenForm(form=form):  # Teams bots have no modals: the form comes as a card
                await self._send_card(context, form_card(form), form.title)
            case Upload(comment=comment):  # `_answer` sends it here only in the 1:1 chat
                await self._send_card(context, await self.files.card(action), comment.fallback)

    async def _send_card(self, context: TurnContext, rendered: dict[str, Any], text: str) -> None:
        await context.send_activity(card_activity(rendered, text))


def _bearer(header: str | None) -> str | None:
    """The token of `Authorization: Bearer <token>`, read as the SDK reads it; else None."""
    parts = (header or "").split(maxsplit=1)
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1].strip() or None


def _unusable_token(token: str) -> str | None:
    """Why the SDK could not check this token's signature, or None. The Bot Connector signs
    with RS256 and names its key (`kid`); the SDK fetches Microsoft's keys before it finds
    out otherwise, and fails (500) on a token naming no key at all."""
    try:
        header = jwt.get_unverified_header(token)
        jwt.decode(token, options={"verify_signature": False})  # the SDK reads its claims
    except (jwt.PyJWTError, RecursionError):
        return "is not a JWT"
    if header.get("alg") != "RS256":
        return "is not signed with RS256"
    kid = header.get("kid")
    if not isinstance(kid, str) or not 0 < len(kid) <= MAX_KEY_ID_CHARS:
        return "names no signing key"
    return None


class _RememberedKeys(jwt.PyJWKClient):
    """The key client the SDK makes for each of Microsoft's key endpoints (PyJWT's: the key
    set kept 5 minutes; an unknown `kid` refetches it at most every 30 seconds), except that a
    failed fetch is remembered for `KEY_FETCH_RETRY`: while the endpoint is down (or this
    machine is offline) a token costs no outbound request, nor a worker thread waiting on it."""

    def __init__(self, uri: str) -> None:
        super().__init__(uri, timeout=KEY_FETCH_TIMEOUT)
        self._failed_at: float | None = None

    def fetch_data(self) -> Any:
        # Called under the SDK's lock for this endpoint, so one fetch at a time.
        failed_at = self._failed_at
        if failed_at is not None and time.monotonic() - failed_at < KEY_FETCH_RETRY:
            raise jwt.PyJWKClientConnectionError("the key endpoint failed moments ago")
        try:
            keys = super().fetch_data()
        except jwt.PyJWTError:
            self._failed_at = time.monotonic()
            raise
        self._failed_at = None
        return keys


class _KeyClients(_JwkClientManager):
    """The SDK's key clients, one per key endpoint, made as `_RememberedKeys`."""

    def _get_jwk_client(self, jwks_uri: str) -> _JwkClientCacheEntry:
        if jwks_uri not in self._cache:
            self._cache[jwks_uri] = _JwkClientCacheEntry(
                _RememberedKeys(jwks_uri), threading.Lock()
            )
        return self._cache[jwks_uri]


def remember_key_fetches() -> None:
    """Have the SDK's token validator fetch keys through `_KeyClients`. It keeps its key
    clients on the class, for the whole process, so this is done once."""
    if not isinstance(JwtTokenValidator._jwk_client_manager, _KeyClients):
        JwtTokenValidator._jwk_client_manager = _KeyClients()  # type: ignore[no-untyped-call]


def _essentials(reference: dict[str, Any] | None) -> tuple[object, ...] | None:
    """What makes a conversation reference a different place to send to."""
    if reference is None:
        return None
    conversation, bot, user = (obj(reference.get(k)) for k in ("conversation", "bot", "user"))
    return (
        reference.get("serviceUrl"),
        reference.get("channelId"),
        conversation.get("id"),
        conversation.get("tenantId"),
        conversation.get("conversationType"),
        bot.get("id"),
        user.get("id"),
        user.get("aadObjectId"),
    )


def _invoke_body(name: str, text: str) -> dict[str, Any]:
    """The answer each kind of invoke expects, carrying a short message for the person."""
    if name.startswith("task/"):
        return {"task": {"type": "message", "value": text}}
    if name.startswith("composeExtension/"):
        return {"composeExtension": {"type": "message", "text": text}}
    return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}

"""The Teams bot: `POST /api/messages` through the Microsoft 365 Agents SDK's CloudAdapter.

Every activity is checked by the SDK's JWT middleware when `MICROSOFT_APP_ID` is set; without
it, only the explicit local mode (`TINYSTEPS_TEAMS_INSECURE_LOCAL=1`, loopback only, checked at
start-up) accepts anonymous activities. Replies go back to the activity's `serviceUrl` as
Adaptive Cards; an answered prompt card is updated in place so it cannot be submitted twice.
"""

from __future__ import annotations

import json
import logging
import warnings
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from microsoft_agents.activity import Activity, ChannelAccount, InvokeResponse
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    RestChannelServiceClientFactory,
    TurnContext,
)

from adapters.background import Background
from adapters.payload import obj
from bot import texts
from bot.conversation import Conversation, replies
from bot.model import (
    Actor,
    ChannelPost,
    DirectMessage,
    Ephemeral,
    Incoming,
    OpenForm,
    Outgoing,
    Update,
)
from bot.people.roster import Member, Roster
from bot.ports import Clock, Unreachable

from . import translate
from .cards import card_activity
from .messenger import TeamsMessenger
from .references import TeamsStore
from .render import card, form_card
from .roster import Reach, member_of, open_chats, read_roster, roster_entries

log = logging.getLogger(__name__)


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
    ) -> None:
        if not (config.app_id or config.insecure_local):
            raise ValueError("Teams needs MICROSOFT_APP_ID, or the explicit insecure local mode")
        self.conversation = conversation
        self.roster = roster
        self.store = store
        self.clock = clock
        self.config = config
        self._auth = _auth_configuration(config)
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
        self.messenger = TeamsMessenger(
            self.adapter, self.clients, store, clock, app_id=config.app_id
        )
        self._background = Background("Teams")

    async def _on_turn_error(self, context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed", exc_info=error)
        if context.activity.type == "message":
            await context.send_activity(texts.SOMETHING_WENT_WRONG)

    def setup(self, app: web.Application) -> None:
        with warnings.catch_warnings():  # the SDK's JWT middleware reads this plain-str key
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            app["agent_configuration"] = self._auth
        handler = self.handle
        if self.config.app_id:
            handler = jwt_authorization_decorator(handler)  # type: ignore[no-untyped-call]
        app.router.add_post("/api/messages", handler)

        async def close(_: web.Application) -> None:
            await self.settled()
            await self.messenger.close()

        app.on_cleanup.append(close)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            log.warning("refusing a Teams request whose body is not JSON")
            return web.json_response({"error": "body must be a JSON activity"}, status=400)
        if not isinstance(body, dict) or not body.get("type"):
            log.warning("refusing a Teams request that is not an activity")
            return web.json_response({"error": "not an activity"}, status=400)
        response = await self.adapter.process(request, self)
        return response if response is not None else web.Response(status=202)

    # --- the SDK calls this for every activity ----------------------------------------------

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity.model_dump(by_alias=True, exclude_none=True, mode="json")
        if _is_removal(activity):
            await self._uninstalled(activity)
            return
        await self._remember(context, activity)
        if _is_install(activity):
            if not await self._first_install(activity):
                return  # Teams tells of one install twice (conversationUpdate + installationUpdate)
            await self._installed(activity)
            if not translate.place(activity).is_direct:  # minutes for a big team: not in-turn
                self._background.spawn(self._reach_members(activity))
                return
            for hello in await self.conversation.welcome(translate.actor(activity)):
                await self._deliver(context, hello)
            return
        if activity.get("type") == "conversationUpdate":
            await self._members_changed(activity)
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
        await self._answer(context, event)

    async def _answer(self, context: TurnContext, event: Incoming) -> None:
        """Hand one event to the core and deliver what it says, privately where it should be."""
        actions = await self.conversation.handle(event)
        if event.place.is_direct:
            for action in actions:
                await self._deliver(context, action)
            return
        # In a channel or group chat, anything meant for one person goes to their 1:1 chat.
        private = [a for a in actions if isinstance(a, DirectMessage | Ephemeral | OpenForm)]
        in_private = bool(private) and await self._private_chat(context, private[0].recipient)
        for action in actions:
            if not isinstance(action, DirectMessage | Ephemeral | OpenForm):
                await self._deliver(context, action)
            elif in_private:
                try:
                    await self.messenger.send(
                        action
                        if isinstance(action, OpenForm)
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

    async def _first_install(self, activity: dict[str, Any]) -> bool:
        """Whether this is the first word of an install today: Teams sends `conversationUpdate`
        and `installationUpdate` for one install, and the team should hear hello once."""
        now = self.clock.now()
        key = f"install:{translate.conversation_id(activity)}:{now.date().isoformat()}"
        async with self.store.transaction() as tx:
            return await tx.events.first_time(translate.PLATFORM, key, at=now)

    async def _uninstalled(self, activity: dict[str, Any]) -> None:
        """Removed from a team or group chat: its memberships go, and whoever is now in no team
        or chat with Tiny Steps has left (not asked any more; their entries are kept)."""
        tenant = translate.tenant_of(activity)
        if translate.place(activity).is_direct:
            log.info("Tiny Steps was removed from a personal chat in %s", tenant)
            return  # their chat answers 403 from now on: the schedule counts them unreachable
        group = _group_of(activity)
        async with self.store.transaction() as tx:
            gone = await tx.teams_conversations.disband(tenant, group)
        self._stored = {k: v for k, v in self._stored.items() if k[1] != group}
        await self._left(tenant, gone)
        log.info("Tiny Steps was removed from %s in %s (%d left)", group, tenant, len(gone))

    async def _left(self, tenant: str, user_ids: list[str]) -> None:
        for user_id in user_ids:
            await self.roster.member(translate.PLATFORM, tenant, Member(user_id, active=False))

    async def _members_changed(self, activity: dict[str, Any]) -> None:
        """People joined or left a team or group chat that has Tiny Steps."""
        tenant, group = translate.tenant_of(activity), _group_of(activity)
        removed = [
            member_of(ChannelAccount.model_validate(m)).user_id
            for m in _people(activity, "membersRemoved")
        ]
        if removed:
            async with self.store.transaction() as tx:
                gone = await tx.teams_conversations.leave(tenant, group, removed)
            await self._left(tenant, gone)
        added = _people(activity, "membersAdded")
        if added:  # a chat to open each, maybe slowly: not in-turn
            self._background.spawn(self._reach_newcomers(activity, added))
        if not (added or removed):
            log.info("ignoring a Teams %s", _event_type(activity) or "conversationUpdate")

    async def _invoked(self, context: TurnContext, activity: dict[str, Any]) -> None:
        """Teams waits for an answer to every invoke: a card's Universal Action is handled like
        its submit; the rest (message extensions, task modules…) are politely declined."""
        name = str(activity.get("name") or "")
        if name == "adaptiveCard/action":
            event = translate.card_action(activity)
            if event is not None:
                await self._answer(context, event)
            body = _invoke_body(name, texts.TEAMS_CARD_DONE)
        else:
            log.info("declining a Teams %s invoke", name or "nameless")
            body = _invoke_body(name, texts.TEAMS_NOT_SUPPORTED)
        response = InvokeResponse(status=200, body=body)
        await context.send_activity(Activity(type="invokeResponse", value=response))

    async def _installed(self, activity: dict[str, Any]) -> None:
        """The tenant becomes a school (or joins the one it maps to); the installer its admin."""
        who = translate.actor(activity)
        team = ((activity.get("channelData") or {}).get("team") or {}).get("name") or ""
        await self.roster.installed(
            translate.PLATFORM,
            who.workspace_id,
            str(team),
            Member(who.user_id, who.display_name),
            first_admin_only=True,
        )

    async def _reach_members(self, activity: dict[str, Any]) -> None:
        """Everyone in the team or group chat becomes staff with a 1:1 chat; the team hears
        hello and the school's admins (privately) who is missing."""
        client = await self.messenger.connector(str(activity["serviceUrl"]))
        accounts = await read_roster(client, _group_of(activity))
        reach = await self._reach(activity, client, accounts)
        reached, missing = len(reach.references), reach.unreachable
        here = translate.conversation_id(activity)
        tenant = translate.tenant_of(activity)
        await self._post_here(tenant, here, texts.team_reached(reached, reached + len(missing)))
        await self._report_missing(activity, missing)

    async def _reach_newcomers(self, activity: dict[str, Any], added: list[dict[str, Any]]) -> None:
        """People who joined a team or group chat later are reached like the install reached
        the others: staff, a 1:1 chat where Teams allows, the admins told of the rest."""
        client = await self.messenger.connector(str(activity["serviceUrl"]))
        group = _group_of(activity)
        accounts = [await _member_account(client, group, m) for m in added]
        reach = await self._reach(activity, client, accounts)
        await self._report_missing(activity, reach.unreachable)

    async def _reach(
        self, activity: dict[str, Any], client: Any, accounts: list[ChannelAccount]
    ) -> Reach:
        tenant = translate.tenant_of(activity)
        service_url = str(activity["serviceUrl"])
        bot = ChannelAccount.model_validate(activity["recipient"])
        members = [member_of(a) for a in accounts]
        await self.roster.sync(translate.PLATFORM, tenant, members)
        async with self.store.transaction() as tx:  # first: a stop halfway loses nobody
            await tx.teams_conversations.remember_roster(
                tenant, roster_entries(bot, accounts, service_url), at=self.clock.now()
            )
            await tx.teams_conversations.join(
                tenant, _group_of(activity), [m.user_id for m in members], at=self.clock.now()
            )
        reach = await open_chats(client, bot, accounts, tenant, service_url)
        await self.messenger.remember_chats(tenant, reach.references)
        return reach

    async def _report_missing(self, activity: dict[str, Any], missing: list[str]) -> None:
        if not missing:
            return
        tenant, here = translate.tenant_of(activity), translate.conversation_id(activity)
        team = obj(obj(activity.get("channelData")).get("team"))
        note = texts.team_missing(str(team.get("name") or ""), missing)
        if not await self._tell_admins(tenant, note):  # no admin to tell privately
            await self._post_here(tenant, here, note)

    async def _post_here(self, tenant: str, conversation: str, text: str) -> None:
        post = ChannelPost(translate.PLATFORM, tenant, conversation, replies.say(text))
        try:
            await self.messenger.send(post)
        except Unreachable:
            log.warning("could not post in %s: Tiny Steps was removed again?", conversation)

    async def settled(self) -> None:
        """Wait for background work started by earlier activities (tests, shutdown)."""
        await self._background.wait_idle()

    async def _tell_admins(self, tenant: str, text: str) -> int:
        """Send the school's Teams admins a private note; how many it reached."""
        admins = await self.roster.admins(translate.PLATFORM, tenant)
        told = 0
        for admin in admins:
            try:
                await self.messenger.send(DirectMessage(admin, replies.say(text)))
                told += 1
            except Unreachable:
                log.info("admin %s can't be told privately", admin.user_id)
        return told

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

    async def _send_card(self, context: TurnContext, rendered: dict[str, Any], text: str) -> None:
        await context.send_activity(card_activity(rendered, text))


def _is_install(activity: dict[str, Any]) -> bool:
    """Tiny Steps added to a personal chat, team or group chat (an upgrade is not an install:
    the team already has it, and hears nothing)."""
    if activity.get("type") == "installationUpdate":
        return bool(activity.get("action", "add") == "add")
    if activity.get("type") == "conversationUpdate":
        return _bot_among(activity, "membersAdded")
    return False


def _is_removal(activity: dict[str, Any]) -> bool:
    """Tiny Steps removed from a team or group chat (or a person's own chat)."""
    if activity.get("type") == "installationUpdate":
        return bool(activity.get("action") == "remove")
    if activity.get("type") == "conversationUpdate":
        return _bot_among(activity, "membersRemoved")
    return False


def _bot_among(activity: dict[str, Any], key: str) -> bool:
    bot_id = obj(activity.get("recipient")).get("id")
    return any(obj(member).get("id") == bot_id for member in activity.get(key) or [])


def _people(activity: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The people (not the bot) in `membersAdded` or `membersRemoved`."""
    bot_id = obj(activity.get("recipient")).get("id")
    found = [obj(m) for m in activity.get(key) or []]
    return [m for m in found if m.get("id") and m.get("id") != bot_id]


def _group_of(activity: dict[str, Any]) -> str:
    """The team (by its id) or group chat a membership change is about."""
    team = obj(obj(activity.get("channelData")).get("team"))
    return str(team.get("id") or translate.conversation_id(activity))


def _event_type(activity: dict[str, Any]) -> str:
    return str(obj(activity.get("channelData")).get("eventType") or "")


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


async def _member_account(client: Any, group: str, added: dict[str, Any]) -> ChannelAccount:
    """A newcomer's full account (name, Entra id) from the connector, else what Teams sent."""
    try:
        account: ChannelAccount = await client.conversations.get_conversation_member(
            group, str(added["id"])
        )
        return account
    except aiohttp.ClientError as error:
        log.info("no details for %s in %s: %s", added.get("id"), group, error)
        return ChannelAccount.model_validate(added)

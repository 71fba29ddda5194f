"""Who is in a team or group chat with Tiny Steps: installs, removals, people joining and
leaving, and reaching them all (a roster read, a 1:1 chat each, the admins told who is missing).

A big team takes minutes of connector calls, so reaching its members runs after the
activity has been answered, in the background.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from microsoft_agents.activity import ChannelAccount

from adapters.background import Background
from adapters.payload import obj
from bot import texts
from bot.conversation import replies
from bot.model import ChannelPost, DirectMessage
from bot.people.roster import Member, Roster, UnknownWorkspace
from bot.ports import Clock, Unreachable

from . import translate
from .messenger import TeamsMessenger
from .references import TeamsStore
from .roster import Reach, member_of, open_chats, read_roster, roster_entries

log = logging.getLogger(__name__)


class TeamMembers:
    def __init__(
        self,
        *,
        roster: Roster,
        store: TeamsStore,
        clock: Clock,
        messenger: TeamsMessenger,
        background: Background,
    ) -> None:
        self._roster = roster
        self._store = store
        self._clock = clock
        self._messenger = messenger
        self._background = background

    async def first_install(self, activity: dict[str, Any]) -> bool:
        """Whether this is the first word of an install today: Teams sends `conversationUpdate`
        and `installationUpdate` for one install, and the team should hear hello once."""
        now = self._clock.now()
        key = f"install:{translate.conversation_id(activity)}:{now.date().isoformat()}"
        async with self._store.transaction() as tx:
            return await tx.events.first_time(translate.PLATFORM, key, at=now)

    async def uninstalled(self, activity: dict[str, Any]) -> str:
        """Removed from a team or group chat: its memberships go, and whoever is now in no team
        or chat with Tiny Steps has left (not asked any more; their entries are kept).
        The conversation it was removed from."""
        tenant = translate.tenant_of(activity)
        group = group_of(activity)
        if translate.place(activity).is_direct:
            log.info("Tiny Steps was removed from a personal chat in %s", tenant)
            return group  # their chat answers 403 from now on: the schedule says unreachable
        async with self._store.transaction() as tx:
            gone = await tx.teams_conversations.disband(tenant, group)
        await self._left(tenant, gone)
        log.info("Tiny Steps was removed from %s in %s (%d left)", group, tenant, len(gone))
        return group

    async def _left(self, tenant: str, user_ids: list[str]) -> None:
        for user_id in user_ids:
            await self._roster.member(translate.PLATFORM, tenant, Member(user_id, active=False))

    async def members_changed(self, activity: dict[str, Any]) -> None:
        """People joined or left a team or group chat that has Tiny Steps."""
        tenant, group = translate.tenant_of(activity), group_of(activity)
        removed = [
            member_of(ChannelAccount.model_validate(m)).user_id
            for m in _people(activity, "membersRemoved")
        ]
        if removed:
            async with self._store.transaction() as tx:
                gone = await tx.teams_conversations.leave(tenant, group, removed)
            await self._left(tenant, gone)
        added = _people(activity, "membersAdded")
        if added:  # a chat to open each, maybe slowly: not in-turn
            self._background.spawn(self._reach_newcomers(activity, added))
        if not (added or removed):
            log.info(
                "ignoring a Teams %s",
                str(obj(activity.get("channelData")).get("eventType") or "conversationUpdate"),
            )

    async def installed(self, activity: dict[str, Any]) -> None:
        """The tenant becomes a school (or joins the one it maps to); the installer its admin."""
        who = translate.actor(activity)
        team = ((activity.get("channelData") or {}).get("team") or {}).get("name") or ""
        await self._roster.installed(
            translate.PLATFORM,
            who.workspace_id,
            str(team),
            Member(who.user_id, who.display_name),
            first_admin_only=True,
        )

    async def reach_members(self, activity: dict[str, Any]) -> None:
        """Everyone in the team or group chat becomes staff with a 1:1 chat; the team hears
        hello and the school's admins (privately) who is missing."""
        client = await self._messenger.connector(str(activity["serviceUrl"]))
        accounts = await read_roster(client, group_of(activity))
        reach = await self._reach(activity, client, accounts)
        reached, missing = len(reach.references), reach.unreachable
        here = translate.conversation_id(activity)
        tenant = translate.tenant_of(activity)
        await self._post_here(tenant, here, texts.team_reached(reached, reached + len(missing)))
        await self._report_missing(activity, missing)

    async def _reach_newcomers(self, activity: dict[str, Any], added: list[dict[str, Any]]) -> None:
        """People who joined a team or group chat later are reached like the install reached
        the others: staff, a 1:1 chat where Teams allows, the admins told of the rest."""
        client = await self._messenger.connector(str(activity["serviceUrl"]))
        group = group_of(activity)
        accounts = [await _member_account(client, group, m) for m in added]
        try:
            reach = await self._reach(activity, client, accounts)
        except UnknownWorkspace:  # Tiny Steps was never installed for this tenant: nobody to add
            log.info("ignoring new members of a team in a tenant with no school")
            return
        await self._report_missing(activity, reach.unreachable)

    async def _reach(
        self, activity: dict[str, Any], client: Any, accounts: list[ChannelAccount]
    ) -> Reach:
        tenant = translate.tenant_of(activity)
        service_url = str(activity["serviceUrl"])
        bot = ChannelAccount.model_validate(activity["recipient"])
        members = [member_of(a) for a in accounts]
        await self._roster.sync(translate.PLATFORM, tenant, members)
        async with self._store.transaction() as tx:  # first: a stop halfway loses nobody
            await tx.teams_conversations.remember_roster(
                tenant, roster_entries(bot, accounts, service_url), at=self._clock.now()
            )
            await tx.teams_conversations.join(
                tenant, group_of(activity), [m.user_id for m in members], at=self._clock.now()
            )
        reach = await open_chats(client, bot, accounts, tenant, service_url)
        await self._messenger.remember_chats(tenant, reach.references)
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
            await self._messenger.send(post)
        except Unreachable:
            log.warning("could not post in %s: Tiny Steps was removed again?", conversation)

    async def _tell_admins(self, tenant: str, text: str) -> int:
        """Send the school's Teams admins a private note; how many it reached."""
        admins = await self._roster.admins(translate.PLATFORM, tenant)
        told = 0
        for admin in admins:
            try:
                await self._messenger.send(DirectMessage(admin, replies.say(text)))
                told += 1
            except Unreachable:
                log.info("admin %s can't be told privately", admin.user_id)
        return told


def is_install(activity: dict[str, Any]) -> bool:
    """Tiny Steps added to a personal chat, team or group chat (an upgrade is not an install:
    the team already has it, and hears nothing)."""
    if activity.get("type") == "installationUpdate":
        return bool(activity.get("action", "add") == "add")
    if activity.get("type") == "conversationUpdate":
        return _bot_among(activity, "membersAdded")
    return False


def is_removal(activity: dict[str, Any]) -> bool:
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


def group_of(activity: dict[str, Any]) -> str:
    """The team (by its id) or group chat a membership change is about."""
    team = obj(obj(activity.get("channelData")).get("team"))
    return str(team.get("id") or translate.conversation_id(activity))


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

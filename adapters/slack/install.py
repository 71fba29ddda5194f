"""A Slack workspace arriving: adopted at start-up (one bot token) or installed through OAuth,
it becomes a school and its members staff, read from `users.list` page by page."""

from __future__ import annotations

import logging

from slack_bolt.oauth.async_callback_options import AsyncSuccessArgs
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.background import Background
from bot.people.roster import Member, Roster

from . import translate
from .workspaces import Workspaces

log = logging.getLogger(__name__)

MEMBERS_PAGE = 200


class Installs:
    def __init__(self, roster: Roster, workspaces: Workspaces, background: Background) -> None:
        self._roster = roster
        self._workspaces = workspaces
        self._background = background

    async def adopt(self, client: AsyncWebClient) -> None:
        """Single-workspace mode: the token's workspace becomes a school at start-up."""
        identity = await client.auth_test()
        team_id, team_name = str(identity["team_id"]), str(identity.get("team") or "")
        await self._roster.workspace(translate.PLATFORM, team_id, team_name)
        await self.sync_members(client, team_id)

    async def installed(self, args: AsyncSuccessArgs) -> BoltResponse:
        """OAuth: the installer looks after the new school; its members follow in the
        background (a big workspace takes a while), after Slack has its answer."""
        installation = args.installation
        team_id = str(installation.team_id or "")
        await self._roster.installed(
            translate.PLATFORM,
            team_id,
            str(installation.team_name or ""),
            Member(str(installation.user_id)),
        )
        self._workspaces.forget(team_id)
        client = await self._workspaces.client(team_id)
        self._background.spawn(self.sync_members(client, team_id))
        response: BoltResponse = await args.default.success(args)
        return response

    async def sync_members(self, client: AsyncWebClient, team_id: str) -> None:
        members: list[Member] = []
        async for page in await client.users_list(limit=MEMBERS_PAGE):
            for user in page.get("members") or []:
                member = translate.member(user, team_id)
                if member is not None:
                    members.append(member)
        report = await self._roster.sync(translate.PLATFORM, team_id, members)
        log.info(
            "Slack workspace %s: %d new, %d updated, %d left",
            team_id,
            report.added,
            report.updated,
            report.left,
        )

"""Reaching everyone in a team: its roster becomes staff, and each member gets a 1:1 chat.

Teams lets a bot message someone only where it is installed for them. When Tiny Steps is added
to a team, it asks the team's roster and creates a personal conversation with each member;
those Teams refuses (the app isn't installed for them) are listed for the installer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from microsoft_agents.activity import ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.teams import TeamsInfo

from bot.roster import Member

log = logging.getLogger(__name__)

ROSTER_PAGE = 500  # Teams allows up to 500 members a page (the SDK needs it given)


@dataclass
class Reach:
    members: list[Member] = field(default_factory=list)
    references: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id → reference
    unreachable: list[str] = field(default_factory=list)  # display names


async def reach_team(context: TurnContext, tenant: str) -> Reach:
    """The team's members, and a personal conversation reference for each one Teams allows."""
    reach = Reach()
    roster = await TeamsInfo.get_paged_team_members(context, page_size=ROSTER_PAGE)
    client: Any = context.turn_state.get("ConnectorClient")  # the SDK's own key (see TeamsInfo)
    activity = context.activity
    bot = activity.recipient
    if bot is None or client is None:
        raise ValueError("an install activity names the bot and carries a connector client")
    for account in roster.members or []:
        user_id = str(account.aad_object_id or account.id)
        name = str(account.name or "")
        reach.members.append(Member(user_id, name))
        params = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[ChannelAccount(id=account.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        try:
            created = await client.conversations.create_conversation(params)
        except aiohttp.ClientResponseError as error:
            log.info("cannot open a chat with %s in %s: %s", user_id, tenant, error.status)
            reach.unreachable.append(name or user_id)
            continue
        reach.references[user_id] = {
            "bot": bot.model_dump(by_alias=True, exclude_none=True),
            "user": {"id": account.id, "name": name, "aadObjectId": user_id},
            "conversation": {
                "id": created.id,
                "conversationType": "personal",
                "tenantId": tenant,
            },
            "channelId": "msteams",
            "serviceUrl": activity.service_url,
        }
    return reach

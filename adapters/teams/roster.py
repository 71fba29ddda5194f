"""Reaching everyone in a team or group chat: its members become staff, each gets a 1:1 chat.

Teams lets a bot message someone only where it is installed for them. When Tiny Steps is added
to a team or group chat, it reads the roster and creates a personal conversation with each member;
those Teams refuses (the app isn't installed for them) are listed for the installer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from microsoft_agents.activity import ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core import TurnContext

from bot.roster import Member

log = logging.getLogger(__name__)

ROSTER_PAGE = 500  # Teams allows up to 500 members a page (the SDK needs it given)


@dataclass
class Reach:
    members: list[Member] = field(default_factory=list)
    references: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id → reference
    unreachable: list[str] = field(default_factory=list)  # display names


async def reach_members(context: TurnContext, tenant: str) -> Reach:
    """The team's (or group chat's) members, and a 1:1 chat reference for each Teams allows."""
    reach = Reach()
    client: Any = context.turn_state.get("ConnectorClient")  # the SDK's own turn-state key
    activity = context.activity
    bot = activity.recipient
    if bot is None or client is None:
        raise ValueError("an install activity names the bot and carries a connector client")
    async for account in _roster(context, client):
        user_id = str(account.aad_object_id or account.id)
        name = str(account.name or "")
        reach.members.append(Member(user_id, name))
        reference = await open_personal_chat(
            client, bot, account, tenant, str(activity.service_url)
        )
        if reference is None:
            reach.unreachable.append(name or user_id)
        else:
            reach.references[user_id] = reference
    return reach


async def _roster(context: TurnContext, client: Any) -> AsyncIterator[ChannelAccount]:
    """Every member of the team (its id is in channelData) or group chat, a page at a time."""
    channel_data: dict[str, Any] = context.activity.channel_data or {}  # type: ignore[assignment]
    team = channel_data.get("team") or {}
    conversation = context.activity.conversation
    where = str(team.get("id") or (conversation.id if conversation else ""))
    token: str | None = None
    while True:
        page = await client.conversations.get_conversation_paged_members(where, ROSTER_PAGE, token)
        for account in page.members or []:
            yield account
        token = page.continuation_token
        if not token:
            return


async def open_personal_chat(
    client: Any,
    bot: ChannelAccount,
    account: ChannelAccount,
    tenant: str,
    service_url: str,
) -> dict[str, Any] | None:
    """A 1:1 chat's conversation reference, or None when Teams won't open one (not installed)."""
    user_id = str(account.aad_object_id or account.id)
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
        return None
    return {
        "bot": bot.model_dump(by_alias=True, exclude_none=True),
        "user": {"id": account.id, "name": account.name or "", "aadObjectId": user_id},
        "conversation": {"id": created.id, "conversationType": "personal", "tenantId": tenant},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }

"""Reaching everyone in a team or group chat: its members become staff, each gets a 1:1 chat.

Teams lets a bot message someone only where it is installed for them. When Tiny Steps is added
to a team or group chat, it reads the roster and creates a personal conversation with each member;
those Teams refuses (the app isn't installed for them) are listed for the school's admins.
A big team takes minutes of connector calls, so this runs after the install has been answered.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from microsoft_agents.activity import ChannelAccount, ConversationParameters

from adapters.pacing import retry_after
from bot.people.roster import Member
from bot.ports import RateLimited

log = logging.getLogger(__name__)

ROSTER_PAGE = 500  # Teams allows up to 500 members a page (the SDK needs it given)
OPENING_AT_ONCE = 4  # 1:1 chats being created at the same time: well inside Teams' limits
MAX_TRIES = 5  # a chat refused with 429 this often is left to the schedule
MAX_WAIT = 60.0  # seconds at most between those tries


@dataclass
class Reach:
    references: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id → reference
    unreachable: list[str] = field(default_factory=list)  # display names


def member_of(account: ChannelAccount) -> Member:
    """People are keyed by their Entra object id (see translate.py)."""
    return Member(str(account.aad_object_id or account.id), str(account.name or ""))


def roster_entries(
    bot: ChannelAccount, accounts: list[ChannelAccount], service_url: str
) -> dict[str, dict[str, Any]]:
    """What opening each member's 1:1 chat later needs, by user id (see storage/teams.py)."""
    return {
        member_of(account).user_id: {
            "bot": bot.model_dump(by_alias=True, exclude_none=True),
            "user": account.model_dump(by_alias=True, exclude_none=True),
            "serviceUrl": service_url,
        }
        for account in accounts
    }


async def read_roster(client: Any, where: str) -> list[ChannelAccount]:
    """Every member of a team (by its id) or group chat, a page at a time."""
    members: list[ChannelAccount] = []
    token: str | None = None
    while True:
        page = await client.conversations.get_conversation_paged_members(where, ROSTER_PAGE, token)
        members.extend(page.members or [])
        token = page.continuation_token
        if not token:
            return members


async def open_chats(
    client: Any,
    bot: ChannelAccount,
    accounts: list[ChannelAccount],
    tenant: str,
    service_url: str,
) -> Reach:
    """A 1:1 chat with each member Teams allows, a few at a time."""
    reach = Reach()
    limit = asyncio.Semaphore(OPENING_AT_ONCE)

    async def one(account: ChannelAccount) -> tuple[ChannelAccount, dict[str, Any] | None]:
        async with limit:
            for _ in range(MAX_TRIES):
                try:
                    return account, await open_personal_chat(
                        client, bot, account, tenant, service_url
                    )
                except RateLimited as limited:  # in the background: waiting is fine
                    await asyncio.sleep(min(limited.retry_after, MAX_WAIT))
            return account, None  # the schedule will try again from the roster

    for account, reference in await asyncio.gather(*(one(a) for a in accounts)):
        member = member_of(account)
        if reference is None:
            reach.unreachable.append(member.display_name or member.user_id)
        else:
            reach.references[member.user_id] = reference
    return reach


async def open_personal_chat(
    client: Any,
    bot: ChannelAccount,
    account: ChannelAccount,
    tenant: str,
    service_url: str,
) -> dict[str, Any] | None:
    """A 1:1 chat's conversation reference, or None when Teams won't open one (not installed)."""
    user_id = member_of(account).user_id
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
        if error.status == 429:  # not "can't": "not now"
            raise RateLimited(retry_after(error.headers or {})) from error
        log.info("cannot open a chat with %s in %s: %s", user_id, tenant, error.status)
        return None
    return {
        "bot": bot.model_dump(by_alias=True, exclude_none=True),
        "user": {"id": account.id, "name": account.name or "", "aadObjectId": user_id},
        "conversation": {"id": created.id, "conversationType": "personal", "tenantId": tenant},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }

"""Who a Slack user is: `users.info`, cached for an hour per workspace.

A profile gives a person's display name, time zone and whether they are a guest, and the names
that `<@U…>` mentions are stored as. It is nice to have, never a reason to fail: when Slack
won't say, the last answer (or nothing) is used.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.model import Actor

from . import translate
from .markup import mentioned_users

log = logging.getLogger(__name__)

PROFILE_TTL = 3600.0  # seconds a cached users.info answer is trusted
MAX_MENTIONS = 10  # people looked up per message; more are stored as their ids


class Profiles:
    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}

    def remember(self, team: str, user: dict[str, Any]) -> None:
        """A user object Slack sent anyway (`team_join`, `user_change`): no lookup needed."""
        self._cache[(team, str(user.get("id") or ""))] = (time.monotonic(), dict(user))

    async def actor(self, client: AsyncWebClient, body: dict[str, Any], user_id: str) -> Actor:
        team = translate.team_of(body)
        return translate.actor(team, user_id, await self.profile(client, team, user_id))

    async def names(
        self, client: AsyncWebClient, body: dict[str, Any], text: str
    ) -> dict[str, str]:
        """Display names of the people mentioned in `text`, so `<@U2>` is stored as `@Ada`."""
        team = translate.team_of(body)
        names: dict[str, str] = {}
        for user_id in sorted(mentioned_users(text))[:MAX_MENTIONS]:
            profile = await self.profile(client, team, user_id)
            if profile and (name := translate.name_of(profile)):
                names[user_id] = name
        return names

    async def profile(
        self, client: AsyncWebClient, team: str, user_id: str
    ) -> dict[str, Any] | None:
        key = (team, user_id)
        cached = self._cache.get(key)
        if cached is None or time.monotonic() - cached[0] > PROFILE_TTL:
            try:
                response = await client.users_info(user=user_id)
            except SlackApiError as error:
                log.info("no profile for %s: %s", user_id, error.response.get("error"))
                return cached[1] if cached else None
            cached = self._cache[key] = (time.monotonic(), dict(response.get("user") or {}))
        return cached[1]

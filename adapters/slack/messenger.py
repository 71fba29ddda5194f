"""Sending to Slack through the Web API: direct messages, channel posts, updates.

Scheduled messages carry their delivery key in Slack message `metadata`, so after a crash
`find` can read the DM's recent history and tell whether the message already arrived.
A 429 becomes `RateLimited`, so the scheduler puts that one message back instead of sleeping.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.model import Actor, ChannelPost, DirectMessage, Ephemeral, Outgoing, Update
from bot.ports import RateLimited

from .render import blocks, fallback

log = logging.getLogger(__name__)

METADATA_TYPE = "tinysteps_delivery"
HISTORY_LOOKBACK = 20
DEFAULT_RETRY_AFTER = 30.0


def message_id(channel: str, ts: str) -> str:
    """Slack needs both to update a message later."""
    return f"{channel}:{ts}"


def split_id(value: str) -> tuple[str, str]:
    channel, _, ts = value.partition(":")
    return channel, ts


class SlackMessenger:
    """Implements `bot.ports.Messenger` for one workspace's bot token."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def send(self, action: Outgoing) -> str | None:
        try:
            return await self._send(action)
        except SlackApiError as error:
            if error.response.status_code == 429:
                raise RateLimited(_retry_after(error)) from error
            raise

    async def _send(self, action: Outgoing) -> str | None:
        match action:
            case DirectMessage(recipient=who, content=content, key=key):
                channel = await self._dm_channel(who)
                extra: dict[str, Any] = {}
                if key:
                    extra["metadata"] = {"event_type": METADATA_TYPE, "event_payload": {"key": key}}
                response = await self._client.chat_postMessage(
                    channel=channel, text=fallback(content), blocks=blocks(content), **extra
                )
                return message_id(str(response["channel"]), str(response["ts"]))
            case ChannelPost(channel_id=channel, content=content):
                response = await self._client.chat_postMessage(
                    channel=channel, text=fallback(content), blocks=blocks(content)
                )
                return message_id(str(response["channel"]), str(response["ts"]))
            case Ephemeral(recipient=who, place=place, content=content):
                await self._client.chat_postEphemeral(
                    channel=place.channel_id,
                    user=who.user_id,
                    text=fallback(content),
                    blocks=blocks(content),
                )
                return None
            case Update(message_id=target, content=content):
                channel, ts = split_id(target)
                await self._client.chat_update(
                    channel=channel, ts=ts, text=fallback(content), blocks=blocks(content)
                )
                return target

    async def find(self, recipient: Actor, key: str) -> str | None:
        channel = await self._dm_channel(recipient)
        history = await self._client.conversations_history(
            channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
        )
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_TYPE
                and (metadata.get("event_payload") or {}).get("key") == key
            ):
                return message_id(channel, str(message["ts"]))
        return None

    async def _dm_channel(self, who: Actor) -> str:
        response = await self._client.conversations_open(users=who.user_id)
        return str(response["channel"]["id"])


def _retry_after(error: SlackApiError) -> float:
    raw = error.response.headers.get("Retry-After") or error.response.headers.get("retry-after")
    try:
        return float(raw) if raw is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER

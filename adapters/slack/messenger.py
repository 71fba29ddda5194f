"""Sending to Slack through the Web API: direct messages, channel posts, updates, files.

Scheduled messages carry their delivery key in Slack message `metadata`, so after a crash
`find` can read the DM's recent history and tell whether the message already arrived.
Posts are paced per channel; a 429 waits on the workspace's gate and is retried by slack-sdk,
and only if Slack keeps refusing does it become `RateLimited`, so the scheduler puts that one
message back for later. A channel post into a public channel Tiny Steps isn't in joins it first
(`channels:join`); a channel it cannot join by itself (a private one) is `Unreachable`. A post
that `replaces` an earlier one of ours (a withdrawn step) changes that message in place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import ChannelPacer, retry_after
from bot import texts
from bot.conversation import replies
from bot.model import (
    Actor,
    ChannelPost,
    Content,
    DirectMessage,
    Ephemeral,
    OpenForm,
    Outgoing,
    Update,
    Upload,
)
from bot.ports import RateLimited, Unreachable

from .pacing import GateRetryHandler
from .render import blocks, escape, fallback

log = logging.getLogger(__name__)

METADATA_TYPE = "tinysteps_delivery"
HISTORY_LOOKBACK = 20
# Slack's answers meaning "this person can't be messaged": retrying would only fail again.
UNREACHABLE = frozenset(
    {"user_not_found", "user_disabled", "user_not_visible", "cannot_dm_bot", "is_archived"}
)
# `conversations.join`'s answers meaning "Tiny Steps can't let itself in": a private channel (or
# a DM) takes an invite, an install from before `channels:join` lacks the scope, and so on.
CANNOT_JOIN = frozenset(
    {
        "method_not_supported_for_channel_type",
        "is_private",
        "channel_not_found",
        "is_archived",
        "missing_scope",
        "too_many_members",
        "channel_is_limited_access",
        "restricted_action",
        "no_permission",
        "user_is_restricted",
    }
)


def message_id(channel: str, ts: str) -> str:
    """Slack needs both to update a message later."""
    return f"{channel}:{ts}"


def split_id(value: str) -> tuple[str, str]:
    channel, _, ts = value.partition(":")
    return channel, ts


ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackMessenger:
    """Implements `bot.ports.Messenger`: finds each workspace's client, then sends."""

    def __init__(self, client_for: ClientFor, *, pacer: ChannelPacer | None = None) -> None:
        self._client_for = client_for
        self._pacer = pacer or ChannelPacer()

    @classmethod
    def fixed(cls, client: AsyncWebClient, *, pacer: ChannelPacer | None = None) -> SlackMessenger:
        """For one workspace's client (single-workspace mode, or replying to one event)."""

        async def same(_: str) -> AsyncWebClient:
            return client

        return cls(same, pacer=pacer)

    async def send(self, action: Outgoing) -> str | None:
        client = await self._client_for(_team_of(action))
        try:
            return await self._send(client, action)
        except SlackApiError as error:
            if error.response.status_code == 429:
                raise RateLimited(retry_after(dict(error.response.headers))) from error
            if error.response.get("error") in UNREACHABLE:
                raise Unreachable(str(error.response.get("error"))) from error
            raise

    async def _post(self, client: AsyncWebClient, channel: str, **args: Any) -> Any:
        await self._pacer.wait(channel)
        await _gate_wait(client)
        return await client.chat_postMessage(channel=channel, **args)

    async def _send(self, client: AsyncWebClient, action: Outgoing) -> str | None:
        match action:
            case DirectMessage(recipient=who, content=content, key=key):
                channel = await _dm_channel(client, who)
                extra: dict[str, Any] = {}
                if key:
                    extra["metadata"] = {"event_type": METADATA_TYPE, "event_payload": {"key": key}}
                response = await self._post(
                    client, channel, text=fallback(content), blocks=blocks(content), **extra
                )
                return message_id(str(response["channel"]), str(response["ts"]))
            case ChannelPost(content=content, replaces=str() as target):
                return await _update(client, target, content)
            case ChannelPost(channel_id=channel, content=content, key=key, original=original):
                extra = {}
                if key:
                    extra["metadata"] = {"event_type": METADATA_TYPE, "event_payload": {"key": key}}
                links = await _link_to(client, original) if original else []
                response = await self._post_in_channel(
                    client, channel, text=fallback(content), blocks=blocks(content) + links, **extra
                )
                return message_id(str(response["channel"]), str(response["ts"]))
            case Ephemeral(recipient=who, place=place, content=content):
                await client.chat_postEphemeral(
                    channel=place.channel_id,
                    user=who.user_id,
                    text=fallback(content),
                    blocks=blocks(content),
                )
                return None
            case OpenForm(recipient=who, place=place, instead=content):
                # A modal needs the press's trigger (the app opens it); here, say how to type.
                return await self._send(client, replies.to_place(who, place, content))
            case Upload(recipient=who, file=file, comment=comment):
                channel = await _dm_channel(client, who)
                await self._pacer.wait(channel)
                await _gate_wait(client)
                # files.getUploadURLExternal, the bytes to its upload URL, then
                # files.completeUploadExternal shares the file in the DM with the comment.
                uploaded = await client.files_upload_v2(
                    channel=channel,
                    file=file.data,
                    filename=file.filename,
                    title=file.title,
                    initial_comment=fallback(comment),
                )
                shared = uploaded.get("file") or {}
                return str(shared["id"]) if shared.get("id") else None
            case Update(message_id=target, content=content):
                return await _update(client, target, content)

    async def _post_in_channel(self, client: AsyncWebClient, channel: str, **args: Any) -> Any:
        """Post in a channel, joining it once first if it is public and Tiny Steps isn't in it."""
        try:
            return await self._post(client, channel, **args)
        except SlackApiError as error:
            refused = error.response.get("error")
            if refused == "channel_not_found":  # private and never invited, or deleted
                raise Unreachable(
                    f"Slack can't find channel {channel} for Tiny Steps: a private channel "
                    "it hasn't been invited to, or one that was deleted"
                ) from error
            if refused != "not_in_channel":
                raise
        await _join(client, channel)
        return await self._post(client, channel, **args)

    async def find(self, recipient: Actor, key: str) -> str | None:
        client = await self._client_for(recipient.workspace_id)
        return await _find_keyed(client, await _dm_channel(client, recipient), key)

    async def find_post(self, post: ChannelPost) -> str | None:
        if post.key is None:
            return None
        client = await self._client_for(post.workspace_id)
        return await _find_keyed(client, post.channel_id, post.key)


async def _link_to(client: AsyncWebClient, original: str) -> list[dict[str, Any]]:
    """A line linking to our earlier post of the same words, by the permalink Slack gives;
    nothing when Slack can't give one (the post was deleted since)."""
    channel, ts = split_id(original)
    try:
        found = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as error:
        log.info("no permalink for %s: %s", original, error.response.get("error"))
        return []
    link = str(found.get("permalink") or "")
    if not link.startswith("https://"):
        return []
    label = escape(texts.SEE_THE_ORIGINAL)
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{link}|{label}>"}]}]


async def _find_keyed(client: AsyncWebClient, channel: str, key: str) -> str | None:
    """Our recent message in `channel` that carries `key` in its metadata."""
    history = await client.conversations_history(
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


# What `chat.update` answers when a message can no longer be changed.
GONE = frozenset(
    {"message_not_found", "cant_update_message", "edit_window_closed", "channel_not_found"}
)


async def _update(client: AsyncWebClient, target: str, content: Content) -> str:
    """Change a message of ours in place (`chat.update`): an answered question, a withdrawn post.

    A message someone deleted, or one too old to change, is left as it is: the rest of the
    reply still matters, and a withdrawal has nothing left to withdraw."""
    channel, ts = split_id(target)
    await _gate_wait(client)
    try:
        await client.chat_update(
            channel=channel, ts=ts, text=fallback(content), blocks=blocks(content)
        )
    except SlackApiError as error:
        if error.response.get("error") not in GONE:
            raise
        log.info("could not update %s: %s", target, error.response.get("error"))
    return target


async def _dm_channel(client: AsyncWebClient, who: Actor) -> str:
    response = await client.conversations_open(users=who.user_id)
    return str(response["channel"]["id"])


async def _join(client: AsyncWebClient, channel: str) -> None:
    """Let Tiny Steps into a public channel; one it can't join itself needs an invite."""
    await _gate_wait(client)
    try:
        await client.conversations_join(channel=channel)
    except SlackApiError as error:
        refused = error.response.get("error")
        if error.response.status_code == 429 or refused not in CANNOT_JOIN:
            raise
        raise Unreachable(
            f"Tiny Steps isn't in channel {channel} and can't join it ({refused}): "
            "someone there has to invite it"
        ) from error
    log.info("joined channel %s to post there", channel)


async def _gate_wait(client: AsyncWebClient) -> None:
    """Don't send into a window Slack has already closed for this workspace."""
    for handler in client.retry_handlers or []:
        if isinstance(handler, GateRetryHandler):
            await handler.gate.wait()


def _team_of(action: Outgoing) -> str:
    match action:
        case DirectMessage(recipient=who) | Ephemeral(recipient=who) | Upload(recipient=who):
            return who.workspace_id
        case ChannelPost(workspace_id=team):
            return team
        case _:
            return ""  # updates answer an event, through that event's own client

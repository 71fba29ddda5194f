"""Teams activities (Bot Framework JSON) → the core's neutral events. Nothing here sends.

People are keyed by their Entra object id within their tenant (the tenant is the Teams
"workspace"), so the same person is the same in every chat, team and channel.
"""

from __future__ import annotations

import re
from typing import Any

from bot.model import (
    Actor,
    ButtonPress,
    Command,
    FormSubmitted,
    Incoming,
    Message,
    Place,
    Reaction,
)

from .render import ACTION_KEY, FORM_KEY

PLATFORM = "teams"
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


def tenant_of(activity: dict[str, Any]) -> str:
    conversation = activity.get("conversation") or {}
    tenant = (activity.get("channelData") or {}).get("tenant") or {}
    return str(conversation.get("tenantId") or tenant.get("id") or "")


def timezone_of(activity: dict[str, Any]) -> str | None:
    """Teams sends the client's IANA zone in a clientInfo entity (or `localTimezone`)."""
    for entity in activity.get("entities") or []:
        if entity.get("type") == "clientInfo" and entity.get("timezone"):
            return str(entity["timezone"])
    zone = activity.get("localTimezone")
    return str(zone) if zone else None


def actor(activity: dict[str, Any]) -> Actor:
    sender = activity.get("from") or {}
    return Actor(
        PLATFORM,
        tenant_of(activity),
        str(sender.get("aadObjectId") or sender.get("id") or ""),
        str(sender.get("name") or ""),
        timezone_of(activity),
    )


def conversation_id(activity: dict[str, Any]) -> str:
    """The conversation, without the `;messageid=…` Teams adds for a thread in a channel: the
    channel is one place however many threads it has, and posting to it starts a new one."""
    conversation = activity.get("conversation") or {}
    return str(conversation.get("id") or "").split(";messageid=", 1)[0]


def place(activity: dict[str, Any]) -> Place:
    conversation = activity.get("conversation") or {}
    personal = conversation.get("conversationType", "personal") == "personal"
    return Place(conversation_id(activity), is_direct=personal)


def strip_mentions(text: str) -> str:
    """`<at>Tiny Steps</at> log …` in a channel is `log …` to the core."""
    return " ".join(_MENTION.sub(" ", text).split())


def incoming(activity: dict[str, Any]) -> Incoming | None:
    """The core event a message activity stands for; None for other activity types."""
    kind = activity.get("type")
    if kind == "message":
        return _message(activity)
    return None


def reactions(activity: dict[str, Any]) -> list[Reaction]:
    return _reactions(activity) if activity.get("type") == "messageReaction" else []


def _message(activity: dict[str, Any]) -> Incoming | None:
    who, where = actor(activity), place(activity)
    event_id = str(activity.get("id")) if activity.get("id") else None
    value = activity.get("value")
    if isinstance(value, dict) and (ACTION_KEY in value or FORM_KEY in value):
        card_id = str(activity.get("replyToId")) if activity.get("replyToId") else None
        if FORM_KEY in value:
            fields = tuple(
                (str(k), str(v))
                for k, v in value.items()
                if k not in (FORM_KEY, ACTION_KEY) and v is not None
            )
            return FormSubmitted(
                who, where, str(value[FORM_KEY]), fields, event_id=event_id, message_id=card_id
            )
        return ButtonPress(
            who,
            where,
            str(value[ACTION_KEY]),
            str(value.get("value") or ""),
            message_id=card_id,
            event_id=event_id,
        )
    text = str(activity.get("text") or "")
    if not where.is_direct:  # in a channel or group chat, only @mentions reach the bot
        return Command(who, where, strip_mentions(text), event_id=event_id)
    message_id = str(activity.get("id")) if activity.get("id") else None
    return Message(who, where, strip_mentions(text), message_id=message_id, event_id=event_id)


def _reactions(activity: dict[str, Any]) -> list[Reaction]:
    who, where = actor(activity), place(activity)
    target = str(activity.get("replyToId") or "")
    if not target:
        return []
    found: list[Reaction] = []
    base = str(activity.get("id") or "")
    for added, key in ((True, "reactionsAdded"), (False, "reactionsRemoved")):
        for number, reaction in enumerate(activity.get(key) or []):
            event_id = f"{base}:{key}:{number}" if base else None
            found.append(
                Reaction(who, where, target, str(reaction.get("type", "")), added, event_id)
            )
    return found

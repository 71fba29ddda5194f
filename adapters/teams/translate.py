"""Teams activities (Bot Framework JSON) → the core's neutral events. Nothing here sends.

People are keyed by their Entra object id within their tenant (the tenant is the Teams
"workspace"), so the same person is the same in every chat, team and channel.
"""

from __future__ import annotations

from typing import Any

from adapters.payload import obj
from bot.model import (
    Actor,
    ButtonPress,
    Command,
    FormSubmitted,
    Incoming,
    Message,
    MessageDeleted,
    MessageEdited,
    Place,
    Reaction,
)

from .markup import mentions, readable
from .package import SPOTLIGHT_ASK
from .render import ACTION_KEY, FORM_KEY

PLATFORM = "teams"


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


def incoming(activity: dict[str, Any]) -> Incoming | None:
    """The core event a message, edit or deletion stands for; None for other activities."""
    kind = activity.get("type")
    if kind == "message":
        return _message(activity)
    if kind == "messageUpdate" and _event_type(activity) == "editMessage":
        return _edit(activity)
    if kind == "messageDelete" and _event_type(activity) == "softDeleteMessage":
        return MessageDeleted(  # the deleted message's own id: keyed apart from it
            actor(activity),
            place(activity),
            str(activity.get("id") or ""),
            event_id=f"delete:{activity.get('id')}",
        )
    return None


def card_action(activity: dict[str, Any]) -> Incoming | None:
    """An `adaptiveCard/action` invoke (a Universal Action) read as the submit it stands for:
    its `data` carries our card's keys, or its verb names the action."""
    action = obj(obj(activity.get("value")).get("action"))
    data = obj(action.get("data"))
    if not (ACTION_KEY in data or FORM_KEY in data):
        verb = str(action.get("verb") or "")
        data = {**data, **({FORM_KEY: verb} if "text" in data else {ACTION_KEY: verb})}
    return _submitted(activity, data)


def command_of(activity: dict[str, Any]) -> str:
    """A message extension invoke's command (`value.commandId`): ours are in package.py."""
    return str(obj(activity.get("value")).get("commandId") or "")


def spotlight(activity: dict[str, Any]) -> ButtonPress | None:
    """*Spotlight this* on a message (`composeExtension/submitAction`), naming the message by
    the id Teams gave it, which is the id our messenger got back when it posted there. None
    when the person turned the dialog's "ask its author" toggle off."""
    value = obj(activity.get("value"))
    asked = obj(value.get("data")).get(SPOTLIGHT_ASK, True)
    if asked is False or str(asked).lower() == "false":
        return None
    return ButtonPress(
        actor(activity),
        Place(conversation_id(activity), is_direct=False),
        "spotlight_post",
        str(obj(value.get("messagePayload")).get("id") or ""),
        event_id=_id(activity),
    )


def _event_type(activity: dict[str, Any]) -> str:
    return str(obj(activity.get("channelData")).get("eventType") or "")


def _id(activity: dict[str, Any]) -> str | None:
    return str(activity.get("id")) if activity.get("id") else None


def _edit(activity: dict[str, Any]) -> MessageEdited:
    """A person edited a message in Teams: the entry it logged follows, as in Slack."""
    return MessageEdited(
        actor(activity),
        place(activity),
        str(activity.get("id") or ""),
        readable(activity),
        event_id=f"edit:{activity.get('id')}:{activity.get('timestamp') or ''}",
    )


def _attachments(activity: dict[str, Any]) -> int:
    """Photos and files sent with a message (Teams' own HTML copy of the text is not one)."""
    return sum(
        1
        for a in activity.get("attachments") or []
        if isinstance(a, dict)
        and a.get("contentType") not in ("text/html", "application/vnd.microsoft.card.adaptive")
    )


def reactions(activity: dict[str, Any]) -> list[Reaction]:
    return _reactions(activity) if activity.get("type") == "messageReaction" else []


def _message(activity: dict[str, Any]) -> Incoming | None:
    value = activity.get("value")
    if isinstance(value, dict) and (ACTION_KEY in value or FORM_KEY in value):
        return _submitted(activity, value)
    who, where, event_id = actor(activity), place(activity), _id(activity)
    text, named = readable(activity), mentions(activity)
    if not where.is_direct:  # in a channel or group chat, only @mentions reach the bot
        return Command(who, where, text, event_id=event_id, mentions=named)
    return Message(
        who,
        where,
        text,
        message_id=event_id,
        event_id=event_id,
        attachments=_attachments(activity),
        mentions=named,
    )


def _submitted(activity: dict[str, Any], value: dict[str, Any]) -> Incoming:
    """A card's button or form, keyed by the card (`replyToId`) so a double tap counts once."""
    who, where, event_id = actor(activity), place(activity), _id(activity)
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

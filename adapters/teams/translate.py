"""Teams activities (Bot Framework JSON) → the core's neutral events. Nothing here sends.

People are keyed by their Entra object id within their tenant (the tenant is the Teams
"workspace"), so the same person is the same in every chat, team and channel.
"""

from __future__ import annotations

from typing import Any

from adapters.payload import (
    Malformed,
    need_id,
    need_object,
    need_objects,
    need_text,
    numbers_in_range,
    obj,
)
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

# The activities we act on: each names its tenant and its sender.
ACTED_ON = frozenset(
    {
        "message",
        "messageUpdate",
        "messageDelete",
        "messageReaction",
        "invoke",
        "conversationUpdate",
        "installationUpdate",
    }
)
MAX_ZONE_CHARS = 64
MAX_SHORT_CHARS = 255  # reaction types, event types, invoke names, card keys
MAX_SCOPE_CHARS = 16  # `personal`, `channel`, `groupChat`: stored as a conversation's scope

# Ids go into the Bot Connector's URLs (`/v3/conversations/{id}/activities/{id}`) as they are:
# none of Teams' has these, and one that did would send our reply somewhere else.
_NOT_IN_A_PATH = frozenset("/?#%\\ \t\n")

# Where an activity names someone or something by id (checked when present).
_IDS = (
    "id",
    "replyToId",
    "conversation.id",
    "conversation.tenantId",
    "channelData.tenant.id",
    "channelData.team.id",
    "channelData.team.aadGroupId",
    "channelData.channel.id",
    "from.id",
    "from.aadObjectId",
    "recipient.id",
)


def check(activity: dict[str, Any]) -> None:
    """`Malformed` when an activity (as the SDK parsed it) is not one Teams sends: every id we
    would key something by is a string of 1 to 255 printable characters, the activities we
    act on name their tenant and sender, and a card's fields are text."""
    need_text(activity, "type", limit=MAX_SHORT_CHARS)
    for path in ("from", "channelData"):
        need_object(activity, path)
    for path in ("conversation", "recipient"):  # where to answer, and as whom
        need_object(activity, path, required=True)
    if not isinstance(activity.get("serviceUrl"), str):
        raise Malformed("it names no serviceUrl to answer at")
    for path in _IDS:
        _path_safe(need_id(activity, path), path)
    need_id(activity, "conversation.id", required=True)
    if activity.get("type") in ACTED_ON:
        if not tenant_of(activity):
            raise Malformed("it names no tenant")
        if not actor(activity).user_id:
            raise Malformed("it names no sender")
    for key in ("membersAdded", "membersRemoved"):
        for member in need_objects(activity, key):
            _path_safe(need_id(member, "id", required=True), f"{key}.id")
            need_id(member, "aadObjectId")
    for entity in need_objects(activity, "entities"):
        _path_safe(need_id(entity, "mentioned.id"), "mentioned.id")
        need_id(entity, "mentioned.aadObjectId")
        need_text(entity, "timezone", limit=MAX_ZONE_CHARS)
    need_text(activity, "conversation.conversationType", limit=MAX_SCOPE_CHARS)
    need_text(activity, "localTimezone", limit=MAX_ZONE_CHARS)
    need_text(activity, "name", limit=MAX_SHORT_CHARS)
    need_text(activity, "channelData.eventType", limit=MAX_SHORT_CHARS)
    for key in ("reactionsAdded", "reactionsRemoved"):
        for reaction in need_objects(activity, key):
            need_text(reaction, "type", limit=MAX_SHORT_CHARS)
    value = activity.get("value")
    if activity.get("type") in {"message", "invoke"} and value is not None:
        need_object(activity, "value")  # a card's inputs, or what an invoke carries
    if isinstance(value, dict):
        need_id(value, "messagePayload.id")
        _card(value)
        _card(obj(obj(value.get("action")).get("data")))


def _path_safe(value: str, what: str) -> None:
    if not _NOT_IN_A_PATH.isdisjoint(value):
        raise Malformed(f"{what} has a character no Teams id has (/ ? # % \\ or a space)")


def _card(value: dict[str, Any]) -> None:
    """A card's submitted fields: our keys name the action or form, the rest are its inputs."""
    if ACTION_KEY not in value and FORM_KEY not in value:
        return
    for key in (ACTION_KEY, FORM_KEY):
        need_text(value, key, limit=MAX_SHORT_CHARS)
    if ACTION_KEY in value:
        button = value.get("value")
        if button is not None and not isinstance(button, str | int):
            raise Malformed("a button's value is not text")
        if not numbers_in_range(str(button or "")):
            raise Malformed("a button's value names an id no row can have")
    elif not all(isinstance(field, str | None) for field in value.values()):
        raise Malformed("a form's field is not text")


def tenant_of(activity: dict[str, Any]) -> str:
    conversation = obj(activity.get("conversation"))
    tenant = obj(obj(activity.get("channelData")).get("tenant"))
    return str(conversation.get("tenantId") or tenant.get("id") or "")


def timezone_of(activity: dict[str, Any]) -> str | None:
    """Teams sends the client's IANA zone in a clientInfo entity (or `localTimezone`)."""
    for entity in activity.get("entities") or []:
        if obj(entity).get("type") == "clientInfo" and entity.get("timezone"):
            return str(entity["timezone"])
    zone = activity.get("localTimezone")
    return str(zone) if zone else None


def actor(activity: dict[str, Any]) -> Actor:
    sender = obj(activity.get("from"))
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
    conversation = obj(activity.get("conversation"))
    return str(conversation.get("id") or "").split(";messageid=", 1)[0]


def place(activity: dict[str, Any]) -> Place:
    conversation = obj(activity.get("conversation"))
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

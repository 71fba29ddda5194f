"""Slack payloads → the core's neutral events. Nothing here talks to Slack."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_bolt.request.internals import parse_body

from adapters.payload import (
    Malformed,
    json_problem,
    need_composed_id,
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
    Message,
    MessageDeleted,
    MessageEdited,
    Place,
    Reaction,
)
from bot.people.roster import Member

from .markup import mentions, readable
from .messenger import message_id

PLATFORM = "slack"
SLACKBOT = "USLACKBOT"

# Interactions arrive as a form whose `payload` is JSON; these are the ones we listen to, and
# those whose first action Bolt reads (`body["actions"][0]`) whatever we listen to.
INTERACTIONS = frozenset(
    {"block_actions", "view_submission", "view_closed", "message_action", "shortcut"}
)
ACTIONS = frozenset({"block_actions", "interactive_message"})
MAX_NAME_CHARS = 1000  # a profile's name fields (the core keeps 80 of them)
MAX_ZONE_CHARS = 64
MAX_SHORT_CHARS = 255  # action ids, callback ids, reaction names, our private metadata
MAX_VALUE_CHARS = 2000  # a button's value


def parse(raw: str, headers: Mapping[str, Any]) -> dict[str, Any]:
    """A verified request's body exactly as Bolt reads it (JSON; a form; or a form whose
    `payload` is JSON), or `Malformed` when Bolt could not read it or it is no object."""
    content_type = headers.get("content-type", [None])[0]
    try:
        body = parse_body(raw, content_type.split(";")[0] if content_type else None)
    except RecursionError as error:
        raise Malformed("the body is nested too deep") from error
    except ValueError as error:  # not JSON (or a number of more than 4,300 digits)
        raise Malformed("the body is not JSON") from error
    if not isinstance(body, dict):
        raise Malformed(f"the body is {type(body).__name__}, not an object")
    problem = json_problem(body)
    if problem is not None:
        raise Malformed(f"the body has {problem}")
    return body


def check(body: dict[str, Any]) -> None:
    """`Malformed` when a signed request is not one Slack sends: an object where Slack puts
    one, and every id we would read or store (`team_id`, users, channels, message `ts`…) a
    string of 1 to 255 printable characters. Run before Bolt reads the body, so neither
    Bolt nor a listener meets a list where an object belongs, and nothing odd is stored."""
    _envelope(body)
    kind = need_text(body, "type", limit=MAX_SHORT_CHARS)
    if "command" in body:  # as Bolt tells a slash command
        need_text(body, "command", limit=MAX_SHORT_CHARS)
        for name in ("team_id", "user_id", "channel_id"):
            need_id(body, name, required=True)
    elif kind == "event_callback":
        _event(body)
    elif kind in INTERACTIONS | ACTIONS:
        _interaction(body, kind)
    steps = kind == "workflow_step_edit" or obj(body.get("view")).get("type") == "workflow_step"
    if steps and ("callback_id" in body or "callback_id" in obj(body.get("view"))):
        need_object(body, "workflow_step", required=True)  # Bolt reads it for these


# Where Bolt looks for who and where a request is about (its `build_context`), going down
# from the body through these objects; the ids it finds are sent back to Slack's API.
_BOLT_OBJECTS = (
    "event",
    "message",
    "previous_message",
    "item",
    "assistant_thread",
    "event.message",
    "event.previous_message",
    "event.item",
    "event.assistant_thread",
)


def _envelope(body: dict[str, Any]) -> None:
    """What Bolt itself reads of every request to build its context."""
    for name in ("event", "view"):  # Bolt looks inside these whenever they are there
        need_object(body, name, required=name in body)
    nodes = [body, *(need_object(body, path) for path in _BOLT_OBJECTS)]
    authorizations = need_objects(body, "authorizations")
    for node in nodes + authorizations:
        for name in ("team_id", "enterprise_id", "user_id", "channel_id"):
            need_id(node, name)
        for name in ("enterprise", "team", "user", "channel"):
            _id_or_object(node, name)
    for name in ("api_app_id", "event_id", "context_team_id", "context_enterprise_id"):
        need_id(body, name)
    need_object(body, "container")
    for name in ("view.app_installed_team_id", "view.team_id"):  # Bolt's team, when given
        need_id(body, name)
    need_objects(body, "response_urls")
    need_text(body, "response_url", limit=MAX_VALUE_CHARS)


def _id_or_object(body: dict[str, Any], name: str) -> None:
    """Slack names a team, user or channel by its id, or by an object carrying it."""
    if isinstance(body.get(name), str):
        need_id(body, name)
    else:
        need_id(body, f"{name}.id")
        need_id(body, f"{name}.team_id")


# The events we listen to (`SlackAdapter._listen`), and what each carries.
MESSAGE_EVENTS = frozenset({"message", "app_mention", "app_home_opened"})
REACTIONS = frozenset({"reaction_added", "reaction_removed"})
MEMBER_EVENTS = frozenset({"team_join", "user_change"})


def _event(body: dict[str, Any]) -> None:
    need_id(body, "team_id", required=True)
    need_id(body, "event_id", required=True)
    event = need_object(body, "event", required=True)
    kind = need_text(event, "type", limit=MAX_SHORT_CHARS)
    need_id(event, "user_team")
    if kind in MEMBER_EVENTS:
        _profile(need_object(event, "user", required=True))
    elif kind in MESSAGE_EVENTS | REACTIONS:
        _said(event)


def _said(event: dict[str, Any]) -> None:
    """A message, a mention, the Home tab opened or a reaction: who, where, which message."""
    for name in ("user", "channel", "ts", "deleted_ts"):
        need_id(event, name)
    channel = str(event.get("channel") or "")
    for name in ("ts", "deleted_ts"):
        need_composed_id(message_id(channel, str(event.get(name) or "")), name)
    for nested in ("message", "previous_message"):  # an edit or a deletion
        need_object(event, nested)
        need_id(event, f"{nested}.user")
        need_composed_id(message_id(channel, need_id(event, f"{nested}.ts")), f"{nested}.ts")
    need_text(event, "tab", limit=MAX_SHORT_CHARS)
    need_text(event, "reaction", limit=MAX_SHORT_CHARS)
    item = need_object(event, "item")
    need_composed_id(message_id(need_id(item, "channel"), need_id(item, "ts")), "item")


def _profile(user: dict[str, Any]) -> None:
    """A user object as `team_join` and `user_change` carry it."""
    need_id(user, "id", required=True)
    need_id(user, "team_id")
    need_text(user, "tz", limit=MAX_ZONE_CHARS)
    for name in ("name", "real_name", "profile.display_name", "profile.real_name"):
        need_text(user, name, limit=MAX_NAME_CHARS)


def _interaction(body: dict[str, Any], kind: str) -> None:
    actions = need_objects(body, "actions")
    if kind in ACTIONS and not actions:
        raise Malformed(f"a {kind} without actions")
    if kind == "block_actions" and not all(isinstance(a.get("action_id"), str) for a in actions):
        raise Malformed("an action has no action_id")
    if kind == "interactive_message":
        return  # a legacy attachment's button: nothing of ours, Bolt answers it
    need_object(body, "user", required=True)
    need_id(body, "user.id", required=True)
    need_id(body, "user.team_id")
    channel = need_object(body, "channel")
    need_id(body, "channel.id")
    for ts in (need_id(body, "message.ts"), need_id(body, "message_ts")):
        need_composed_id(message_id(str(channel.get("id") or ""), ts), "the message")
    for action in actions:
        need_text(action, "action_id", limit=MAX_SHORT_CHARS)
        value = need_text(action, "value", limit=MAX_VALUE_CHARS)
        if not numbers_in_range(value):
            raise Malformed("a button's value names an id no row can have")
    view = need_object(body, "view")
    if kind == "view_submission" and "callback_id" in view and "type" not in view:
        raise Malformed("view.type is missing")  # Bolt reads it to tell a workflow step
    need_text(view, "callback_id", limit=MAX_SHORT_CHARS)
    need_text(view, "private_metadata", limit=MAX_SHORT_CHARS)  # the channel a form came from
    for block in need_object(view, "state.values").values():
        if not isinstance(block, dict) or not all(isinstance(s, dict) for s in block.values()):
            raise Malformed("view.state.values is not an object of objects")
        for state in block.values():
            if not isinstance(state.get("value"), str | None):
                raise Malformed("a form field's value is not a string")
            need_object(state, "selected_option")
            if not isinstance(obj(state.get("selected_option")).get("value"), str | None):
                raise Malformed("a form field's selected option is not a string")


def team_of(body: dict[str, Any]) -> str:
    """The workspace an event, command or interaction came from."""
    team = body.get("team_id") or obj(body.get("team")).get("id")
    return team if isinstance(team, str) else ""


def outsider(body: dict[str, Any], home_team: str | None) -> str | None:
    """Why a request is not from one of our own people, or None when it is.

    A single-workspace app hears only its workspace: a request naming another workspace, or
    none, is refused. People of another organisation in a Slack Connect channel (their own
    `user_team`) are never our staff, whatever they say or do there.
    """
    team = team_of(body)
    if not team:
        return "it names no workspace"
    if home_team is not None and team != home_team:
        return f"workspace {team} is not the one this app serves"
    their_team = obj(body.get("event")).get("user_team") or obj(body.get("user")).get("team_id")
    if their_team and their_team != team and (body.get("is_ext_shared_channel") or not _grid(body)):
        return f"the person belongs to another organisation ({their_team})"
    return None


def _grid(body: dict[str, Any]) -> bool:
    """An Enterprise Grid org: its own people may belong to several of its workspaces."""
    return bool(body.get("enterprise_id") or obj(body.get("enterprise")).get("id"))


def member(user: dict[str, Any], team: str | None = None) -> Member | None:
    """A `users.list` / `team_join` / `user_change` user as a roster member; None for bots
    and for people of another organisation seen in a shared channel."""
    user_id = str(user.get("id") or "")
    if not user_id or user_id == SLACKBOT or user.get("is_bot") or user.get("is_app_user"):
        return None
    if (
        team
        and user.get("team_id")
        and user.get("team_id") != team
        and not user.get("enterprise_user")
    ):
        return None
    return Member(
        user_id,
        display_name=name_of(user),
        timezone=user.get("tz") or None,
        active=not user.get("deleted"),
        admin=bool(user.get("is_admin") or user.get("is_owner")),
        guest=is_guest(user),
    )


def is_guest(user: dict[str, Any]) -> bool:
    """Slack's multi-channel (`is_restricted`) and single-channel (`is_ultra_restricted`) guests."""
    return bool(user.get("is_restricted") or user.get("is_ultra_restricted"))


def name_of(profile: dict[str, Any]) -> str:
    return str(
        (profile.get("profile") or {}).get("display_name")
        or profile.get("real_name")
        or (profile.get("profile") or {}).get("real_name")
        or profile.get("name")
        or ""
    )


def actor(team_id: str, user_id: str, profile: dict[str, Any] | None = None) -> Actor:
    profile = profile or {}
    return Actor(
        PLATFORM,
        team_id,
        user_id,
        name_of(profile),
        profile.get("tz") or None,
        guest=is_guest(profile),
    )


# Message subtypes in which the person is speaking: a photo with a caption, a thread reply
# also sent to the DM, `/me …`. Edits, deletions, joins and bot posts are not someone speaking.
SPOKEN = frozenset({"file_share", "thread_broadcast", "me_message"})


def direct_message(
    event: dict[str, Any], body: dict[str, Any], who: Actor, names: Mapping[str, str]
) -> Message | None:
    """A person's DM to the bot, its words as they read them; None for anything not said."""
    subtype = event.get("subtype")
    spoken = subtype is None or (isinstance(subtype, str) and subtype in SPOKEN)
    if event.get("channel_type") != "im" or not spoken or event.get("bot_id"):
        return None
    channel = str(event.get("channel", ""))
    return Message(
        who,
        Place(channel, is_direct=True),
        readable(str(event.get("text") or ""), names),
        message_id=message_id(channel, str(event.get("ts", ""))),
        event_id=_event_id(body),
        attachments=sum(
            len(v) for k in ("files", "attachments") if isinstance(v := event.get(k), list)
        ),
        mentions=mentions(str(event.get("text") or ""), names),
    )


_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^<>]*)?>[\s,:]*")


def mention(
    event: dict[str, Any], body: dict[str, Any], who: Actor, names: Mapping[str, str]
) -> Command:
    """`@Tiny Steps log …` in a channel is the command `log …`, answered only to its author."""
    text = _LEADING_MENTION.sub("", str(event.get("text") or ""), count=1)
    return Command(
        who,
        Place(str(event.get("channel", "")), is_direct=False),
        readable(text, names),
        event_id=_event_id(body),
        mentions=mentions(text, names),
    )


def text_of(event: dict[str, Any]) -> str:
    """The words of a message event, or of the message an edit nests."""
    nested = event.get("message")
    text = event.get("text") or (nested.get("text") if isinstance(nested, dict) else "")
    return text if isinstance(text, str) else ""


def author_of(event: dict[str, Any]) -> str:
    """Who wrote the message an event is about (edits and deletions nest it)."""
    nested = event.get("message") or event.get("previous_message") or {}
    return str(event.get("user") or nested.get("user") or "")


def platform_edit(
    event: dict[str, Any], body: dict[str, Any], who: Actor, names: Mapping[str, str]
) -> MessageEdited | MessageDeleted | None:
    """A person editing or deleting their own DM to the bot."""
    if event.get("channel_type") != "im":
        return None
    channel = str(event.get("channel", ""))
    place = Place(channel, is_direct=True)
    if event.get("subtype") == "message_changed":
        changed = event.get("message") or {}
        if changed.get("bot_id"):
            return None
        return MessageEdited(
            who,
            place,
            message_id(channel, str(changed.get("ts", ""))),
            readable(str(changed.get("text") or ""), names),
            event_id=_event_id(body),
        )
    if event.get("subtype") == "message_deleted":
        if (event.get("previous_message") or {}).get("bot_id"):
            return None
        return MessageDeleted(
            who,
            place,
            message_id(channel, str(event.get("deleted_ts", ""))),
            event_id=_event_id(body),
        )
    return None


def slash_command(command: dict[str, Any], who: Actor, names: Mapping[str, str]) -> Command:
    """Slash commands answer privately wherever they were typed."""
    text = str(command.get("text") or "")
    return Command(
        who,
        Place(str(command.get("channel_id", "")), is_direct=False),
        readable(text, names),
        mentions=mentions(text, names),
    )


def button_press(body: dict[str, Any], action: dict[str, Any], who: Actor) -> ButtonPress:
    """A press in a message, or on the App Home tab (no channel: answers go to the DM)."""
    channel = str((body.get("channel") or {}).get("id", ""))
    ts = str((body.get("message") or {}).get("ts", ""))
    return ButtonPress(
        who,
        Place(channel, is_direct=not channel or channel.startswith("D")),
        str(action.get("action_id", "")),
        "" if action.get("value") == "-" else str(action.get("value") or ""),
        message_id=message_id(channel, ts) if channel and ts else None,
    )


def spotlight(body: dict[str, Any], who: Actor) -> ButtonPress:
    """The *Spotlight this* message shortcut: the message is named as the messenger named it
    when it posted there, so the core can find the shared post behind it."""
    channel = str(obj(body.get("channel")).get("id") or "")
    ts = str(body.get("message_ts") or obj(body.get("message")).get("ts") or "")
    return ButtonPress(
        who, Place(channel, is_direct=False), "spotlight_post", message_id(channel, ts)
    )


def reaction(event: dict[str, Any], body: dict[str, Any], who: Actor) -> Reaction | None:
    item = event.get("item") or {}
    if item.get("type") != "message":
        return None
    channel = str(item.get("channel", ""))
    return Reaction(
        who,
        Place(channel, is_direct=channel.startswith("D")),
        message_id(channel, str(item.get("ts", ""))),
        str(event.get("reaction", "")),
        added=event.get("type") == "reaction_added",
        event_id=_event_id(body),
    )


def _event_id(body: dict[str, Any]) -> str | None:
    value = body.get("event_id")
    return str(value) if value else None


def submission(body: dict[str, Any], form: str, who: Actor) -> FormSubmitted:
    """A modal's `view_submission`: each input block's value; replies go to the DM it came from."""
    view = body.get("view") or {}
    fields: list[tuple[str, str]] = []
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for state in (actions or {}).values():
            if state.get("type") == "static_select":
                value = (state.get("selected_option") or {}).get("value") or ""
            else:
                value = state.get("value") or ""
            fields.append((str(block_id), str(value)))
    channel = str(view.get("private_metadata") or "")
    return FormSubmitted(who, Place(channel, is_direct=True), form, tuple(fields))

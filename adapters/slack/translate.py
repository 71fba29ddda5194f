"""Slack payloads → the core's neutral events. Nothing here talks to Slack."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.payload import obj
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

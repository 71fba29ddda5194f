"""Slack payloads → the core's neutral events. Nothing here talks to Slack."""

from __future__ import annotations

from typing import Any

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
from bot.roster import Member

from .messenger import message_id

PLATFORM = "slack"
SLACKBOT = "USLACKBOT"


def team_of(body: dict[str, Any]) -> str:
    """The workspace an event, command or interaction came from."""
    return str(body.get("team_id") or (body.get("team") or {}).get("id") or "")


def member(user: dict[str, Any]) -> Member | None:
    """A `users.list` / `team_join` / `user_change` user as a roster member; None for bots."""
    user_id = str(user.get("id") or "")
    if not user_id or user_id == SLACKBOT or user.get("is_bot") or user.get("is_app_user"):
        return None
    return Member(
        user_id,
        display_name=_name(user),
        timezone=user.get("tz") or None,
        active=not user.get("deleted"),
        admin=bool(user.get("is_admin") or user.get("is_owner")),
    )


def _name(profile: dict[str, Any]) -> str:
    return str(
        (profile.get("profile") or {}).get("display_name")
        or profile.get("real_name")
        or (profile.get("profile") or {}).get("real_name")
        or profile.get("name")
        or ""
    )


def actor(team_id: str, user_id: str, profile: dict[str, Any] | None = None) -> Actor:
    profile = profile or {}
    return Actor(PLATFORM, team_id, user_id, _name(profile), profile.get("tz") or None)


def direct_message(event: dict[str, Any], body: dict[str, Any], who: Actor) -> Message | None:
    """A person's plain DM to the bot; None for edits, bot posts and anything not typed."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return None
    channel = str(event.get("channel", ""))
    return Message(
        who,
        Place(channel, is_direct=True),
        str(event.get("text") or ""),
        message_id=message_id(channel, str(event.get("ts", ""))),
        event_id=_event_id(body),
    )


def author_of(event: dict[str, Any]) -> str:
    """Who wrote the message an event is about (edits and deletions nest it)."""
    nested = event.get("message") or event.get("previous_message") or {}
    return str(event.get("user") or nested.get("user") or "")


def platform_edit(
    event: dict[str, Any], body: dict[str, Any], who: Actor
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
            str(changed.get("text") or ""),
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


def slash_command(command: dict[str, Any], who: Actor) -> Command:
    """Slash commands answer privately wherever they were typed."""
    return Command(
        who,
        Place(str(command.get("channel_id", "")), is_direct=False),
        str(command.get("text") or ""),
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

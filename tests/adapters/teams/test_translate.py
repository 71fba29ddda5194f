"""Teams activities become the core's events: typed text, card submits, reactions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adapters.teams.render import ACTION_KEY, FORM_KEY
from adapters.teams.translate import incoming, reactions
from bot.model import ButtonPress, Command, FormSubmitted, Message

ACTIVITIES = Path(__file__).parent / "activities"


def activity(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ACTIVITIES / "personal_message.json").read_text())
    data.update(changes)
    return data


def test_a_personal_message_is_a_direct_message_from_the_entra_user() -> None:
    event = incoming(activity())

    assert isinstance(event, Message)
    assert event.place.is_direct
    assert (event.actor.workspace_id, event.actor.user_id) == (
        "tenant-1",
        "00000000-0000-0000-0000-0000000000a1",
    )
    assert (event.actor.display_name, event.actor.timezone) == ("Priya Shah", "Europe/London")
    assert event.event_id == "1764000000001"


def test_a_channel_mention_is_a_command_without_the_mention() -> None:
    channel = {"conversationType": "channel", "tenantId": "tenant-1", "id": "19:abc@thread"}

    event = incoming(activity(conversation=channel, text="<at>Tiny Steps</at> log Shared a quiz"))

    assert isinstance(event, Command)
    assert event.text == "log Shared a quiz"
    assert not event.place.is_direct


def test_a_thread_in_a_channel_is_the_channel_itself() -> None:
    thread = {
        "conversationType": "channel",
        "tenantId": "tenant-1",
        "id": "19:abc@thread.tacv2;messageid=1764000000001",
    }

    event = incoming(activity(conversation=thread, text="<at>Tiny Steps</at> help"))

    assert event is not None
    assert event.place.channel_id == "19:abc@thread.tacv2"


def test_a_card_button_is_a_button_press_on_that_card() -> None:
    event = incoming(
        activity(text=None, value={ACTION_KEY: "skip", "value": "12"}, replyToId="card-1")
    )

    assert isinstance(event, ButtonPress)
    assert (event.action, event.value, event.message_id) == ("skip", "12", "card-1")


def test_a_card_form_submit_carries_its_fields() -> None:
    event = incoming(
        activity(text=None, value={FORM_KEY: "log", "text": "Recap", "department": "1"})
    )

    assert isinstance(event, FormSubmitted)
    assert (event.form, event.get("text"), event.get("department")) == ("log", "Recap", "1")


def test_other_activity_types_are_not_core_events() -> None:
    assert incoming(activity(type="typing")) is None


def test_reactions_added_and_removed_are_each_a_reaction_on_the_message() -> None:
    found = reactions(
        activity(
            type="messageReaction",
            replyToId="post-9",
            reactionsAdded=[{"type": "like"}],
            reactionsRemoved=[{"type": "heart"}],
        )
    )

    assert [(r.message_id, r.emoji, r.added) for r in found] == [
        ("post-9", "like", True),
        ("post-9", "heart", False),
    ]
    assert len({r.event_id for r in found}) == 2

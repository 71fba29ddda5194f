"""Proactive cards are posted as plain JSON: the same activity the SDK itself would send."""

from __future__ import annotations

import json
from typing import Any

import pytest
from microsoft_agents.activity import Activity, ConversationReference

from adapters.teams.cards import card_activity
from adapters.teams.messenger import card_for
from adapters.teams.render import card
from bot.conversation.replies import prompt
from tests.adapters.teams.conftest import ACTIVITIES


def stored_reference(name: str) -> dict[str, Any]:
    """A reference as the bot stores it from an incoming activity (see TeamsAdapter._remember)."""
    incoming = Activity.model_validate(json.loads((ACTIVITIES / name).read_text()))
    reference: dict[str, Any] = incoming.get_conversation_reference().model_dump(
        by_alias=True, exclude_none=True, mode="json"
    )
    reference.pop("activityId", None)
    return reference


def sdk_activity(reference: dict[str, Any], rendered: dict[str, Any], text: str) -> Any:
    """What `send_to_conversation` would post for this reference and card (its nulls aside)."""
    activity = card_activity(rendered, text)
    activity.apply_conversation_reference(
        ConversationReference.model_validate(reference), is_incoming=False
    )
    dumped = activity.model_dump(by_alias=True, exclude_unset=True, mode="json")
    return {key: value for key, value in dumped.items() if value is not None}


@pytest.mark.parametrize("name", ["personal_message.json", "installed_team.json"])
def test_a_proactive_card_is_the_activity_the_sdk_would_send(name: str) -> None:
    reference = stored_reference(name)
    content = prompt(7)
    rendered = card(content)

    assert card_for(reference, rendered, content.fallback) == sdk_activity(
        reference, rendered, content.fallback
    )


def test_a_long_summary_is_cut_for_the_notification() -> None:
    activity = card_for(stored_reference("personal_message.json"), {}, "x" * 500)

    assert len(activity["summary"]) == 200

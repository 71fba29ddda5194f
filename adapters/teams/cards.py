"""Adaptive Cards wrapped in message activities."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity, Attachment

from .render import CARD_CONTENT_TYPE

SUMMARY_CHARS = 200  # what Teams shows in a notification


def card_activity(rendered: dict[str, Any], text: str) -> Activity:
    """A message carrying one Adaptive Card, with a summary for notifications."""
    return Activity(
        type="message",
        summary=text[:SUMMARY_CHARS],
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=rendered)],
    )

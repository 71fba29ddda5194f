"""Owed replies are stored as JSON (`storage/outgoing.py`): every shape the core says comes back
exactly as it was, and a stored row can only ever make the core's own classes."""

from __future__ import annotations

import json

import pytest

from bot.model import (
    Actor,
    BulletList,
    Button,
    Buttons,
    ChannelPost,
    Choice,
    Content,
    DirectMessage,
    Ephemeral,
    Fields,
    File,
    Form,
    Heading,
    Image,
    OpenForm,
    Outgoing,
    Paragraph,
    Place,
    Quote,
    TextInput,
    Update,
    Upload,
)
from storage import outgoing

SAM = Actor("slack", "T1", "U1", "Sam Jones", "Europe/London", guest=True)
RICH = Content(
    (
        Heading("This week"),
        Paragraph("Five steps: <!here> *not bold*"),
        Quote("Tidied the trays \u2728"),
        BulletList(("one", "two")),
        Fields((("Streak", "3"), ("Steps", "12"))),
        Image("https://example.org/chart.png", "a chart"),
        Buttons((Button("Undo", "undo", "42", "danger"), Button("Edit", "edit"))),
    ),
    "This week: five steps",
)
EVERY_SHAPE: list[Outgoing] = [
    DirectMessage(SAM, RICH, nudge_id=7, key="reply-1-0"),
    ChannelPost("slack", "T1", "C1", RICH, replaces="C1:1.2", key="k", original="C0:1.1"),
    Update(Place("D1"), "D1:1.3", RICH),
    Ephemeral(SAM, Place("C1", is_direct=False), RICH),
    OpenForm(
        SAM,
        Place("D1"),
        Form(
            "edit",
            "Edit your step",
            "Save",
            "Cancel",
            (TextInput("text", "Your step", max_length=500), Choice("day", "Day", (("1", "Mon"),))),
        ),
        RICH,
    ),
    Upload(SAM, File("steps.csv", "text/csv", b"id,text\n1,\xe2\x9c\xa8\x00\xff", "Steps"), RICH),
]


@pytest.mark.parametrize("action", EVERY_SHAPE, ids=lambda a: type(a).__name__)
def test_every_outgoing_shape_comes_back_as_it_was(action: Outgoing) -> None:
    assert outgoing.loads(outgoing.dumps([action])) == (action,)


def test_the_order_of_actions_is_kept() -> None:
    assert outgoing.loads(outgoing.dumps(EVERY_SHAPE)) == tuple(EVERY_SHAPE)


def test_a_stored_row_naming_anything_but_the_cores_classes_is_refused() -> None:
    stored = json.dumps([{"$": "Popen", "args": ["rm", "-rf", "/"]}])

    with pytest.raises(KeyError):
        outgoing.loads(stored)

"""Adaptive Cards for Teams: people's words stay plain text, buttons carry their action."""

from __future__ import annotations

import pytest

from adapters.teams.render import (
    ACTION_KEY,
    FORM_KEY,
    INLINE_IMAGE_BYTES,
    TEXT_LIMIT,
    card,
    form_card,
    upload_card,
)
from bot.conversation import forms, replies
from bot.conversation.replies import say
from bot.model import Button, Buttons, Content, Fields, File, Heading, Paragraph, Quote
from bot.ports import Department


def test_a_card_is_adaptive_card_1_5_with_a_text_fallback() -> None:
    rendered = card(Content((Paragraph("Hello"),), "Hello there"))

    assert (rendered["type"], rendered["version"]) == ("AdaptiveCard", "1.5")
    assert rendered["fallbackText"] == "Hello there"


def test_a_persons_words_are_text_runs_never_markdown_or_mentions() -> None:
    words = "**bold** <at>Everyone</at> [link](https://evil.example) <!channel>"

    block = card(Content((Quote(words),), "q"))["body"][0]["items"][0]

    assert block["type"] == "RichTextBlock"
    assert block["inlines"][0]["type"] == "TextRun"
    assert block["inlines"][0]["text"] == words


def test_over_long_text_is_cut_visibly() -> None:
    run = card(Content((Paragraph("x" * 10_000),), "f"))["body"][0]["inlines"][0]

    assert len(run["text"]) == TEXT_LIMIT
    assert run["text"].endswith("…")


def test_buttons_become_submit_actions_naming_their_core_action() -> None:
    rendered = card(Content((Buttons((Button("Skip today", "skip", "12"),)),), "f"))

    assert rendered["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Skip today",
            "data": {ACTION_KEY: "skip", "value": "12"},
        }
    ]


def test_fields_become_a_fact_set() -> None:
    facts = card(Content((Fields((("Streak", "3 school days"),)),), "f"))["body"][0]

    assert facts == {"type": "FactSet", "facts": [{"title": "Streak", "value": "3 school days"}]}


def test_the_prompt_card_offers_log_skip_and_pause() -> None:
    rendered = card(replies.prompt(7))

    assert [a["data"].get(ACTION_KEY) or a["data"][FORM_KEY] for a in rendered["actions"]] == [
        "log",
        "skip",
        "pause_menu",
    ]
    assert rendered["body"][0]["inlines"][0]["weight"] == "Bolder"


def test_the_prompt_card_is_answered_in_a_multi_line_field_inside_it() -> None:
    rendered = card(replies.prompt(7))

    field = rendered["body"][-1]
    assert (field["type"], field["id"], field["isMultiline"]) == ("Input.Text", "text", True)
    assert rendered["actions"][0] == {
        "type": "Action.Submit",
        "title": "Log it",
        "data": {FORM_KEY: "log"},
        "style": "positive",
    }


def test_skip_and_pause_need_no_words_in_the_field() -> None:
    rendered = card(replies.prompt(7))

    assert [a.get("associatedInputs") for a in rendered["actions"][1:]] == ["none", "none"]


def test_the_log_form_is_a_multi_line_input_with_a_department_choice() -> None:
    form = forms.log_form([Department(1, 1, "Science")], current=1)

    rendered = form_card(form, Content((Heading("Log"),), "Log"))

    text, choice = rendered["body"][1:]
    assert (text["type"], text["isMultiline"]) == ("Input.Text", True)
    assert choice["choices"] == [{"title": "Science", "value": "1"}]
    assert choice["value"] == "1"
    assert rendered["actions"][0]["data"] == {FORM_KEY: "log"}


@pytest.mark.parametrize(
    ("size", "inline"), [(INLINE_IMAGE_BYTES, True), (INLINE_IMAGE_BYTES + 1, False)]
)
def test_a_png_up_to_the_limit_is_carried_in_the_card(size: int, inline: bool) -> None:
    chart = File("c.png", "image/png", b"x" * size, "Chart")

    rendered = upload_card(say("Chart"), chart, link="https://x.test/files/t")

    assert (rendered["body"][-1]["type"] == "Image") is inline
    assert ("actions" in rendered) is not inline


def test_a_download_button_comes_first_among_the_cards_actions() -> None:
    comment = Content((Buttons(tuple(Button(f"B{n}", "skip") for n in range(6))),), "Here")
    export = File("x.csv", "text/csv", b"a,b", "Export")

    rendered = upload_card(comment, export, link="https://x.test/files/t")

    assert [a["title"] for a in rendered["actions"]] == [
        "Download x.csv",
        "B0",
        "B1",
        "B2",
        "B3",
        "B4",
    ]
    assert rendered["actions"][0] == {
        "type": "Action.OpenUrl",
        "title": "Download x.csv",
        "url": "https://x.test/files/t",
    }

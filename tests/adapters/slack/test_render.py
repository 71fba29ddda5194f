"""Block Kit rendering: every block kind, escaping, and Slack's size limits."""

from __future__ import annotations

from adapters.slack.render import SECTION_LIMIT, blocks, escape, fallback, modal
from bot.model import (
    BulletList,
    Button,
    Buttons,
    Choice,
    Content,
    Fields,
    Form,
    Heading,
    Image,
    Paragraph,
    Quote,
)


def test_every_block_kind_becomes_block_kit() -> None:
    content = Content(
        (
            Heading("Hi"),
            Paragraph("Body"),
            Quote("line one\nline two"),
            BulletList(("a", "b")),
            Fields((("Streak", "3"),)),
            Image("https://example.org/c.png", "chart"),
            Buttons((Button("Undo", "undo", "7", "danger"),)),
        ),
        "Hi",
    )

    rendered = blocks(content)

    assert [b["type"] for b in rendered] == [
        "header",
        "section",
        "section",
        "section",
        "section",
        "image",
        "actions",
    ]
    assert rendered[2]["text"]["text"] == "> line one\n> line two"
    assert rendered[6]["elements"][0] == {
        "type": "button",
        "action_id": "undo",
        "text": {"type": "plain_text", "text": "Undo"},
        "value": "7",
        "style": "danger",
    }


def test_slacks_control_characters_are_escaped() -> None:
    assert escape("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"


def test_an_over_long_text_is_cut_visibly_not_refused() -> None:
    [section] = blocks(Content((Quote("x" * 5000),), "x"))

    assert len(section["text"]["text"]) == SECTION_LIMIT
    assert section["text"]["text"].endswith("…")


def test_the_fallback_is_escaped_too() -> None:
    assert fallback(Content((), "<!channel>")) == "&lt;!channel&gt;"


def test_a_modal_keeps_within_slacks_title_limit() -> None:
    form = Form("log", "A title far longer than Slack allows", "Log it", "Cancel", ())

    view = modal(form, private_metadata="D1")

    assert len(view["title"]["text"]) <= 24
    assert view["title"]["text"].endswith("…")


def test_a_modal_preselects_the_persons_department() -> None:
    choice = Choice("department", "Department", (("1", "Maths"), ("2", "Science")), initial="2")
    form = Form("log", "Log", "Log it", "Cancel", (choice,))

    element = modal(form, private_metadata="D1")["blocks"][0]["element"]

    assert element["initial_option"]["value"] == "2"

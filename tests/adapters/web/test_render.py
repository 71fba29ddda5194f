"""The web renderer turns neutral content into plain JSON; strings are never markup."""

from __future__ import annotations

from adapters.web.render import content_json, typed_json
from bot.model import (
    BulletList,
    Button,
    Buttons,
    Content,
    Fields,
    Heading,
    Image,
    Paragraph,
    Quote,
)


def test_every_block_kind_is_rendered_in_order() -> None:
    content = Content(
        blocks=(
            Heading("Hi"),
            Paragraph("Body"),
            Quote("Their words"),
            BulletList(("a", "b")),
            Fields((("Streak", "3 days"),)),
            Image("https://example.org/c.png", "A chart"),
            Buttons((Button("Undo", "undo", "7", "danger"),)),
        ),
        fallback="Hi",
    )

    rendered = content_json(content)

    assert [block["type"] for block in rendered["blocks"]] == [
        "heading",
        "paragraph",
        "quote",
        "list",
        "fields",
        "image",
        "buttons",
    ]
    assert rendered["blocks"][6]["buttons"] == [
        {"label": "Undo", "action": "undo", "value": "7", "style": "danger"}
    ]


def test_markup_in_text_is_kept_as_plain_characters() -> None:
    words = "<script>alert(1)</script> <!here> **bold** مرحبا 🌱"

    rendered = content_json(Content((Quote(words),), words))

    assert rendered["blocks"][0]["text"] == words
    assert rendered["fallback"] == words


def test_inline_code_and_list_items_reach_the_page_as_written() -> None:
    """The page draws `code` spans and list items itself: they come without markup or bullets."""
    items = ("`skip` to skip today", "`undo` to remove your last entry")

    rendered = content_json(Content((BulletList(items),), "help"))

    assert rendered["blocks"] == [{"type": "list", "items": list(items)}]


def test_a_private_reply_is_marked_private() -> None:
    assert content_json(Content((), "x"), private=True)["private"] is True


def test_typed_text_is_kept_exactly() -> None:
    text = "  line one\nline two \u202eRTL  "

    assert typed_json(text)["blocks"] == [{"type": "paragraph", "text": text}]

"""Teams text is stored as a person reads it (issue 11, item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams.markup import readable

BOT = {"id": "28:bot-app-id", "name": "Tiny Steps"}


def mention(who: dict[str, str], tag: str | None = None) -> dict[str, Any]:
    return {"type": "mention", "text": tag or f"<at>{who['name']}</at>", "mentioned": who}


def activity(text: str, *entities: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"type": "message", "text": text, "recipient": BOT, "entities": list(entities), **more}


def test_the_bots_own_mention_is_removed() -> None:
    assert readable(activity("<at>Tiny Steps</at> log Planned the trip", mention(BOT))) == (
        "log Planned the trip"
    )


def test_a_colleagues_mention_keeps_their_name() -> None:
    ada = {"id": "29:3ghi", "name": "Ada Lovelace"}
    text = "<at>Tiny Steps</at> log Paired with <at>Ada Lovelace</at> on fractions"

    assert readable(activity(text, mention(BOT), mention(ada))) == (
        "log Paired with @Ada Lovelace on fractions"
    )


def test_a_bot_mentioned_by_another_name_is_still_removed() -> None:
    text = "<at>Steps</at> help"

    assert readable(activity(text, mention({**BOT, "name": "Steps"}))) == "help"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<p>Moved the visualiser&nbsp;so everyone can see &amp; hear</p>",
            "Moved the visualiser so everyone can see & hear",
        ),
        ("<p>First line</p><p>Second line</p>", "First line\nSecond line"),
        ("One<br>Two<br/>Three", "One\nTwo\nThree"),
        ("<div><div>Read <b>The Gruffalo</b></div>\n</div>", "Read The Gruffalo"),
        ("5 &lt; 6 &quot;quoted&quot; &#128512;", '5 < 6 "quoted" 😀'),
        ("plain words", "plain words"),
    ],
)
def test_html_becomes_readable_text(html: str, text: str) -> None:
    assert readable(activity(html)) == text


def test_a_mobile_message_with_only_an_html_attachment_is_read_from_it() -> None:
    attachment = {"contentType": "text/html", "content": "<p>Read with Reception</p>"}

    assert readable(activity("", attachments=[attachment])) == "Read with Reception"

"""Teams text is stored as a person reads it (issue 11, item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams.markup import mentions, readable
from bot.model import Mention

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


SAM = {"id": "29:4jkl", "name": "Sam Jones"}
SAM_ENTRA = "00000000-0000-0000-0000-0000000000a4"


def test_mentions_leave_out_the_bot_and_keep_the_order() -> None:
    ada = {"id": "29:3ghi", "name": "Ada Lovelace"}
    text = "<at>Tiny Steps</at> config role <at>Sam Jones</at> leader, not <at>Ada Lovelace</at>"

    said = activity(text, mention(BOT), mention(SAM), mention(ada))

    assert mentions(said) == (
        Mention("29:4jkl", "@Sam Jones"),
        Mention("29:3ghi", "@Ada Lovelace"),
    )
    assert readable(said) == "config role @Sam Jones leader, not @Ada Lovelace"


def test_a_mention_with_an_entra_id_is_known_by_it() -> None:
    found = mentions(activity("<at>Sam Jones</at>", mention({**SAM, "aadObjectId": SAM_ENTRA})))

    assert found == (Mention(SAM_ENTRA, "@Sam Jones"),)


def test_a_mention_reads_as_its_tag_not_the_profile_name() -> None:
    found = mentions(activity("<at>Sam</at>", mention(SAM, "<at>Sam</at>")))

    assert found == (Mention("29:4jkl", "@Sam"),)


def test_someone_mentioned_twice_is_one_mention() -> None:
    text = "<at>Sam Jones</at> and <at>Sam Jones</at>"

    assert mentions(activity(text, mention(SAM), mention(SAM))) == (
        Mention("29:4jkl", "@Sam Jones"),
    )


def test_the_bot_by_another_name_is_still_not_a_mention() -> None:
    assert mentions(activity("<at>Steps</at> help", mention({**BOT, "name": "Steps"}))) == ()

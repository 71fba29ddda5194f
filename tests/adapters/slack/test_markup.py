"""Slack markup is stored as a person reads it (issue 11, item 3)."""

from __future__ import annotations

import pytest

from adapters.slack.markup import mentioned_users, mentions, readable
from bot.model import Mention

NAMES = {"U2": "Ada Lovelace"}


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Fish &amp; chips", "Fish & chips"),
        ("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"),
        ("&amp;lt; stays as typed", "&lt; stays as typed"),
        ("Paired with <@U2>", "Paired with @Ada Lovelace"),
        ("Paired with <@U3|sam>", "Paired with @sam"),
        ("Paired with <@U4>", "Paired with @U4"),
        ("See <https://example.org/plan|the plan>", "See the plan (https://example.org/plan)"),
        ("See <https://example.org/plan>", "See https://example.org/plan"),
        ("Mail <mailto:ada@example.org|ada@example.org>", "Mail ada@example.org"),
        ("In <#C1|general>", "In #general"),
        ("<!here> and <!channel> and <!everyone>", "@here and @channel and @everyone"),
        ("<!subteam^S1|@leaders> know", "@leaders know"),
        ("<!date^1392734382^{date_short}|Feb 18, 2014> lesson", "Feb 18, 2014 lesson"),
        ("a <3 b", "a <3 b"),
        ("", ""),
    ],
)
def test_markup_is_read_out(sent: str, stored: str) -> None:
    assert readable(sent, NAMES) == stored


def test_the_users_to_look_up_are_found() -> None:
    assert mentioned_users("<@U2> and <@U3|sam> and <#C1|x> and <!here>") == {"U2", "U3"}


def test_mentions_keep_their_order_and_read_as_the_text_does() -> None:
    text = "config role <@U3|sam> leader, ask <@U2> and <@W4>"

    assert mentions(text, NAMES) == (
        Mention("U3", "@sam"),  # escaped form, no profile name: its label
        Mention("U2", "@Ada Lovelace"),  # bare form: the profile name
        Mention("W4", "@W4"),  # neither: the id, as `readable` writes it
    )
    assert all(m.text in readable(text, NAMES) for m in mentions(text, NAMES))


def test_a_profile_name_wins_over_the_escaped_label() -> None:
    assert mentions("<@U2|ada>", NAMES) == (Mention("U2", "@Ada Lovelace"),)
    assert readable("<@U2|ada>", NAMES) == "@Ada Lovelace"


def test_someone_mentioned_twice_is_one_mention() -> None:
    assert mentions("<@U2> paired with <@U3|sam> and <@U2|ada> again", NAMES) == (
        Mention("U2", "@Ada Lovelace"),
        Mention("U3", "@sam"),
    )


def test_channels_links_and_broadcasts_are_not_people() -> None:
    assert mentions("<#C1|general> <!here> <https://x.test|x> <!subteam^S1|@leaders>") == ()

from __future__ import annotations

from collections import Counter

import pytest

from bot.evidence.taxonomy import THEME_IDS
from bot.evidence.text import (
    Lexicon,
    default_examples,
    default_lexicon,
    parse_examples,
    read,
    words,
)


def test_year_groups_and_key_stages_are_written_one_way() -> None:
    assert words("Year 7, yr8 and Y10s in key stage 3; parents' evening") == [
        "Y7",
        "Y8",
        "and",
        "Y10",
        "in",
        "KS3",
        "parents",
        "evening",
    ]


def test_two_names_of_one_practice_are_one_practice() -> None:
    lexicon = default_lexicon()

    assert "questioning/no-hands-up" in read("Cold-calling with Y9", lexicon).practices()
    assert "questioning/no-hands-up" in read("No hands up in Y4 today", lexicon).practices()


def test_an_acronym_written_in_capitals_matches_only_in_capitals() -> None:
    lexicon = Lexicon.parse("[inclusion]\nkeywords: SEND\n[parents]\nletters: letter home")

    assert [m.theme for m in read("SEND pupils had a visual timetable", lexicon).matches] == [
        "inclusion"
    ]
    assert [m.theme for m in read("Did send a letter home", lexicon).matches] == ["parents"]


def test_the_longest_name_wins() -> None:
    lexicon = Lexicon.parse("[a]\nshort: quiz\n[b]\nlong: online quiz")

    assert [m.practice for m in read("an online quiz", lexicon).matches] == ["long"]


def test_a_malformed_lexicon_line_is_refused() -> None:
    with pytest.raises(ValueError, match="line 2"):
        Lexicon.parse("[a]\njust words")


def test_examples_are_read_under_their_theme() -> None:
    text = "# comment\n[feedback]\nLive marking in Y5\n\n[reading]\nStory time"
    assert list(parse_examples(text)) == [
        ("Live marking in Y5", "feedback"),
        ("Story time", "reading"),
    ]
    with pytest.raises(ValueError, match="line 1"):
        list(parse_examples("an entry before any theme"))


def test_the_shipped_knowledge_covers_every_theme_richly() -> None:
    examples = default_examples()
    per_theme = Counter(theme for _, theme in examples)
    assert set(per_theme) == set(THEME_IDS)
    assert min(per_theme.values()) >= 60
    assert len({text for text, _ in examples}) == len(examples), "an example is repeated"

    practices = Counter(p.theme for p in default_lexicon().phrases)
    assert set(practices) == set(THEME_IDS)

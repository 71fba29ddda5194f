"""Reading words as commands, and dates for pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.conversation.commands import DateUnclear, Parsed, parse, pause_end

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", Parsed("help")),
        ("  HELP  ", Parsed("help")),
        ("Help!", Parsed("help")),
        ("?", Parsed("help")),
        ("/help", Parsed("help")),
        ("skip", Parsed("skip")),
        ("undo", Parsed("undo")),
        ("stop", Parsed("stop")),
        ("forget   me", Parsed("forget me")),
        ("log", Parsed("log")),
        ("log Tidier trays", Parsed("log", "Tidier trays")),
        ("LOG  Kept Case ", Parsed("log", "Kept Case")),
        ("edit new words", Parsed("edit", "new words")),
        ("pause until Friday", Parsed("pause", "until Friday")),
    ],
)
def test_commands_are_recognised(text: str, expected: Parsed) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "stop giving homework on Fridays",
        "Skipped the starter and it went better",
        "helped a colleague",
        "logarithms lesson went well",
        "undone the old seating plan",
        "",
    ],
)
def test_sentences_that_start_like_commands_are_not_commands(text: str) -> None:
    assert parse(text) is None


def test_a_huge_message_is_parsed_without_trouble() -> None:
    assert parse("log " + "x" * 200_000) is not None


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("until 2026-12-08", date(2026, 12, 8)),
        ("2026-12-08", date(2026, 12, 8)),
        ("until 8 December", date(2026, 12, 8)),
        ("until 8/12/2026", date(2026, 12, 8)),
        ("for 3 days", date(2026, 11, 27)),
        ("for 2 weeks", date(2026, 12, 8)),
        ("for 1 week", date(2026, 12, 1)),
        ("until Friday", date(2026, 11, 27)),
        ("till monday", date(2026, 11, 30)),
    ],
)
def test_pause_dates_are_read_from_everyday_words(words: str, expected: date) -> None:
    assert pause_end(words, TODAY, NOW) == expected


@pytest.mark.parametrize("words", ["", "until", "until the cows come home", "for ever"])
def test_unreadable_pause_dates_are_refused(words: str) -> None:
    with pytest.raises(DateUnclear):
        pause_end(words, TODAY, NOW)

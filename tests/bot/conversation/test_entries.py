"""What a logged improvement may contain."""

from __future__ import annotations

import pytest

from bot.conversation.entries import MAX_ENTRY_CHARS, EntryRejected, clean_entry


def test_text_is_kept_exactly() -> None:
    text = "👩🏽‍🏫 <b>bold</b> *stars* `code` <!channel> \u05e9\u05dc\u05d5\u05dd \u200f"
    assert clean_entry(text) == text


def test_surrounding_whitespace_is_trimmed() -> None:
    assert clean_entry("  \n tidy \n ") == "tidy"


def test_windows_line_endings_become_newlines() -> None:
    assert clean_entry("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_control_characters_are_dropped_but_newlines_and_tabs_stay() -> None:
    assert clean_entry("a\x00b\x1bc\td\ne\x7f\x85") == "abc\td\ne"


def test_text_at_the_limit_is_accepted() -> None:
    assert len(clean_entry("x" * MAX_ENTRY_CHARS)) == MAX_ENTRY_CHARS


def test_text_over_the_limit_is_refused_with_its_length() -> None:
    with pytest.raises(EntryRejected, match="2,001 characters"):
        clean_entry("x" * (MAX_ENTRY_CHARS + 1))


@pytest.mark.parametrize("blank", ["", " ", "\n\n", "\x00", "\u0007\t "])
def test_blank_text_is_refused(blank: str) -> None:
    with pytest.raises(EntryRejected, match="didn't catch any words"):
        clean_entry(blank)

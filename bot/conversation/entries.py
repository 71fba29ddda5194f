"""What a logged improvement may contain.

Text is kept exactly as written (emoji, right-to-left scripts, markup) with two exceptions:
control characters other than newline and tab are dropped (PostgreSQL cannot store NUL and
they only ever arrive by accident), and Windows line endings become plain newlines.
Anything longer than `MAX_ENTRY_CHARS` is refused, never silently cut.
"""

from __future__ import annotations

import unicodedata

from bot import texts
from bot.refusals import Refusal
from bot.texts import MAX_ENTRY_CHARS

__all__ = ["MAX_ENTRY_CHARS", "EntryRejected", "clean_entry", "reads_like_a_step"]

STEP_MIN_WORDS = 3

_KEEP = {"\n", "\t"}


class EntryRejected(Refusal):
    """The text cannot be logged; `reply` says why, kindly."""


def clean_entry(raw: str) -> str:
    """The text to store, or `EntryRejected` with a friendly reason."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) != "Cc")
    text = text.strip()
    if not text:
        raise EntryRejected(texts.EMPTY_ENTRY)
    if len(text) > MAX_ENTRY_CHARS:
        raise EntryRejected(texts.too_long(len(text)))
    return text


def reads_like_a_step(text: str) -> bool:
    """Whether words typed out of the blue read like an improvement rather than a stray word
    or a question: a few words, not asking anything."""
    return len(text.split()) >= STEP_MIN_WORDS and not text.rstrip().endswith("?")

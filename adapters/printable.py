"""What every renderer drops from someone's words before a platform shows them."""

from __future__ import annotations

import re

# Characters nobody types to be read: controls (but newline and tab), and bidi embeddings,
# overrides and isolates, which turn the text after them around (a display name would reverse
# the department and school after it). Half a UTF-16 pair (JSON's `\ud800`) can't be shown.
_UNSEEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HALF_PAIR = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` without what nobody can read, its line breaks as newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _HALF_PAIR.sub("\ufffd", _UNSEEN.sub("", text))

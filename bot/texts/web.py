"""Words for the local web chat and its directory."""

from __future__ import annotations

# --- the directory (web chat and demo) ------------------------------------------------------

NAME_NEEDED = "Please give a name."
NO_SUCH_SCHOOL = "I can't find that school."


def name_too_long(limit: int) -> str:
    return f"Please keep names to {limit} characters or fewer."


def unknown_timezone(name: str) -> str:
    shown = name if len(name) <= 60 else name[:60] + "…"
    return f"\u201c{shown}\u201d isn't a time zone I know. Try a name like Europe/London or America/New_York."


# --- the local web chat -------------------------------------------------------------------

WEB_BAD_REQUEST = "That request didn't make sense to me. Please reload the page and try again."
WEB_NO_PERSON = "I can't find that person. Pick someone from the list, or add a new person."
WEB_TEXT_NEEDED = "Type a message first."
WEB_TOO_BIG = "That message is too large for me to read."
WEB_UNKNOWN_ROLE = "A person's role is staff, leader or admin."
WEB_NOT_LOCAL = (
    "The web chat is for trying Tiny Steps on this computer: open it at http://127.0.0.1 "
    "or http://localhost."
)
WEB_OTHER_ORIGIN = "The web chat only answers its own page."
WEB_JSON_ONLY = "The web chat only reads JSON (Content-Type: application/json)."
WEB_RELOAD = "Your session has ended. Please reload the page."

"""Teams message text → the words as a person reads them.

Teams sends HTML (`<p>`, `<br>`, `&nbsp;`, entities; from mobile often only a `text/html`
attachment) and writes every mention as `<at>Name</at>` with a `mention` entity saying whom.
Only the bot's own mention is ours to remove (it is how a channel addresses the bot); anyone
else mentioned stays in the entry as `@Name`, so "paired with <at>Ada</at>" keeps Ada.
"""

from __future__ import annotations

import html
import re
from typing import Any

from adapters.payload import obj
from bot.model import Mention

_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</li\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,2000}>")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")


def readable(activity: dict[str, Any]) -> str:
    """The activity's words without markup, the bot's own @mention removed."""
    text = activity.get("text")
    if not isinstance(text, str) or not text.strip():
        text = _html_attachment(activity)
    bot_names = _bot_mentions(activity)

    def mention(match: re.Match[str]) -> str:
        name = html.unescape(_TAG.sub("", match.group(1))).strip()
        return " " if name in bot_names or match.group(0) in bot_names else f"@{name}"

    text = _AT.sub(mention, text)
    text = _BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


def mentions(activity: dict[str, Any]) -> tuple[Mention, ...]:
    """The people an activity mentions (not the bot), as `readable` writes them: `@Name`."""
    bot = obj(activity.get("recipient"))
    found: dict[str, Mention] = {}
    for entity in activity.get("entities") or []:
        if not isinstance(entity, dict) or entity.get("type") != "mention":
            continue
        mentioned = obj(entity.get("mentioned"))
        user = str(mentioned.get("aadObjectId") or mentioned.get("id") or "")
        if not user or mentioned.get("id") == bot.get("id"):
            continue
        tag = _AT.search(str(entity.get("text") or ""))
        name = html.unescape(_TAG.sub("", tag.group(1))).strip() if tag else ""
        found.setdefault(user, Mention(user, "@" + (name or str(mentioned.get("name") or ""))))
    return tuple(found.values())


def _bot_mentions(activity: dict[str, Any]) -> set[str]:
    """How the bot was mentioned here: its `<at>` tags and names, from the mention entities."""
    bot = obj(activity.get("recipient"))
    names: set[str] = set()
    for entity in activity.get("entities") or []:
        if not isinstance(entity, dict) or entity.get("type") != "mention":
            continue
        mentioned = obj(entity.get("mentioned"))
        if mentioned.get("id") and mentioned.get("id") == bot.get("id"):
            tag = str(entity.get("text") or "")
            names.add(tag)
            names.add(html.unescape(_TAG.sub("", tag)).strip())
            if mentioned.get("name"):
                names.add(str(mentioned["name"]))
    if bot.get("name"):
        names.add(str(bot["name"]))
    return names


def _html_attachment(activity: dict[str, Any]) -> str:
    for attachment in activity.get("attachments") or []:
        if isinstance(attachment, dict) and attachment.get("contentType") == "text/html":
            content = attachment.get("content")
            if isinstance(content, str):
                return content
    return ""

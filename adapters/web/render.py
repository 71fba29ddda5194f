"""Renders the core's neutral content as JSON for the web chat page.

The page shows every string with `textContent`, so nothing a person types can become markup.
"""

from __future__ import annotations

from typing import Any

from bot.model import (
    Block,
    BulletList,
    Buttons,
    Content,
    Fields,
    Heading,
    Image,
    Paragraph,
    Quote,
)


def block_json(block: Block) -> dict[str, Any]:
    match block:
        case Heading(text):
            return {"type": "heading", "text": text}
        case Paragraph(text):
            return {"type": "paragraph", "text": text}
        case Quote(text):
            return {"type": "quote", "text": text}
        case BulletList(items):
            return {"type": "list", "items": list(items)}
        case Fields(pairs):
            return {"type": "fields", "pairs": [[label, value] for label, value in pairs]}
        case Image(url, alt):
            return {"type": "image", "url": url, "alt": alt}
        case Buttons(buttons):
            return {
                "type": "buttons",
                "buttons": [
                    {"label": b.label, "action": b.action, "value": b.value, "style": b.style}
                    for b in buttons
                ],
            }


def content_json(content: Content, *, private: bool = False) -> dict[str, Any]:
    """`private` marks a reply only its reader sees (an ephemeral reply in a channel)."""
    return {
        "blocks": [block_json(block) for block in content.blocks],
        "fallback": content.fallback,
        "private": private,
    }


def typed_json(text: str) -> dict[str, Any]:
    """What a person typed, kept exactly as written."""
    return {"blocks": [{"type": "paragraph", "text": text}], "fallback": text, "private": False}

"""Renders the core's neutral content as JSON for the web chat page.

The page shows every string with `textContent`, so nothing a person types can become markup.
A file travels whole, as a `data:` URI: the page shows an image inline (its CSP allows `data:`
images) and anything else as a download link.
"""

from __future__ import annotations

import base64
from typing import Any

from bot.model import (
    Block,
    BulletList,
    Buttons,
    Content,
    Fields,
    File,
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


def file_json(file: File) -> dict[str, Any]:
    """A file block: the page shows `image/*` inline and offers anything else as a download."""
    encoded = base64.b64encode(file.data).decode("ascii")
    return {
        "type": "file",
        "filename": file.filename,
        "mime": file.mime,
        "title": file.title,
        "url": f"data:{file.mime};base64,{encoded}",
    }


def upload_json(comment: Content, file: File) -> dict[str, Any]:
    """A file for one person: the comment's blocks, then the file."""
    rendered = content_json(comment)
    rendered["blocks"].append(file_json(file))
    return rendered

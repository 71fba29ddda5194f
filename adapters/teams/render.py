"""The core's neutral content as Adaptive Cards (schema 1.5), the way Teams shows them.

Everything a person wrote goes into `TextRun`s of a `RichTextBlock`, which Teams shows as plain
text: no markdown, no links, and `<at>` is never a mention without an entity we don't add.
A `FactSet` (and, in some hosts, `fallbackText`) is read as Markdown, so what goes there has
its Markdown broken with invisible characters and look-alikes. Buttons are `Action.Submit`s
whose data says which core action they are and its argument. A card is kept within the size
Teams accepts for a message, whatever script its words are in.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterator
from typing import Any

from adapters.printable import printable
from bot import texts
from bot.conversation import forms
from bot.model import (
    Block,
    BulletList,
    Buttons,
    Choice,
    Content,
    Fields,
    File,
    Form,
    Heading,
    Image,
    Paragraph,
    Quote,
    TextInput,
)

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
TEXT_LIMIT = 4000  # characters of one text; `CARD_BYTES` bounds the whole card
# Teams refuses a message over about 28 KB as sent, where aiohttp writes anything non-ASCII as
# `\uXXXX` (an emoji takes 12 bytes); the activity around the card takes up to 4 KB of it.
CARD_BYTES = 24_000
FALLBACK_FLOOR = 200  # what speak and fallbackText keep when a card has to shrink
MAX_ACTIONS = 6
MAX_FACTS = 10
ACTION_KEY = "tinysteps_action"
FORM_KEY = "tinysteps_form"
ELLIPSIS = "…"
# A chart this small travels inside the card as a data: URI (Teams doesn't count base64 images
# towards a message's size limit); a bigger one, or a CSV, is a link to download it.
INLINE_IMAGE_BYTES = 24_000
INLINE_MIME = "image/png"


# Renderers format `{{DATE(…)}}` and `{{TIME(…)}}` even in a TextRun.
_DOUBLE_BRACE = re.compile(r"\{(?=\{)")
# Markdown, where Teams reads it: a `]` that a link, image or reference would follow, a `*` or
# `_` that could open or close emphasis (between two letters or digits they can't), a line
# that would start a list, a quote or a heading. Backslashes aren't honoured by every client.
_LINK_END = re.compile(r"\](?=[(\[:])")
_EMPHASIS = re.compile(r"(?<![^\W_])[*_]|[*_](?![^\W_])")
_LOOKALIKES = {"*": "\u2217", "_": "\u02cd"}
_BLOCK_START = re.compile(r"^(?=[ \t]*(?:[-+*>#]|\d+[.)])(?:\s|$))", re.MULTILINE)
ZWSP = "\u200b"


def cut(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def as_text(text: str) -> str:
    """Someone's words as a TextRun shows them: what nobody can read dropped, `{{` inert."""
    return _DOUBLE_BRACE.sub("{" + ZWSP, printable(text))


def as_markdown(text: str) -> str:
    """Someone's words where Teams reads Markdown, shown as typed: no link or image can form
    (a zero-width space after `]`), emphasis marks are look-alikes, and a line that would
    start a list or a quote starts with a zero-width space."""
    text = _EMPHASIS.sub(lambda mark: _LOOKALIKES[mark.group()], as_text(text))
    return _BLOCK_START.sub(ZWSP, _LINK_END.sub("]" + ZWSP, text))


def _runs(*runs: dict[str, Any]) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": list(runs)}


def _run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextRun", "text": cut(as_text(text)), **style}


def element(block: Block) -> dict[str, Any] | None:
    """One card element; buttons are gathered into the card's actions instead."""
    match block:
        case Heading(text):
            return _runs(_run(text, size="Medium", weight="Bolder"))
        case Paragraph(text):
            return _runs(_run(text))
        case Quote(text):
            return {
                "type": "Container",
                "style": "emphasis",
                "items": [_runs(_run(text, italic=True))],
            }
        case BulletList(items):
            return _runs(_run("\n".join(f"• {item}" for item in items)))
        case Fields(pairs):
            return {
                "type": "FactSet",
                "facts": [
                    {"title": cut(as_markdown(label), 100), "value": cut(as_markdown(value), 400)}
                    for label, value in pairs[:MAX_FACTS]
                ],
            }
        case Image(url, alt):
            return {"type": "Image", "url": url, "altText": cut(alt, 400)}
        case Buttons():
            return None


def _submit(title: str, data: dict[str, str], style: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Submit", "title": cut(title, 60), "data": data}
    if style == "primary":
        action["style"] = "positive"
    elif style == "danger":
        action["style"] = "destructive"
    return action


def card(content: Content) -> dict[str, Any]:
    """The card; a button opening the log form becomes the form's text field inline, with
    "Log it", so the prompt is answered in the card itself. The other buttons then skip the
    field's validation (`associatedInputs: none`): Skip today needs no words."""
    body = [e for e in (element(b) for b in content.blocks) if e is not None]
    buttons = [b for block in content.blocks if isinstance(block, Buttons) for b in block.buttons]
    inline = [b for b in buttons if b.action in forms.OPENERS][:1]
    actions: list[dict[str, Any]] = []
    for button in buttons:
        if button in inline:
            body.append(_input(forms.log_text(texts.FORM_LOG_INLINE_LABEL)))
            data = {FORM_KEY: forms.OPENERS[button.action]}
            actions.append(_submit(texts.FORM_SUBMIT, data, button.style))
        else:
            data = {ACTION_KEY: button.action, "value": button.value}
            action = _submit(button.label, data, button.style)
            if inline:
                action["associatedInputs"] = "none"
            actions.append(action)
    rendered: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "fallbackText": cut(as_markdown(content.fallback)),
        "speak": cut(as_text(content.fallback)),
    }
    if actions:
        rendered["actions"] = actions[:MAX_ACTIONS]
    _fit(rendered)
    return rendered


def _sent_bytes(value: Any) -> int:
    """How many bytes `value` takes in the JSON sent (aiohttp writes non-ASCII as `\\uXXXX`)."""
    return len(json.dumps(value))


def _texts(rendered: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Where the card's longer texts are, as (holder, key): text runs and fact values."""
    for node in _nodes(rendered["body"]):
        if node.get("type") == "TextRun":
            yield node, "text"
        for fact in node.get("facts", ()):
            yield fact, "value"


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _nodes(child)
    elif isinstance(node, list):
        for child in node:
            yield from _nodes(child)


def _fit(rendered: dict[str, Any]) -> None:
    """Cut texts until the card fits in a Teams message: first speak and fallbackText (few
    hosts show them) down to a notification's length, then the longest text, and so on."""
    while (excess := _sent_bytes(rendered) - CARD_BYTES) > 0:
        spare = [key for key in ("speak", "fallbackText") if len(rendered[key]) > FALLBACK_FLOOR]
        slots = [(rendered, key) for key in spare] or list(_texts(rendered))
        holder, key = max(slots, key=lambda slot: _sent_bytes(slot[0][slot[1]]))
        text: str = holder[key]
        if len(text) <= 1:
            return  # nothing left to cut: the card is all structure
        per_char = (_sent_bytes(text) - 2) / len(text)
        keep = len(text) - math.ceil(excess / per_char) - 1
        holder[key] = cut(text, max(keep, FALLBACK_FLOOR if spare else 1))


def _input(field: TextInput | Choice) -> dict[str, Any]:
    match field:
        case TextInput(name, label, placeholder, max_length, multiline):
            return {
                "type": "Input.Text",
                "id": name,
                "label": cut(label, 200),
                "placeholder": cut(placeholder, 200),
                "maxLength": max_length,
                "isMultiline": multiline,
                "isRequired": True,
                "errorMessage": cut(label, 200),
            }
        case Choice(name, label, options, initial):
            choice: dict[str, Any] = {
                "type": "Input.ChoiceSet",
                "id": name,
                "label": cut(label, 200),
                "style": "compact",
                "isRequired": False,
                "choices": [{"title": cut(text, 100), "value": value} for value, text in options],
            }
            if initial is not None:
                choice["value"] = initial
            return choice


def form_card(form: Form, content: Content | None = None) -> dict[str, Any]:
    """A form inside a card (Teams has no modals for bots): `content`'s blocks, then the inputs."""
    base = card(content) if content is not None else card(Content((), form.title))
    base["body"] = [*base["body"], *(_input(field) for field in form.inputs)]
    base["actions"] = [_submit(form.submit, {FORM_KEY: form.name}, "primary")]
    return base


def shows_inline(file: File) -> bool:
    """Whether the card carries the file itself (a small PNG) rather than a link to it."""
    return file.mime == INLINE_MIME and len(file.data) <= INLINE_IMAGE_BYTES


def upload_card(comment: Content, file: File, link: str | None) -> dict[str, Any]:
    """A file for one person: the comment, then the image itself when small enough, else a
    "Download …" button to `link`; with no link to give, words saying where to get it."""
    rendered = card(comment)
    if shows_inline(file):
        encoded = base64.b64encode(file.data).decode("ascii")
        rendered["body"].append(
            {
                "type": "Image",
                "url": f"data:{INLINE_MIME};base64,{encoded}",
                "altText": cut(file.title, 400),
                "size": "Stretch",
            }
        )
    elif link is not None:
        download = {
            "type": "Action.OpenUrl",
            "title": cut(texts.download_button(file.filename), 60),
            "url": link,
        }
        rendered["actions"] = [download, *rendered.get("actions", [])][:MAX_ACTIONS]
    else:
        rendered["body"].append(_runs(_run(texts.file_not_attached(file.filename))))
    return rendered

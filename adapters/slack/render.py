"""The core's neutral content as Block Kit.

Everything a person wrote is escaped (`&`, `<`, `>`), so `<!channel>`, `<@U123>` or a link in
an improvement shows as text and can never notify anyone. mrkdwn has no escape for its
formatting, so a `*`, `_`, `~` or backtick that could format is sent as a look-alike, and a
line that would start a quote gets an invisible soft hyphen in front (the way jsx-slack's
`<Escape>` does it). Controls and bidi overrides are dropped. Slack's size limits are
respected: an over-long text is cut with a visible "…" rather than refused by Slack.
"""

from __future__ import annotations

import re
from typing import Any

from adapters.printable import printable
from bot.model import (
    Block,
    BulletList,
    Buttons,
    Choice,
    Content,
    Fields,
    Form,
    Heading,
    Image,
    Paragraph,
    Quote,
    TextInput,
)

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
FIELD_LIMIT = 2000
MAX_FIELDS = 10
MAX_BLOCKS = 50
FALLBACK_LIMIT = 4000
VIEW_TITLE_LIMIT = 24
LABEL_LIMIT = 2000
PLACEHOLDER_LIMIT = 150
OPTION_LIMIT = 75
METADATA_LIMIT = 3000
FORM_CALLBACK_PREFIX = "tinysteps_form:"
ELLIPSIS = "…"


# mrkdwn's formatting characters (Slack reads the fullwidth ones too), sent as look-alikes.
# Between two letters or digits they can't format (`New_York`, `:white_check_mark:`), so
# there they stay as typed.
_LOOKALIKES = {
    "*": "\u2217",
    "_": "\u02cd",
    "~": "\u223c",
    "`": "\u02cb",
    "\uff0a": "\ufe61",
    "\uff3f": "\u2e0f",
    "\uff40": "\u02cb",
}
_CODE_MARKS = "`\uff40"


def _formatting(marks: str) -> re.Pattern[str]:
    chars = re.escape(marks)
    return re.compile(rf"(?<![^\W_])[{chars}]|[{chars}](?![^\W_])")


_FORMATTING = _formatting("".join(_LOOKALIKES))
_FORMATTING_BUT_CODE = _formatting("".join(m for m in _LOOKALIKES if m not in _CODE_MARKS))
_QUOTE_START = re.compile(r"^(\s*)(&gt;|\uff1e)", re.MULTILINE)
SOFT_HYPHEN = "\u00ad"


def escape(text: str) -> str:
    """Slack's three control characters, escaped as its docs require."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def literal(text: str, *, code: bool = False) -> str:
    """`text` as mrkdwn that shows it as typed: nothing in it notifies, links or formats.
    With `code`, backticks stay live: our own texts write command words as code."""
    text = escape(printable(text))
    formatting = _FORMATTING_BUT_CODE if code else _FORMATTING
    text = formatting.sub(lambda mark: _LOOKALIKES[mark.group()], text)
    return _QUOTE_START.sub(lambda start: start.group(1) + SOFT_HYPHEN + start.group(2), text)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": cut(text, SECTION_LIMIT), "verbatim": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def block_kit(block: Block) -> dict[str, Any]:
    match block:
        case Heading(text):
            return {
                "type": "header",
                "text": {"type": "plain_text", "text": cut(printable(text), HEADER_LIMIT)},
            }
        case Paragraph(text):
            return _section(literal(text, code=True))
        case Quote(text):
            lines = printable(text).splitlines() or [""]
            return _section("\n".join(f"> {literal(line)}" for line in lines))
        case BulletList(items):
            return _section("\n".join(f"• {literal(item, code=True)}" for item in items))
        case Fields(pairs):
            return {
                "type": "section",
                "fields": [
                    _mrkdwn(cut(f"*{literal(label)}*\n{literal(value)}", FIELD_LIMIT))
                    for label, value in pairs[:MAX_FIELDS]
                ],
            }
        case Image(url, alt):
            return {"type": "image", "image_url": url, "alt_text": cut(alt, 2000)}
        case Buttons(buttons):
            elements: list[dict[str, Any]] = []
            for button in buttons:
                element: dict[str, Any] = {
                    "type": "button",
                    "action_id": button.action,
                    "text": {"type": "plain_text", "text": cut(button.label, BUTTON_LABEL_LIMIT)},
                    "value": cut(button.value, BUTTON_VALUE_LIMIT) or "-",
                }
                if button.style:
                    element["style"] = button.style
                elements.append(element)
            return {"type": "actions", "elements": elements}


def blocks(content: Content) -> list[dict[str, Any]]:
    return [block_kit(block) for block in content.blocks[:MAX_BLOCKS]]


def fallback(content: Content) -> str:
    """The notification text (and what screen readers announce first)."""
    return cut(literal(content.fallback, code=True), FALLBACK_LIMIT)


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit)}


def _input(field: TextInput | Choice) -> dict[str, Any]:
    match field:
        case TextInput(name, label, placeholder, max_length, multiline):
            element: dict[str, Any] = {
                "type": "plain_text_input",
                "action_id": name,
                "multiline": multiline,
                "max_length": max_length,
            }
            if placeholder:
                element["placeholder"] = _plain(placeholder, PLACEHOLDER_LIMIT)
            return {
                "type": "input",
                "block_id": name,
                "label": _plain(label, LABEL_LIMIT),
                "element": element,
            }
        case Choice(name, label, options, initial):
            choices = [
                {"text": _plain(text, OPTION_LIMIT), "value": value} for value, text in options
            ]
            element = {"type": "static_select", "action_id": name, "options": choices}
            chosen = [c for c in choices if c["value"] == initial]
            if chosen:
                element["initial_option"] = chosen[0]
            return {
                "type": "input",
                "block_id": name,
                "optional": True,
                "label": _plain(label, LABEL_LIMIT),
                "element": element,
            }


def modal(form: Form, private_metadata: str) -> dict[str, Any]:
    """A form as a modal; `private_metadata` comes back on submission (the DM to answer in)."""
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK_PREFIX + form.name,
        "title": _plain(form.title, VIEW_TITLE_LIMIT),
        "submit": _plain(form.submit, VIEW_TITLE_LIMIT),
        "close": _plain(form.cancel, VIEW_TITLE_LIMIT),
        "private_metadata": private_metadata[:METADATA_LIMIT],
        "blocks": [_input(field) for field in form.inputs],
    }


def home_view(content: Content) -> dict[str, Any]:
    """The App Home tab."""
    return {"type": "home", "blocks": blocks(content)}

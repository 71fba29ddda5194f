"""The core's neutral content as Block Kit.

Everything a person wrote is escaped (`&`, `<`, `>`), so `<!channel>`, `<@U123>` or a link in
an improvement shows as text and can never notify anyone. Slack's size limits are respected:
an over-long text is cut with a visible "…" rather than refused by Slack.
"""

from __future__ import annotations

from typing import Any

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


def escape(text: str) -> str:
    """Slack's three control characters, escaped as its docs require."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
                "text": {"type": "plain_text", "text": cut(text, HEADER_LIMIT)},
            }
        case Paragraph(text):
            return _section(escape(text))
        case Quote(text):
            return _section("\n".join(f"> {escape(line)}" for line in text.splitlines() or [""]))
        case BulletList(items):
            return _section("\n".join(f"• {escape(item)}" for item in items))
        case Fields(pairs):
            return {
                "type": "section",
                "fields": [
                    _mrkdwn(cut(f"*{escape(label)}*\n{escape(value)}", FIELD_LIMIT))
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
    return cut(escape(content.fallback), FALLBACK_LIMIT)


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

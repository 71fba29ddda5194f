"""Forms a platform may show instead of asking people to type: what is in each, and which
button opens it. Platforms without forms send the button press, and the core answers it."""

from __future__ import annotations

from collections.abc import Sequence

from bot import texts
from bot.model import Choice, Form, TextInput
from bot.ports import Department

LOG = "log"
OPENERS = {"log_form": LOG}  # button action → form it opens
MAX_CHOICES = 100  # Slack's limit for one select menu


def log_text(label: str = texts.FORM_LOG_LABEL) -> TextInput:
    """The log form's one required field (a card can carry it inline, see Teams' render)."""
    return TextInput(
        "text", label, placeholder=texts.FORM_LOG_PLACEHOLDER, max_length=texts.MAX_ENTRY_CHARS
    )


def log_form(departments: Sequence[Department], current: int | None) -> Form:
    inputs: list[TextInput | Choice] = [log_text()]
    if departments:
        inputs.append(
            Choice(
                "department",
                texts.FORM_DEPARTMENT_LABEL,
                tuple((str(d.id), d.name) for d in departments[:MAX_CHOICES]),
                initial=str(current) if current is not None else None,
            )
        )
    return Form(LOG, texts.FORM_LOG_TITLE, texts.FORM_SUBMIT, texts.FORM_CANCEL, tuple(inputs))

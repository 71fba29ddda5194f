"""Builders for the core's neutral replies: the words come from `texts`, the shape lives here."""

from __future__ import annotations

from bot import texts
from bot.conversation.entries import reads_like_a_step
from bot.model import (
    Actor,
    Block,
    BulletList,
    Button,
    Buttons,
    Content,
    DirectMessage,
    Ephemeral,
    Fields,
    Heading,
    Incoming,
    Paragraph,
    Place,
    Quote,
)
from bot.ports import Improvement, Role


def say(text: str, *extra: Paragraph | Quote | Buttons) -> Content:
    """A short reply: one paragraph, optionally followed by more blocks."""
    return Content(blocks=(Paragraph(text), *extra), fallback=text)


def to(event: Incoming, content: Content) -> DirectMessage | Ephemeral:
    """Answer where the person spoke: privately in a channel, plainly in a direct chat."""
    return to_place(event.actor, event.place, content)


def to_place(who: Actor, place: Place, content: Content) -> DirectMessage | Ephemeral:
    if place.is_direct:
        return DirectMessage(recipient=who, content=content)
    return Ephemeral(recipient=who, place=place, content=content)


def welcome(name: str, *, invited: bool = False) -> Content:
    body = texts.welcome(name)
    return Content(
        blocks=(
            Heading(texts.WELCOME_HEADING),
            Paragraph(body),
            Paragraph(texts.WELCOME_PRIVACY),
            Paragraph(texts.WELCOME_INVITED if invited else texts.WELCOME_CONTROLS),
        ),
        fallback=f"{texts.WELCOME_HEADING}. {body}",
    )


def listed(heading: str, items: list[str]) -> Content:
    return Content(
        blocks=(Heading(heading), BulletList(tuple(items))),
        fallback=heading + ": " + "; ".join(items),
    )


def help_(role: Role = Role.STAFF) -> Content:
    """What this person can say: everyone's words, and the settings for admins."""
    items: tuple[str, ...] = texts.HELP_ITEMS
    if role in (Role.LEADER, Role.ADMIN):
        items += texts.LEADER_HELP_ITEMS
    if role is Role.ADMIN:
        items += texts.ADMIN_HELP_ITEMS
    return Content(
        blocks=(Heading(texts.HELP_HEADING), BulletList(items)),
        fallback=texts.HELP_HEADING + ": " + "; ".join(items),
    )


def prompt(nudge_id: int) -> Content:
    return Content(
        blocks=(
            Heading(texts.PROMPT_HEADING),
            Paragraph(texts.PROMPT_BODY),
            Buttons(
                (
                    Button(texts.BUTTON_LOG_FORM, "log_form", style="primary"),
                    Button(texts.BUTTON_SKIP, "skip", str(nudge_id)),
                    Button(texts.BUTTON_PAUSE_MENU, "pause_menu"),
                )
            ),
        ),
        fallback=texts.PROMPT_FALLBACK,
    )


def pause_menu() -> Content:
    return Content(
        blocks=(
            Paragraph(texts.PAUSE_MENU),
            Buttons(
                (
                    Button(texts.BUTTON_PAUSE_WEEK, "pause", "for 1 week"),
                    Button(texts.BUTTON_PAUSE_TWO_WEEKS, "pause", "for 2 weeks"),
                    Button(texts.BUTTON_PAUSE_MONTH, "pause", "for 4 weeks"),
                )
            ),
        ),
        fallback=texts.PAUSE_MENU,
    )


def prompt_answered(entry: Improvement) -> Content:
    """The prompt once answered: no buttons left to press twice."""
    return Content(
        blocks=(Heading(texts.PROMPT_HEADING), Quote(entry.text)),
        fallback=f"{texts.PROMPT_HEADING} {entry.text}",
    )


def logged(
    entry: Improvement,
    streak: int,
    total: int,
    *,
    share: bool = False,
    more: tuple[Block, ...] = (),
) -> Content:
    """The confirmation: the words, streak and total, *Undo*, and (where the school and
    person want it) *Share with my department*; `more` says what sharing adds."""
    headline = texts.logged(streak)
    offer = (Button(texts.BUTTON_SHARE, "share", str(entry.id)),) if share else ()
    return Content(
        blocks=(
            Paragraph(headline),
            Quote(entry.text),
            Fields(
                (
                    (texts.FIELD_STREAK, texts.streak_value(streak)),
                    (texts.FIELD_TOTAL, str(total)),
                )
            ),
            Buttons((Button(texts.BUTTON_UNDO, "undo", str(entry.id)), *offer)),
            *more,
        ),
        fallback=" ".join([headline, *(b.text for b in more if isinstance(b, Paragraph))]),
    )


def quoted(text: str, entry_text: str) -> Content:
    return say(text, Quote(entry_text))


def forget_confirm() -> Content:
    return say(
        texts.FORGET_CONFIRM,
        Buttons(
            (
                Button(texts.BUTTON_FORGET, "forget_confirm", style="danger"),
                Button(texts.BUTTON_KEEP, "forget_cancel"),
            )
        ),
    )


def unknown(words: str, loggable: str | None) -> Content:
    """A helpful answer to words we don't understand, offering to log them when they fit.

    A sentence that reads like an improvement is simply offered for logging; a word or two
    is more likely a command we don't know, so the answer points to `log` and `help`.
    """
    if loggable is None:
        return say(texts.unknown(words))
    log_this = Buttons((Button(texts.BUTTON_LOG_THIS, "log", loggable, "primary"),))
    if reads_like_a_step(loggable):
        return say(texts.LOG_THIS_AS_TODAY, Quote(loggable), log_this)
    return say(texts.unknown(words), log_this)


def reminder(nudge_id: int) -> Content:
    return Content(
        blocks=(
            Heading(texts.REMINDER_HEADING),
            Paragraph(texts.REMINDER_BODY),
            Buttons((Button(texts.BUTTON_SKIP, "skip", str(nudge_id)),)),
        ),
        fallback=texts.REMINDER_FALLBACK,
    )


def weekly_note(count: int, streak: int) -> Content:
    body = texts.weekly_note(count, streak)
    return Content(
        blocks=(Heading(texts.WEEKLY_HEADING), Paragraph(body), Paragraph(texts.WEEKLY_OFF_HINT)),
        fallback=body,
    )


def question(name: str, nudge_id: int, *, welcomed: bool) -> Content:
    """Today's question, however it is sent; a person's first one carries the welcome, so
    the two arrive as one message, sent once."""
    asked = prompt(nudge_id)
    return asked if welcomed else welcome_then(name, asked)


def welcome_then(name: str, content: Content) -> Content:
    """A first scheduled message: the welcome and the question in one, so it is sent once."""
    greeting = welcome(name)
    return Content(
        blocks=greeting.blocks + content.blocks,
        fallback=f"{greeting.fallback} {content.fallback}",
    )

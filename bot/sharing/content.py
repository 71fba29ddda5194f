"""What sharing posts and asks look like, in the neutral vocabulary the adapters render."""

from __future__ import annotations

from collections.abc import Sequence

from bot import texts
from bot.model import BulletList, Button, Buttons, Content, Heading, Paragraph, Quote
from bot.ports import Improvement, Post, Standout


def shared_post(entry: Improvement, author: str, department: str) -> Content:
    """An entry in its department's channel, with the buttons that make ideas travel."""
    credit = texts.shared_post(author, department)
    return Content(
        blocks=(Paragraph(credit), Quote(entry.text), _buttons(entry.id, helped=True)),
        fallback=f"{credit} {entry.text}",
    )


def repost(entry: Improvement, author: str | None, department: str, school: str) -> Content:
    """A standout in another channel: credited, or to "a colleague" when its author chose so."""
    credit = texts.repost(author or texts.A_COLLEAGUE, department, school)
    return Content(
        blocks=(Paragraph(credit), Quote(entry.text), _buttons(entry.id, helped=False)),
        fallback=f"{credit} {entry.text}",
    )


def withdrawn() -> Content:
    return Content(blocks=(Paragraph(texts.WITHDRAWN_POST),), fallback=texts.WITHDRAWN_POST)


def _buttons(entry_id: int, *, helped: bool) -> Buttons:
    value = str(entry_id)
    found = (Button(texts.BUTTON_HELPED, "helped", value),) if helped else ()
    return Buttons((*found, Button(texts.BUTTON_TRY, "try", value, style="primary")))


def consent_question(standout: Standout, entry: Improvement, reason: str) -> Content:
    value = str(entry.id)
    return Content(
        blocks=(
            Paragraph(reason),
            Quote(entry.text),
            Paragraph(texts.CONSENT_QUESTION),
            Buttons(
                (
                    Button(texts.BUTTON_CONSENT_NAMED, "consent_named", value, style="primary"),
                    Button(texts.BUTTON_CONSENT_ANONYMOUS, "consent_anonymous", value),
                    Button(texts.BUTTON_CONSENT_DECLINED, "consent_declined", value),
                )
            ),
        ),
        fallback=f"{reason} {entry.text} {texts.CONSENT_QUESTION}",
    )


def failed_posts(posts: Sequence[Post], channel_names: dict[int, str]) -> Content:
    lines = tuple(
        texts.failed_post_line(channel_names.get(p.id) or p.channel_id, p.error or "")
        for p in posts
    )
    return Content(
        blocks=(
            Heading(texts.FAILED_POSTS_HEADING),
            BulletList(lines),
            Paragraph(texts.FAILED_POSTS_HELP),
        ),
        fallback=f"{texts.FAILED_POSTS_HEADING}: {'; '.join(lines)}",
    )


def best_of(items: Sequence[tuple[str, Improvement]]) -> Content:
    """The week's standouts, each credited as its author chose."""
    blocks: list[Paragraph | Quote | Heading] = [Heading(texts.BEST_OF_HEADING)]
    for credit, entry in items:
        blocks += [Paragraph(credit), Quote(entry.text)]
    return Content(
        blocks=tuple(blocks),
        fallback=f"{texts.BEST_OF_HEADING}: " + "; ".join(f"{c} {e.text}" for c, e in items),
    )

"""The neutral model that crosses the adapter boundary: what comes in, what goes out.

Adapters translate platform payloads into these frozen dataclasses and render the outgoing
ones into Block Kit, Adaptive Cards or HTML. Nothing here knows about any platform's format,
and there is deliberately no `raw` escape hatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# --- who and where -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Actor:
    """A person as a platform names them: unique per platform + workspace/tenant + user id."""

    platform: str
    workspace_id: str
    user_id: str
    display_name: str = ""
    timezone: str | None = None
    guest: bool = False  # the platform lists them as a guest of the workspace


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happened: a direct conversation with the bot, or a channel."""

    channel_id: str
    is_direct: bool = True


# --- incoming ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """Someone the words name by a platform mention: their id, and how it reads in the text
    (`@Sam Jones`), so `config role @Sam Jones leader` knows where the name ends."""

    user_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Message:
    """Plain words typed to the bot (a reply to the prompt, or a typed command)."""

    actor: Actor
    place: Place
    text: str
    message_id: str | None = None
    event_id: str | None = None
    attachments: int = 0  # photos or files sent with (or instead of) the words; not kept
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Command:
    """An explicit command such as `/tinysteps log …`: never read as an answer to the prompt."""

    actor: Actor
    place: Place
    text: str
    event_id: str | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A button or card action; `value` carries the action's argument (an id, a date, text)."""

    actor: Actor
    place: Place
    action: str
    value: str = ""
    message_id: str | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reaction:
    """An emoji reaction added to or removed from a message."""

    actor: Actor
    place: Place
    message_id: str
    emoji: str
    added: bool = True
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class MessageEdited:
    """The person changed a message they sent the bot; its logged entry follows."""

    actor: Actor
    place: Place
    message_id: str
    text: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class MessageDeleted:
    """The person deleted a message they sent the bot; its logged entry goes too."""

    actor: Actor
    place: Place
    message_id: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class FormSubmitted:
    """A filled-in form (a Slack modal, a Teams card's inputs): `fields` are name → value."""

    actor: Actor
    place: Place
    form: str
    fields: tuple[tuple[str, str], ...]
    event_id: str | None = None
    # The card the form was filled in on, where the platform says: the same card submitted
    # twice (a double tap, a retry) logs once.
    message_id: str | None = None

    def get(self, name: str) -> str:
        return next((value for key, value in self.fields if key == name), "")


Incoming = (
    Message | Command | ButtonPress | Reaction | MessageEdited | MessageDeleted | FormSubmitted
)


# --- forms a platform can show (Slack modal, Teams card inputs) ------------------------------


@dataclass(frozen=True, slots=True)
class TextInput:
    name: str
    label: str
    placeholder: str = ""
    max_length: int = 3000
    multiline: bool = True


@dataclass(frozen=True, slots=True)
class Choice:
    """Pick one of `options` (value, label); optional, preselecting `initial` if given."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    initial: str | None = None


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    title: str
    submit: str
    cancel: str
    inputs: tuple[TextInput | Choice, ...]


# --- the small rich-text vocabulary -------------------------------------------------------
# All strings are plain text: renderers escape them for their platform, so a person's words
# can never turn into markup, mentions or script.


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    """Someone's own words, shown as they wrote them."""

    text: str


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fields:
    """Short label/value pairs, e.g. streak and count."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    alt: str


ButtonStyle = Literal["primary", "danger"] | None


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: str
    value: str = ""
    style: ButtonStyle = None


@dataclass(frozen=True, slots=True)
class Buttons:
    buttons: tuple[Button, ...]


Block = Heading | Paragraph | Quote | BulletList | Fields | Image | Buttons


@dataclass(frozen=True, slots=True)
class Content:
    """A reply: blocks to render, and a plain-text fallback for notifications and screen readers."""

    blocks: tuple[Block, ...]
    fallback: str


# --- outgoing ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """A message to one person in their direct conversation with the bot."""

    recipient: Actor
    content: Content
    nudge_id: int | None = None
    key: str | None = None  # a scheduled message's delivery key (see bot.ports.Messenger.find)


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """A post visible to everyone in a channel."""

    platform: str
    workspace_id: str
    channel_id: str
    content: Content
    replaces: str | None = None  # the id of an earlier post of ours to change instead
    key: str | None = None  # a scheduled post's delivery key (see bot.ports.Messenger.find_post)
    # Our earlier post of the same words in this workspace, linked to where the platform can.
    original: str | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """Replace a message the bot sent earlier (e.g. a prompt card once it is answered)."""

    place: Place
    message_id: str
    content: Content


@dataclass(frozen=True, slots=True)
class Ephemeral:
    """A reply only the person who asked can see (commands typed in a channel)."""

    recipient: Actor
    place: Place
    content: Content


@dataclass(frozen=True, slots=True)
class OpenForm:
    """Show the person a form (a Slack modal, a Teams card with inputs), in answer to their
    button. A platform that can't show one sends `instead`: a few words on how to type it."""

    recipient: Actor
    place: Place
    form: Form
    instead: Content


@dataclass(frozen=True, slots=True)
class File:
    """A file made for someone: a chart (image/png) or an export (text/csv)."""

    filename: str
    mime: str
    data: bytes
    title: str  # the file's title, and the alt text of an image


@dataclass(frozen=True, slots=True)
class Upload:
    """A file for one person, with a few words: always to their direct conversation with the
    bot (Slack: an uploaded file; Teams: a card with the image or a download link; web: inline),
    wherever they asked, since a summary or export is theirs alone."""

    recipient: Actor
    file: File
    comment: Content


Outgoing = DirectMessage | ChannelPost | Update | Ephemeral | OpenForm | Upload

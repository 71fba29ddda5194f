"""A repost reaches Slack inert: whatever people put in their words, names or departments,
nobody is notified, no link is disguised and no mrkdwn applies. Every text of
`tests/adapters/hostile_texts.py` goes through the real messenger to the fake Slack Web API,
and the checks read what it received.

What "inert" means in Slack's mrkdwn (docs.slack.dev, "Formatting text for app surfaces"):
`&`, `<` and `>` are its only escapes, and every mention, broadcast and link is a `<…>` token,
so no raw `<` or `>` may arrive and every `&` must start one of the three escapes. A plain
`@channel` or `#general` is linked only with `parse=full` or `link_names`, or in a text object
without `verbatim`. Formatting characters have no escape at all: a `*`, `_`, `~` or backtick
that could open or close formatting arrives as a look-alike, and a line that would start a
quote (`>`, its entity, or fullwidth U+FF1E) starts with a soft hyphen. Backticks stay live in
paragraphs only: our own texts write command words as code there (see `bot/texts`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.fakes.slack_api import FakeSlack
from adapters.slack.messenger import SlackMessenger
from bot.model import ChannelPost, Content, Fields, Paragraph, Quote
from tests.adapters.hostile_texts import HOSTILE, Hostile, hostile_repost, repost

CHANNEL = "C42"
ELLIPSIS = "…"
SECTION_LIMIT = 3000  # Slack's limits for Block Kit (docs.slack.dev, "Blocks")
FIELD_LIMIT = 2000
MAX_FIELDS = 10
MAX_BLOCKS = 50
HEADER_LIMIT = 150
BUTTON_VALUE_LIMIT = 2000
TEXT_LIMIT = 4000  # what Slack shows of `text` before it truncates

WORD = re.compile(r"[^\W_]+")
# What a renderer may drop: controls but newline and tab, bidi embeddings, overrides and
# isolates, and halves of UTF-16 pairs (those become U+FFFD).
DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
UNESCAPED_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)(?![a-z]{0,3}…$)")
FORMATTING = "*_~`\uff0a\uff3f\uff40"
CODE = "`\uff40"
# A formatting character that isn't between two letters or digits can open or close formatting.
LIVE_FORMATTING = re.compile(r"(?<![^\W_])[{0}]|[{0}](?![^\W_])".format(re.escape(FORMATTING)))
QUOTE_START = re.compile(r"^\s*(&gt;|\uff1e)", re.MULTILINE)


@dataclass(frozen=True)
class Received:
    """One `chat.postMessage` as the fake Slack received it."""

    args: dict[str, Any]

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = self.args["blocks"]
        return blocks

    @property
    def text(self) -> str:
        return str(self.args["text"])

    @property
    def credit(self) -> str:
        return str(self.blocks[0]["text"]["text"])

    @property
    def quote(self) -> str:
        return str(self.blocks[1]["text"]["text"])

    @property
    def quoted(self) -> str:
        """The quote's words, without the `> ` the renderer puts in front of each line."""
        return "\n".join(line.removeprefix("> ") for line in self.quote.split("\n"))

    @property
    def fields(self) -> list[str]:
        return [str(f["text"]) for f in self.blocks[2]["fields"]]

    @property
    def field_values(self) -> list[str]:
        """Each field's value, after the bold label the renderer writes on its first line."""
        return [field.partition("\n")[2] for field in self.fields]

    def text_objects(self) -> Iterator[dict[str, Any]]:
        def walk(node: Any) -> Iterator[dict[str, Any]]:
            if isinstance(node, dict):
                if node.get("type") in ("mrkdwn", "plain_text"):
                    yield node
                for child in node.values():
                    yield from walk(child)
            elif isinstance(node, list):
                for child in node:
                    yield from walk(child)

        return walk(self.blocks)

    def strings(self) -> Iterator[str]:
        """Every text that reaches people, the quote without the renderer's own `> `."""
        yield self.text
        for text in self.text_objects():
            yield self.quoted if text is self.blocks[1]["text"] else str(text["text"])


Post = Callable[[Content], Awaitable[Received]]


@pytest.fixture
def messenger(client: AsyncWebClient) -> SlackMessenger:
    return SlackMessenger.fixed(client)


@pytest.fixture
def post(messenger: SlackMessenger, fake: FakeSlack) -> Post:
    """Post content to a channel; what the fake Slack received."""

    async def send(content: Content) -> Received:
        await messenger.send(ChannelPost("slack", "T1", CHANNEL, content))
        [args] = fake.called("chat.postMessage")
        return Received(args)

    return send


def assert_no_tokens(received: str) -> None:
    """No `<…>` token can form, and no entity decodes into one."""
    assert "<" not in received, received[:300]
    assert ">" not in received, received[:300]
    assert not UNESCAPED_AMPERSAND.search(received), received[:300]


def assert_no_formatting(received: str, *, code: bool = False) -> None:
    """No formatting character that could apply, and no line that would become a quote;
    with `code`, backticks may stay (our paragraphs write command words as code)."""
    live = {m.group() for m in LIVE_FORMATTING.finditer(received)}
    assert live <= (set(CODE) if code else set()), received[:300]
    assert not QUOTE_START.search(received), received[:300]


def assert_printable(received: str) -> None:
    assert not DROPPED.search(received), ascii(received[:300])


def assert_reads(original: str, received: str, limit: int) -> None:
    """Every word of `original` arrives, in order, unless the text reached `limit` and was
    cut there with an ellipsis."""
    at = 0
    for word in WORD.findall(original):
        found = received.find(word, at)
        if found == -1:
            assert received.endswith(ELLIPSIS), f"{word!r} is missing: {received[:300]!r}"
            assert len(received) == limit, f"cut before the limit: {received[-300:]!r}"
            return
        at = found + len(word)


def assert_within_limits(received: Received) -> None:
    assert len(received.blocks) <= MAX_BLOCKS
    assert len(received.text) <= TEXT_LIMIT
    for block in received.blocks:
        if block["type"] == "section" and "text" in block:
            assert 0 < len(block["text"]["text"]) <= SECTION_LIMIT
        if block["type"] == "section" and "fields" in block:
            assert len(block["fields"]) <= MAX_FIELDS
            assert all(len(f["text"]) <= FIELD_LIMIT for f in block["fields"])
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER_LIMIT
        if block["type"] == "actions":
            assert all(len(b["value"]) <= BUTTON_VALUE_LIMIT for b in block["elements"])


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
async def test_hostile_words_in_every_part_of_a_repost_arrive_inert_and_readable(
    post: Post, hostile: Hostile
) -> None:
    content = hostile_repost(hostile.text)
    [credit, quote, fields, _] = content.blocks
    assert isinstance(credit, Paragraph)
    assert isinstance(quote, Quote)
    assert isinstance(fields, Fields)

    received = await post(content)

    assert_within_limits(received)
    for text in received.strings():
        assert_no_tokens(text)
        assert_printable(text)
    for paragraph in (received.credit, received.text):
        assert_no_formatting(paragraph, code=True)
    for own_words in (received.quoted, *received.field_values):
        assert_no_formatting(own_words)
    assert_reads(credit.text, received.credit, SECTION_LIMIT)
    assert_reads(quote.text, received.quote, SECTION_LIMIT)
    assert_reads(fields.pairs[0][1], received.fields[0], FIELD_LIMIT)
    assert_reads(content.fallback, received.text, TEXT_LIMIT)


async def test_a_broadcast_in_the_words_arrives_as_text_that_notifies_nobody(
    post: Post,
) -> None:
    received = await post(repost("<!channel> and <!here> and <@U0123ABCD>"))

    assert received.quote == "> &lt;!channel&gt; and &lt;!here&gt; and &lt;@U0123ABCD&gt;"
    assert (
        received.text
        == "Sam Jones shared: &lt;!channel&gt; and &lt;!here&gt; and &lt;@U0123ABCD&gt;"
    )


async def test_a_disguised_link_shows_both_addresses_as_plain_text(post: Post) -> None:
    received = await post(repost("<https://evil.example|https://good.example>"))

    assert received.quote == "> &lt;https://evil.example|https://good.example&gt;"


async def test_entities_someone_typed_are_shown_never_decoded(post: Post) -> None:
    received = await post(repost("&lt;!here&gt; &amp;"))

    assert received.quote == "> &amp;lt;!here&amp;gt; &amp;amp;"


async def test_plain_broadcast_words_are_never_linked(post: Post) -> None:
    received = await post(repost("@channel @here #general", author="@everyone"))

    assert "parse" not in received.args
    assert "link_names" not in received.args
    assert all(t["verbatim"] for t in received.text_objects() if t["type"] == "mrkdwn")
    assert received.credit == "@everyone · Maths · Hillside Academy"


async def test_formatting_in_someones_words_is_shown_as_typed_not_applied(post: Post) -> None:
    received = await post(repost("*bold* _it_ ~gone~ `code` \uff0awide\uff0a"))

    assert (
        received.quote
        == "> \u2217bold\u2217 \u02cdit\u02cd \u223cgone\u223c \u02cbcode\u02cb \ufe61wide\ufe61"
    )


async def test_underscores_and_stars_inside_words_stay_as_typed(post: Post) -> None:
    words = ":white_check_mark: Europe/Isle_of_Man 2*3*4"

    received = await post(repost(words, department="Design_Tech"))

    assert received.quote == f"> {words}"
    assert received.credit == "Sam Jones · Design_Tech · Hillside Academy"


async def test_a_name_that_would_start_a_quote_starts_with_a_soft_hyphen(post: Post) -> None:
    received = await post(repost("words", author="> Head Teacher\n\uff1e Office"))

    assert (
        received.credit == "\u00ad&gt; Head Teacher\n\u00ad\uff1e Office · Maths · Hillside Academy"
    )


async def test_command_words_in_our_own_paragraphs_stay_code(post: Post) -> None:
    received = await post(Content((Paragraph("Say `help` to see more."),), "Say `help`"))

    assert received.blocks[0]["text"]["text"] == "Say `help` to see more."


async def test_control_characters_are_dropped_and_line_breaks_kept(post: Post) -> None:
    received = await post(repost("one\x00two\r\nthree\rfour\tfive\x1b[0m"))

    assert received.quote == "> onetwo\n> three\n> four\tfive[0m"


async def test_direction_overrides_cannot_reverse_the_rest_of_the_credit_line(
    post: Post,
) -> None:
    received = await post(repost("words", author="Sam\u202e loohcS", department="\u2067Maths"))

    assert received.credit == "Sam loohcS · Maths · Hillside Academy"


async def test_half_a_surrogate_pair_becomes_a_replacement_character(post: Post) -> None:
    received = await post(repost("broken \ud800 half"))

    assert received.quote == "> broken \ufffd half"


async def test_an_overlong_repost_is_cut_visibly_within_slacks_limits(post: Post) -> None:
    received = await post(hostile_repost("word " * 8000))

    assert_within_limits(received)
    assert received.credit.endswith(ELLIPSIS)
    assert received.quote.endswith(ELLIPSIS)
    assert received.text.endswith(ELLIPSIS)

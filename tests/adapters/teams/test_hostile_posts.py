"""A repost reaches Teams inert: whatever people put in their words, names or departments,
nobody is mentioned, no link forms and no markup applies. Every text of
`tests/adapters/hostile_texts.py` goes through the real messenger to the fake Bot Connector,
and the checks read the activity it received.

What "inert" means in an Adaptive Card (the renderers' source, microsoft/AdaptiveCards):
a `TextRun` is set as plain text (`innerText`), so people's words go there; but it still
formats `{{DATE(…)}}` and `{{TIME(…)}}`, so no `{{` may arrive. A `FactSet` shows its titles
and values as `TextBlock`s, which read Markdown (bold, italic, lists, links), and so may the
host that shows `fallbackText`: there no `]` may be followed by what makes a link
(`(`, `[`, `:`), no `*` or `_` may open or close emphasis, and no line may start a list or a
quote. Not every Teams client honours backslash escapes, so invisible characters and
look-alikes do it. A mention needs an entity (`msteams.entities`) that is never added, and
the card is never templated (no `$data`), so `${…}` is just text. Teams refuses messages over
about 28 KB.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from microsoft_agents.activity import Activity

from adapters.fakes.bot_connector import FakeConnector, start
from adapters.server import Services
from bot.model import ChannelPost, Content, Fields, Paragraph, Quote
from bot.texts import MAX_ENTRY_CHARS
from tests.adapters.hostile_texts import HOSTILE, Hostile, hostile_repost, repost
from tests.adapters.teams.conftest import ACTIVITIES, TUESDAY_1535, teams_services

TENANT = "tenant-1"
ELLIPSIS = "…"
ZWSP = "\u200b"
MESSAGE_BYTES = 28_000  # Teams' limit for a bot's message is about 28 KB
SUMMARY_CHARS = 200

WORD = re.compile(r"[^\W_]+")
UNSEEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
LINK = re.compile(r"\][(\[:]")
EMPHASIS = re.compile(r"(?<![^\W_])[*_]|[*_](?![^\W_])")
BLOCK_START = re.compile(r"^[ \t]*([-+*>#]|\d+[.)])(?=\s|$)", re.MULTILINE)
# The elements, actions and keys a repost card may hold: none opens a URL, shows media or
# mentions anyone.
ELEMENTS = {"AdaptiveCard", "RichTextBlock", "TextRun", "Container", "FactSet", "Action.Submit"}


@dataclass(frozen=True)
class Received:
    """One activity as the fake Bot Connector received it."""

    activity: dict[str, Any]

    @property
    def card(self) -> dict[str, Any]:
        [attachment] = self.activity["attachments"]
        card: dict[str, Any] = attachment["content"]
        return card

    @property
    def credit(self) -> str:
        return str(self.card["body"][0]["inlines"][0]["text"])

    @property
    def quote(self) -> str:
        return str(self.card["body"][1]["items"][0]["inlines"][0]["text"])

    @property
    def facts(self) -> list[dict[str, str]]:
        facts: list[dict[str, str]] = self.card["body"][2]["facts"]
        return facts

    def markdown(self) -> Iterator[str]:
        """What a Teams client may read as Markdown: fact titles and values, fallbackText."""
        for fact in self.facts:
            yield fact["title"]
            yield fact["value"]
        yield str(self.card["fallbackText"])

    def nodes(self) -> Iterator[dict[str, Any]]:
        def walk(node: Any) -> Iterator[dict[str, Any]]:
            if isinstance(node, dict):
                yield node
                for child in node.values():
                    yield from walk(child)
            elif isinstance(node, list):
                for child in node:
                    yield from walk(child)

        return walk(self.card)

    def strings(self) -> Iterator[str]:
        def walk(node: Any) -> Iterator[str]:
            if isinstance(node, str):
                yield node
            elif isinstance(node, dict):
                for child in node.values():
                    yield from walk(child)
            elif isinstance(node, list):
                for child in node:
                    yield from walk(child)

        return walk(self.card)

    @property
    def size(self) -> int:
        """The activity's bytes as sent: aiohttp writes JSON with non-ASCII as `\\uXXXX`."""
        return len(json.dumps(self.activity).encode())


Post = Callable[[Content], Awaitable[Received]]


pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def connector() -> AsyncIterator[tuple[FakeConnector, str]]:
    """One fake Bot Connector for the module's tests; each posts to a channel of its own."""
    fake = FakeConnector()
    server, url = await start(fake)
    yield fake, url
    await server.close()


@pytest.fixture(scope="module")
def fake(connector: tuple[FakeConnector, str]) -> FakeConnector:
    return connector[0]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def services(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    """Tiny Steps serving Teams, migrated once for the module."""
    folder = tmp_path_factory.mktemp("hostile")
    services = await teams_services(folder, tinysteps_teams_insecure_local=True)
    yield services
    await services.close()


@pytest_asyncio.fixture(loop_scope="module")
async def channel(
    services: Services, connector: tuple[FakeConnector, str], request: pytest.FixtureRequest
) -> str:
    """A team channel of this test's own (Teams paces sends per conversation), remembered
    the way Tiny Steps remembers one when it is installed in a team."""
    channel = f"19:{request.node.name}@thread.tacv2"
    installed = json.loads((ACTIVITIES / "installed_team.json").read_text())
    installed["serviceUrl"] = connector[1]
    installed["conversation"]["id"] = channel
    reference = Activity.model_validate(installed).get_conversation_reference()
    stored = reference.model_dump(by_alias=True, exclude_none=True, mode="json")
    stored.pop("activityId", None)
    stored.pop("user", None)
    async with services.store.transaction() as tx:
        await tx.teams_conversations.remember(
            tenant_id=TENANT,
            conversation_id=channel,
            scope="channel",
            reference=stored,
            at=TUESDAY_1535,
        )
    return channel


@pytest.fixture
def post(services: Services, fake: FakeConnector, channel: str) -> Post:
    """Post content to the channel with the real messenger; the activity the fake received."""
    assert services.teams is not None
    messenger = services.teams.messenger

    async def send(content: Content) -> Received:
        sent_id = await messenger.send(ChannelPost("teams", TENANT, channel, content))
        [sent] = [s for s in fake.sent if s.id == sent_id]
        assert sent.conversation == channel
        return Received(sent.activity)

    return send


def assert_no_markdown(received: str) -> None:
    """No link, image or reference, no emphasis, no list or quote can form."""
    assert not LINK.search(received), received[:300]
    assert not EMPHASIS.search(received), received[:300]
    assert not BLOCK_START.search(received), received[:300]


def assert_reads(original: str, received: str) -> None:
    """Every word of `original` arrives, in order, up to where the text was cut with an
    ellipsis (to fit a limit): nothing before the cut went missing."""
    at = 0
    for word in WORD.findall(original):
        found = received.find(word, at)
        if found == -1:
            assert received.endswith(ELLIPSIS), f"{word!r} is missing: {received[:300]!r}"
            rest = WORD.findall(received[at:-1])
            assert not rest or rest == [word[: len(rest[0])]], f"cut early: {rest}"
            return
        at = found + len(word)


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

    assert received.size <= MESSAGE_BYTES
    assert "entities" not in received.activity
    assert "text" not in received.activity  # the summary is its only words outside the card
    assert "msteams" not in received.card
    assert {node["type"] for node in received.nodes() if "type" in node} <= ELEMENTS
    assert not {"$data", "$when", "url", "selectAction"} & {k for n in received.nodes() for k in n}
    for text in received.strings():
        assert not UNSEEN.search(text), ascii(text[:300])
        assert "{{" not in text, text[:300]
    for markdown in received.markdown():
        assert_no_markdown(markdown)
    assert_reads(credit.text, received.credit)
    assert_reads(quote.text, received.quote)
    assert_reads(fields.pairs[0][1], received.facts[0]["value"])
    assert_reads(content.fallback, received.card["fallbackText"])
    assert len(received.activity["summary"]) <= SUMMARY_CHARS


async def test_a_persons_words_are_plain_text_runs_exactly_as_written(post: Post) -> None:
    words = "<at>Everyone</at> [x](https://evil.example) **bold** <script>alert(1)</script>"

    received = await post(repost(words))

    assert received.card["body"][1]["items"][0]["inlines"] == [
        {"type": "TextRun", "text": words, "italic": True}
    ]


async def test_a_mention_tag_mentions_nobody(post: Post) -> None:
    received = await post(repost("<at>Everyone</at>", author="<at>Ada</at>"))

    assert "entities" not in received.activity
    assert "msteams" not in received.card
    assert received.credit == "<at>Ada</at> · Maths · Hillside Academy"


async def test_a_template_expression_is_only_words_on_a_card_never_templated(
    post: Post,
) -> None:
    received = await post(repost("${$root.secret}"))

    assert received.quote == "${$root.secret}"
    assert "$data" not in json.dumps(received.card)


async def test_date_and_time_functions_are_shown_as_typed(post: Post) -> None:
    received = await post(repost("{{DATE(2026-11-24T09:00:00Z)}} {{TIME(2026-11-24T09:00:00Z)}}"))

    assert received.quote == (
        "{" + ZWSP + "{DATE(2026-11-24T09:00:00Z)}} {" + ZWSP + "{TIME(2026-11-24T09:00:00Z)}}"
    )


async def test_a_markdown_link_in_a_fact_cannot_form(post: Post) -> None:
    received = await post(repost("words", department="[Maths](https://evil.example)"))

    assert received.facts[0]["value"] == f"[Maths]{ZWSP}(https://evil.example)"


async def test_emphasis_and_lists_in_a_fact_are_shown_as_typed(post: Post) -> None:
    received = await post(repost("words", department="**Maths** _and_\n- Science\n1. Art"))

    assert received.facts[0]["value"] == (
        f"\u2217\u2217Maths\u2217\u2217 \u02cdand\u02cd\n{ZWSP}- Science\n{ZWSP}1. Art"
    )


async def test_ordinary_facts_are_left_as_they_are(post: Post) -> None:
    received = await post(repost("words", department="Design_Tech 3D"))

    assert received.facts == [
        {"title": "Department", "value": "Design_Tech 3D"},
        {"title": "Streak", "value": "5 school days"},
    ]


async def test_control_characters_and_direction_overrides_are_dropped(post: Post) -> None:
    received = await post(repost("one\x00two\r\nthree", author="Sam\u202e loohcS"))

    assert received.quote == "onetwo\nthree"
    assert received.credit == "Sam loohcS · Maths · Hillside Academy"


async def test_an_emoji_flood_keeps_the_message_within_teams_size_limit(post: Post) -> None:
    received = await post(hostile_repost("\U0001f6a8" * 5000))

    assert received.size <= MESSAGE_BYTES
    assert received.quote.endswith(ELLIPSIS)


async def test_a_long_entry_in_another_script_arrives_whole(post: Post) -> None:
    words = "改" * MAX_ENTRY_CHARS  # the longest entry there can be: 12 bytes a character

    received = await post(repost(words))

    assert received.quote == words
    assert received.size <= MESSAGE_BYTES


async def test_the_notification_summary_drops_control_characters(post: Post) -> None:
    received = await post(repost("one\x00two", author="Sam\u202e"))

    assert not UNSEEN.search(received.activity["summary"])

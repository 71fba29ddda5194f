"""The Slack messenger against the fake Slack Web API, over real HTTP."""

from __future__ import annotations

from dataclasses import replace

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.fakes.slack_api import FakeSlack
from adapters.slack.messenger import SlackMessenger
from bot.conversation.replies import prompt, say
from bot.model import Actor, ChannelPost, DirectMessage, Place, Update
from bot.ports import RateLimited, Unreachable

SAM = Actor("slack", "T1", "U1", "Sam")


@pytest.fixture
def messenger(client: AsyncWebClient) -> SlackMessenger:
    return SlackMessenger.fixed(client)


async def test_a_direct_message_opens_the_dm_and_posts_blocks(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    sent = await messenger.send(DirectMessage(SAM, prompt(7)))

    [message] = fake.posted_to("DU1")
    assert sent == f"DU1:{message['ts']}"
    assert message["text"].startswith("What's one small thing")
    assert [b["type"] for b in message["blocks"]] == ["header", "section", "actions"]


async def test_a_scheduled_message_carries_its_key_and_can_be_found(
    messenger: SlackMessenger,
) -> None:
    sent = await messenger.send(DirectMessage(SAM, prompt(7), key="tinysteps-prompt-1"))

    assert await messenger.find(SAM, "tinysteps-prompt-1") == sent
    assert await messenger.find(SAM, "tinysteps-prompt-2") is None


async def test_a_scheduled_channel_post_carries_its_key_and_can_be_found(
    messenger: SlackMessenger,
) -> None:
    post = ChannelPost("slack", "T1", "C1", say("A standout"), key="tinysteps-post-1")

    sent = await messenger.send(post)

    assert await messenger.find_post(post) == sent
    assert await messenger.find_post(replace(post, key="tinysteps-post-2")) is None


async def test_a_repost_links_to_where_it_was_first_shared(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    first = await messenger.send(ChannelPost("slack", "T1", "C-maths", say("Shared")))
    assert first is not None

    await messenger.send(ChannelPost("slack", "T1", "C-show", say("A standout"), original=first))

    [repost] = fake.posted_to("C-show")
    [link] = repost["blocks"][-1]["elements"]
    assert link["text"] == (
        f"<https://fake.slack.com/archives/C-maths/p{first.split(':')[1].replace('.', '')}"
        "|See where it was first shared>"
    )


async def test_a_repost_whose_original_is_gone_goes_without_the_link(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    await messenger.send(
        ChannelPost("slack", "T1", "C-show", say("A standout"), original="C-maths:1.000100")
    )

    [repost] = fake.posted_to("C-show")
    assert [b["type"] for b in repost["blocks"]] == ["section"]


async def test_a_429_becomes_rate_limited_with_the_retry_after(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.rate_limit("chat.postMessage", retry_after=7)

    with pytest.raises(RateLimited) as limited:
        await messenger.send(DirectMessage(SAM, say("hi")))

    assert limited.value.retry_after == 7
    assert fake.posted_to("DU1") == []


async def test_a_deactivated_account_is_unreachable_not_an_error_to_retry(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.disabled.add("U1")

    with pytest.raises(Unreachable, match="user_disabled"):
        await messenger.send(DirectMessage(SAM, prompt(7)))


async def test_an_update_replaces_the_message(messenger: SlackMessenger, fake: FakeSlack) -> None:
    sent = await messenger.send(DirectMessage(SAM, prompt(7)))
    assert sent is not None

    await messenger.send(Update(Place("DU1"), sent, say("Thanks!")))

    assert fake.posted_to("DU1")[0]["text"] == "Thanks!"


async def test_a_channel_post_goes_to_the_channel(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    await messenger.send(ChannelPost("slack", "T1", "C42", say("A standout!")))

    assert fake.posted_to("C42")[0]["text"] == "A standout!"


async def test_mentions_in_text_are_escaped_and_notify_nobody(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    await messenger.send(DirectMessage(SAM, say("<!channel> hi <@U2> & <https://x.test|x>")))

    [message] = fake.posted_to("DU1")
    assert message["text"] == "&lt;!channel&gt; hi &lt;@U2&gt; &amp; &lt;https://x.test|x&gt;"
    assert "<!channel>" not in str(message["blocks"])


async def test_a_channel_post_into_a_public_channel_not_joined_joins_it_first(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.require_membership = True

    sent = await messenger.send(ChannelPost("slack", "T1", "C42", say("A standout!")))
    await messenger.send(ChannelPost("slack", "T1", "C42", say("Another!")))

    assert [c["channel"] for c in fake.called("conversations.join")] == ["C42"]  # once
    first, _ = fake.posted_to("C42")
    assert sent == f"C42:{first['ts']}"


@pytest.mark.parametrize("refusal", ["method_not_supported_for_channel_type", "missing_scope"])
async def test_a_channel_tiny_steps_cannot_join_is_unreachable(
    messenger: SlackMessenger, fake: FakeSlack, refusal: str
) -> None:
    fake.require_membership = True
    fake.join_refusals["C42"] = refusal

    with pytest.raises(Unreachable, match=f"can't join it \\({refusal}\\)"):
        await messenger.send(ChannelPost("slack", "T1", "C42", say("A standout!")))

    assert fake.posted_to("C42") == []


async def test_a_private_channel_tiny_steps_is_not_in_is_unreachable(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.require_membership = True

    with pytest.raises(Unreachable, match="hasn't been invited"):
        await messenger.send(ChannelPost("slack", "T1", "G42", say("A standout!")))

    assert fake.called("conversations.join") == []


async def test_a_join_that_is_rate_limited_is_retried_later_not_unreachable(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.require_membership = True
    fake.rate_limit("conversations.join", times=5, retry_after=9)

    with pytest.raises(RateLimited):
        await messenger.send(ChannelPost("slack", "T1", "C42", say("A standout!")))

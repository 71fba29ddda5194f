"""Slack installations and OAuth state live in our database, on both backends."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.slack import installation_store, oauth_state_store


def installation(team: str, token: str) -> Installation:
    return Installation(
        app_id="A1",
        team_id=team,
        team_name="Hillside",
        bot_token=token,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="chat:write",
        user_id="U1",
    )


async def test_a_saved_installation_gives_its_bot_token(engine: AsyncEngine) -> None:
    store = installation_store(engine, "1111.2222")

    await store.async_save(installation("T2", "xoxb-t2"))

    bot = await store.async_find_bot(enterprise_id=None, team_id="T2")
    assert bot is not None
    assert bot.bot_token == "xoxb-t2"


async def test_a_reinstall_gives_the_newest_token(engine: AsyncEngine) -> None:
    store = installation_store(engine, "1111.2222")
    await store.async_save(installation("T2", "xoxb-old"))

    await store.async_save(installation("T2", "xoxb-new"))

    bot = await store.async_find_bot(enterprise_id=None, team_id="T2")
    assert bot is not None
    assert bot.bot_token == "xoxb-new"


async def test_an_oauth_state_can_be_used_once(engine: AsyncEngine) -> None:
    states = oauth_state_store(engine)
    state = await states.async_issue()

    assert await states.async_consume(state)
    assert not await states.async_consume(state)

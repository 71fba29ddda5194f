"""App Home: opening the tab publishes the person's page; its buttons act and refresh it."""

from __future__ import annotations

from typing import Any

from adapters.fakes.slack_api import FakeSlack
from tests.adapters.slack.helpers import Client, dm, interact, payload, post_event


def home_text(fake: FakeSlack) -> str:
    view = fake.called("views.publish")[-1]["view"]
    return str(view)


def pressed_on_home(action_id: str) -> dict[str, Any]:
    body = payload("block_actions")
    for key in ("channel", "message"):
        body.pop(key)
    body["container"] = {"type": "view", "view_id": "VHOME"}
    body["view"] = {"id": "VHOME", "type": "home"}
    body["actions"][0].update(action_id=action_id, value="-")
    return body


async def test_opening_the_home_tab_publishes_the_persons_page(
    bot: Client, fake: FakeSlack
) -> None:
    await post_event(bot, dm("log Greeted every student at the door"))

    await post_event(bot, payload("app_home_opened"))

    published = fake.called("views.publish")[-1]
    assert published["user_id"] == "U1"
    assert published["view"]["type"] == "home"
    assert "Greeted every student at the door" in home_text(fake)


async def test_a_home_button_acts_and_refreshes_the_page(bot: Client, fake: FakeSlack) -> None:
    await post_event(bot, dm("help"))

    await interact(bot, pressed_on_home("stop"))

    assert any("won't send the daily question" in m["text"] for m in fake.posted_to("DU1"))
    assert "Start the daily question" in home_text(fake)

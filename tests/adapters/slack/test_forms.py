"""The prompt's "Log an improvement" button opens a modal; submitting it logs the step."""

from __future__ import annotations

from typing import Any

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services
from tests.adapters.slack.helpers import Client, dm, interact, payload, post_event


def pressed(action_id: str, value: str = "-") -> dict[str, Any]:
    body = payload("block_actions")
    body["actions"][0].update(action_id=action_id, value=value)
    return body


def submitted(text: str, department: str | None = None) -> dict[str, Any]:
    body = payload("view_submission")
    values = body["view"]["state"]["values"]
    values["text"]["text"]["value"] = text
    if department is not None:
        values["department"]["department"]["selected_option"] = {"value": department}
    return body


async def test_the_log_button_opens_a_modal_with_a_multi_line_input(
    bot: Client, fake: FakeSlack
) -> None:
    await post_event(bot, dm("help"))

    response = await interact(bot, pressed("log_form"))

    view = fake.called("views.open")[0]["view"]
    assert response.status == 200
    assert view["callback_id"] == "tinysteps_form:log"
    assert view["blocks"][0]["element"]["multiline"] is True
    assert view["private_metadata"] == "DU1"


async def test_the_modal_offers_the_schools_departments(
    bot: Client, services: Services, fake: FakeSlack
) -> None:
    await post_event(bot, dm("help"))
    async with services.store.transaction() as tx:
        school = await tx.schools.for_workspace("slack", "T1")
        assert school is not None
        await tx.schools.add_department(school.id, "Science")

    await interact(bot, pressed("log_form"))

    picker = fake.called("views.open")[0]["view"]["blocks"][1]
    assert picker["optional"] is True
    assert [o["text"]["text"] for o in picker["element"]["options"]] == ["Science"]


async def test_submitting_the_modal_logs_and_confirms_in_the_dm(
    bot: Client, fake: FakeSlack
) -> None:
    await post_event(bot, dm("help"))

    response = await interact(bot, submitted("Started lessons with a recap"))

    assert response.status == 200
    assert any(m["text"].startswith("Logged") for m in fake.posted_to("DU1"))


async def test_the_pause_button_offers_lengths(bot: Client, fake: FakeSlack) -> None:
    await post_event(bot, dm("help"))

    await interact(bot, pressed("pause_menu"))

    offered = fake.posted_to("DU1")[-1]["blocks"][-1]["elements"]
    assert [b["value"] for b in offered] == ["for 1 week", "for 2 weeks", "for 4 weeks"]

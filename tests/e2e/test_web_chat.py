"""Someone tries Tiny Steps in a browser: add a school and a person, answer, press a button."""

from __future__ import annotations

import re

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, FloatRect, Locator, Page, ViewportSize, expect

from bot import texts

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]  # one Chromium

PHONE = ViewportSize(width=390, height=844)


async def sam_at_hill_top(page: Page, server_url: str) -> Page:
    """A new school with one new person, chosen, as a newcomer sets it up."""
    await page.goto(server_url)
    await page.get_by_text("Add a school").click()
    await page.get_by_label("Name").first.fill("Hill Top Primary")
    await page.get_by_role("button", name="Add school").click()
    await page.get_by_test_id("person-name").fill("Sam Jones")
    await page.get_by_role("button", name="Add person").click()
    await expect(page.get_by_test_id("person")).to_contain_text("Sam Jones")
    return page


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, server_url: str) -> Page:
    return await sam_at_hill_top(await browser.new_page(), server_url)


@pytest_asyncio.fixture(loop_scope="module")
async def phone(browser: Browser, server_url: str) -> Page:
    return await sam_at_hill_top(await browser.new_page(viewport=PHONE), server_url)


async def say(page: Page, text: str) -> None:
    await page.get_by_test_id("text").fill(text)
    await page.get_by_test_id("send").click()


async def box(locator: Locator) -> FloatRect:
    found = await locator.bounding_box()
    assert found is not None, "it is drawn"
    return found


def log_of(page: Page) -> Locator:
    return page.get_by_test_id("log")


def mine(page: Page) -> Locator:
    """The person's own messages."""
    return page.locator("[data-testid=message].person")


def the_bots(page: Page) -> Locator:
    return page.locator("[data-testid=message].bot")


def hint_of(page: Page) -> Locator:
    return page.get_by_test_id("empty-hint")


def steps_of(page: Page) -> Locator:
    return page.get_by_test_id("steps")


async def test_asking_shows_the_welcome_and_todays_question(page: Page) -> None:
    await page.get_by_test_id("ask").click()

    await expect(log_of(page)).to_contain_text("Welcome to Tiny Steps")
    await expect(log_of(page)).to_contain_text("What's one small thing you improved today?")


async def test_an_answer_is_logged_and_confirmed(page: Page) -> None:
    await page.get_by_test_id("ask").click()
    await expect(log_of(page)).to_contain_text("improved today")

    await page.get_by_test_id("text").fill("Moved the visualiser so everyone can see")
    await page.get_by_test_id("send").click()

    await expect(log_of(page)).to_contain_text("Moved the visualiser so everyone can see")
    await expect(log_of(page)).to_contain_text("Logged")


async def test_a_button_in_a_message_works(page: Page) -> None:
    await page.get_by_test_id("ask").click()

    await page.get_by_role("button", name="Skip today").click()

    await expect(log_of(page)).to_contain_text("skip today")


async def test_markup_typed_by_a_person_stays_plain_text(page: Page) -> None:
    words = '<img src=x onerror="document.title=1"> <b>bold</b>'

    await page.get_by_test_id("text").fill(f"log {words}")
    await page.get_by_test_id("send").click()

    await expect(log_of(page)).to_contain_text(words)
    assert await log_of(page).locator("img, b").count() == 0


async def test_a_blank_message_gets_a_gentle_hint(page: Page) -> None:
    await page.get_by_test_id("send").click()

    await expect(page.get_by_test_id("problem")).to_contain_text("Type a message first")


async def test_a_page_on_another_origin_cannot_use_the_web_chat(
    page: Page, browser: Browser, server_url: str
) -> None:
    # A page from another local server (another origin on this machine, so Chromium's
    # private-network rules don't stop the request first), trying both body types.
    async def lure(_: web.Request) -> web.Response:
        return web.Response(text="<p>Free lesson plans</p>", content_type="text/html")

    other = web.Application()
    other.router.add_get("/", lure)
    attacker = await browser.new_page()
    async with TestServer(other, host="127.0.0.1") as server:
        await attacker.goto(str(server.make_url("/")))
        for content_type in ("text/plain", "application/json"):
            await attacker.evaluate(
                """([url, type]) => fetch(url, {method: "POST", mode: "no-cors",
                    credentials: "include", headers: {"Content-Type": type},
                    body: JSON.stringify({name: "Forged"})}).catch(() => null)""",
                [f"{server_url}/api/web/schools", content_type],
            )

    await page.reload()

    await expect(page.get_by_test_id("school")).to_contain_text("Hill Top Primary")
    await expect(page.get_by_test_id("school")).not_to_contain_text("Forged")


async def test_commands_in_the_bots_words_are_shown_as_code(page: Page) -> None:
    await say(page, "help")

    skip = log_of(page).locator("code").filter(has_text=re.compile("^skip$"))
    await expect(skip.first).to_be_visible()
    await expect(log_of(page)).not_to_contain_text("`")


async def test_a_list_is_drawn_inside_one_bubble(page: Page) -> None:
    await say(page, "help")

    reply = the_bots(page).filter(has_text=texts.HELP_HEADING)
    await expect(reply).to_have_count(1)
    items = reply.locator("ul > li")
    await expect(items).to_have_count(len(texts.HELP_ITEMS))
    await expect(items.first).to_have_css("border-top-style", "none")
    assert not [t for t in await items.all_inner_texts() if t.lstrip().startswith(("•", "-"))]


async def test_on_a_phone_own_messages_are_narrower_bubbles_on_the_right(phone: Page) -> None:
    await say(phone, "log " + "a long answer that wraps over a few lines, " * 3)
    await expect(the_bots(phone).last).to_contain_text("Logged")

    log, me = await box(log_of(phone)), await box(mine(phone))

    assert me["width"] <= 0.8 * log["width"]
    assert log["x"] + log["width"] - (me["x"] + me["width"]) < 16


async def test_on_a_phone_the_bots_messages_are_on_the_left(phone: Page) -> None:
    await say(phone, "help")
    reply = the_bots(phone).filter(has_text=texts.HELP_HEADING)
    await expect(reply).to_be_visible()

    log, bot = await box(log_of(phone)), await box(reply)

    assert bot["x"] - log["x"] < 16


async def test_on_a_phone_the_chat_is_the_first_screen_once_a_person_is_chosen(
    phone: Page,
) -> None:
    await phone.reload()

    await expect(phone.get_by_test_id("whoami")).to_contain_text("Sam Jones")
    await expect(phone.get_by_test_id("person")).to_be_hidden()
    await expect(phone.get_by_test_id("ask")).to_be_in_viewport(ratio=1)
    await expect(phone.get_by_test_id("text")).to_be_in_viewport(ratio=1)


async def test_on_a_phone_the_picker_is_open_while_nobody_is_chosen(
    browser: Browser, server_url: str
) -> None:
    phone = await browser.new_page(viewport=PHONE)

    await phone.goto(server_url)

    await expect(phone.get_by_test_id("school")).to_be_in_viewport()
    await expect(phone.get_by_text("Add a school")).to_be_in_viewport()


async def test_right_to_left_words_are_drawn_right_to_left(page: Page) -> None:
    await say(page, "مرحبا بالجميع")

    await expect(mine(page).locator("p")).to_have_css("direction", "rtl")


async def test_the_message_box_follows_the_direction_of_what_is_typed(page: Page) -> None:
    await page.get_by_test_id("text").fill("שלום לכולם")

    await expect(page.get_by_test_id("text")).to_have_css("direction", "rtl")


async def test_a_new_chat_suggests_how_to_start(page: Page) -> None:
    await expect(hint_of(page)).to_contain_text("Say hello, or press Ask me today's question")


async def test_the_hint_goes_once_there_are_messages(page: Page) -> None:
    await page.get_by_test_id("ask").click()

    await expect(log_of(page)).to_contain_text("improved today")
    await expect(hint_of(page)).to_be_hidden()


async def test_a_form_that_worked_folds_away_emptied(page: Page) -> None:
    await expect(page.get_by_test_id("new-school")).to_be_hidden()
    await expect(page.get_by_test_id("new-person")).to_be_hidden()
    await expect(page.get_by_test_id("school-name")).to_have_value("")
    await expect(page.get_by_test_id("person-name")).to_have_value("")


async def test_a_new_persons_steps_say_nothing_is_logged_yet(page: Page) -> None:
    await expect(steps_of(page)).to_contain_text(texts.HOME_HEADING)
    await expect(steps_of(page)).to_contain_text("Nothing logged yet")


async def test_a_logged_step_appears_in_your_steps(page: Page) -> None:
    await say(page, "log Tidied the reading corner")

    await expect(steps_of(page)).to_contain_text("Tidied the reading corner")


async def test_a_forgotten_person_is_no_longer_offered(page: Page) -> None:
    await say(page, "forget me")
    await page.get_by_role("button", name=texts.BUTTON_FORGET).click()

    await expect(hint_of(page)).to_contain_text("Sam Jones is no longer here")
    await expect(page.get_by_test_id("person")).not_to_contain_text("Sam Jones")
    await expect(steps_of(page)).to_be_hidden()


async def test_a_file_made_for_the_person_is_offered_as_a_download(page: Page) -> None:
    await say(page, "export me")
    link = log_of(page).get_by_role("link", name="Download tinysteps-me.json")
    await expect(link).to_have_attribute("download", "tinysteps-me.json")

    async with page.expect_download() as started:
        await link.click()

    download = await started.value
    assert download.suggested_filename == "tinysteps-me.json"

"""Someone tries Tiny Steps in a browser: add a school and a person, answer, press a button."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Locator, Page, expect

pytestmark = pytest.mark.e2e


@pytest.fixture
async def page(browser: Browser, server_url: str) -> Page:
    page = await browser.new_page()
    await page.goto(server_url)
    await page.get_by_text("Add a school").click()
    await page.get_by_label("Name").first.fill("Hill Top Primary")
    await page.get_by_role("button", name="Add school").click()
    await page.get_by_test_id("person-name").fill("Sam Jones")
    await page.get_by_role("button", name="Add person").click()
    await expect(page.get_by_test_id("person")).to_contain_text("Sam Jones")
    return page


def log_of(page: Page) -> Locator:
    return page.get_by_test_id("log")


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

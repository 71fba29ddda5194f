"""The local web chat: try Tiny Steps in a browser, no Slack or Teams needed.

Served on loopback addresses only (see `guard.py` for what each request must show).
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from adapters.directory import Directory
from bot.conversation import Conversation
from bot.ports import Clock
from bot.schedule import Scheduler

from .guard import WebGuard
from .routes import WebChat
from .transcript import WebStore

STATIC = Path(__file__).parent / "static"
TOKEN_SLOT = "{{csrf_token}}"


def setup(
    app: web.Application,
    *,
    conversation: Conversation,
    directory: Directory,
    store: WebStore,
    clock: Clock,
    scheduler: Scheduler,
    guard: WebGuard | None = None,
) -> None:
    """Add the chat page at `/` and its JSON API under `/api/web/`, behind the guard."""
    chat = WebChat(conversation, directory, store, clock, scheduler)
    guard = guard or WebGuard()
    page = (STATIC / "index.html").read_text(encoding="utf-8")

    async def index(request: web.Request) -> web.Response:
        response = web.Response(content_type="text/html", charset="utf-8")
        response.text = page.replace(TOKEN_SLOT, guard.start_session(request, response))
        return response

    app.middlewares.append(guard.middleware(("/static/", "/api/web/", "/favicon")))

    async def favicon(_: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "favicon.svg", headers={"Content-Type": "image/svg+xml"})

    app.router.add_get("/", index)
    app.router.add_get("/favicon.ico", favicon)  # for tools that ask before reading the page
    app.router.add_static("/static/", STATIC)
    app.router.add_routes(chat.routes())

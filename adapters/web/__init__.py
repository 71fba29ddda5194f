"""The local web chat: try Tiny Steps in a browser, no Slack or Teams needed."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.conversation import Conversation
from bot.directory import Directory
from bot.ports import Clock
from storage.store import SqlStore

from .routes import WebChat

STATIC = Path(__file__).parent / "static"


def setup(
    app: web.Application,
    *,
    conversation: Conversation,
    directory: Directory,
    store: SqlStore,
    clock: Clock,
) -> None:
    """Add the chat page at `/` and its JSON API under `/api/web/`."""
    chat = WebChat(conversation, directory, store, clock)

    async def index(_: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    app.router.add_routes(chat.routes())

"""The ingest benchmark's baselines: a bare slack-bolt `AsyncApp` on aiohttp, in its own process:
`python -m bench.bare_bolt --api-url URL [--database-url URL]` prints its port.

Without a database it verifies each request's signature and acknowledges its DM events, doing
nothing else. With `--database-url` it is the least a durable app does before acknowledging:
one INSERT of the event (its id, unique, the sender and the words) in a transaction of its
own, committed before the acknowledgement, on SQLite (WAL, `synchronous=NORMAL` and one writer
at a time, as Tiny Steps' engine has it) or PostgreSQL. Its Web API client (Bolt's `auth.test`
on the first request) talks to the fake Slack, as Tiny Steps' does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

if TYPE_CHECKING:  # imported only to store: the acknowledging app's memory is Bolt's alone
    from sqlalchemy.ext.asyncio import AsyncEngine

SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench"
TABLE = "bench_inbox"


def build(api_url: str, engine: AsyncEngine | None = None) -> web.Application:
    app = AsyncApp(
        client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=SIGNING_SECRET,
        process_before_response=engine is not None,  # stored, then acknowledged
    )
    if engine is None:

        @app.event("message")
        async def acknowledge() -> None:
            return None

    else:
        from sqlalchemy import text

        one_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()
        insert = text(
            f"INSERT INTO {TABLE} (event_id, user_id, words) VALUES (:id, :user, :words)"
            " ON CONFLICT (event_id) DO NOTHING"
        )

        @app.event("message")
        async def store(body: dict[str, Any], event: dict[str, Any]) -> None:
            row = {"id": body["event_id"], "user": event.get("user"), "words": event.get("text")}
            async with one_writer, engine.begin() as connection:
                await connection.execute(insert, row)

    return app.web_app(path="/slack/events")


@contextlib.asynccontextmanager
async def inbox(database_url: str) -> AsyncIterator[AsyncEngine]:
    from sqlalchemy import event, text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def pragmas(connection: Any, _: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    async with engine.begin() as connection:
        await connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (event_id VARCHAR(255) PRIMARY KEY,"
                " user_id VARCHAR(255), words TEXT)"
            )
        )
    try:
        yield engine
    finally:
        await engine.dispose()


async def serve(api_url: str, database_url: str | None) -> None:
    async with contextlib.AsyncExitStack() as stack:
        engine = await stack.enter_async_context(inbox(database_url)) if database_url else None
        runner = web.AppRunner(build(api_url, engine))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        print(f"PORT {runner.addresses[0][1]}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_bolt", description=__doc__)
    parser.add_argument("--api-url", required=True, help="the (fake) Slack Web API's base URL")
    parser.add_argument("--database-url", help="store each event before acknowledging it")
    args = parser.parse_args()
    asyncio.run(serve(args.api_url, args.database_url))


if __name__ == "__main__":
    main()

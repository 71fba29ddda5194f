"""The fake Slack Web API (`adapters/fakes/slack_api.py`) in a process of its own, for the
reliability tests: `python -m tests.reliability.fake_slack --users 500` prints `PORT n`.

Its own process, so it never competes with the test's client for an event loop and outlives
the `serve` processes a test kills. Besides Slack's methods (under `/api/`) it answers two
questions the tests ask, outside Slack's API:

- `GET /fake/count`: how many `chat.postMessage` calls it has taken (cheap, for polling);
- `GET /fake/posts`: every message posted, oldest first: its channel, fallback text, the
  delivery key in its metadata (if any) and every text of its blocks, one per line;
- `POST /fake/latency?ms=n`: answer every call after `n` ms from now on.

Its workspace is T1 with `--users` members U00000, U00001, … (Teacher 0, Teacher 1, …).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from aiohttp import web

from adapters.fakes.slack_api import FakeSlack

TEAM = "T1"


def user_id(n: int) -> str:
    return f"U{n:05d}"


def texts_in(block: Any) -> list[str]:
    """Every `text` string anywhere in a block (sections, fields, quotes, buttons)."""
    if isinstance(block, dict):
        found = [block["text"]] if isinstance(block.get("text"), str) else []
        return found + [t for value in block.values() for t in texts_in(value)]
    if isinstance(block, list):
        return [t for item in block for t in texts_in(item)]
    return []


def described(channel: str, message: dict[str, Any]) -> dict[str, Any]:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {} if isinstance(metadata, dict) else {}
    blocks = message.get("blocks")
    if isinstance(blocks, str):  # form-encoded calls carry blocks as JSON text
        blocks = json.loads(blocks)
    return {
        "channel": channel,
        "text": str(message.get("text") or ""),
        "key": payload.get("key"),
        "words": "\n".join(texts_in(blocks)),
    }


def build(users: int, latency_ms: float) -> tuple[FakeSlack, web.Application]:
    fake = FakeSlack(team_id=TEAM, latency=latency_ms / 1000)
    for n in range(users):
        fake.add_user(user_id(n), f"Teacher {n}", tz="Europe/London", team_id=TEAM)
    app = fake.app()

    async def count(_: web.Request) -> web.Response:
        posts = sum(1 for call in fake.calls if call.method == "chat.postMessage")
        return web.json_response({"chat.postMessage": posts, "calls": len(fake.calls)})

    async def posts(_: web.Request) -> web.Response:
        everything = [
            (message["ts"], described(channel, message))
            for channel, messages in fake.messages.items()
            for message in messages
        ]
        return web.json_response({"posts": [post for _, post in sorted(everything)]})

    async def latency(request: web.Request) -> web.Response:
        fake.latency = float(request.query["ms"]) / 1000
        return web.json_response({"latency": fake.latency})

    app.router.add_get("/fake/count", count)
    app.router.add_get("/fake/posts", posts)
    app.router.add_post("/fake/latency", latency)
    return fake, app


async def serve(users: int, latency_ms: float) -> None:
    _, app = build(users, latency_ms)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"PORT {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=0, help="members of workspace T1")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay before answering")
    args = parser.parse_args()
    asyncio.run(serve(args.users, args.latency_ms))


if __name__ == "__main__":
    main()

"""The tests' fake Slack Web API as its own process, so it never competes with the code
being measured for the event loop: `python -m bench.fake_slack [--ceiling N] [--people N]`
prints its port. `--people N` makes N members (`U000000`, `U000001`, …) that `users.list`
and `users.info` know, as a real workspace's would be; `--forget` keeps no record of the calls
and messages (a long run would otherwise grow the fake, not what is measured). `GET /counts`
answers how many times each Web API method was called."""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from adapters.fakes.slack_api import Call, Ceiling, FakeSlack


class Forgetful(list[Call]):
    """A call log that keeps nothing."""

    def append(self, _: Call) -> None:
        return None


class NoHistory(defaultdict[str, list[dict[str, Any]]]):
    """Messages that are answered for, then dropped."""

    def __missing__(self, key: str) -> list[dict[str, Any]]:
        return []


def member_id(n: int) -> str:
    return f"U{n:06d}"


async def serve(ceiling: int, latency_ms: float, people: int, forget: bool) -> None:
    fake = FakeSlack(ceiling=Ceiling(ceiling) if ceiling else None, latency=latency_ms / 1000)
    for n in range(people):
        fake.add_user(member_id(n), f"Teacher {n}", tz="Europe/London")
    if forget:
        fake.calls = Forgetful()
        fake.messages = NoHistory(list)
    app = fake.app()
    counts: Counter[str] = Counter()

    @web.middleware
    async def count(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if "method" in request.match_info:
            counts[request.match_info["method"]] += 1
        return await handler(request)

    async def answer_counts(_: web.Request) -> web.Response:
        return web.json_response(dict(counts))

    app.middlewares.append(count)
    app.router.add_get("/counts", answer_counts)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(f"PORT {port}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ceiling", type=int, default=0, help="chat.postMessage per second")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay before answering")
    parser.add_argument("--people", type=int, default=0, help="members the workspace has")
    parser.add_argument("--forget", action="store_true", help="record no calls or messages")
    args = parser.parse_args()
    asyncio.run(serve(args.ceiling, args.latency_ms, args.people, args.forget))


if __name__ == "__main__":
    main()

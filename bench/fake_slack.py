"""The tests' fake Slack Web API as its own process, so it never competes with the code
being measured for the event loop: `python -m bench.fake_slack [--ceiling N]` prints its port."""

from __future__ import annotations

import argparse
import asyncio

from aiohttp import web

from adapters.fakes.slack_api import Ceiling, FakeSlack


async def serve(ceiling: int, latency_ms: float) -> None:
    fake = FakeSlack(ceiling=Ceiling(ceiling) if ceiling else None, latency=latency_ms / 1000)
    runner = web.AppRunner(fake.app(), access_log=None)
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
    args = parser.parse_args()
    asyncio.run(serve(args.ceiling, args.latency_ms))


if __name__ == "__main__":
    main()

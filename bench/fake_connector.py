"""The tests' fake Bot Connector as its own process: `python -m bench.fake_connector`."""

from __future__ import annotations

import argparse
import asyncio

from aiohttp import web

from adapters.fakes.bot_connector import FakeConnector


async def serve(latency_ms: float) -> None:
    runner = web.AppRunner(FakeConnector(latency=latency_ms / 1000).app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(f"PORT {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=0.0)
    asyncio.run(serve(parser.parse_args().latency_ms))


if __name__ == "__main__":
    main()

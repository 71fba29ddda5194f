"""Nudge fan-out to one Slack workspace, against the fake Slack in its own process.

1. Throughput: `Scheduler.tick` delivering N prompts (every nudge and outbox row written)
   against a bare slack-sdk `AsyncWebClient` loop sending the same N DMs (conversations.open +
   chat.postMessage, same blocks, same concurrency) to the same fake. Target: ratio >= 0.9
   with a network-like delay per call (20 ms by default; Slack's own is larger). The same
   comparison with no delay at all is printed too: there both are CPU-bound on one core, so
   it shows what Tiny Steps' bookkeeping costs in CPU.
2. Under a rate limit: the fake accepts `ceiling` posts per second and answers 429 with
   Retry-After beyond it. Target: delivery reaches >= 95 % of the ceiling and sends everyone.

`python -m bench` runs these, the Teams fan-out (bench/teams_fanout.py), ingest
(bench/ingest.py) and memory (bench/memory.py); `--only` runs one of them, and is the only way
to run summary (bench/summary.py) and themes (bench/themes.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from adapters.server import Services, build_services
from adapters.settings import Settings
from adapters.slack.render import blocks, fallback
from adapters.slack.workspaces import CONNECTIONS
from bench import summary, themes
from bot.clock import FixedClock
from bot.conversation import replies
from bot.people.roster import Member
from bot.ports import DeliveryStatus
from storage import migrate

TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
TEAM = "T1"  # the fake's workspace


@dataclass(frozen=True)
class FanOut:
    people: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.people / self.seconds


@contextlib.asynccontextmanager
async def fake_server(module: str, *args: str) -> AsyncIterator[str]:
    """A fake platform (`python -m <module>`, which prints `PORT n`) in a child process, so it
    never competes with the code being measured; yields its base URL."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, *args, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        line = (await child.stdout.readline()).decode()
        yield f"http://127.0.0.1:{line.split()[1]}/"
    finally:
        child.terminate()
        await child.wait()


@contextlib.asynccontextmanager
async def fake_slack(ceiling: int = 0, latency_ms: float = 0.0) -> AsyncIterator[str]:
    """The fake Slack; yields its API base URL."""
    async with fake_server(
        "bench.fake_slack", "--ceiling", str(ceiling), "--latency-ms", str(latency_ms)
    ) as url:
        yield f"{url}api/"


async def bare_loop(url: str, people: int, concurrency: int) -> FanOut:
    """What a hand-written sender does: open each DM and post the prompt, nothing stored.
    It gets the same kept-alive connection pool as Tiny Steps, so only the work differs."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONNECTIONS))
    client = AsyncWebClient(token="xoxb-bench", base_url=url, session=session)
    content = replies.prompt(1)
    limit = asyncio.Semaphore(concurrency)

    async def one(n: int) -> None:
        async with limit:
            opened = await client.conversations_open(users=f"U{n:06d}")
            await client.chat_postMessage(
                channel=opened["channel"]["id"], text=fallback(content), blocks=blocks(content)
            )

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(people)))
    elapsed = time.perf_counter() - started
    await session.close()
    return FanOut(people, elapsed)


async def tinysteps(url: str, people: int, database_url: str) -> tuple[FanOut, Services]:
    """`tinysteps tick` at the nudge time, for a workspace of `people` members."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        slack_bot_token=SecretStr("xoxb-bench"),
        slack_signing_secret=SecretStr("bench-secret"),
        slack_api_url=url,
        tinysteps_adapters="slack",
    )
    services = build_services(settings, clock=FixedClock(TUESDAY_1530))
    await migrate.upgrade(services.engine)
    await services.roster.workspace("slack", TEAM, "Bench Academy")
    members = [Member(f"U{n:06d}", f"Teacher {n}") for n in range(people)]
    await services.roster.sync("slack", TEAM, members)
    assert services.slack is not None
    services.slack.workspaces.open(services.slack.app.client)  # as `tinysteps serve` does
    started = time.perf_counter()
    sent = 0
    while sent < people:  # as APScheduler would tick again, should anything be deferred
        report = await services.scheduler.tick(TUESDAY_1530)
        sent += report.sent
        if report.sent == 0 and report.deferred == 0:
            break
    elapsed = time.perf_counter() - started
    await services.slack.workspaces.close()
    return FanOut(sent, elapsed), services


async def delivered_rows(services: Services) -> int:
    async with services.store.transaction() as tx:
        schools = await tx.schools.all()
        total = 0
        for school in schools:
            total += await tx.deliveries.count(school.id, DeliveryStatus.SENT)
        return total


async def compare(
    folder: str, name: str, people: int, concurrency: int, latency_ms: float
) -> tuple[float, bool]:
    async with fake_slack(latency_ms=latency_ms) as url:
        bare = await bare_loop(url, people, concurrency)
        ours, services = await tinysteps(url, people, f"sqlite+aiosqlite:///{folder}/{name}.db")
        rows = await delivered_rows(services)
        await services.close()
    ratio = ours.per_second / bare.per_second
    print(f"Fan-out to {people:,} people, concurrency {concurrency}, {latency_ms:g} ms latency")
    print(f"  bare AsyncWebClient loop : {bare.seconds:7.2f} s  {bare.per_second:7.0f} DMs/s")
    print(f"  tinysteps tick           : {ours.seconds:7.2f} s  {ours.per_second:7.0f} DMs/s")
    print(f"  outbox rows marked sent  : {rows:,} of {people:,}")
    print(f"  throughput ratio         : {ratio:.2f}")
    return ratio, rows == people


async def run(people: int, limited: int, ceiling: int, concurrency: int, latency_ms: float) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        ratio, all_sent = await compare(folder, "a", people, concurrency, latency_ms)
        print(f"  target                   : >= 0.90 -> {'met' if ratio >= 0.9 else 'MISSED'}")
        ok = ratio >= 0.9 and all_sent
        _, all_sent = await compare(folder, "b", people, concurrency, 0)
        print("  (no latency: the CPU cost of Tiny Steps' bookkeeping; reported, no target)")
        ok &= all_sent

        async with fake_slack(ceiling) as url:
            capped, services = await tinysteps(url, limited, f"sqlite+aiosqlite:///{folder}/c.db")
            rows = await delivered_rows(services)
            await services.close()
        share = capped.per_second / ceiling
        print(f"Rate-limited fake: {ceiling} posts/s, 429 + Retry-After beyond it")
        print(
            f"  tinysteps tick           : {capped.seconds:7.2f} s  {capped.per_second:7.1f} DMs/s"
        )
        print(f"  outbox rows marked sent  : {rows:,} of {limited:,}")
        print(f"  share of the ceiling     : {share:.2f}  (target >= 0.95)")
        ok &= share >= 0.95 and rows == limited
    return ok


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--limited", type=int, default=1_000, help="people for the capped run")
    parser.add_argument("--ceiling", type=int, default=50, help="posts/s the capped fake allows")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--latency-ms", type=float, default=20.0, help="the fake's delay per call (Slack: ~100+)"
    )
    parser.add_argument(
        "--only",
        choices=("slack", "teams", "ingest", "memory", "summary", "themes"),
        help="run one benchmark only (summary and themes: only this way; summary needs PostgreSQL)",
    )
    parser.add_argument(
        "--ingest-seconds", type=float, default=10.0, help="ingest: timed seconds per server"
    )
    parser.add_argument(
        "--ingest-concurrency", type=int, default=16, help="ingest: requests in flight"
    )
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="memory: tracemalloc in the server, what each stage added (slow: ~15 min for 300)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TINYSTEPS_TEST_POSTGRES_URL", summary.POSTGRES_URL),
        help="summary, ingest: the PostgreSQL server (a database of its own is made and dropped)",
    )
    parser.add_argument(
        "--entries", type=int, help="summary: improvement rows in all (default 1,000,000)"
    )
    parser.add_argument(
        "--dev-csv",
        type=Path,
        default=themes.DEV_CSV,
        help="themes: the labelled dev set (default ../shared/data/improvements-dev.csv)",
    )
    args = parser.parse_args(argv)
    ok = True
    if args.only in (None, "slack"):
        ok &= asyncio.run(
            run(args.people, args.limited, args.ceiling, args.concurrency, args.latency_ms)
        )
    if args.only in (None, "teams"):
        from bench import teams_fanout

        ok &= asyncio.run(teams_fanout.run(args.people, args.concurrency, args.latency_ms))
    if args.only in (None, "ingest"):
        from bench import ingest

        ok &= asyncio.run(
            ingest.run(
                concurrency=args.ingest_concurrency,
                seconds=args.ingest_seconds,
                postgres_url=args.postgres_url,
            )
        )
    if args.only in (None, "memory"):
        from bench import memory

        ok &= asyncio.run(memory.run(args.people, trace=args.trace_memory))
    if args.only == "summary":  # not by default: it would take the run past ten minutes
        ok &= asyncio.run(summary.run(args.postgres_url, args.entries))
    elif args.only == "themes":  # not by default: it measures quality, not the platforms
        ok &= themes.run(args.dev_csv)
    elif args.only is None:
        print("(The leaders' summary benchmark runs on its own: python -m bench --only summary.)")
        print("(Themes and similar steps run on their own: python -m bench --only themes.)")
    print("All targets met." if ok else "Some targets were missed.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Memory: the peak RSS of a Tiny Steps server serving a 10,000-person Slack workspace while
the scheduler's tick delivers today's nudge to all of them. Target: <= 150 MB.

The server is a child process built as `tinysteps serve` builds it (`build_services`, SQLite
migrated, the theme classifier warmed up, `build_app` listening on a local port, the Slack
adapter with a signing secret and bot token adopting the workspace's members from `users.list`
at start-up), with the clock fixed at the nudge time. The fake Slack (its own process) knows the
10,000 members. Once the workspace is adopted, the parent asks for one `Scheduler.tick` (ticking
again should anything be deferred, as bench/fanout.py does) and, while it runs, sends signed DM
events from the people (their answers: `bench.ingest.Events`) with a few requests in flight.

The child reports its RSS at each stage (`VmRSS`, and the high-water mark `VmHWM` from
/proc/self/status); the parent reads the child's `VmHWM` once more before stopping it. The peak
is split into its private part (`RssAnon`) and the shared libraries' pages (`RssFile`), which
replicas on one machine share. For context, the bare slack-bolt app of the ingest benchmark is
measured the same way after the same events.

`python -m bench.memory --trace` (or `python -m bench --only memory --trace-memory`) runs the
server under tracemalloc and prints what each stage added, by the line of Tiny Steps' code
nearest the allocation, or the library's package (bench/memory_server.py, `place_of`). It is
slow (about a quarter of an hour with `--people 300`), its RSS is inflated by tracemalloc's
own bookkeeping, and memory that extension modules allocate natively is not traced: compare
the traced figures with the RSS of an untraced run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from bench.fanout import TUESDAY_1530, fake_server
from bench.ingest import START_TIMEOUT, Events, bare_bolt, drive
from bench.memory_server import TRACE_FRAMES, status

PEOPLE = 10_000
TARGET_MB = 150.0
DM_CONCURRENCY = 4  # people answering while the nudges go out
ANSWERS = (
    "Started the lesson with a two-minute retrieval quiz",
    "Used mini whiteboards so everyone answered at once",
    "Cold called instead of hands up",
    "Modelled the first paragraph live under the visualiser",
)


@dataclass(frozen=True)
class Stage:
    name: str
    rss: float
    hwm: float
    anon: float
    file: float
    traced: tuple[float, float] | None  # current and peak, MB, with --trace


@dataclass
class Server:
    pid: int
    url: str
    stages: list[Stage]
    traces: list[str]
    process: asyncio.subprocess.Process
    log: Path

    async def read_until(self, word: str) -> str:
        """Collect stage lines until one starting with `word`; returns that line."""
        assert self.process.stdout is not None
        while True:
            raw = await asyncio.wait_for(self.process.stdout.readline(), 20 * START_TIMEOUT)
            if not raw:
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the memory benchmark's server stopped early:\n{tail}")
            line = raw.decode().strip()
            if line.startswith("STAGE "):
                parts = line.split()
                rss, hwm, anon, file, *traced = (float(p) for p in parts[2:])
                both = (traced[0], traced[1]) if traced else None
                self.stages.append(Stage(parts[1], rss, hwm, anon, file, both))
            elif line.startswith("TRACE "):
                self.traces.append(line)
            if line.startswith(word):
                return line

    def say(self, word: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{word}\n".encode())


@contextlib.asynccontextmanager
async def server(
    api_url: str, database_url: str, people: int, trace: bool, log: Path
) -> AsyncIterator[Server]:
    args = ["--api-url", api_url, "--database-url", database_url, "--people", str(people)]
    args += ["--at", TUESDAY_1530.isoformat()] + ["--trace"] * trace
    with log.open("wb") as sink:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-X", f"tracemalloc={TRACE_FRAMES}") * trace,
            *("-m", "bench.memory_server", *args),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=sink,
        )
    running = Server(child.pid, "", [], [], child, log)
    try:
        port = (await running.read_until("PORT")).split()[1]
        running.url = f"http://127.0.0.1:{port}/slack/events"
        yield running
    finally:
        if child.returncode is None:
            child.kill()
        await child.wait()


async def answering(url: str, events: Events, until: asyncio.Future[str]) -> int:
    """DM events from the people, `DM_CONCURRENCY` at a time, until `until` is done."""
    sent = 0
    while not until.done():
        result, _ = await drive(
            url, events, concurrency=DM_CONCURRENCY, start=sent, count=DM_CONCURRENCY * 25
        )
        sent += result.acked + result.failed
    return sent


def mb(value: float) -> str:
    return f"{value:6.1f} MB"


async def bare_peak(api_url: str, events: Events, count: int) -> float:
    """The bare Bolt app's VmHWM after `count` of the same events."""
    async with bare_bolt(api_url) as bare:
        await drive(bare.url, events, concurrency=DM_CONCURRENCY, count=count)
        return status(bare.pid)["VmHWM"]


async def run(people: int = PEOPLE, trace: bool = False) -> bool:
    events = Events(people, ANSWERS, command="")
    with tempfile.TemporaryDirectory() as folder:
        async with fake_server("bench.fake_slack", "--people", str(people), "--forget") as fake:
            api_url = f"{fake}api/"
            database_url = f"sqlite+aiosqlite:///{folder}/memory.db"
            log = Path(folder) / "memory.log"
            async with server(api_url, database_url, people, trace, log) as ours:
                ours.say("TICK")
                fanned = asyncio.ensure_future(ours.read_until("SENT"))
                answered = await answering(ours.url, events, fanned)
                _, sent, seconds = (await fanned).split()
                await ours.read_until("STAGE fanned-out")
                peak = status(ours.pid)
                ours.say("STOP")
                await ours.read_until("STAGE stopped")
            bare = await bare_peak(api_url, events, answered)
    print(
        f"Memory: a server of {people:,} people (SQLite) while one tick sends each today's nudge,"
        f" with DMs arriving"
    )
    print("  stage                  RSS         peak so far   private (anon)  shared libs (file)")
    for stage in ours.stages:
        traced = (
            f"   traced now {stage.traced[0]:5.1f} MB, peak {stage.traced[1]:5.1f} MB"
            if stage.traced
            else ""
        )
        print(
            f"  {stage.name:<14s} {mb(stage.rss)}   {mb(stage.hwm)}   {mb(stage.anon)}"
            f"       {mb(stage.file)}{traced}"
        )
    hwm = peak["VmHWM"]
    print(f"  nudges sent              : {int(sent):,} in {float(seconds):.1f} s")
    print(f"  DM events answered meanwhile: {answered:,}")
    print(f"  bare slack-bolt app, same DMs: peak {mb(bare)}")
    met = hwm <= TARGET_MB
    print(
        f"  peak RSS (VmHWM)         : {mb(hwm)}  (target <= {TARGET_MB:.0f} MB -> "
        f"{'met' if met else 'MISSED'})"
    )
    if ours.traces:
        print("  what each stage added, by where it is held (tracemalloc; RSS above is inflated")
        print("  by tracemalloc's own bookkeeping, and native allocations are not traced):")
    for line in ours.traces:
        _, name, size, where = line.split(maxsplit=3)
        print(f"    {name:<11s} {float(size):+7.1f} MB  {where}")
    return met and int(sent) == people


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--trace", action="store_true", help="tracemalloc in the server")
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.people, args.trace)) else 1)


if __name__ == "__main__":
    main()

"""The memory benchmark's server (bench/memory.py runs it): `tinysteps serve`'s start-up for
one Slack workspace, then one fan-out when told, reporting its memory at each stage.

Only the standard library is imported before the first report, so the stages say what each
part of the start-up costs: `python -m bench.memory_server --api-url … --database-url …
--people N --at ISO-TIME [--trace]`. It prints `STAGE name rss hwm anon file [traced peak]`
lines (MB), `PORT n` once it listens with the workspace adopted, then reads `TICK` on stdin,
ticks, prints `SENT n seconds`, and stops on `STOP`. With `--trace` (run it under
`-X tracemalloc=30`) each stage also prints `TRACE stage MB place` lines: where the memory
that stage added is held (see `place_of`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import tracemalloc
from collections import Counter
from datetime import datetime
from pathlib import Path

TRACE_LINES = 10  # places that grew most, per stage
TRACE_FRAMES = 30  # frames kept per allocation (`-X tracemalloc=30`)
ROOT = str(Path(__file__).resolve().parent.parent) + "/"
OURS = ("bot/", "adapters/", "storage/")


def status(pid: int | str = "self") -> dict[str, float]:
    """The memory lines of /proc/<pid>/status, in MB."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key.startswith(("Vm", "Rss")) and value.strip().endswith("kB"):
            found[key] = int(value.split()[0]) / 1024
    return found


class Stages:
    """What the server prints at each stage: `STAGE name rss hwm anon file [traced peak]`."""

    def __init__(self, trace: bool) -> None:
        self.trace = trace
        self.before: Counter[str] = Counter()

    def report(self, name: str, *, traced: bool = True) -> None:
        now = status()
        line = (
            f"STAGE {name} {now['VmRSS']:.1f} {now['VmHWM']:.1f} "
            f"{now['RssAnon']:.1f} {now['RssFile']:.1f}"
        )
        if self.trace and traced:
            import tracemalloc

            current, peak = tracemalloc.get_traced_memory()
            line += f" {current / 2**20:.1f} {peak / 2**20:.1f}"
            held = places(tracemalloc.take_snapshot())
            grown = Counter({k: v - self.before[k] for k, v in held.items()})
            for place, size in grown.most_common(TRACE_LINES):
                print(f"TRACE {name} {size / 2**20:.1f} {place}", flush=True)
            self.before = held
            tracemalloc.reset_peak()
        print(line, flush=True)


def places(snapshot: tracemalloc.Snapshot) -> Counter[str]:
    """Bytes held, by the line of Tiny Steps' own code (bot/, adapters/, storage/) nearest the
    allocation: an import line of ours for what a library's import allocated (its code and
    objects), our call for what a library allocated for us; else the library's package."""
    held: Counter[str] = Counter()
    known: dict[int, str] = {}  # traces that share a traceback share its tuple
    # The raw traces (`Snapshot.traces` as tuples): millions of them, too many to wrap each
    # in `Trace` objects. Each is (domain, size, frames most recent first, frame count).
    for _, size, frames, *_ in snapshot.traces._traces:  # type: ignore[attr-defined]
        place = known.get(id(frames))
        if place is None:
            place = known[id(frames)] = place_of(frames)
        held[place] += size
    return held


def place_of(frames: tuple[tuple[str, int], ...]) -> str:
    for filename, line in frames:
        relative = filename.removeprefix(ROOT)
        if relative != filename and relative.startswith(OURS):
            return f"{relative}:{line}"
    for filename, _ in frames:
        if not filename.startswith("<"):
            package = filename.split("site-packages/")[-1].removeprefix(ROOT)
            return f"{package.split('/')[0]} (no line of ours in the last {TRACE_FRAMES} frames)"
    return "(import machinery)"


async def serve(api_url: str, database_url: str, people: int, at: datetime, trace: bool) -> None:
    """`tinysteps serve`'s start-up, then a tick when the parent says `TICK` on stdin."""
    stages = Stages(trace)
    stages.report("python", traced=False)
    from pydantic import SecretStr

    from adapters.logs import configure
    from adapters.server import build_app, build_services
    from adapters.settings import Settings
    from bench.bare_bolt import BOT_TOKEN, SIGNING_SECRET
    from bot.clock import FixedClock
    from bot.evidence import school_classifier
    from storage import migrate

    stages.report("imported")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=api_url,
        tinysteps_adapters="slack",
        tinysteps_scheduler=False,
    )
    configure(settings.tinysteps_log_level, settings.log_format)  # as `tinysteps serve` does
    services = build_services(settings, clock=FixedClock(at))
    await migrate.upgrade(services.engine)
    await school_classifier.warm_up()
    stages.report("warmed-up")
    from aiohttp import web

    runner = web.AppRunner(build_app(services))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    assert services.slack is not None
    await services.slack.wait_idle()  # the workspace adopted: 10,000 members in the roster
    stages.report("adopted")
    print(f"PORT {runner.addresses[0][1]}", flush=True)
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.readline()  # TICK
    started = time.perf_counter()
    sent = 0
    while sent < people:  # as APScheduler would tick again, should anything be deferred
        report = await services.scheduler.tick(at)
        sent += report.sent
        if report.sent == 0 and report.deferred == 0:
            break
    print(f"SENT {sent} {time.perf_counter() - started:.2f}", flush=True)
    stages.report("fanned-out")
    await reader.readline()  # STOP
    await runner.cleanup()
    await services.close()
    stages.report("stopped", traced=False)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_server", description=__doc__)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--at", type=datetime.fromisoformat, required=True, help="the tick's time")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    asyncio.run(serve(args.api_url, args.database_url, args.people, args.at, args.trace))


if __name__ == "__main__":
    main()

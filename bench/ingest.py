"""Ingest: signed Slack DM events over real HTTP, Tiny Steps against a bare Bolt app.

Each event is a `message.im` `event_callback` shaped as Slack sends it (the fixture
tests/adapters/slack/payloads/message_im.json: blocks, client_msg_id, authorizations…), from one
of `people` members of workspace T1, with its own `event_id`, signed as Slack signs (`v0=`
HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret, in `X-Slack-Signature` and
`X-Slack-Request-Timestamp`). Its text is `log <an entry>` (the entries of
bench/themes_check.csv), so every event is a step to store: the heaviest thing people commonly
send. Event n is person n % people's, so each person's events are `people` events apart.

1. A bare slack-bolt `AsyncApp` (aiohttp adapter, bench/bare_bolt.py) that verifies the
   signature and acknowledges, nothing else: the baseline of the target. Beside it, the same
   app storing each event with one INSERT committed before the acknowledgement, on the same
   kind of database: the least any app pays that loses no acknowledged event (reported).
2. Tiny Steps as `tinysteps serve` runs it (`python -m adapters.cli serve`; Slack adapter with
   a signing secret and a bot token; it adopts the workspace and its members at start-up), on
   SQLite and, when it can be reached, PostgreSQL (a database of its own, migrated as
   `tinysteps db upgrade` does, dropped afterwards). Each event is verified, deduplicated by
   its `event_id`, stored with its theme, and answered in the DM.

Each server runs in its own process, all at once, against the fake Slack Web API in another;
the client is this process (one aiohttp session, `concurrency` requests in flight on kept-alive
connections). Each server first gets one event from every person, untimed: first contact is
when Tiny Steps looks a person up and welcomes them. Then `seconds` each, timed, in `slices`
turns (bare, storing, Tiny Steps, Tiny Steps, storing, bare, …) so that all meet the same load
from whatever else runs on the machine; Tiny Steps' replies go out after the acknowledgement,
so after its turn they are all posted before the next server's turn starts.
Printed: acknowledged events per second, the p50/p99 time to the acknowledgement, each
server's CPU time per event; then the entries and processed events in the database (one each
per acknowledged event) and the messages the fake was sent. Target: Tiny Steps >= 0.8x the
bare app's throughput.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import os
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import asyncpg
from sqlalchemy import text

from bench import themes
from bench.bare_bolt import BOT_TOKEN, SIGNING_SECRET
from bench.fake_slack import member_id
from bench.fanout import fake_server
from storage import migrate
from storage.engine import create_engine

TEAM = "T1"  # the fake's workspace (`auth.test`)
PEOPLE = 500
CONCURRENCY = 16
SECONDS = 10.0
SLICES = 4  # timed slices per server, taking turns with the other
# Seconds without a post after which Tiny Steps' replies are taken as all sent; at least the
# pacing of one DM channel (`adapters.pacing.CHANNEL_INTERVAL`).
SETTLED = 1.0
SETTLE_TIMEOUT = 60.0
TARGET = 0.8
START_TIMEOUT = 120.0  # seconds `tinysteps serve` may take to listen (migrations, classifier)
# Settings from the environment that must not reach the server under test.
OURS = ("DATABASE_URL", "SLACK_", "MICROSOFT_", "TINYSTEPS_", "LOG_FORMAT", "PUBLIC_URL")


@dataclass(frozen=True)
class Ingest:
    """What the client saw: acknowledged (2xx) events, the others, and each ack's latency."""

    acked: int
    failed: int
    seconds: float
    latencies: Sequence[float]  # seconds, one per acknowledged event

    @property
    def per_second(self) -> float:
        return self.acked / self.seconds

    def percentile(self, share: float) -> float:
        """Milliseconds within which `share` of the acknowledgements came."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def line(self) -> str:
        failed = f"  ({self.failed} not acknowledged)" if self.failed else ""
        return (
            f"{self.per_second:7.0f} events/s  p50 {self.percentile(0.5):6.1f} ms"
            f"  p99 {self.percentile(0.99):6.1f} ms{failed}"
        )


class Events:
    """Signed DM events: event `n` is person `n % people`'s, with its own event_id and text."""

    def __init__(
        self,
        people: int,
        entries: Sequence[str],
        *,
        command: str = "log ",
        secret: str = SIGNING_SECRET,
    ) -> None:
        self.people = people
        self.entries = entries
        self.command = command  # before each entry's words
        self.secret = secret.encode()
        self.run = uuid.uuid4().hex[:8].upper()  # event_ids differ from run to run

    def body(self, n: int, now: float) -> str:
        user = member_id(n % self.people)
        words = self.command + self.entries[n % len(self.entries)]
        ts = f"{now:.6f}"
        event = {
            "client_msg_id": str(uuid.UUID(int=n)),
            "type": "message",
            "text": words,
            "user": user,
            "ts": ts,
            "team": TEAM,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": f"b{n}",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [{"type": "text", "text": words}],
                        }
                    ],
                }
            ],
            "channel": f"D{user}",
            "event_ts": ts,
            "channel_type": "im",
        }
        return json.dumps(
            {
                "token": "one-long-verification-token",
                "team_id": TEAM,
                "context_team_id": TEAM,
                "context_enterprise_id": None,
                "api_app_id": "A0PNCHHK2",
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{self.run}{n:08d}",
                "event_time": int(now),
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": TEAM,
                        "user_id": "UBOT",
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
                "is_ext_shared_channel": False,
                "event_context": f"4-bench-{n}",
            }
        )

    def request(self, n: int) -> tuple[bytes, dict[str, str]]:
        now = time.time()
        body = self.body(n, now)
        timestamp = str(int(now))
        digest = hmac.new(self.secret, f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        return body.encode(), headers


async def drive(
    url: str,
    events: Events,
    *,
    concurrency: int,
    start: int = 0,
    count: int | None = None,
    seconds: float | None = None,
) -> tuple[Ingest, int]:
    """Send events `start`, `start + 1`, … (`count` of them, or for `seconds`) with
    `concurrency` requests in flight on kept-alive connections, as Slack's senders do.
    Returns what the client saw and the number of the next event not sent."""
    numbers = iter(range(start, start + count)) if count is not None else itertools.count(start)
    latencies: list[float] = []
    failed = 0
    following = start
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        deadline = started + seconds if seconds is not None else float("inf")

        async def worker() -> None:
            nonlocal failed, following
            for n in numbers:
                if time.perf_counter() >= deadline:
                    return
                following = max(following, n + 1)
                body, headers = events.request(n)
                sent = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                if 200 <= response.status < 300:
                    latencies.append(time.perf_counter() - sent)
                else:
                    failed += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Ingest(len(latencies), failed, elapsed, latencies), following


def combined(parts: Sequence[Ingest]) -> Ingest:
    return Ingest(
        sum(p.acked for p in parts),
        sum(p.failed for p in parts),
        sum(p.seconds for p in parts),
        [latency for p in parts for latency in p.latencies],
    )


@dataclass
class Target:
    """A server being measured, and the number of the next event it gets: each server sees
    events 0, 1, 2, … (every event_id new to it, people taking turns) across its slices."""

    name: str
    url: str
    pid: int
    following: int = 0
    slices: list[Ingest] = field(default_factory=list)
    cpu: float = 0.0  # seconds of CPU the server used in the timed slices

    async def warm_up(self, events: Events, concurrency: int) -> Ingest:
        """One event from every person, untimed."""
        result, self.following = await drive(
            self.url, events, concurrency=concurrency, count=events.people
        )
        return result

    async def slice(self, events: Events, concurrency: int, seconds: float) -> None:
        used = cpu_seconds(self.pid)
        result, self.following = await drive(
            self.url, events, concurrency=concurrency, start=self.following, seconds=seconds
        )
        self.cpu += cpu_seconds(self.pid) - used
        self.slices.append(result)

    @property
    def timed(self) -> Ingest:
        return combined(self.slices)

    def line(self) -> str:
        """Its timed figures, and the CPU time its process used for them."""
        timed = self.timed
        per_event = 1000 * self.cpu / timed.acked if timed.acked else float("nan")
        return (
            f"{timed.line()}  {per_event:5.2f} ms CPU an event,"
            f" {self.cpu / timed.seconds:4.0%} of a core"
        )


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far, all its threads, user and system."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class FakeCounts:
    """The fake Slack's tally of Web API calls (`GET /counts`)."""

    def __init__(self, base_url: str) -> None:
        self.url = f"{base_url}counts"

    async def posts(self) -> int:
        async with aiohttp.ClientSession() as session, session.get(self.url) as response:
            counts: dict[str, int] = await response.json()
        return counts.get("chat.postMessage", 0)

    async def settle(self) -> float:
        """Wait until no message has been posted for SETTLED seconds (replies go out after
        the acknowledgement); returns how long posting went on after this was called."""
        started = time.perf_counter()
        last, changed = await self.posts(), started
        while time.perf_counter() - changed < SETTLED:
            if time.perf_counter() - started > SETTLE_TIMEOUT:
                break
            await asyncio.sleep(0.1)
            now = await self.posts()
            if now != last:
                last, changed = now, time.perf_counter()
        return changed - started


async def interleaved(
    targets: Sequence[Target],
    ours: Target,
    events: Events,
    concurrency: int,
    seconds: float,
    slices: int,
    fake: FakeCounts,
) -> float:
    """`slices` timed slices of each server, taking turns (a, b, c, c, b, a, …), so all meet
    the same load from whatever else runs on the machine. After each of Tiny Steps' slices its
    replies to the events it acknowledged have all gone out before the next slice. Returns
    the longest time posting went on after one of Tiny Steps' slices."""
    tail = 0.0
    for turn in range(slices):
        for target in targets if turn % 2 == 0 else reversed(targets):
            await target.slice(events, concurrency, seconds / slices)
            if target is ours:
                tail = max(tail, await fake.settle())
    return tail


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any Tiny Steps setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(OURS)}
    env.update(settings)
    return env


@dataclass(frozen=True)
class Server:
    url: str  # where Slack posts events
    pid: int
    log: Path | None


SERVE = ("-m", "adapters.cli", "serve")  # `tinysteps serve`


@contextlib.asynccontextmanager
async def tinysteps_serve(
    api_url: str, database_url: str, folder: Path, name: str, people: int
) -> AsyncIterator[Server]:
    """`tinysteps serve` for one Slack workspace in a child process (its log in `folder`),
    once it has adopted the workspace's `people` members; stopped with SIGTERM, as a deploy
    would, when done."""
    port = free_port()
    env = server_environment(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        TINYSTEPS_ADAPTERS="slack",
        TINYSTEPS_SCHEDULER="0",  # no nudges at the wall clock's time while measuring
    )
    log = folder / f"{name}.log"
    with log.open("wb") as sink:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            *SERVE,
            *("--host", "127.0.0.1", "--port", str(port)),
            env=env,
            cwd=folder,  # no .env file there
            stdout=asyncio.subprocess.PIPE,
            stderr=sink,
        )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), START_TIMEOUT)
        if b"running at" not in line:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"tinysteps serve did not start:\n{tail}")
        await adopted(database_url, people)
        yield Server(f"http://127.0.0.1:{port}/slack/events", child.pid, log)
    finally:
        if child.returncode is None:
            child.terminate()
        await child.wait()


async def adopted(database_url: str, people: int) -> None:
    """Until the workspace's members are in the roster (`serve` adopts them at start-up, in
    the background), so first contacts don't race the roster's sync."""
    engine = create_engine(database_url)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            async with engine.connect() as connection:
                known = await connection.scalar(text("SELECT COUNT(*) FROM person"))
            if int(known or 0) >= people:
                return
            await asyncio.sleep(0.2)
        raise RuntimeError(f"the server did not adopt the workspace's {people} members")
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def bare_bolt(api_url: str, database_url: str | None = None) -> AsyncIterator[Server]:
    """bench/bare_bolt.py in a child process: acknowledging only, or storing each event."""
    stores = ("--database-url", database_url) if database_url else ()
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bench.bare_bolt", "--api-url", api_url, *stores),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        line = (await asyncio.wait_for(child.stdout.readline(), START_TIMEOUT)).decode()
        if not line.startswith("PORT"):
            raise RuntimeError("bench.bare_bolt did not start")
        yield Server(f"http://127.0.0.1:{line.split()[1]}/slack/events", child.pid, None)
    finally:
        if child.returncode is None:
            child.terminate()
        await child.wait()


@contextlib.asynccontextmanager
async def postgres_database(url: str) -> AsyncIterator[str | None]:
    """A new, migrated PostgreSQL database on the server of `url` (dropped afterwards), or
    None when that server can't be reached."""
    server = url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"tinysteps_ingest_{uuid.uuid4().hex[:10]}"
    try:
        admin = await asyncpg.connect(server, timeout=10)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        print(f"  PostgreSQL at {url} could not be reached ({error}): not measured there")
        yield None
        return
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    database = url.rsplit("/", 1)[0] + f"/{name}"
    try:
        engine = create_engine(database)
        await migrate.upgrade(engine)  # `tinysteps db upgrade`: serve migrates SQLite only
        await engine.dispose()
        yield database
    finally:
        admin = await asyncpg.connect(server)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def stored(database_url: str) -> tuple[int, int]:
    """Entries stored, and events recorded as processed."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            entries = await connection.scalar(text("SELECT COUNT(*) FROM improvement"))
            events = await connection.scalar(text("SELECT COUNT(*) FROM processed_event"))
        return int(entries or 0), int(events or 0)
    finally:
        await engine.dispose()


def problems(log: Path) -> list[str]:
    """Lines the server logged at WARNING or above."""
    lines = log.read_text(errors="replace").splitlines()
    return [line for line in lines if " WARNING " in line or " ERROR " in line]


@dataclass(frozen=True)
class Backend:
    name: str
    database_url: str
    inbox_url: str  # where the storing bare app keeps its events


async def against(
    backend: Backend,
    bare_server: Server,
    fake: str,
    folder: Path,
    events: Events,
    concurrency: int,
    seconds: float,
    slices: int,
) -> bool:
    """Tiny Steps on one database against the bare apps, slice by slice; prints the figures."""
    counts = FakeCounts(fake)
    api_url = f"{fake}api/"
    bare = Target("bare", bare_server.url, bare_server.pid)
    async with (
        bare_bolt(api_url, backend.inbox_url) as durable_server,
        tinysteps_serve(
            api_url, backend.database_url, folder, backend.name.lower(), events.people
        ) as server,
    ):
        durable = Target("durable", durable_server.url, durable_server.pid)
        ours = Target(backend.name, server.url, server.pid)
        posts_before = await counts.posts()
        first_bare = await bare.warm_up(events, concurrency)
        first_durable = await durable.warm_up(events, concurrency)
        first = await ours.warm_up(events, concurrency)
        await counts.settle()  # welcomes and replies posted; no DM channel is still paced
        tail = await interleaved(
            (bare, durable, ours), ours, events, concurrency, seconds, slices, counts
        )
        posted = await counts.posts() - posts_before
    entries, recorded = await stored(backend.database_url)
    warnings = problems(server.log) if server.log is not None else []
    acked = first.acked + ours.timed.acked
    ratio = ours.timed.per_second / bare.timed.per_second
    met = ratio >= TARGET
    print(f"  {backend.name}: {slices} turns of {seconds / slices:g} s each, taking turns")
    print(f"    bare slack-bolt AsyncApp, ack only : {bare.line()}")
    print(f"    the same storing each event first  : {durable.line()}")
    print(f"    tinysteps serve                    : {ours.line()}")
    print(
        f"    throughput ratio                   : {ratio:7.2f}"
        f"  (target >= {TARGET:.2f} -> {'met' if met else 'MISSED'})"
    )
    print(
        f"    the storing app's ratio            : "
        f"{durable.timed.per_second / bare.timed.per_second:7.2f}"
        "  (the least a durable app pays; reported, no target)"
    )
    print(
        f"    first contacts, untimed            : {first.line()}"
        f"  (bare: {first_bare.per_second:.0f} events/s)"
    )
    print(
        f"    stored                             : {entries:,} entries and {recorded:,} event ids"
        f" for {acked:,} acknowledged events"
    )
    print(
        f"    messages posted to the fake Slack  : {posted:,} (welcomes and replies), the last"
        f" {tail:.1f} s after a turn's last acknowledgement"
    )
    if warnings:
        print(
            f"    its log                            : {len(warnings)} WARNING/ERROR lines,"
            f" the first: {warnings[0][24:124]}"
        )
    failed = first.failed + ours.timed.failed + first_bare.failed + bare.timed.failed
    failed += first_durable.failed + durable.timed.failed
    return met and entries == acked and recorded == acked and failed == 0


async def run(
    people: int = PEOPLE,
    concurrency: int = CONCURRENCY,
    seconds: float = SECONDS,
    postgres_url: str | None = None,
    slices: int = SLICES,
) -> bool:
    """SQLite, then PostgreSQL if `postgres_url` is given and reachable."""
    events = Events(people, [row.text for row in themes.load(themes.CHECK_CSV)])
    print(
        f"Ingest: signed Slack DM events (`log …`) over HTTP from {people:,} people,"
        f" {concurrency} in flight, {seconds:g} s timed per server"
    )
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        async with (
            fake_server("bench.fake_slack", "--people", str(people), "--forget") as fake,
            bare_bolt(f"{fake}api/") as bare_server,
        ):
            backends = [
                Backend(
                    "SQLite",
                    f"sqlite+aiosqlite:///{folder}/ingest.db",
                    f"sqlite+aiosqlite:///{folder}/inbox.db",
                )
            ]
            async with contextlib.AsyncExitStack() as stack:
                if postgres_url:
                    database = await stack.enter_async_context(postgres_database(postgres_url))
                    if database is not None:
                        backends.append(Backend("PostgreSQL", database, database))
                for backend in backends:
                    ok &= await against(
                        backend,
                        bare_server,
                        fake,
                        Path(folder),
                        events,
                        concurrency,
                        seconds,
                        slices,
                    )
    return ok

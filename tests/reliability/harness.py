"""Real processes for the reliability tests: `tinysteps serve` and `tick`, the fake Slack in a
process of its own, a PostgreSQL proxy that faults can be injected into, and a client that
sends signed events the way Slack does (retrying what wasn't acknowledged).

Nothing here sleeps to synchronise: processes are polled for a condition until a deadline.
The only sleeps are the load generator's schedule (open loop: events go out at their time
whether or not earlier ones were answered) and the client's back-off between retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import aiohttp
import asyncpg

from tests.adapters.slack.helpers import signed_headers
from tests.reliability.fake_slack import TEAM, user_id

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ROOT / "tests" / "adapters" / "slack" / "payloads"
SECRET = "reliability-signing-secret-0f3a9c"
BOT_TOKEN = "xoxb-reliability"
STARTUP_SECONDS = 90.0  # serve warms the theme classifier before it listens
SLACK_TIMEOUT = 3.0  # Slack gives up on a request after 3 s and retries it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def until(condition: Callable[[], bool], *, within: float, what: str, every: float = 0.05) -> None:
    """Poll another process (or its database) until `condition` holds; fail after `within`."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within:.0f} s: {what}")
        time.sleep(every)


async def until_async(
    condition: Callable[[], Any], *, within: float, what: str, every: float = 0.1
) -> None:
    """`until` for an async test: `condition` may be a coroutine function."""
    deadline = time.monotonic() + within
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within:.0f} s: {what}")
        await asyncio.sleep(every)


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def plain_url(url: str) -> str:
    """A SQLAlchemy URL as asyncpg takes it."""
    return url.replace("postgresql+asyncpg://", "postgresql://")


def base_env() -> dict[str, str]:
    """This environment without any setting of ours, so only what a test gives applies."""
    ours = ("SLACK_", "TINYSTEPS_", "MICROSOFT_", "DATABASE_URL", "LOG_FORMAT")
    return {k: v for k, v in os.environ.items() if not k.startswith(ours)}


# --- the fake Slack ----------------------------------------------------------------------------


@dataclass
class FakeSlackProcess:
    """`python -m tests.reliability.fake_slack`: Slack's Web API, and what it was sent."""

    process: subprocess.Popen[str]
    port: int

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def _call(self, path: str, *, post: bool = False) -> dict[str, Any]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", method="POST" if post else "GET"
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            data: dict[str, Any] = json.loads(answer.read())
        return data

    def answer_after(self, ms: float) -> None:
        """From now on, answer every call after `ms` milliseconds."""
        self._call(f"/fake/latency?ms={ms:g}", post=True)

    def posted(self) -> int:
        """How many `chat.postMessage` calls it has taken."""
        return int(self._call("/fake/count")["chat.postMessage"])

    def posts(self) -> list[dict[str, Any]]:
        """Every message posted: channel, text, delivery key, the words of its blocks."""
        posts: list[dict[str, Any]] = self._call("/fake/posts")["posts"]
        return posts

    async def posted_async(self) -> int:
        return await asyncio.to_thread(self.posted)

    async def posts_async(self) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self.posts)


@contextlib.contextmanager
def fake_slack(users: int = 0, latency_ms: float = 0.0) -> Iterator[FakeSlackProcess]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.fake_slack",
            "--users",
            str(users),
            "--latency-ms",
            str(latency_ms),
        ],
        cwd=ROOT,
        env=base_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("PORT "), f"the fake Slack did not start: {line!r}"
        yield FakeSlackProcess(process, int(line.split()[1]))
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


# --- tinysteps serve and tick ------------------------------------------------------------------


@dataclass
class Server:
    """A `python -m adapters.cli serve` process; its output goes to a file, read on demand."""

    port: int
    env: dict[str, str]
    logfile: Path
    process: subprocess.Popen[bytes] | None = None
    started: int = 0  # how many times it was started
    _out: TextIO | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""

    def start(self) -> None:
        """Start (or start again, on the same port) and wait until it listens."""
        assert self.process is None or self.process.poll() is not None, "already running"
        self._close_output()
        self.started += 1
        began = len(self.log())
        self._out = self.logfile.open("a")
        self._out.write(f"\n--- start {self.started} ---\n")
        self._out.flush()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        process = self.process

        def listening() -> bool:
            assert process.poll() is None, "serve exited:\n" + self.log()[began:][-5000:]
            return "Tiny Steps is running" in self.log()[began:]

        until(listening, within=STARTUP_SECONDS, what="serve to start")

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def terminate(self) -> float:
        """SIGTERM, as Docker sends it; seconds until the process had exited."""
        assert self.process is not None
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return time.monotonic() - began

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self._close_output()

    def _close_output(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


def slack_env(
    database_url: str, slack: FakeSlackProcess, *, scheduler: bool, log_level: str = "INFO"
) -> dict[str, str]:
    """`serve`/`tick` with the Slack adapter only, on `database_url`, against the fake. With
    `scheduler`, `serve` runs its clock as it does by default: the minute's tick, and the sweep
    every few seconds that sends replies a killed process owed."""
    return {
        **base_env(),
        "DATABASE_URL": database_url,
        "TINYSTEPS_ADAPTERS": "slack",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "TINYSTEPS_SCHEDULER": "true" if scheduler else "false",
        "TINYSTEPS_LOG_LEVEL": log_level,
    }


@contextlib.contextmanager
def serving(env: dict[str, str], logfile: Path) -> Iterator[Server]:
    server = Server(free_port(), env, logfile)
    try:
        yield server
    finally:
        server.stop()


def tick_process(
    env: dict[str, str], at: datetime | None, logfile: Path
) -> subprocess.Popen[bytes]:
    """`python -m adapters.cli tick [--at …]`: one tick, as cron would run it."""
    args = ["--at", at.isoformat()] if at is not None else []
    with logfile.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "tick", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


# --- a PostgreSQL that can fail -----------------------------------------------------------------


class PgProxy:
    """A TCP proxy in front of PostgreSQL, on its own event loop in a thread.

    The app's DATABASE_URL points here. `stop()` is PostgreSQL stopping as far as the app can
    tell: the port refuses connections and every open one is cut; `start()` takes them again.
    `cut_connections()` drops every open connection and leaves the port open, as a network
    blip or a restarted pooler would.
    """

    def __init__(self, upstream_port: int = 5432) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self.connections = 0  # ever accepted
        self.cut = 0  # connections dropped by a fault
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._live: set[asyncio.StreamWriter] = set()

    def __enter__(self) -> PgProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def __exit__(self, *_: object) -> None:
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def url(self, database_url: str) -> str:
        """`database_url` with its server replaced by this proxy."""
        return re.sub(r"@[^/]+/", f"@127.0.0.1:{self.port}/", database_url, count=1)

    async def stop(self) -> int:
        """Refuse connections and drop every open one; how many were dropped."""
        return await self._in_loop(self._close())

    async def start(self) -> None:
        await self._in_loop(self._listen())

    async def cut_connections(self) -> int:
        """Drop every open connection; how many there were."""
        return await self._in_loop(self._drop())

    async def _in_loop[T](self, job: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(job, self._loop))

    def _call[T](self, job: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(job, self._loop).result(timeout=30)

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def _close(self) -> int:
        if self._server is not None:
            self._server.close()
            self._server = None
        return await self._drop()

    async def _drop(self) -> int:
        dropped = len(self._live) // 2  # each connection is two: the app's and PostgreSQL's
        for writer in list(self._live):
            writer.transport.abort()
        self._live.clear()
        self.cut += dropped
        return dropped

    async def _shutdown(self) -> None:
        await self._close()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.transport.abort()
            return
        if self._server is None:  # stopped while this one was connecting
            writer.transport.abort()
            up_writer.transport.abort()
            return
        pair = {writer, up_writer}
        self._live |= pair

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                sink.transport.abort()

        try:
            await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        finally:
            self._live -= pair


async def terminate_backends(database_url: str) -> int:
    """`pg_terminate_backend` on every other session of the app's database."""
    name = database_url.rsplit("/", 1)[1]
    connection = await asyncpg.connect(plain_url(database_url).rsplit("/", 1)[0] + "/postgres")
    try:
        killed = await connection.fetchval(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await connection.close()
    return int(killed or 0)


# --- Slack's side: events, signed and sent until acknowledged ------------------------------------

STEPS = (
    "Swapped homework to Mondays",
    "Used mini whiteboards for the starter",
    "Cold-called with a name lolly stick",
    "Moved the reading corner by the window",
    "Gave feedback as one question per book",
    "Started the lesson at the door with a question",
    "Modelled the paragraph live under the visualiser",
    "Paired quiet students for the practical",
    "Cut the worksheet to one side",
    "Put key words on the board before the video",
    "Asked for hands down and thinking time",
    "Left five minutes for the exit ticket",
)
MARKER = re.compile(r"\(step (\d+)\)")


@dataclass(frozen=True)
class Event:
    """One Slack `message.im` event: someone logging a step in their DM with Tiny Steps."""

    n: int
    user: str
    event_id: str
    body: bytes

    @property
    def marker(self) -> str:
        return f"(step {self.n})"


def _template() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / "message_im.json").read_text())
    return data


def dm_events(people: int, count: int, *, seed: int = 16) -> list[Event]:
    """`count` DM events from `people` people, each saying `log <a step> (step n)`.

    People take turns in one shuffled order, so each speaks every `people` events, as a
    school's staff would through the day rather than one person many times at once."""
    run = uuid.uuid4().hex[:6].upper()
    rng = random.Random(seed)
    order = list(range(people))
    rng.shuffle(order)
    template = _template()
    events = []
    base = int(time.time())
    for n in range(count):
        user = user_id(order[n % people])
        ts = f"{base + n // 1000}.{n % 1000:06d}"
        body = dict(template)
        body["event"] = {
            **template["event"],
            "client_msg_id": str(uuid.UUID(int=rng.getrandbits(128))),
            "text": f"log {STEPS[n % len(STEPS)]} (step {n})",
            "user": user,
            "ts": ts,
            "event_ts": ts,
            "team": TEAM,
            "channel": f"D{user}",
        }
        body.update(team_id=TEAM, context_team_id=TEAM, event_id=f"Ev{run}{n:06d}", event_time=base)
        events.append(Event(n, user, body["event_id"], json.dumps(body).encode()))
    return events


@dataclass
class Delivery:
    """What happened to one event on its way in: every try, and when it was acknowledged."""

    event: Event
    tries: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # "500", "http_timeout", …
    latencies: list[float] = field(default_factory=list)  # each acknowledged try, in seconds
    timeouts: list[float] = field(default_factory=list)  # each try that got no answer in time
    first_sent: float | None = None
    acked_at: float | None = None

    @property
    def acked(self) -> bool:
        return self.acked_at is not None


class SlackSender:
    """Slack's Events API as the app sees it: each event POSTed, signed (v0 HMAC-SHA256 of
    `v0:{ts}:{body}`), and, when it isn't acknowledged with a 2xx within 3 s, sent again
    with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`, until it is or `give_up_after`
    seconds have passed since its first try (Slack itself stops after three retries; here the
    client keeps on, so a lost event can only be the app's doing)."""

    def __init__(
        self,
        url: Callable[[], str],
        *,
        timeout: float = SLACK_TIMEOUT,
        retry: bool = True,
        give_up_after: float = 120.0,
    ) -> None:
        self._url = url
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._retry = retry
        self._give_up_after = give_up_after
        self._session: aiohttp.ClientSession | None = None
        self.in_flight: set[int] = set()  # events with a request under way
        self.acknowledged = 0  # events acknowledged so far

    async def __aenter__(self) -> SlackSender:
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def deliver(self, event: Event, presigned: dict[str, str] | None = None) -> Delivery:
        assert self._session is not None
        delivery = Delivery(event)
        delivery.first_sent = time.monotonic()
        back_off = 0.25
        reason = ""
        while True:
            headers = {"Content-Type": "application/json"}
            if delivery.tries == 0 and presigned is not None:
                headers.update(presigned)
            else:
                headers.update(signed_headers(event.body.decode(), secret=SECRET))
            if delivery.tries > 0:
                headers["X-Slack-Retry-Num"] = str(delivery.tries)
                headers["X-Slack-Retry-Reason"] = reason
            delivery.tries += 1
            sent = time.monotonic()
            self.in_flight.add(event.n)
            try:
                async with self._session.post(
                    f"{self._url()}/slack/events",
                    data=event.body,
                    headers=headers,
                    timeout=self._timeout,
                ) as answer:
                    await answer.read()
                    status = answer.status
            except TimeoutError:
                reason = "http_timeout"
                delivery.timeouts.append(time.monotonic() - sent)
            except (aiohttp.ClientError, OSError):
                reason = "connection_failed"
            else:
                if 200 <= status < 300:
                    delivery.acked_at = time.monotonic()
                    delivery.latencies.append(delivery.acked_at - sent)
                    self.acknowledged += 1
                    return delivery
                reason = "http_error"
                delivery.failures[str(status)] += 1
            finally:
                self.in_flight.discard(event.n)
            if reason != "http_error":
                delivery.failures[reason] += 1
            spent = time.monotonic() - delivery.first_sent
            if not self._retry or spent > self._give_up_after:
                return delivery
            await asyncio.sleep(back_off)  # Slack's back-off between retries, shortened
            back_off = min(back_off * 2, 2.0)


def signed(events: Iterable[Event]) -> dict[int, dict[str, str]]:
    """Each event's signature headers, made before sending, so signing costs the load
    generator nothing while it runs (a signature is good for five minutes)."""
    return {e.n: signed_headers(e.body.decode(), secret=SECRET) for e in events}


@dataclass
class Burst:
    """The outcome of sending events at a steady rate (an open loop: each event leaves at its
    time whatever became of the earlier ones)."""

    deliveries: list[Delivery]
    began: float
    ended: float  # when the last event was acknowledged (or given up on)
    late: float  # how far behind its schedule the generator fell at worst, in seconds

    @property
    def acked(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.acked]

    @property
    def unacked(self) -> list[Delivery]:
        return [d for d in self.deliveries if not d.acked]

    @property
    def tries(self) -> int:
        return sum(d.tries for d in self.deliveries)

    @property
    def retried(self) -> int:
        return sum(1 for d in self.deliveries if d.tries > 1)

    @property
    def failures(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for d in self.deliveries:
            total.update(d.failures)
        return total

    def ack_latencies(self, *, timeouts: bool = False) -> list[float]:
        """Seconds from a request to its 2xx, for every acknowledged request (and with
        `timeouts`, the time given up after for every request that got no answer: at least
        that long, so a percentile over them is a lower bound)."""
        found = [latency for d in self.deliveries for latency in d.latencies]
        if timeouts:
            found += [waited for d in self.deliveries for waited in d.timeouts]
        return found

    def until_acked(self) -> list[float]:
        """Seconds from an event's first try to its acknowledgement, retries included."""
        return [
            d.acked_at - d.first_sent
            for d in self.deliveries
            if d.acked_at is not None and d.first_sent is not None
        ]

    def lost(self, stored: Tally) -> int:
        """Events acknowledged but not stored: what Slack would never send again."""
        return sum(1 for d in self.acked if d.event.n not in stored.found)

    @property
    def events_per_second(self) -> float:
        return len(self.acked) / max(self.ended - self.began, 1e-9)


async def burst(sender: SlackSender, events: Sequence[Event], per_second: float) -> Burst:
    presigned = signed(events)
    tasks: list[asyncio.Task[Delivery]] = []
    began = time.monotonic()
    late = 0.0
    for i, event in enumerate(events):
        due = began + i / per_second
        wait = due - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)  # the schedule itself, not synchronisation
        else:
            late = max(late, -wait)
        tasks.append(asyncio.create_task(sender.deliver(event, presigned[event.n])))
    deliveries = list(await asyncio.gather(*tasks))
    ended = max((d.acked_at or time.monotonic()) for d in deliveries)
    return Burst(deliveries, began, ended, late)


# --- what arrived -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """How often each of a set of things (events, people) was found: lost and duplicated."""

    expected: int
    found: Counter[int]

    @property
    def lost(self) -> int:
        return self.expected - len(self.found)

    @property
    def duplicated(self) -> int:
        return sum(n - 1 for n in self.found.values())

    @property
    def exactly_once(self) -> bool:
        return self.lost == 0 and self.duplicated == 0


async def stored_steps(database_url: str, events: Sequence[Event]) -> Tally:
    """Improvement rows per event (found by the `(step n)` in its words)."""
    wanted = {e.n for e in events}
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        rows = await connection.fetch("SELECT text FROM improvement")
    finally:
        await connection.close()
    found: Counter[int] = Counter()
    for row in rows:
        match = MARKER.search(row["text"])
        if match and int(match.group(1)) in wanted:
            found[int(match.group(1))] += 1
    return Tally(len(wanted), found)


async def processed_events(database_url: str, events: Sequence[Event]) -> Tally:
    """Rows in `processed_event` per event id."""
    index = {e.event_id: e.n for e in events}
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        rows = await connection.fetch(
            "SELECT event_id FROM processed_event WHERE platform = 'slack'"
        )
    finally:
        await connection.close()
    found = Counter(index[r["event_id"]] for r in rows if r["event_id"] in index)
    return Tally(len(index), found)


def logged_replies(posts: Iterable[dict[str, Any]], events: Sequence[Event]) -> Tally:
    """ "Logged" confirmations per event, each in the DM of the person who sent it (the
    confirmation quotes the words logged, so it names its event)."""
    owner = {e.n: f"D{e.user}" for e in events}
    found: Counter[int] = Counter()
    for post in posts:
        if not str(post.get("text", "")).startswith("Logged."):
            continue
        match = MARKER.search(str(post.get("words", "")))
        if match and owner.get(int(match.group(1))) == post.get("channel"):
            found[int(match.group(1))] += 1
    return Tally(len(owner), found)


def nudges_per_person(posts: Iterable[dict[str, Any]], people: int) -> Tally:
    """Daily questions (prompts, by their delivery key) per DM channel."""
    found: Counter[int] = Counter()
    for post in posts:
        key = str(post.get("key") or "")
        channel = str(post.get("channel") or "")
        if key.startswith("tinysteps-prompt-") and channel.startswith("DU"):
            found[int(channel[2:])] += 1
    return Tally(people, found)


async def settled(database_url: str, *, within: float = 30.0) -> None:
    """Until the app has stopped storing events: requests a client gave up on may still be
    running in the server after the client had its answer to a retry."""
    counts: list[int] = []

    async def still() -> bool:
        counts.append(await scalar(database_url, "SELECT count(*) FROM processed_event"))
        return len(counts) >= 3 and counts[-1] == counts[-2] == counts[-3]

    await until_async(still, within=within, what="the app to stop storing events", every=0.5)


async def members_in(database_url: str, people: int) -> None:
    """Until `serve` has adopted the workspace and its members (users.list at start-up)."""
    await until_async(
        lambda: scalar(database_url, f"SELECT count(*) >= {people} FROM person"),
        within=60,
        what="the workspace's members to be in",
    )


async def scalar(database_url: str, sql: str) -> int:
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        value = await connection.fetchval(sql)
    finally:
        await connection.close()
    return int(value or 0)


def now() -> datetime:
    return datetime.now(UTC)

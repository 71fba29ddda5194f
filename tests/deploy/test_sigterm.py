"""SIGTERM to a real `tinysteps serve`: it takes no more work, finishes or hands back what is
under way, answers the requests in flight and exits 0 within 10 s.

Each test starts `python -m adapters.cli serve` on a free port with SQLite and sends SIGTERM
while deliveries are under way: during the web chat's "Ask me" (which delivers every due outbox
row inside the request) with the web chat's own messenger, whose sends finish; and with a Slack
whose API never answers, in a request and in the minute's tick, whose sends are cut short and
whose rows are handed back.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from adapters.directory import WEB
from adapters.web.messenger import WebMessenger
from bot.clock import SystemClock
from bot.schedule import Scheduler
from storage import migrate
from storage.engine import create_engine
from storage.store import SqlStore
from tests.deploy.outbox import due_rows

pytestmark = pytest.mark.slow  # real processes
EXIT_SECONDS = 10.0  # Docker's default grace before SIGKILL
STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    database: Path
    output: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return "".join(self.output)


def start(database: Path, **env: str) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TINYSTEPS_"))},
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "TINYSTEPS_ADAPTERS": "web",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(process, port, database)
    assert process.stdout is not None
    stdout = process.stdout
    server.reader = threading.Thread(target=lambda: server.output.extend(stdout), daemon=True)
    server.reader.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while "Tiny Steps is running" not in server.log():
        assert process.poll() is None, server.log()
        assert time.monotonic() < deadline, "serve did not start"
        time.sleep(0.05)  # waiting on another process
    return server


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
        server.process.wait()
        if server.reader is not None:
            server.reader.join(timeout=10)
        if server.process.stdout is not None:
            server.process.stdout.close()


def ask(server: Server, person_id: int) -> tuple[int, str]:
    """The web chat's "Ask me", as the page sends it: its session cookie and CSRF token."""
    with urllib.request.urlopen(server.url + "/", timeout=10) as page:
        cookie = page.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.read().decode())
    assert token is not None
    request = urllib.request.Request(
        f"{server.url}/api/web/people/{person_id}/ask",
        data=b"{}",
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Cookie": cookie,
            "X-CSRF-Token": token.group(1),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except OSError as error:  # cut short: the connection closed without an answer
        return 0, str(error)


def asking(server: Server, person_id: int) -> tuple[threading.Thread, list[tuple[int, str]]]:
    answers: list[tuple[int, str]] = []
    thread = threading.Thread(target=lambda: answers.append(ask(server, person_id)))
    thread.start()
    return thread, answers


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(database, timeout=10)) as connection:
        return connection.execute(sql).fetchall()


def wait_for(database: Path, sql: str, server: Server) -> None:
    deadline = time.monotonic() + 90
    while not rows(database, sql)[0][0]:
        assert server.process.poll() is None, server.log()
        assert time.monotonic() < deadline, f"never true: {sql}"
        time.sleep(0.01)  # polling another process's database


def stop(server: Server) -> float:
    """SIGTERM, as Docker sends it; seconds until the process had exited."""
    began = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)
    return time.monotonic() - began


def populate(database: Path, people: int, *, platform: str = WEB) -> list[int]:
    async def run() -> list[int]:
        engine = create_engine(f"sqlite+aiosqlite:///{database}")
        await migrate.upgrade(engine)
        due = await due_rows(SqlStore(engine), people, platform=platform)
        await engine.dispose()
        return due.people

    return asyncio.run(run())


def test_sigterm_during_a_fan_out_finishes_the_sends_answers_and_exits_within_10_s(
    tmp_path: Path, servers: list[Server]
) -> None:
    database = tmp_path / "tinysteps.db"
    people = populate(database, 2000)
    server = start(database)
    servers.append(server)
    thread, answers = asking(server, people[0])
    wait_for(database, "SELECT count(*) >= 20 FROM web_message", server)

    seconds = stop(server)
    thread.join(timeout=30)

    assert server.process.returncode == 0, server.log()
    assert seconds < EXIT_SECONDS
    assert [status for status, _ in answers] == [200], "the request in flight was answered"
    statuses = {s for (s,) in rows(database, "SELECT DISTINCT status FROM delivery")}
    assert statuses == {"sent", "pending"}, "stopped part-way, holding nothing"
    assert rows(database, "SELECT count(*) FROM delivery WHERE claimed_by IS NOT NULL") == [(0,)]
    assert rows(
        database,
        "SELECT count(*) FROM delivery d WHERE d.status = 'pending' AND EXISTS "
        "(SELECT 1 FROM web_message m WHERE m.delivery_key = 'tinysteps-' || d.kind || '-' || d.id)",
    ) == [(0,)], "nothing was sent that is not recorded as sent"
    assert "stopping: taking no more work" in server.log()

    # Another replica takes the rest at once, and everyone has exactly one question.
    asyncio.run(deliver_the_rest(database))
    counts = rows(
        database,
        "SELECT count(*), count(DISTINCT delivery_key) FROM web_message "
        "WHERE delivery_key IS NOT NULL",
    )
    assert counts == [(len(people), len(people))]


async def deliver_the_rest(database: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    store, clock = SqlStore(engine), SystemClock()
    await Scheduler(store, WebMessenger(store, clock), clock, worker="replica-2").deliver(
        clock.now()
    )
    await engine.dispose()


class BlackHole:
    """A Slack Web API that takes every connection and never answers."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(512)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/api/"


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.socket.close()


def start_with_a_hanging_slack(database: Path, black_hole: BlackHole) -> Server:
    return start(
        database,
        TINYSTEPS_ADAPTERS="web,slack",
        SLACK_BOT_TOKEN="xoxb-shutdown-test",
        SLACK_SIGNING_SECRET="signing-secret",
        SLACK_API_URL=black_hole.url,
    )


def assert_handed_back(database: Path, people: list[int]) -> None:
    held = rows(database, "SELECT count(*) FROM delivery WHERE claimed_by IS NOT NULL")
    assert held == [(0,)], "no lease outlives the process"
    found = rows(
        database,
        f"SELECT status, attempts FROM delivery WHERE person_id IN ({','.join(map(str, people))})",
    )
    assert {status for status, _ in found} == {"pending"}, "anyone may take them at once"
    assert {attempts for _, attempts in found} == {1}, "tried once: the next try asks first"


def test_sigterm_while_a_platform_hangs_in_a_request_hands_the_rows_back_within_10_s(
    tmp_path: Path, servers: list[Server], black_hole: BlackHole
) -> None:
    database = tmp_path / "tinysteps.db"
    slack_people = populate(database, 30, platform="slack")
    [asker] = populate(database, 1)
    server = start_with_a_hanging_slack(database, black_hole)
    servers.append(server)
    thread, answers = asking(server, asker)
    wait_for(database, "SELECT count(*) > 0 FROM delivery WHERE status = 'sending'", server)

    seconds = stop(server)
    thread.join(timeout=30)

    assert server.process.returncode == 0, server.log()
    assert seconds < EXIT_SECONDS
    assert_handed_back(database, slack_people)
    assert [status for status, _ in answers] == [0], "cut short after the grace period"
    # The asker's own question went out, but its batch was cut before it was recorded: it is
    # handed back too, and its next deliverer finds it in the transcript instead of resending.
    assert f"{len(slack_people) + 1} deliveries handed back" in server.log()


def test_sigterm_while_the_minute_s_tick_is_stuck_sending_cuts_it_and_hands_back_within_10_s(
    tmp_path: Path, servers: list[Server], black_hole: BlackHole
) -> None:
    """The everyday case: a deploy lands while the scheduler's tick is delivering."""
    database = tmp_path / "tinysteps.db"
    slack_people = populate(database, 30, platform="slack")
    server = start_with_a_hanging_slack(database, black_hole)
    servers.append(server)
    # The clock ticks at the start of each minute: this waits for the next one.
    wait_for(database, "SELECT count(*) > 0 FROM delivery WHERE status = 'sending'", server)

    seconds = stop(server)

    assert server.process.returncode == 0, server.log()
    assert seconds < EXIT_SECONDS
    assert_handed_back(database, slack_people)
    assert "a tick was cut short by shutdown" in server.log()

"""A real `tinysteps serve` in a subprocess and headless Chromium to drive it.

Every test gets a server of its own on a fresh SQLite file. A server spends most of its start
(seconds) training the theme classifier before it listens, so the next tests' servers are
started while the current test runs (`Spares`), on the core the test leaves idle: each still
starts exactly as `make run` starts it and serves only the test that takes it. One Chromium is
launched per module; each page a test opens is in a browser context of its own (cookies and
storage apart), closed when the test ends.

Outside CI a missing Chromium skips these tests with a reason; in CI it fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from tests.conftest import in_ci

STARTUP_SECONDS = 60  # a server started ahead shares the machine with the test under way
# Servers starting while a test runs: one per core beside the test's own, at most two.
AHEAD = min(2, max(1, (os.cpu_count() or 2) - 1))


def chromium_path() -> str | None:
    return os.environ.get("TINYSTEPS_CHROMIUM") or shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()


def start_server(database: Path) -> Server:
    """`python -m adapters.cli serve` on a fresh SQLite file, as `make run` starts it."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "TINYSTEPS_ADAPTERS": "web",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return Server(process, port)


def wait_until_listening(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"tinysteps serve exited early:\n{server.stdout.read() if server.stdout else ''}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)  # waiting for another process to start; not a test timing
    raise RuntimeError("tinysteps serve did not start listening")


class Spares:
    """Servers started ahead for the tests still to come, each on a database of its own."""

    def __init__(self, folders: pytest.TempPathFactory) -> None:
        self._folders = folders
        self._starting: deque[Server] = deque()

    def _start(self) -> Server:
        return start_server(self._folders.mktemp("server") / "e2e.db")

    def take(self) -> Server:
        return self._starting.popleft() if self._starting else self._start()

    def keep(self, count: int) -> None:
        """Have `count` servers starting, for the next tests that need one."""
        while len(self._starting) < count:
            self._starting.append(self._start())

    def close(self) -> None:
        while self._starting:
            self._starting.popleft().stop()


def servers_still_needed(request: pytest.FixtureRequest) -> int:
    """How many tests after this one (in the order they will run) use a server of their own."""
    items = request.session.items
    later = items[items.index(request.node) + 1 :] if request.node in items else []
    return sum("server_url" in getattr(item, "fixturenames", ()) for item in later)


@pytest.fixture(scope="session")
def spares(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spares]:
    started = Spares(tmp_path_factory)
    yield started
    started.close()


@pytest.fixture
def server_url(request: pytest.FixtureRequest, spares: Spares) -> Iterator[str]:
    """A `tinysteps serve` of this test's own, on a fresh SQLite file."""
    server = spares.take()
    spares.keep(min(AHEAD, servers_still_needed(request)))
    try:
        wait_until_listening(server.port, server.process)
        yield server.url
    finally:
        server.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chromium() -> AsyncIterator[Browser]:
    path = chromium_path()
    if path is None:
        if in_ci():
            pytest.fail("Chromium is missing; .ci/run installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="module")
async def browser(chromium: Browser) -> AsyncIterator[Browser]:
    """The module's Chromium. `new_page` opens each page in a context of its own; every
    context the test opened is closed after it."""
    yield chromium
    for context in chromium.contexts:
        await context.close()

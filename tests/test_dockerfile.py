"""No Docker engine runs here, so this test performs the Dockerfile's own steps in a fresh
virtualenv: copy what it copies, `pip install` what it installs, then run its start command
(migrations, then the server) and ask `/healthz`. A Dockerfile that rots fails here."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # a pip install into a fresh virtualenv: CI and `make test`


@dataclass
class Dockerfile:
    base: str = ""
    user: str = ""
    copies: list[tuple[list[str], str, str]] = field(default_factory=list)  # sources, dest, workdir
    runs: list[tuple[str, str]] = field(default_factory=list)  # command, workdir
    env: dict[str, str] = field(default_factory=dict)
    cmd: list[str] = field(default_factory=list)


def parse(path: Path) -> Dockerfile:
    """The few instructions our Dockerfile uses, with line continuations joined."""
    text = path.read_text().replace("\\\n", " ")
    result, workdir = Dockerfile(), "/"
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, _, rest = line.strip().partition(" ")
        rest = rest.strip()
        match word.upper():
            case "FROM":
                result.base = rest
            case "WORKDIR":
                workdir = rest
            case "USER":
                result.user = rest
            case "COPY":
                *sources, dest = shlex.split(rest)
                result.copies.append((sources, dest, workdir))
            case "RUN":
                result.runs.append((rest, workdir))
            case "ENV":
                parts = shlex.split(rest)
                result.env.update(p.split("=", 1) for p in parts if "=" in p)  # type: ignore[misc]
            case "CMD":
                import json

                result.cmd = json.loads(rest)
    return result


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    return parse(ROOT / "Dockerfile")


def test_the_image_builds_on_a_slim_python_312(dockerfile: Dockerfile) -> None:
    assert dockerfile.base.startswith("python:3.12-slim")


def test_the_image_runs_as_a_non_root_user(dockerfile: Dockerfile) -> None:
    assert dockerfile.user not in ("", "root", "0")


def test_every_copied_source_exists(dockerfile: Dockerfile) -> None:
    for sources, _, _ in dockerfile.copies:
        for source in sources:
            assert (ROOT / source).exists(), source


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Image:
    """The Dockerfile's files and pip installs, laid out in a folder as the image would hold them."""

    root: Path
    bin_dir: Path
    env: dict[str, str]
    cmd: str


@pytest.fixture(scope="module")
def image(dockerfile: Dockerfile, tmp_path_factory: pytest.TempPathFactory) -> Image:
    tmp_path = tmp_path_factory.mktemp("image")
    app = tmp_path / "app"
    for sources, dest, workdir in dockerfile.copies:
        target = app / Path(workdir, dest).relative_to("/app")
        for source in sources:
            origin = ROOT / source
            if origin.is_dir():
                shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy(origin, target / origin.name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    pip_runs = [(cmd, wd) for cmd, wd in dockerfile.runs if cmd.startswith("pip ")]
    assert pip_runs, "the Dockerfile installs the package with pip"
    for command, workdir in pip_runs:
        # OS-level steps (useradd, mkdir) need a real image; the pip steps are what rots.
        args = shlex.split(command)
        subprocess.run(
            [str(bin_dir / "python"), "-m", *args, "--quiet"],
            cwd=app / Path(workdir).relative_to("/app"),
            check=True,
        )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "MICROSOFT_", "TINYSTEPS_", "DATABASE_URL"))
    }
    return Image(tmp_path, bin_dir, {**env, **dockerfile.env}, dockerfile.cmd[-1])


def _start(image: Image, data: Path, port: int, **env: str) -> subprocess.Popen[str]:
    data.mkdir()
    return subprocess.Popen(
        ["sh", "-c", image.cmd.replace("--port 3000", f"--port {port}")],
        cwd=image.root,
        env={
            **image.env,
            "DATABASE_URL": f"sqlite+aiosqlite:///{data}/tinysteps.db",
            "PATH": f"{image.bin_dir}{os.pathsep}{os.environ['PATH']}",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# A multi-workspace Slack app: real credentials in form, and nothing is asked of Slack at start.
SLACK_OAUTH = {
    "SLACK_CLIENT_ID": "1234.5678",
    "SLACK_CLIENT_SECRET": "client-secret",
    "SLACK_SIGNING_SECRET": "signing-secret",
}


def test_the_install_steps_and_start_command_serve_slack(image: Image, tmp_path: Path) -> None:
    port = _free_port()
    server = _start(image, tmp_path / "data", port, **SLACK_OAUTH)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, "the server exited early"
                assert time.monotonic() < deadline, "the server did not answer in 60 s"
                time.sleep(0.2)  # polling a subprocess, not waiting on our own code
        # `docker stop`: SIGTERM to the start command, which `exec`s serve so serve gets it.
        stopping = time.monotonic()
        server.terminate()
        server.wait(timeout=30)
        assert server.returncode == 0
        assert time.monotonic() - stopping < 10, "Docker sends SIGKILL after 10 s"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if server.stdout:
            server.stdout.close()
    assert (tmp_path / "data" / "tinysteps.db").exists()


def test_the_image_never_serves_the_web_chat_on_its_public_address(
    image: Image, tmp_path: Path
) -> None:
    server = _start(image, tmp_path / "data", _free_port())
    output, _ = server.communicate(timeout=60)

    assert server.returncode != 0
    assert "only runs on a loopback address" in output

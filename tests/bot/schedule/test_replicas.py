"""Exactly once across real processes on PostgreSQL: replicas ticking together, and kill -9.

Each deliverer is a real `python -m adapters.cli tick` subprocess with its own connections.
The web platform's messenger is the recording fake: every delivered message is a committed
`web_message` row carrying its delivery key, so duplicates and losses are counted there.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.directory import WEB, web_workspace
from bot.ports import NewPerson
from storage.engine import create_engine
from storage.models import DeliveryRow, WebMessageRow
from storage.store import SqlStore

pytestmark = pytest.mark.postgres

AT = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # a Tuesday in term, 15:30 in London
LEASE = timedelta(minutes=5)
NEAR = 10  # messages before a kill from which its moment is watched without pause


async def populate(url: str, people: int) -> None:
    engine = create_engine(url)
    store = SqlStore(engine)
    async with store.transaction() as tx:
        school = await tx.schools.create("Replica High", timezone="Europe/London")
        await tx.schools.link_workspace(school.id, WEB, web_workspace(school.id))
        for n in range(people):
            await tx.people.create(
                NewPerson(
                    school_id=school.id,
                    platform=WEB,
                    workspace_id=web_workspace(school.id),
                    user_id=f"user-{n:05d}",
                    display_name=f"Teacher {n}",
                ),
                at=AT,
            )
    await engine.dispose()


def tick_process(url: str, at: datetime) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TINYSTEPS_ADAPTERS": "web",
        "TINYSTEPS_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "tick", "--at", at.isoformat()],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def arrivals(url: str) -> dict[str, int]:
    """Messages per delivery key, as the recording messenger stored them."""
    engine = create_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(WebMessageRow.delivery_key, func.count())
            .where(WebMessageRow.delivery_key.is_not(None))
            .group_by(WebMessageRow.delivery_key)
        )
        counts = {str(key): int(count) for key, count in rows}
    await engine.dispose()
    return counts


async def scalar(url: str, query: object) -> int:
    engine = create_engine(url)
    async with engine.connect() as connection:
        value = await connection.scalar(query)  # type: ignore[call-overload]
    await engine.dispose()
    return int(value or 0)


def finish(process: subprocess.Popen[str]) -> str:
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, out
    return out


@pytest.mark.slow
async def test_three_replicas_ticking_together_send_each_person_exactly_one_nudge(
    postgres_database: str,
) -> None:
    people = 2000
    await populate(postgres_database, people)

    replicas = [tick_process(postgres_database, AT) for _ in range(3)]
    outputs = [await asyncio.to_thread(finish, p) for p in replicas]

    counts = await arrivals(postgres_database)
    assert len(counts) == people, "every person got a nudge"
    assert set(counts.values()) == {1}, "nobody got two"
    sent = await scalar(postgres_database, select(func.count()).where(DeliveryRow.status == "sent"))
    assert sent == people
    print("replica reports:", *[o.strip() for o in outputs], sep="\n  ")


async def kill_when(url: str, process: subprocess.Popen[str], messages: int) -> bool:
    """SIGKILL the process once `messages` have arrived in total; False if it finished first."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            while process.poll() is None:
                arrived = await connection.scalar(select(func.count()).select_from(WebMessageRow))
                planned = await connection.scalar(select(func.count()).select_from(DeliveryRow))
                if planned and int(arrived or 0) >= messages:
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                    return True
                await connection.rollback()  # see fresh rows on the next look
                if messages - int(arrived or 0) > NEAR:
                    # Far from the moment: look less often, leaving the CPU to the process.
                    await asyncio.sleep(0.01)
    finally:
        await engine.dispose()
        if process.stdout:
            process.stdout.close()
    return False


@pytest.mark.slow
async def test_deliverers_killed_at_random_moments_lose_and_duplicate_nothing(
    postgres_database: str,
) -> None:
    people = 300
    await populate(postgres_database, people)
    rng = random.Random(20261124)
    targets: Sequence[int] = sorted(rng.sample(range(1, people - 20), 11))
    at, kills = AT, 0

    for target in [0, *targets]:
        process = tick_process(postgres_database, at)
        if await kill_when(postgres_database, process, target):
            kills += 1
        at += LEASE + timedelta(minutes=1)  # the next process may take over expired claims
    finish(tick_process(postgres_database, at))

    counts = await arrivals(postgres_database)
    lost = people - len(counts)
    duplicated = sum(n - 1 for n in counts.values())
    taken_over = await scalar(
        postgres_database, select(func.count()).where(DeliveryRow.attempts > 1)
    )
    print(
        f"crash test: {people} people, {kills} kills, {taken_over} rows taken over after a kill, "
        f"{lost} lost, {duplicated} duplicated"
    )
    assert kills >= 10
    assert (lost, duplicated) == (0, 0)

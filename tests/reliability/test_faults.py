"""Faults: PostgreSQL stopped and its connections killed during a burst of events, `serve`
killed with SIGKILL during a burst of replies, deliverers killed during a fan-out, and SIGTERM
during a fan-out. Nothing acknowledged is lost, nothing is stored or sent twice.

Every process is real: `tinysteps serve` (or `tick`) on a fresh PostgreSQL database of its own,
the fake Slack in a process of its own (it counts what it was sent), and a client in the test
that sends signed events as Slack does, retrying any that got a 5xx, no answer within 3 s or
no connection (with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`), until acknowledged.
Each test records its figures (tries, faults injected, lost, duplicated, ack times) for
`python -m tests.reliability.report`.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from storage.engine import create_engine
from storage.store import SqlStore
from tests.deploy.outbox import due_rows
from tests.reliability.harness import (
    Burst,
    Event,
    FakeSlackProcess,
    PgProxy,
    Server,
    SlackSender,
    Tally,
    burst,
    dm_events,
    fake_slack,
    logged_replies,
    members_in,
    now,
    nudges_per_person,
    percentile,
    plain_url,
    processed_events,
    scalar,
    serving,
    settled,
    slack_env,
    stored_steps,
    terminate_backends,
    tick_process,
    until_async,
)
from tests.reliability.results import Figure, Scenario

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LATENCY_MS = 20.0  # the fake Slack's answer time, as a network's
REPLIES_WITHIN = 60.0  # seconds after the last acknowledgement for every owed reply to arrive
LEASE = timedelta(minutes=5)  # the outbox's lease (`bot/schedule/records.py`)
EXIT_SECONDS = 10.0  # Docker's grace between SIGTERM and SIGKILL


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def event_figures(run: Burst, steps: Tally) -> dict[str, Figure]:
    latencies = run.ack_latencies()
    return {
        "events": len(run.deliveries),
        "tries": run.tries,
        "retried": run.retried,
        "failures": dict(run.failures),
        "acknowledged": len(run.acked),
        "stored": len(steps.found),
        "lost": run.lost(steps),
        "duplicated": steps.duplicated,
        "p50_ack_ms": round(percentile(latencies, 50) * 1000),
        "p99_ack_ms": round(percentile(latencies, 99) * 1000),
        "p99_until_acked_s": round(percentile(run.until_acked(), 99), 1),
        "max_until_acked_s": round(max(run.until_acked(), default=0), 1),
    }


async def replies_arrived(
    slack: FakeSlackProcess, database_url: str, events: Sequence[Event], within: float
) -> Tally:
    """The "Logged" replies per event, once every event has one and nothing is owed any more
    (the app's `reply` outbox is empty), or `within` seconds have passed; and once the fake
    has then taken nothing more for a second, so a late duplicate is counted too."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        replies = logged_replies(await slack.posts_async(), events)
        if replies.lost == 0 and not await scalar(database_url, "SELECT count(*) FROM reply"):
            break
        await asyncio.sleep(0.5)  # polling other processes
    counts: list[int] = []

    async def quiet() -> bool:
        counts.append(await slack.posted_async())
        return len(counts) >= 3 and len(set(counts[-3:])) == 1

    await until_async(quiet, within=30, what="the fake Slack to stop taking messages", every=0.5)
    return logged_replies(await slack.posts_async(), events)


# --- PostgreSQL stopped, connections killed -----------------------------------------------------

OUTAGE_PEOPLE = 200
OUTAGE_PER_SECOND = 25
OUTAGE_BURST_SECONDS = 14
OUTAGE_SECONDS = 8.0


async def inject_database_faults(
    proxy: PgProxy, database_url: str, scenario: Scenario, began: float
) -> None:
    """Connections cut at the proxy, the app's sessions terminated by PostgreSQL, PostgreSQL
    gone for 8 s (refusing connections, open ones dropped), then cuts and kills again."""

    async def at(second: float) -> float:
        await asyncio.sleep(max(0.0, began + second - time.monotonic()))  # the timeline
        return time.monotonic() - began

    when = await at(1.5)
    scenario.fault(when, f"{await proxy.cut_connections()} open connections cut")
    when = await at(3.0)
    killed = await terminate_backends(database_url)
    scenario.fault(when, f"pg_terminate_backend on {killed} of the app's sessions")
    when = await at(4.0)
    dropped = await proxy.stop()
    scenario.fault(
        when,
        f"PostgreSQL unreachable for {OUTAGE_SECONDS:g} s: connections refused, "
        f"{dropped} open ones dropped",
    )
    await at(4.0 + OUTAGE_SECONDS)
    await proxy.start()
    when = await at(12.5)
    scenario.fault(when, f"{await proxy.cut_connections()} open connections cut")
    when = await at(13.5)
    killed = await terminate_backends(database_url)
    scenario.fault(when, f"pg_terminate_backend on {killed} of the app's sessions")


async def test_postgresql_stopped_for_8_s_and_connections_killed_during_a_burst_lose_and_double_nothing(
    postgres_database: str, tmp_path: Path, scenario: Scenario
) -> None:
    scenario.describe(
        "outage",
        "PostgreSQL stopped for 8 s, and connections killed, during a burst",
        f"{OUTAGE_PER_SECOND} DM events/s for {OUTAGE_BURST_SECONDS} s from {OUTAGE_PEOPLE} "
        "people; the app reaches PostgreSQL through a proxy that cuts every connection, "
        f"refuses all for {OUTAGE_SECONDS:g} s, and PostgreSQL terminates the app's sessions. "
        "The client retries as Slack does until acknowledged. Every event acknowledged and "
        'stored exactly once. Its "Logged" replies are counted, not checked (the kill -9 '
        "scenario checks them).",
    )
    events = dm_events(OUTAGE_PEOPLE, OUTAGE_PER_SECOND * OUTAGE_BURST_SECONDS)
    upstream = urlsplit(plain_url(postgres_database)).port or 5432
    with (
        PgProxy(upstream) as proxy,
        fake_slack(users=OUTAGE_PEOPLE, latency_ms=LATENCY_MS) as slack,
        serving(
            slack_env(proxy.url(postgres_database), slack, scheduler=True),
            tmp_path / "serve.log",
        ) as server,
    ):
        server.start()
        await members_in(postgres_database, OUTAGE_PEOPLE)
        async with SlackSender(lambda: server.url) as sender:
            faults = asyncio.create_task(
                inject_database_faults(proxy, postgres_database, scenario, time.monotonic())
            )
            run = await burst(sender, events, OUTAGE_PER_SECOND)
            await faults
        await settled(postgres_database)
        steps = await stored_steps(postgres_database, events)
        seen = await processed_events(postgres_database, events)
        replies = await replies_arrived(slack, postgres_database, events, within=REPLIES_WITHIN)
        scenario.figures.update(event_figures(run, steps))
        scenario.figures.update(
            people=OUTAGE_PEOPLE,
            faults=len(scenario.faults),
            connections_dropped=proxy.cut,
            replies_missing=replies.lost,
            replies_duplicated=replies.duplicated,
        )

    assert not run.unacked, f"{len(run.unacked)} events never acknowledged"
    assert run.retried > 0, "the faults reached the client"
    assert (steps.lost, steps.duplicated) == (0, 0), "each event is one improvement"
    assert (seen.lost, seen.duplicated) == (0, 0), "each event id is remembered once"


# --- kill -9 during a burst of replies ----------------------------------------------------------

REPLY_PEOPLE = 100
REPLY_EVENTS = 200
REPLY_PER_SECOND = 20
KILL_AFTER_ACKS = (80,)  # kill -9 once this many events were acknowledged


async def kill_mid_burst(
    server: Server,
    sender: SlackSender,
    events: Sequence[Event],
    database_url: str,
    scenario: Scenario,
    began: float,
    owed_at_kill: list[int],
) -> list[int]:
    """kill -9 the server at each target, then start it again on the same port; how many
    events in flight at each kill had already been stored (and, in `owed_at_kill`, how many
    events' replies were still to be sent)."""
    ids = {e.n: e.event_id for e in events}
    stored_unacknowledged: list[int] = []
    for target in KILL_AFTER_ACKS:
        await until_async(
            lambda: sender.acknowledged >= target,  # noqa: B023
            within=120,
            what=f"{target} events acknowledged",
            every=0.01,
        )
        in_flight = set(sender.in_flight)
        server.kill()
        when = time.monotonic() - began
        connection = await asyncpg.connect(plain_url(database_url))
        try:
            stored = await connection.fetchval(
                "SELECT count(*) FROM processed_event WHERE event_id = ANY($1::text[])",
                [ids[n] for n in in_flight],
            )
            owed = await connection.fetchval("SELECT count(*) FROM reply")
        finally:
            await connection.close()
        stored_unacknowledged.append(int(stored))
        owed_at_kill.append(int(owed))
        scenario.fault(
            when,
            f"kill -9 with {plural(len(in_flight), 'event')} in flight ({stored} of them "
            f"already stored), replies to {plural(owed, 'event')} not yet sent",
        )
        await asyncio.to_thread(server.start)
    return stored_unacknowledged


async def test_serve_killed_during_a_burst_of_replies_stores_each_event_once_and_answers_each_once(
    postgres_database: str, tmp_path: Path, scenario: Scenario
) -> None:
    scenario.describe(
        "kill-replies",
        "kill -9 during a burst of replies",
        f"{REPLY_EVENTS} DM events from {REPLY_PEOPLE} people at {REPLY_PER_SECOND}/s, each "
        'answered with a "Logged" reply; `serve` is killed with SIGKILL mid-burst and '
        "started again on the same database; the client retries what wasn't acknowledged. "
        'Every event stored exactly once, and every person gets exactly one "Logged" reply '
        f"per event in the fake Slack (within {REPLIES_WITHIN:g} s of the last "
        "acknowledgement).",
    )
    events = dm_events(REPLY_PEOPLE, REPLY_EVENTS)
    with (
        fake_slack(users=REPLY_PEOPLE, latency_ms=LATENCY_MS) as slack,
        serving(
            slack_env(postgres_database, slack, scheduler=True), tmp_path / "serve.log"
        ) as server,
    ):
        server.start()
        await members_in(postgres_database, REPLY_PEOPLE)
        owed: list[int] = []
        async with SlackSender(lambda: server.url) as sender:
            began = time.monotonic()
            killer = asyncio.create_task(
                kill_mid_burst(server, sender, events, postgres_database, scenario, began, owed)
            )
            run = await burst(sender, events, REPLY_PER_SECOND)
            stored_unacknowledged = await killer
        await settled(postgres_database)
        steps = await stored_steps(postgres_database, events)
        seen = await processed_events(postgres_database, events)
        replies = await replies_arrived(slack, postgres_database, events, within=REPLIES_WITHIN)
        scenario.figures.update(event_figures(run, steps))
        scenario.figures.update(
            people=REPLY_PEOPLE,
            faults=len(scenario.faults),
            stored_before_acknowledged=sum(stored_unacknowledged),
            replies_owed_at_kill=sum(owed),
            replies_missing=replies.lost,
            replies_duplicated=replies.duplicated,
        )

    assert not run.unacked, f"{len(run.unacked)} events never acknowledged"
    assert (steps.lost, steps.duplicated) == (0, 0), "each event is one improvement"
    assert (seen.lost, seen.duplicated) == (0, 0), "each event id is remembered once"
    assert (replies.lost, replies.duplicated) == (0, 0), (
        f"{replies.lost} events never answered, {replies.duplicated} answered twice "
        f"({sum(stored_unacknowledged)} were stored but not acknowledged when killed)"
    )


# --- fan-outs: kill -9 and SIGTERM --------------------------------------------------------------


async def due_nudges(database_url: str, people: int) -> list[int]:
    """A Slack school of `people` people, each with today's question due in the outbox."""
    engine = create_engine(database_url)
    try:
        due = await due_rows(SqlStore(engine), people, platform="slack")
    finally:
        await engine.dispose()
    return due.people


FANOUT_PEOPLE = 400
KILL_AFTER_NUDGES = (40, 200)  # kill -9 a deliverer once this many nudges have arrived


async def test_deliverers_killed_during_a_fan_out_leave_everyone_exactly_one_nudge(
    postgres_database: str, tmp_path: Path, scenario: Scenario
) -> None:
    scenario.describe(
        "kill-fanout",
        "kill -9 during a fan-out",
        f"Today's question due for {FANOUT_PEOPLE} Slack people; `tinysteps tick` processes "
        f"are killed with SIGKILL mid-fan-out ({len(KILL_AFTER_NUDGES)} times), each next one "
        "ticking after the dead one's lease ran out, then one ticks to the end. Everyone gets "
        "exactly one question in the fake Slack; every outbox row is sent.",
    )
    people = await due_nudges(postgres_database, FANOUT_PEOPLE)
    log = tmp_path / "tick.log"
    began = time.monotonic()
    with fake_slack(latency_ms=LATENCY_MS) as slack:
        env = slack_env(postgres_database, slack, scheduler=False, log_level="WARNING")
        at = now()
        for target in KILL_AFTER_NUDGES:
            process = tick_process(env, at, log)
            await until_async(
                lambda: process.poll() is not None or slack.posted() >= target,  # noqa: B023
                within=120,
                what=f"{target} nudges sent",
                every=0.02,
            )
            if process.poll() is None:
                process.kill()
                scenario.fault(
                    time.monotonic() - began, f"kill -9 after {slack.posted()} nudges had arrived"
                )
            await asyncio.to_thread(process.wait, 30)
            at += LEASE + timedelta(minutes=1)  # the dead deliverer's lease has run out
        last = tick_process(env, at, log)
        code = await asyncio.to_thread(last.wait, 180)
        nudges = nudges_per_person(await slack.posts_async(), len(people))
    sent = await scalar(
        postgres_database, "SELECT count(*) FROM delivery WHERE kind = 'prompt' AND status = 'sent'"
    )
    taken_over = await scalar(postgres_database, "SELECT count(*) FROM delivery WHERE attempts > 1")
    scenario.figures.update(
        people=len(people),
        faults=len(scenario.faults),
        tries=len(KILL_AFTER_NUDGES) + 1,
        rows_taken_over=taken_over,
        lost=nudges.lost,
        duplicated=nudges.duplicated,
    )

    assert code == 0, log.read_text()[-3000:]
    assert len(scenario.faults) == len(KILL_AFTER_NUDGES), "every deliverer was killed mid-way"
    assert (nudges.lost, nudges.duplicated) == (0, 0)
    assert sent == len(people)


SIGTERM_PEOPLE = 400
SIGTERM_AFTER_NUDGES = 20
SLOW_SLACK_MS = 300.0  # a batch of 50 then takes longer than the 4 s grace: it is cut short
HANDED_BACK = re.compile(r"(\d+) deliveries handed back")


async def test_sigterm_during_a_fan_out_hands_back_every_lease_within_10_s_and_nobody_is_asked_twice(
    postgres_database: str, tmp_path: Path, scenario: Scenario
) -> None:
    scenario.describe(
        "sigterm-fanout",
        "SIGTERM during a fan-out",
        f"Today's question due for {SIGTERM_PEOPLE} Slack people; `serve`'s own minute tick "
        f"starts the fan-out (Slack answering after {SLOW_SLACK_MS:g} ms, so the batches under "
        f"way outlast the grace period) and gets SIGTERM once {SIGTERM_AFTER_NUDGES} have "
        f"arrived. It exits 0 within {EXIT_SECONDS:g} s holding no lease (no row claimed or "
        "sending); a `tinysteps tick` afterwards sends the rest. Everyone gets exactly one "
        "question.",
    )
    people = await due_nudges(postgres_database, SIGTERM_PEOPLE)
    with (
        fake_slack(latency_ms=SLOW_SLACK_MS) as slack,
        serving(
            slack_env(postgres_database, slack, scheduler=True), tmp_path / "serve.log"
        ) as server,
    ):
        server.start()
        began = time.monotonic()
        await until_async(
            lambda: slack.posted() >= SIGTERM_AFTER_NUDGES,
            within=75,
            what="the minute's tick to be under way",
            every=0.02,
        )
        arrived = slack.posted()
        seconds = await asyncio.to_thread(server.terminate)
        scenario.fault(
            time.monotonic() - began - seconds, f"SIGTERM after {arrived} nudges had arrived"
        )
        assert server.process is not None
        code = server.process.returncode
        held = await scalar(
            postgres_database,
            "SELECT count(*) FROM delivery WHERE claimed_by IS NOT NULL OR status = 'sending'",
        )
        sent_before = await scalar(
            postgres_database, "SELECT count(*) FROM delivery WHERE status = 'sent'"
        )
        handed_back = HANDED_BACK.search(server.log())
        slack.answer_after(LATENCY_MS)
        last = tick_process(
            slack_env(postgres_database, slack, scheduler=False), None, tmp_path / "tick.log"
        )
        rest = await asyncio.to_thread(last.wait, 180)
        nudges = nudges_per_person(await slack.posts_async(), len(people))
    sent = await scalar(
        postgres_database, "SELECT count(*) FROM delivery WHERE kind = 'prompt' AND status = 'sent'"
    )
    scenario.figures.update(
        people=len(people),
        faults=1,
        sent_before_stop=sent_before,
        handed_back=int(handed_back.group(1)) if handed_back else 0,
        leases_held_after_exit=held,
        exit_seconds=round(seconds, 2),
        lost=nudges.lost,
        duplicated=nudges.duplicated,
    )

    assert code == 0, server.log()[-3000:]
    assert seconds < EXIT_SECONDS
    assert held == 0, "no lease outlives the process"
    assert rest == 0, (tmp_path / "tick.log").read_text()[-3000:]
    assert (nudges.lost, nudges.duplicated) == (0, 0)
    assert sent == len(people)

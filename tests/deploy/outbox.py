"""Outbox rows due now, for the shutdown tests (in-process and real `serve` processes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from adapters.directory import WEB, web_workspace
from bot.calendar.zones import local_date_at
from bot.ports import DeliveryKind, NewDelivery, NewPerson
from storage.store import SqlStore


@dataclass(frozen=True)
class Due:
    school_id: int
    people: list[int]


async def due_rows(store: SqlStore, people: int, *, platform: str = WEB) -> Due:
    """A school with `people` people, each with today's question due in the outbox."""
    now = datetime.now(UTC)
    async with store.transaction() as tx:
        school = await tx.schools.create(f"{platform} school", timezone="Europe/London")
        workspace = web_workspace(school.id) if platform == WEB else "T0SHUTDOWN"
        await tx.schools.link_workspace(school.id, platform, workspace)
        ids = []
        for n in range(people):
            person = await tx.people.create(
                NewPerson(
                    school_id=school.id,
                    platform=platform,
                    workspace_id=workspace,
                    user_id=f"U{n:05d}",
                    display_name=f"Teacher {n}",
                ),
                at=now,
            )
            ids.append(person.id)
        today = local_date_at(now, school.timezone)
        due = now - timedelta(minutes=1)
        nudges = await tx.nudges.ensure_many(school.id, [(p, today, due) for p in ids])
        await tx.deliveries.plan(
            [
                NewDelivery(p, school.id, DeliveryKind.PROMPT, today, due, nudges[(p, today)].id)
                for p in ids
            ]
        )
    return Due(school.id, ids)

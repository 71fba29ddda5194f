"""How far standouts travelled: their targets, consent, and who tried them (for summaries and
`tinysteps standouts`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import texts
from bot.ports import Consent, Post, PostKind, Spread, Store, Transaction
from bot.refusals import Refusal
from bot.sharing.compose import credit

EVER = (date(2000, 1, 1), date(9999, 12, 31))


@dataclass(frozen=True, slots=True)
class Target:
    channel: str  # its name where known, else its id
    platform: str
    status: str  # posted, pending, failed or withdrawn

    @classmethod
    def of(cls, post: Post) -> Target:
        if post.withdrawn_at is not None:
            status = "withdrawn"
        elif post.posted_at is not None:
            status = "posted"
        elif post.error is not None:
            status = "failed"
        else:
            status = "pending"
        return cls(post.channel_name or post.channel_id, post.platform, status)


@dataclass(frozen=True, slots=True)
class StandoutFigures:
    id: int  # the entry's id, as `spotlight ID` and exports use it
    text: str
    author: str | None  # None: shared without their name (or not yet agreed)
    department: str
    school: str
    reason: str
    consent: Consent
    chosen_on: date
    targets: tuple[Target, ...]
    spread: Spread

    @property
    def reached(self) -> int:
        return sum(1 for t in self.targets if t.status == "posted")

    def line(self) -> str:
        words = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        travelled = texts.spread_line(
            self.reached, self.spread.adopters, self.spread.departments, self.spread.schools
        )
        tried = f"; {texts.tried_by(self.spread.tried)}" if self.spread.tried else ""
        return f"#{self.id} “{words}”: {travelled}{tried}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "author": self.author,
            "department": self.department,
            "school": self.school,
            "reason": self.reason,
            "consent": str(self.consent),
            "chosen_on": self.chosen_on.isoformat(),
            "targets": [
                {"channel": t.channel, "platform": t.platform, "status": t.status}
                for t in self.targets
            ],
            "adopters": self.spread.adopters,
            "departments": self.spread.departments,
            "schools": self.spread.schools,
            "tried": self.spread.tried,
        }


async def standouts(
    tx: Transaction,
    school_ids: Sequence[int],
    start: date,
    end: date,
    department_ids: Collection[int] | None = None,
) -> tuple[StandoutFigures, ...]:
    """The standouts chosen in the period among these schools' (or departments') entries."""
    chosen = [
        (s, e)
        for s, e in await tx.standouts.in_schools(school_ids, start, end)
        if department_ids is None or e.department_id in department_ids
    ]
    spread = await tx.adoptions.spread([e.id for _, e in chosen])
    found = []
    for standout, entry in chosen:
        author, department, school = await credit(tx, entry, standout.consent)
        reposts = [p for p in await tx.posts.of_entry(entry.id) if p.kind is PostKind.REPOST]
        found.append(
            StandoutFigures(
                id=entry.id,
                text=entry.text,
                author=author,
                department=department,
                school=school,
                reason=standout.reason,
                consent=standout.consent,
                chosen_on=standout.created_at.date(),
                targets=tuple(Target.of(p) for p in reposts),
                spread=spread.get(entry.id, Spread()),
            )
        )
    return tuple(found)


async def school_standouts(store: Store, school_id: int) -> tuple[StandoutFigures, ...]:
    """Every standout of a school, oldest first (`tinysteps standouts`)."""
    async with store.transaction() as tx:
        if await tx.schools.get(school_id) is None:
            raise Refusal(texts.NO_SUCH_SCHOOL)
        return await standouts(tx, [school_id], *EVER)

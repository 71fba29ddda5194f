"""The operators' view of themes and similarity (`tinysteps themes`, `tinysteps similar`):
every stored entry of a school, read as an operator, without the chat's consent filter."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import texts
from bot.evidence import school_classifier
from bot.ports import Store
from bot.refusals import Refusal

EVER = (date(2000, 1, 1), date(9999, 12, 31))


@dataclass(frozen=True, slots=True)
class Themed:
    text: str
    theme: str
    score: float

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "theme": self.theme, "score": round(self.score, 3)}


async def themes_for(store: Store, school_id: int, lines: list[str]) -> list[Themed]:
    found = []
    async with store.transaction() as tx:
        if await tx.schools.get(school_id) is None:
            raise Refusal(texts.NO_SUCH_SCHOOL)
        for line in lines:
            best = await school_classifier.classify(tx, school_id, line)
            found.append(Themed(line, best[0].id if best else "", best[1] if best else 0.0))
    return found


async def similar_for(
    store: Store, school_id: int, lines: list[str], limit: int
) -> list[dict[str, Any]]:
    """Per line, the school's closest stored entries: `{"text", "matches": [{id, text,
    person, score}]}`."""
    from bot.evidence.similar import SimilarityIndex

    async with store.transaction() as tx:
        if await tx.schools.get(school_id) is None:
            raise Refusal(texts.NO_SUCH_SCHOOL)
        rows = await tx.improvements.export(school_id, *EVER)
        themed = [await school_classifier.classify(tx, school_id, line) for line in lines]
    index = await asyncio.to_thread(
        SimilarityIndex, [(r.id, r.text, r.theme or None) for r in rows]
    )
    by_id = {r.id: r for r in rows}
    found = []
    for line, best in zip(lines, themed, strict=True):
        ranked = index.matches(line, theme=best[0].id if best else None, limit=limit)
        found.append(
            {
                "text": line,
                "matches": [
                    {
                        "id": i,
                        "text": by_id[i].text,
                        "person": by_id[i].person,
                        "score": round(score, 3),
                    }
                    for i, score in ranked
                ],
            }
        )
    return found

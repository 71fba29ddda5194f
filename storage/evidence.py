"""What leaders' evidence asks the database: each theme's steps, people and outcome mix, and
the kept practices colleagues kept too, with what their authors agreed to about credit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.ports import Consent, Improvement, Outcome, PostKind
from storage.improvements import SqlImprovements, improvement_of
from storage.models import AdoptionRow, ImprovementRow, PostRow, StandoutRow

# One theme's figures: its id (None: not themed), steps, people, then keeping, changed,
# dropped and too_early steps (the rest were never answered).
ThemeTally = tuple[str | None, int, int, int, int, int, int]
# A kept entry; colleagues who kept it too; colleagues who said they'd try it; whether its
# author's share with their department stands; their answer about it travelling, if asked.
KeptEntry = tuple[Improvement, int, int, bool, Consent | None]


def _answered(outcome: Outcome) -> ColumnElement[int]:
    return func.sum(case((ImprovementRow.outcome == outcome, 1), else_=0))


class SqlEvidence:
    """Implements the evidence repository (`tx.evidence`) over SQLite or PostgreSQL."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_theme(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> Sequence[ThemeTally]:
        """Every theme's figures in one grouped query: a trust's year stays in the database."""
        # The same live entries of these schools (and departments) as every summary counts.
        in_period = SqlImprovements._in_period(school_ids, start, end, department_ids)
        rows = await self._session.execute(
            select(
                ImprovementRow.theme,
                func.count(),
                func.count(ImprovementRow.person_id.distinct()),
                _answered(Outcome.KEEPING),
                _answered(Outcome.CHANGED),
                _answered(Outcome.DROPPED),
                _answered(Outcome.TOO_EARLY),
            )
            .where(*in_period)
            .group_by(ImprovementRow.theme)
        )
        return [
            (
                None if theme is None else str(theme),
                int(entries),
                int(people),
                int(keeping or 0),
                int(changed or 0),
                int(dropped or 0),
                int(too_early or 0),
            )
            for theme, entries, people, keeping, changed, dropped, too_early in rows
        ]

    async def kept(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
        *,
        limit: int,
    ) -> Sequence[KeptEntry]:
        """The period's entries their authors are keeping, most kept first: by colleagues who
        said "I'll try this" and are keeping the step it led to, then by colleagues who said
        they'd try it, then newest first."""
        in_period = SqlImprovements._in_period(school_ids, start, end, department_ids)
        taken = aliased(ImprovementRow)
        kept_by = (
            select(func.count(AdoptionRow.person_id.distinct()))
            .join(taken, taken.id == AdoptionRow.taken_id)
            .where(
                AdoptionRow.improvement_id == ImprovementRow.id,
                AdoptionRow.person_id != ImprovementRow.person_id,
                taken.outcome == Outcome.KEEPING,
                taken.removed_at.is_(None),
            )
            .correlate(ImprovementRow)
            .scalar_subquery()
            .label("kept_by")
        )
        adopters = (
            select(func.count(AdoptionRow.person_id.distinct()))
            .where(
                AdoptionRow.improvement_id == ImprovementRow.id,
                AdoptionRow.person_id != ImprovementRow.person_id,
            )
            .correlate(ImprovementRow)
            .scalar_subquery()
            .label("adopters")
        )
        shared = (
            select(PostRow.id)
            .where(
                PostRow.improvement_id == ImprovementRow.id,
                PostRow.kind == PostKind.SHARE,
                PostRow.withdrawn_at.is_(None),
            )
            .correlate(ImprovementRow)
            .exists()
            .label("shared")
        )
        rows = await self._session.execute(
            select(ImprovementRow, kept_by, adopters, shared, StandoutRow.consent)
            .outerjoin(StandoutRow, StandoutRow.improvement_id == ImprovementRow.id)
            .where(*in_period, ImprovementRow.outcome == Outcome.KEEPING)
            .order_by(
                kept_by.desc(),
                adopters.desc(),
                ImprovementRow.local_date.desc(),
                ImprovementRow.id.desc(),
            )
            .limit(limit)
        )
        return [
            (
                improvement_of(entry),
                int(kept_by_n or 0),
                int(adopters_n or 0),
                bool(is_shared),
                Consent(consent) if consent is not None else None,
            )
            for entry, kept_by_n, adopters_n, is_shared, consent in rows
        ]

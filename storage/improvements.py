"""Improvements: logged exactly as written; undo hides a row rather than deleting it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import ExportRow, Improvement, Outcome, Tally, WordRule
from storage.models import DepartmentRow, ImprovementRow, PersonRow, SchoolRow
from storage.sql import AnyRow


def improvement_of(row: ImprovementRow | AnyRow) -> Improvement:
    return Improvement(
        id=row.id,
        person_id=row.person_id,
        school_id=row.school_id,
        text=row.text,
        local_date=row.local_date,
        created_at=row.created_at,
        updated_at=row.updated_at,
        department_id=row.department_id,
        source_message_id=row.source_message_id,
        outcome=Outcome(row.outcome) if row.outcome else None,
        outcome_note=row.outcome_note,
        outcome_at=row.outcome_at,
        followups=row.followups,
        theme=row.theme,
        theme_by=row.theme_by,
    )


_LIVE = ImprovementRow.removed_at.is_(None)
_LETTERS = re.compile(r"[^\W\d_]+")


def words_of(text: str, rule: WordRule) -> set[str]:
    """An entry's meaningful words, once each: what PostgreSQL's split does, in Python."""
    return {
        w for w in _LETTERS.findall(text.lower()) if len(w) >= rule.min_length
    } - rule.stop_words


# Plain rows rather than ORM instances where a summary reads a school's whole year.
_COLUMNS = ImprovementRow.__table__.c


class SqlImprovements:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        person_id: int,
        school_id: int,
        text: str,
        local_date: date,
        at: datetime,
        department_id: int | None = None,
        source_message_id: str | None = None,
    ) -> Improvement:
        row = ImprovementRow(
            person_id=person_id,
            school_id=school_id,
            department_id=department_id,
            text=text,
            local_date=local_date,
            created_at=at,
            updated_at=at,
            source_message_id=source_message_id,
        )
        self._session.add(row)
        await self._session.flush()
        return improvement_of(row)

    async def get(self, improvement_id: int) -> Improvement | None:
        row = await self._session.scalar(
            select(ImprovementRow).where(ImprovementRow.id == improvement_id, _LIVE)
        )
        return improvement_of(row) if row else None

    async def from_message(self, person_id: int, source_message_id: str) -> Improvement | None:
        row = await self._session.scalar(
            select(ImprovementRow).where(
                ImprovementRow.person_id == person_id,
                ImprovementRow.source_message_id == source_message_id,
                _LIVE,
            )
        )
        return improvement_of(row) if row else None

    async def last_for(self, person_id: int) -> Improvement | None:
        found = await self.recent_for(person_id, 1)
        return found[0] if found else None

    async def update_text(self, improvement_id: int, text: str, *, at: datetime) -> Improvement:
        row = await self._row(improvement_id)
        row.text = text
        row.updated_at = at
        await self._session.flush()
        return improvement_of(row)

    async def remove(self, improvement_id: int, *, at: datetime) -> None:
        row = await self._row(improvement_id)
        row.removed_at = at
        await self._session.flush()

    async def dates_for(self, person_id: int, *, since: date) -> set[date]:
        rows = await self._session.scalars(
            select(ImprovementRow.local_date)
            .distinct()
            .where(ImprovementRow.person_id == person_id, _LIVE)
            .where(ImprovementRow.local_date >= since)
        )
        return set(rows)

    async def count_for(self, person_id: int) -> int:
        count = await self._session.scalar(
            select(func.count()).where(ImprovementRow.person_id == person_id, _LIVE)
        )
        return int(count or 0)

    async def all_for(self, person_id: int) -> Sequence[Improvement]:
        rows = await self._session.scalars(
            select(ImprovementRow)
            .where(ImprovementRow.person_id == person_id, _LIVE)
            .order_by(ImprovementRow.local_date, ImprovementRow.id)
        )
        return [improvement_of(row) for row in rows]

    async def purge_before(self, school_id: int, before: date) -> int:
        gone = await self._session.execute(
            delete(ImprovementRow).where(
                ImprovementRow.school_id == school_id, ImprovementRow.local_date < before
            )
        )
        return int(gone.rowcount or 0)  # type: ignore[attr-defined]

    async def tally(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        *,
        people: Collection[int],
        department_ids: Collection[int] | None = None,
    ) -> Tally:
        in_period = self._in_period(school_ids, start, end, department_ids)
        by = (ImprovementRow.school_id, ImprovementRow.person_id, ImprovementRow.department_id)
        per_person = await self._session.execute(
            select(*by, func.count()).where(*in_period).group_by(*by)
        )
        on = (ImprovementRow.local_date, ImprovementRow.school_id, PersonRow.department_id)
        per_day = await self._session.execute(
            select(*on, func.count(ImprovementRow.person_id.distinct()))
            .join(PersonRow, PersonRow.id == ImprovementRow.person_id)
            .where(*in_period, ImprovementRow.person_id.in_(list(people)))
            .group_by(*on)
        )
        return Tally(
            entries={(school, person, dept): n for school, person, dept, n in per_person},
            loggers={(day, school, dept): n for day, school, dept, n in per_day},
        )

    async def frequent_words(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        rule: WordRule,
        *,
        department_ids: Collection[int] | None = None,
        limit: int,
    ) -> Sequence[tuple[str, int]]:
        in_period = self._in_period(school_ids, start, end, department_ids)
        if self._dialect == "postgresql":
            return await self._frequent_words_in_sql(in_period, rule, limit)
        counts: Counter[str] = Counter()
        for text in await self._session.scalars(select(ImprovementRow.text).where(*in_period)):
            counts.update(words_of(text, rule))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]

    async def _frequent_words_in_sql(
        self, in_period: list[ColumnElement[bool]], rule: WordRule, limit: int
    ) -> Sequence[tuple[str, int]]:
        """PostgreSQL splits and counts the words itself: a year of a trust's entries stays
        in the database. Letters only, like `words_of`; ties in code-point order like Python."""
        split = func.regexp_split_to_table(func.lower(ImprovementRow.text), "[^[:alpha:]]+")
        words = select(split.column_valued("w").label("w")).distinct().lateral()
        word = words.c.w
        count = func.count().label("n")
        rows = await self._session.execute(
            select(word, count)
            .select_from(ImprovementRow)
            .join(words, true())
            .where(
                *in_period,
                func.length(word) >= rule.min_length,
                word.not_in(sorted(rule.stop_words)),
            )
            .group_by(word)
            .order_by(count.desc(), word.collate("C"))
            .limit(limit)
        )
        return [(w, n) for w, n in rows]

    async def newest_per_person(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        *,
        department_ids: Collection[int] | None = None,
        limit: int,
    ) -> Sequence[Improvement]:
        """Reads the newest entries in growing batches (by the (school, day) index) until
        `limit` people are found: a few rows for a busy school, never the whole period."""
        in_period = self._in_period(school_ids, start, end, department_ids)
        batch = 10 * limit
        while True:
            rows = (
                await self._session.execute(
                    select(*_COLUMNS)
                    .where(*in_period)
                    .order_by(ImprovementRow.local_date.desc(), ImprovementRow.id.desc())
                    .limit(batch)
                )
            ).all()
            newest: dict[int, Improvement] = {}
            for row in rows:
                newest.setdefault(row.person_id, improvement_of(row))
                if len(newest) == limit:
                    break
            if len(newest) == limit or len(rows) < batch:
                return list(newest.values())
            batch *= 10

    @property
    def _dialect(self) -> str:
        assert self._session.bind is not None
        return self._session.bind.dialect.name

    @staticmethod
    def _in_period(
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None,
    ) -> list[ColumnElement[bool]]:
        where = [
            ImprovementRow.school_id.in_(list(school_ids)),
            ImprovementRow.local_date >= start,
            ImprovementRow.local_date <= end,
            _LIVE,
        ]
        if department_ids is not None:
            where.append(ImprovementRow.department_id.in_(list(department_ids)))
        return where

    async def count_between(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> int:
        in_period = self._in_period(school_ids, start, end, department_ids)
        return int(await self._session.scalar(select(func.count()).where(*in_period)) or 0)

    async def days_logged(self, school_id: int, start: date, end: date) -> dict[int, set[date]]:
        rows = await self._session.execute(
            select(ImprovementRow.person_id, ImprovementRow.local_date)
            .distinct()
            .where(
                ImprovementRow.school_id == school_id,
                ImprovementRow.local_date >= start,
                ImprovementRow.local_date <= end,
                _LIVE,
            )
        )
        found: dict[int, set[date]] = {}
        for person_id, day in rows:
            found.setdefault(person_id, set()).add(day)
        return found

    async def export(self, school_id: int, start: date, end: date) -> Sequence[ExportRow]:
        rows = await self._session.execute(
            select(
                ImprovementRow.id,
                ImprovementRow.local_date,
                SchoolRow.name,
                DepartmentRow.name,
                PersonRow.display_name,
                ImprovementRow.text,
                ImprovementRow.outcome,
                ImprovementRow.theme,
            )
            .join(SchoolRow, SchoolRow.id == ImprovementRow.school_id)
            .join(PersonRow, PersonRow.id == ImprovementRow.person_id)
            .outerjoin(DepartmentRow, DepartmentRow.id == ImprovementRow.department_id)
            .where(
                ImprovementRow.school_id == school_id,
                ImprovementRow.local_date >= start,
                ImprovementRow.local_date <= end,
                _LIVE,
            )
            .order_by(ImprovementRow.local_date, ImprovementRow.id)
        )
        return [
            ExportRow(
                id,
                day,
                school,
                department or "",
                person,
                text,
                "logged",
                outcome or "",
                theme or "",
            )
            for id, day, school, department, person, text, outcome, theme in rows
        ]

    async def due_followup(
        self, person_id: int, *, logged_from: date, logged_by: date, too_early_by: datetime
    ) -> Improvement | None:
        """The person's oldest live entry waiting to be asked how it went: logged in the
        window and never asked, or answered "too early" by `too_early_by` and asked once."""
        never_asked = and_(
            ImprovementRow.outcome.is_(None),
            ImprovementRow.followups == 0,
            ImprovementRow.local_date >= logged_from,
            ImprovementRow.local_date <= logged_by,
        )
        once_more = and_(
            ImprovementRow.outcome == Outcome.TOO_EARLY,
            ImprovementRow.followups == 1,
            ImprovementRow.outcome_at <= too_early_by,
        )
        row = await self._session.scalar(
            select(ImprovementRow)
            .where(ImprovementRow.person_id == person_id, _LIVE, or_(never_asked, once_more))
            .order_by(ImprovementRow.local_date, ImprovementRow.id)
            .limit(1)
        )
        return improvement_of(row) if row is not None else None

    async def followed_up(self, improvement_id: int) -> None:
        await self._session.execute(
            update(ImprovementRow)
            .where(ImprovementRow.id == improvement_id)
            .values(followups=ImprovementRow.followups + 1)
        )

    async def set_outcome(
        self, improvement_id: int, outcome: Outcome, note: str | None, *, at: datetime
    ) -> Improvement:
        row = await self._row(improvement_id)
        row.outcome, row.outcome_at = outcome, at
        if note is not None:
            row.outcome_note = note
        await self._session.flush()
        return improvement_of(row)

    async def set_theme(self, improvement_id: int, theme: str, *, by: str) -> None:
        await self._session.execute(
            update(ImprovementRow)
            .where(ImprovementRow.id == improvement_id)
            .values(theme=theme, theme_by=by)
        )

    async def corrections(self, school_id: int) -> Sequence[tuple[str, str]]:
        rows = await self._session.execute(
            select(ImprovementRow.text, ImprovementRow.theme)
            .where(
                ImprovementRow.school_id == school_id,
                ImprovementRow.theme_by == "person",
                ImprovementRow.theme.is_not(None),
                _LIVE,
            )
            .order_by(ImprovementRow.id)
        )
        return [(text, str(theme)) for text, theme in rows]

    async def theme_counts(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> dict[str, int]:
        in_period = self._in_period(school_ids, start, end, department_ids)
        rows = await self._session.execute(
            select(ImprovementRow.theme, func.count())
            .where(*in_period, ImprovementRow.theme.is_not(None))
            .group_by(ImprovementRow.theme)
        )
        return {str(theme): n for theme, n in rows}

    async def outcomes(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> dict[Outcome, int]:
        in_period = self._in_period(school_ids, start, end, department_ids)
        rows = await self._session.execute(
            select(ImprovementRow.outcome, func.count())
            .where(*in_period, ImprovementRow.outcome.is_not(None))
            .group_by(ImprovementRow.outcome)
        )
        return {Outcome(str(outcome)): n for outcome, n in rows}

    async def recent_for(self, person_id: int, limit: int) -> Sequence[Improvement]:
        rows = await self._session.scalars(
            select(ImprovementRow)
            .where(ImprovementRow.person_id == person_id, _LIVE)
            .order_by(ImprovementRow.created_at.desc(), ImprovementRow.id.desc())
            .limit(limit)
        )
        return [improvement_of(row) for row in rows]

    async def _row(self, improvement_id: int) -> ImprovementRow:
        row = await self._session.get(ImprovementRow, improvement_id)
        if row is None:
            raise LookupError(f"no improvement {improvement_id}")
        return row

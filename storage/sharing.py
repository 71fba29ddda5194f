"""Sharing: entries posted to channels, standouts and their consent, and adoptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.ports import (
    Adoption,
    Channel,
    Consent,
    Improvement,
    Post,
    PostKind,
    Spread,
    Standout,
)
from storage.improvements import improvement_of
from storage.models import (
    AdoptionRow,
    ImprovementRow,
    IntroductionRow,
    PersonRow,
    PostRow,
    StandoutRow,
)
from storage.sql import insert_or_ignore

MAX_ERROR_CHARS = 500


def post_of(row: PostRow) -> Post:
    return Post(
        id=row.id,
        improvement_id=row.improvement_id,
        school_id=row.school_id,
        kind=PostKind(row.kind),
        platform=row.platform,
        workspace_id=row.workspace_id,
        channel_id=row.channel_id,
        channel_name=row.channel_name,
        message_id=row.message_id,
        posted_at=row.posted_at,
        withdrawn_at=row.withdrawn_at,
        error=row.error,
    )


def standout_of(row: StandoutRow) -> Standout:
    return Standout(
        id=row.id,
        improvement_id=row.improvement_id,
        reason=row.reason,
        consent=Consent(row.consent),
        created_at=row.created_at,
        chosen_by=row.chosen_by,
        answer_by=row.answer_by,
        answered_at=row.answered_at,
    )


def adoption_of(row: AdoptionRow) -> Adoption:
    return Adoption(row.id, row.improvement_id, row.person_id, row.until, row.taken_id)


_LIVE_ENTRY = ImprovementRow.removed_at.is_(None)


class SqlPosts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, improvement_id: int, kind: PostKind, channel: Channel, *, at: datetime
    ) -> Post | None:
        inserted = await self._session.execute(
            insert_or_ignore(
                self._session,
                PostRow.__table__,  # type: ignore[arg-type]
                improvement_id=improvement_id,
                school_id=channel.school_id,
                kind=kind,
                platform=channel.platform,
                workspace_id=channel.workspace_id,
                channel_id=channel.channel_id,
                channel_name=channel.name[:200],
                created_at=at,
            ).returning(PostRow.id)
        )
        new_id = inserted.scalar()
        return None if new_id is None else await self.get(new_id)

    async def get(self, post_id: int) -> Post | None:
        row = await self._session.get(PostRow, post_id, populate_existing=True)
        return post_of(row) if row is not None else None

    async def many(self, post_ids: Sequence[int]) -> dict[int, Post]:
        if not post_ids:
            return {}
        rows = await self._session.scalars(select(PostRow).where(PostRow.id.in_(post_ids)))
        return {row.id: post_of(row) for row in rows}

    async def of_entry(self, improvement_id: int) -> Sequence[Post]:
        rows = await self._session.scalars(
            select(PostRow).where(PostRow.improvement_id == improvement_id).order_by(PostRow.id)
        )
        return [post_of(row) for row in rows]

    async def for_message(self, platform: str, workspace_id: str, message_id: str) -> Post | None:
        row = await self._session.scalar(
            select(PostRow).where(
                PostRow.platform == platform,
                PostRow.workspace_id == workspace_id,
                PostRow.message_id == message_id,
            )
        )
        return post_of(row) if row is not None else None

    async def posted(self, post_id: int, message_id: str | None, *, at: datetime) -> None:
        await self._session.execute(
            update(PostRow)
            .where(PostRow.id == post_id)
            .values(message_id=message_id, posted_at=at, error=None, failed_at=None)
        )

    async def failed(self, post_id: int, error: str, *, at: datetime) -> None:
        await self._session.execute(
            update(PostRow)
            .where(PostRow.id == post_id)
            .values(error=error[:MAX_ERROR_CHARS], failed_at=at)
        )

    async def withdraw(
        self, improvement_id: int, *, at: datetime, kind: PostKind | None = None
    ) -> Sequence[Post]:
        query = select(PostRow).where(
            PostRow.improvement_id == improvement_id, PostRow.withdrawn_at.is_(None)
        )
        if kind is not None:
            query = query.where(PostRow.kind == kind)
        rows = list(await self._session.scalars(query))
        for row in rows:
            row.withdrawn_at = at
        await self._session.flush()
        return [post_of(row) for row in rows if row.posted_at is not None]

    async def failed_since(self, school_id: int, since: datetime) -> Sequence[Post]:
        rows = await self._session.scalars(
            select(PostRow)
            .where(PostRow.school_id == school_id, PostRow.failed_at >= since)
            .order_by(PostRow.id)
        )
        return [post_of(row) for row in rows]


class SqlStandouts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _row(self, improvement_id: int) -> StandoutRow | None:
        row: StandoutRow | None = await self._session.scalar(
            select(StandoutRow).where(StandoutRow.improvement_id == improvement_id)
        )
        return row

    async def get(self, improvement_id: int) -> Standout | None:
        row = await self._row(improvement_id)
        return standout_of(row) if row is not None else None

    async def by_id(self, standout_id: int) -> tuple[Standout, Improvement] | None:
        found = (
            await self._session.execute(
                select(StandoutRow, ImprovementRow)
                .join(ImprovementRow, ImprovementRow.id == StandoutRow.improvement_id)
                .where(StandoutRow.id == standout_id, _LIVE_ENTRY)
            )
        ).first()
        return None if found is None else (standout_of(found[0]), improvement_of(found[1]))

    async def choose(
        self,
        improvement_id: int,
        *,
        reason: str,
        at: datetime,
        answer_by: date,
        chosen_by: int | None = None,
    ) -> Standout | None:
        """Unique per entry: two replicas counting the deciding vote at once make one."""
        inserted = await self._session.execute(
            insert_or_ignore(
                self._session,
                StandoutRow.__table__,  # type: ignore[arg-type]
                improvement_id=improvement_id,
                reason=reason,
                consent=Consent.ASKED,
                chosen_by=chosen_by,
                created_at=at,
                answer_by=answer_by,
            ).returning(StandoutRow.id)
        )
        if inserted.scalar() is None:
            return None
        return await self.get(improvement_id)

    async def ask_again(
        self, improvement_id: int, *, at: datetime, answer_by: date, chosen_by: int | None
    ) -> Standout:
        row = await self._existing(improvement_id)
        row.consent, row.answer_by, row.answered_at = Consent.ASKED, answer_by, None
        row.reason, row.chosen_by, row.created_at = "spotlight", chosen_by, at
        await self._session.flush()
        return standout_of(row)

    async def answer(self, improvement_id: int, consent: Consent, *, at: datetime) -> Standout:
        row = await self._existing(improvement_id)
        row.consent, row.answered_at = consent, at
        await self._session.flush()
        return standout_of(row)

    async def _existing(self, improvement_id: int) -> StandoutRow:
        row = await self._row(improvement_id)
        if row is None:
            raise LookupError(f"improvement {improvement_id} is not a standout")
        return row

    async def awaiting(self, person_id: int, today: date) -> Sequence[tuple[Standout, Improvement]]:
        rows = await self._session.execute(
            select(StandoutRow, ImprovementRow)
            .join(ImprovementRow, ImprovementRow.id == StandoutRow.improvement_id)
            .where(
                ImprovementRow.person_id == person_id,
                _LIVE_ENTRY,
                StandoutRow.consent == Consent.ASKED,
                StandoutRow.answer_by >= today,
            )
            .order_by(StandoutRow.created_at, StandoutRow.id)
        )
        return [(standout_of(s), improvement_of(e)) for s, e in rows]

    async def expire(self, school_id: int, today: date) -> int:
        mine = select(ImprovementRow.id).where(ImprovementRow.school_id == school_id)
        gone = await self._session.execute(
            update(StandoutRow)
            .where(
                StandoutRow.improvement_id.in_(mine),
                StandoutRow.consent == Consent.ASKED,
                StandoutRow.answer_by < today,
            )
            .values(consent=Consent.EXPIRED)
            .execution_options(synchronize_session=False)
        )
        return int(gone.rowcount or 0)  # type: ignore[attr-defined]

    async def in_schools(
        self, school_ids: Sequence[int], start: date, end: date
    ) -> Sequence[tuple[Standout, Improvement]]:
        rows = await self._session.execute(
            select(StandoutRow, ImprovementRow)
            .join(ImprovementRow, ImprovementRow.id == StandoutRow.improvement_id)
            .where(
                ImprovementRow.school_id.in_(school_ids),
                _LIVE_ENTRY,
                func.date(StandoutRow.created_at) >= start,
                func.date(StandoutRow.created_at) <= end,
            )
            .order_by(StandoutRow.created_at, StandoutRow.id)
        )
        return [(standout_of(s), improvement_of(e)) for s, e in rows]


class SqlAdoptions:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, improvement_id: int, person_id: int, *, at: datetime, until: date) -> bool:
        result = await self._session.execute(
            insert_or_ignore(
                self._session,
                AdoptionRow.__table__,  # type: ignore[arg-type]
                improvement_id=improvement_id,
                person_id=person_id,
                created_at=at,
                until=until,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def open_for(self, person_id: int, day: date) -> Sequence[tuple[Adoption, Improvement]]:
        rows = await self._session.execute(
            select(AdoptionRow, ImprovementRow)
            .join(ImprovementRow, ImprovementRow.id == AdoptionRow.improvement_id)
            .where(
                AdoptionRow.person_id == person_id,
                AdoptionRow.taken_id.is_(None),
                AdoptionRow.until >= day,
                _LIVE_ENTRY,
            )
            .order_by(AdoptionRow.created_at.desc(), AdoptionRow.id.desc())
        )
        return [(adoption_of(a), improvement_of(e)) for a, e in rows]

    async def take(self, adoption_id: int, taken_id: int) -> None:
        await self._session.execute(
            update(AdoptionRow).where(AdoptionRow.id == adoption_id).values(taken_id=taken_id)
        )

    async def get(self, adoption_id: int) -> Adoption | None:
        row = await self._session.get(AdoptionRow, adoption_id, populate_existing=True)
        return adoption_of(row) if row is not None else None

    async def spread(self, improvement_ids: Sequence[int]) -> dict[int, Spread]:
        if not improvement_ids:
            return {}
        rows = await self._session.execute(
            select(
                AdoptionRow.improvement_id,
                func.count(AdoptionRow.person_id.distinct()),
                func.count(PersonRow.department_id.distinct()),
                func.count(PersonRow.school_id.distinct()),
                func.count(AdoptionRow.taken_id),
            )
            .join(PersonRow, PersonRow.id == AdoptionRow.person_id)
            .where(AdoptionRow.improvement_id.in_(improvement_ids))
            .group_by(AdoptionRow.improvement_id)
        )
        return {
            idea: Spread(adopters, departments, schools, tried)
            for idea, adopters, departments, schools, tried in rows
        }


class SqlIntroductions:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def shareable(
        self, school_ids: Sequence[int], *, own_school_id: int
    ) -> Sequence[tuple[Improvement, bool]]:
        shared = select(PostRow.improvement_id).where(
            PostRow.kind == PostKind.SHARE, PostRow.withdrawn_at.is_(None)
        )
        travels = select(StandoutRow.improvement_id, StandoutRow.consent).where(
            StandoutRow.consent.in_([Consent.NAMED, Consent.ANONYMOUS])
        )
        consent = travels.subquery()
        rows = await self._session.execute(
            select(ImprovementRow, consent.c.consent)
            .outerjoin(consent, consent.c.improvement_id == ImprovementRow.id)
            .where(
                _LIVE_ENTRY,
                ImprovementRow.school_id.in_(school_ids),
                or_(
                    consent.c.consent.is_not(None),
                    and_(
                        ImprovementRow.school_id == own_school_id,
                        ImprovementRow.id.in_(shared),
                    ),
                ),
            )
            .order_by(ImprovementRow.id)
        )
        found = []
        for entry, answer in rows:
            in_school_share = entry.school_id == own_school_id and answer != Consent.ANONYMOUS
            found.append((improvement_of(entry), answer == Consent.NAMED or in_school_share))
        return found

    async def add(self, entry_id: int, other_id: int, *, at: datetime) -> bool:
        result = await self._session.execute(
            insert_or_ignore(
                self._session,
                IntroductionRow.__table__,  # type: ignore[arg-type]
                entry_id=entry_id,
                other_id=other_id,
                created_at=at,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def between(
        self, person_id: int, start: datetime, end: datetime
    ) -> Sequence[tuple[Improvement, Improvement]]:
        mine, theirs = aliased(ImprovementRow), aliased(ImprovementRow)
        rows = await self._session.execute(
            select(mine, theirs)
            .select_from(IntroductionRow)
            .join(mine, mine.id == IntroductionRow.entry_id)
            .join(theirs, theirs.id == IntroductionRow.other_id)
            .where(
                IntroductionRow.created_at >= start,
                IntroductionRow.created_at < end,
                or_(mine.person_id == person_id, theirs.person_id == person_id),
                mine.removed_at.is_(None),
                theirs.removed_at.is_(None),
            )
            .order_by(IntroductionRow.id)
        )
        return [(improvement_of(a), improvement_of(b)) for a, b in rows]

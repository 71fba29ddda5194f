"""Schools, their departments, organisations and linked workspaces."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.defaults import SCHOOL_DEFAULTS, SchoolDefaults
from bot.ports import Department, School
from storage.models import DepartmentRow, OrganisationRow, PersonRow, SchoolRow, WorkspaceLinkRow


def school_of(row: SchoolRow) -> School:
    return School(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        nudge_time=row.nudge_time,
        organisation_id=row.organisation_id,
        country=row.country,
        subdivision=row.subdivision,
        nudge_days=frozenset(int(d) for d in row.nudge_days),
        reminder_minutes=row.reminder_minutes,
        weekly_note=row.weekly_note,
        opt_in=row.opt_in,
        guests=row.guests,
        retention_days=row.retention_days,
        share_mode=row.share_mode,
        followup_days=row.followup_days,
        standout_votes=row.standout_votes,
        standout_departments=row.standout_departments,
    )


class SqlSchools:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, school_id: int) -> School | None:
        row = await self._session.get(SchoolRow, school_id)
        return school_of(row) if row else None

    async def for_workspace(self, platform: str, workspace_id: str) -> School | None:
        row = await self._session.scalar(
            select(SchoolRow)
            .join(WorkspaceLinkRow, WorkspaceLinkRow.school_id == SchoolRow.id)
            .where(WorkspaceLinkRow.platform == platform)
            .where(WorkspaceLinkRow.workspace_id == workspace_id)
        )
        return school_of(row) if row else None

    async def create(
        self,
        name: str,
        *,
        timezone: str,
        organisation_id: int | None = None,
        settings: SchoolDefaults = SCHOOL_DEFAULTS,
    ) -> School:
        row = SchoolRow(
            name=name,
            timezone=timezone,
            nudge_time=settings.nudge_time,
            organisation_id=organisation_id,
            country=settings.country,
            subdivision=settings.subdivision,
            nudge_days="".join(str(day) for day in sorted(settings.nudge_days)),
            reminder_minutes=settings.reminder_minutes,
            weekly_note=settings.weekly_note,
            opt_in=settings.opt_in,
            guests=settings.guests,
        )
        self._session.add(row)
        await self._session.flush()
        return school_of(row)

    async def link_workspace(self, school_id: int, platform: str, workspace_id: str) -> None:
        self._session.add(
            WorkspaceLinkRow(school_id=school_id, platform=platform, workspace_id=workspace_id)
        )
        await self._session.flush()

    async def all(self, *, platform: str | None = None) -> Sequence[School]:
        query = select(SchoolRow).order_by(SchoolRow.name)
        if platform is not None:
            linked = select(WorkspaceLinkRow.school_id).where(WorkspaceLinkRow.platform == platform)
            query = query.where(SchoolRow.id.in_(linked))
        rows = await self._session.scalars(query)
        return [school_of(row) for row in rows]

    async def set_opt_in(self, school_id: int, opt_in: bool) -> School:
        row = await self._row(school_id)
        row.opt_in = opt_in
        await self._session.flush()
        return school_of(row)

    async def set_guests(self, school_id: int, guests: bool) -> School:
        row = await self._row(school_id)
        row.guests = guests
        await self._session.flush()
        return school_of(row)

    async def _row(self, school_id: int) -> SchoolRow:
        row = await self._session.get(SchoolRow, school_id)
        if row is None:
            raise LookupError(f"no school {school_id}")
        return row

    async def add_department(self, school_id: int, name: str) -> Department:
        row = await self._department_row(school_id, name, removed_too=True)
        if row is None:
            row = DepartmentRow(school_id=school_id, name=name)
            self._session.add(row)
        row.removed_at = None
        await self._session.flush()
        return _department_of(row)

    async def departments(self, school_id: int) -> Sequence[Department]:
        rows = await self._session.scalars(
            select(DepartmentRow)
            .where(DepartmentRow.school_id == school_id, DepartmentRow.removed_at.is_(None))
            .order_by(DepartmentRow.name)
        )
        return [_department_of(r) for r in rows]

    async def department_named(self, school_id: int, name: str) -> Department | None:
        row = await self._department_row(school_id, name, removed_too=False)
        return _department_of(row) if row is not None else None

    async def rename_department(self, department_id: int, name: str) -> Department:
        row = await self._session.get(DepartmentRow, department_id)
        if row is None:
            raise LookupError(f"no department {department_id}")
        row.name = name
        await self._session.flush()
        return _department_of(row)

    async def remove_department(self, department_id: int, *, at: datetime) -> int:
        row = await self._session.get(DepartmentRow, department_id)
        if row is None:
            raise LookupError(f"no department {department_id}")
        row.removed_at = at
        moved = await self._session.execute(
            update(PersonRow)
            .where(PersonRow.department_id == department_id)
            .values(department_id=None)
        )
        await self._session.flush()
        return int(moved.rowcount or 0)  # type: ignore[attr-defined]

    async def department_sizes(self, school_id: int) -> dict[int, int]:
        rows = await self._session.execute(
            select(PersonRow.department_id, func.count())
            .where(PersonRow.school_id == school_id, PersonRow.department_id.is_not(None))
            .group_by(PersonRow.department_id)
        )
        return {int(department or 0): int(count) for department, count in rows}

    async def _department_row(
        self, school_id: int, name: str, *, removed_too: bool
    ) -> DepartmentRow | None:
        query = select(DepartmentRow).where(
            DepartmentRow.school_id == school_id,
            func.lower(DepartmentRow.name) == name.lower(),
        )
        if not removed_too:
            query = query.where(DepartmentRow.removed_at.is_(None))
        row: DepartmentRow | None = await self._session.scalar(query)
        return row

    async def add_organisation(self, name: str) -> int:
        row = OrganisationRow(name=name)
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def organisation_sharing(self, organisation_id: int) -> bool:
        return bool(
            await self._session.scalar(
                select(OrganisationRow.sharing).where(OrganisationRow.id == organisation_id)
            )
        )

    async def set_organisation_sharing(self, organisation_id: int, sharing: bool) -> None:
        await self._session.execute(
            update(OrganisationRow)
            .where(OrganisationRow.id == organisation_id)
            .values(sharing=sharing)
        )

    async def organisation_named(self, name: str) -> int | None:
        found: int | None = await self._session.scalar(
            select(OrganisationRow.id).where(func.lower(OrganisationRow.name) == name.lower())
        )
        return found

    async def join_organisation(self, school_id: int, organisation_id: int | None) -> School:
        row = await self._row(school_id)
        row.organisation_id = organisation_id
        await self._session.flush()
        return school_of(row)

    async def in_organisation(self, organisation_id: int) -> Sequence[School]:
        rows = await self._session.scalars(
            select(SchoolRow)
            .where(SchoolRow.organisation_id == organisation_id)
            .order_by(SchoolRow.name)
        )
        return [school_of(row) for row in rows]

    async def set_followup(self, school_id: int, days: int | None) -> School:
        row = await self._row(school_id)
        row.followup_days = days
        await self._session.flush()
        return school_of(row)

    async def set_sharing(
        self,
        school_id: int,
        *,
        share_mode: str | None = None,
        standout_votes: int | None = None,
        standout_departments: str | None = None,
    ) -> School:
        row = await self._row(school_id)
        if share_mode is not None:
            row.share_mode = share_mode
        if standout_votes is not None:
            row.standout_votes = standout_votes
        if standout_departments is not None:
            row.standout_departments = standout_departments
        await self._session.flush()
        return school_of(row)

    async def set_retention(self, school_id: int, days: int | None) -> School:
        row = await self._row(school_id)
        row.retention_days = days
        await self._session.flush()
        return school_of(row)


def _department_of(row: DepartmentRow) -> Department:
    return Department(id=row.id, school_id=row.school_id, name=row.name)

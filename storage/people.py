"""People: platform identities, profiles, roles and status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import (
    UNCHANGED,
    NewPerson,
    OrganisationRole,
    Person,
    Role,
    Sharing,
    Status,
    Unchanged,
)
from storage.models import (
    LeaderDepartmentRow,
    OrganisationRoleRow,
    OrganisationRow,
    PersonRow,
    RoleAssignmentRow,
)
from storage.sql import AnyRow


def person_of(row: PersonRow | AnyRow, role: str | None) -> Person:
    return Person(
        id=row.id,
        school_id=row.school_id,
        platform=row.platform,
        workspace_id=row.workspace_id,
        user_id=row.user_id,
        display_name=row.display_name,
        timezone=row.timezone,
        role=Role(role or Role.STAFF),
        status=Status(row.status),
        paused_until=row.paused_until,
        welcomed_at=row.welcomed_at,
        department_id=row.department_id,
        nudge_time=row.nudge_time,
        weekly_note=row.weekly_note,
        guest=row.guest,
        sharing=Sharing(row.sharing),
    )


# A person with their role in their own school, as plain rows: a fan-out reads thousands, and
# ORM instances (identity map, change tracking) would cost several times more to build.
_WITH_ROLE = select(*PersonRow.__table__.c, RoleAssignmentRow.role).outerjoin(
    RoleAssignmentRow,
    (RoleAssignmentRow.person_id == PersonRow.id)
    & (RoleAssignmentRow.school_id == PersonRow.school_id),
)


class SqlPeople:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, person_id: int) -> Person | None:
        found = (await self._session.execute(_WITH_ROLE.where(PersonRow.id == person_id))).first()
        return person_of(found, found.role) if found else None

    async def by_identity(self, platform: str, workspace_id: str, user_id: str) -> Person | None:
        query = _WITH_ROLE.where(
            PersonRow.platform == platform,
            PersonRow.workspace_id == workspace_id,
            PersonRow.user_id == user_id,
        )
        found = (await self._session.execute(query)).first()
        return person_of(found, found.role) if found else None

    async def create(self, new: NewPerson, *, at: datetime) -> Person:
        row = PersonRow(
            school_id=new.school_id,
            department_id=new.department_id,
            platform=new.platform,
            workspace_id=new.workspace_id,
            user_id=new.user_id,
            display_name=new.display_name,
            timezone=new.timezone,
            status=new.status,
            created_at=at,
            weekly_note=True,
            guest=new.guest,
        )
        self._session.add(row)
        await self._session.flush()
        if new.role is not Role.STAFF:
            await self.set_role(row.id, new.school_id, new.role)
        return person_of(row, new.role)

    async def in_school(self, school_id: int) -> Sequence[Person]:
        query = _WITH_ROLE.where(PersonRow.school_id == school_id).order_by(
            PersonRow.display_name, PersonRow.id
        )
        return [person_of(found, found.role) for found in await self._session.execute(query)]

    async def set_status(
        self, person_id: int, status: Status, *, paused_until: date | None = None
    ) -> Person:
        row = await self._row(person_id)
        row.status = status
        row.paused_until = paused_until if status is Status.PAUSED else None
        return await self._saved(row)

    async def mark_welcomed_many(self, person_ids: Sequence[int], at: datetime) -> None:
        if person_ids:
            await self._session.execute(
                update(PersonRow)
                .where(PersonRow.id.in_(person_ids), PersonRow.welcomed_at.is_(None))
                .values(welcomed_at=at)
                .execution_options(synchronize_session=False)
            )

    async def many(self, person_ids: Sequence[int]) -> dict[int, Person]:
        if not person_ids:
            return {}
        found = await self._session.execute(_WITH_ROLE.where(PersonRow.id.in_(person_ids)))
        return {row.id: person_of(row, row.role) for row in found}

    async def mark_welcomed(self, person_id: int, at: datetime) -> None:
        row = await self._row(person_id)
        row.welcomed_at = at
        await self._session.flush()

    async def set_profile(
        self, person_id: int, *, display_name: str, timezone: str | None
    ) -> Person:
        row = await self._row(person_id)
        row.display_name = display_name
        row.timezone = timezone
        return await self._saved(row)

    async def set_role(self, person_id: int, school_id: int, role: Role) -> None:
        assignment = await self._session.get(RoleAssignmentRow, (person_id, school_id))
        if assignment is None:
            self._session.add(
                RoleAssignmentRow(person_id=person_id, school_id=school_id, role=role)
            )
        else:
            assignment.role = role
        await self._session.flush()

    async def leads(self, person_id: int) -> frozenset[int]:
        rows = await self._session.scalars(
            select(LeaderDepartmentRow.department_id).where(
                LeaderDepartmentRow.person_id == person_id
            )
        )
        return frozenset(rows)

    async def set_leads(self, person_id: int, department_ids: Sequence[int]) -> None:
        await self._session.execute(
            delete(LeaderDepartmentRow).where(LeaderDepartmentRow.person_id == person_id)
        )
        self._session.add_all(
            LeaderDepartmentRow(person_id=person_id, department_id=d) for d in set(department_ids)
        )
        await self._session.flush()

    async def organisation_roles(self, person_id: int) -> Sequence[OrganisationRole]:
        rows = await self._session.execute(
            select(
                OrganisationRoleRow.organisation_id, OrganisationRow.name, OrganisationRoleRow.role
            )
            .join(OrganisationRow, OrganisationRow.id == OrganisationRoleRow.organisation_id)
            .where(OrganisationRoleRow.person_id == person_id)
            .order_by(OrganisationRow.name)
        )
        return [OrganisationRole(org, name, Role(role)) for org, name, role in rows]

    async def set_organisation_role(
        self, organisation_id: int, person_id: int, role: Role | None
    ) -> None:
        row = await self._session.get(OrganisationRoleRow, (organisation_id, person_id))
        if role is None:
            if row is not None:
                await self._session.delete(row)
        elif row is None:
            self._session.add(
                OrganisationRoleRow(organisation_id=organisation_id, person_id=person_id, role=role)
            )
        else:
            row.role = role
        await self._session.flush()

    async def set_preferences(
        self,
        person_id: int,
        *,
        nudge_time: time | Unchanged | None = UNCHANGED,
        weekly_note: bool | None = None,
        department_id: int | Unchanged | None = UNCHANGED,
        sharing: Sharing | None = None,
    ) -> Person:
        row = await self._row(person_id)
        if sharing is not None:
            row.sharing = sharing
        if not isinstance(nudge_time, Unchanged):
            row.nudge_time = nudge_time
        if not isinstance(department_id, Unchanged):
            row.department_id = department_id
        if weekly_note is not None:
            row.weekly_note = weekly_note
        return await self._saved(row)

    async def delete(self, person_id: int) -> None:
        await self._session.execute(delete(PersonRow).where(PersonRow.id == person_id))

    async def set_guest(self, person_id: int, guest: bool) -> Person:
        row = await self._row(person_id)
        row.guest = guest
        return await self._saved(row)

    async def _row(self, person_id: int) -> PersonRow:
        row = await self._session.get(PersonRow, person_id)
        if row is None:
            raise LookupError(f"no person {person_id}")
        return row

    async def _saved(self, row: PersonRow) -> Person:
        await self._session.flush()
        person = await self.get(row.id)
        assert person is not None
        return person

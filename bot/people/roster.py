"""Who is in a school: workspaces become schools, members become staff, leavers stop being asked.

Platforms report members in bulk (Slack's `users.list`, a Teams roster) and one at a time
(`team_join`, `user_change`); both arrive here as `Member`s, so every platform behaves alike.
Nobody is messaged from here: the scheduler welcomes new staff with their first question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.model import Actor
from bot.people import membership
from bot.people.membership import actor_of
from bot.ports import Clock, Person, Role, School, Status, Store, Transaction


@dataclass(frozen=True, slots=True)
class Member:
    """A person as a platform's directory lists them."""

    user_id: str
    display_name: str = ""
    timezone: str | None = None
    active: bool = True  # False: deactivated or removed from the workspace
    admin: bool = False  # runs the workspace, so looks after Tiny Steps there too
    guest: bool = False  # a workspace guest (Slack's single- and multi-channel guests)


# Who is in the school but not taking part: they said `stop`, were never started in an opt-in
# school, or left the workspace. (A pause is taking part, with a break.)
NOT_TAKING_PART = frozenset({Status.OPTED_OUT, Status.INVITED, Status.LEFT})


def left_out(person: Person, school: School) -> bool:
    """Whether someone is outside Tiny Steps for who they are: a guest where the school
    leaves guests out. The one home of that rule, for the schedule and the conversation."""
    return person.guest and not school.guests


def takes_part(person: Person, school: School) -> bool:
    """Whether someone counts among a school's people: asked each school day, or paused."""
    return person.status not in NOT_TAKING_PART and not left_out(person, school)


@dataclass(frozen=True, slots=True)
class RosterReport:
    added: int = 0
    updated: int = 0
    left: int = 0


class UnknownWorkspace(LookupError):
    """No school serves this platform workspace (it never installed Tiny Steps)."""


class Roster:
    def __init__(self, store: Store, clock: Clock, *, default_timezone: str) -> None:
        self._store = store
        self._clock = clock
        self._default_timezone = default_timezone

    async def workspace(self, platform: str, workspace_id: str, name: str) -> School:
        """The school a workspace belongs to, created (named after it) the first time."""
        async with self._store.transaction() as tx:
            return await self._school(tx, platform, workspace_id, name)

    async def installed(
        self,
        platform: str,
        workspace_id: str,
        name: str,
        installer: Member,
        *,
        first_admin_only: bool = False,
    ) -> School:
        """An install: the workspace's school exists and the installer looks after it.

        Installing to a Slack workspace takes a workspace admin's consent, but anyone in Teams
        can add an app for themselves or to their own team: there (`first_admin_only`) an
        installer becomes an admin only while the school has none.
        """
        now = self._clock.now()
        async with self._store.transaction() as tx:
            school = await self._school(tx, platform, workspace_id, name)
            person = await tx.people.by_identity(platform, workspace_id, installer.user_id)
            if person is None:
                person = await self._add(tx, school, platform, workspace_id, installer, now)
            promote = person.role is not Role.ADMIN
            if promote and first_admin_only:
                promote = not any(
                    p.role is Role.ADMIN for p in await tx.people.in_school(school.id)
                )
            if promote:
                await tx.people.set_role(person.id, school.id, Role.ADMIN)
            await tx.audit.record(
                "school.installed", at=now, school_id=school.id, person_id=person.id
            )
            return school

    async def sync(
        self, platform: str, workspace_id: str, members: Iterable[Member]
    ) -> RosterReport:
        """Bring a school's people in line with the platform's member list."""
        now = self._clock.now()
        added = updated = left = 0
        async with self._store.transaction() as tx:
            school = await tx.schools.for_workspace(platform, workspace_id)
            if school is None:
                raise UnknownWorkspace(f"no school for {platform} workspace {workspace_id}")
            known = {
                p.user_id: p
                for p in await tx.people.in_school(school.id)
                if p.platform == platform and p.workspace_id == workspace_id
            }
            for member in members:
                change = await self._apply(
                    tx, school, platform, workspace_id, known.get(member.user_id), member, now
                )
                added += change == "added"
                updated += change == "updated"
                left += change == "left"
            if added or left:
                await tx.audit.record(
                    "roster.synced",
                    at=now,
                    school_id=school.id,
                    detail={"added": added, "updated": updated, "left": left},
                )
        return RosterReport(added, updated, left)

    async def admins(self, platform: str, workspace_id: str) -> list[Actor]:
        """The school's admins that this platform workspace can reach, to tell them something
        privately (who a team install couldn't reach, say)."""
        async with self._store.transaction() as tx:
            school = await tx.schools.for_workspace(platform, workspace_id)
            people = await tx.people.in_school(school.id) if school is not None else []
        return [
            actor_of(p)
            for p in people
            if p.role is Role.ADMIN and (p.platform, p.workspace_id) == (platform, workspace_id)
        ]

    async def member(self, platform: str, workspace_id: str, member: Member) -> RosterReport:
        """One member joined, changed their profile, or was deactivated."""
        try:
            return await self.sync(platform, workspace_id, [member])
        except UnknownWorkspace:
            return RosterReport()  # not a workspace we serve

    async def _school(self, tx: Transaction, platform: str, workspace_id: str, name: str) -> School:
        school, _ = await membership.school_for(
            tx,
            platform,
            workspace_id,
            name=name,
            timezone=self._default_timezone,
            at=self._clock.now(),
        )
        return school

    async def _apply(
        self,
        tx: Transaction,
        school: School,
        platform: str,
        workspace_id: str,
        person: Person | None,
        member: Member,
        now: datetime,
    ) -> str | None:
        if not member.active:
            if person is None or person.status is Status.LEFT:
                return None
            await tx.people.set_status(person.id, Status.LEFT)
            return "left"
        if person is None:
            await self._add(tx, school, platform, workspace_id, member, now)
            return "added"
        changed = False
        if person.guest != member.guest:
            await tx.people.set_guest(person.id, member.guest)
            changed = True
        if person.status is Status.LEFT:
            await tx.people.set_status(person.id, Status.ACTIVE)
            changed = True
        refreshed = await membership.refresh_profile(
            tx, person, display_name=member.display_name, timezone=member.timezone
        )
        return "updated" if changed or refreshed is not None else None

    async def _add(
        self,
        tx: Transaction,
        school: School,
        platform: str,
        workspace_id: str,
        member: Member,
        now: datetime,
    ) -> Person:
        return await membership.join(
            tx,
            school,
            platform=platform,
            workspace_id=workspace_id,
            user_id=member.user_id,
            display_name=member.display_name,
            timezone=member.timezone,
            at=now,
            role=Role.ADMIN if member.admin else Role.STAFF,
            guest=member.guest,
        )

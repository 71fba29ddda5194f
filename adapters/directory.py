"""Schools and people as the local web chat and the demo create them.

Slack and Teams people arrive by themselves on first contact; in the web chat someone picks or
creates a person, so this small service is the one place that does it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from bot import texts
from bot.calendar.zones import is_valid_zone
from bot.people import membership
from bot.ports import Clock, Person, Role, School, Store
from bot.refusals import Refusal

WEB = "web"


class DirectoryError(Refusal):
    """A request the directory refuses; `reply` says why in plain words."""


def web_workspace(school_id: int) -> str:
    """The web chat's stand-in for a Slack team or Teams tenant: one per school."""
    return f"school-{school_id}"


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise DirectoryError(texts.NAME_NEEDED)
    if len(cleaned) > membership.MAX_NAME_CHARS:  # typed here, so refused rather than cut
        raise DirectoryError(texts.name_too_long(membership.MAX_NAME_CHARS))
    return cleaned


def _check_zone(timezone: str) -> str:
    if not is_valid_zone(timezone):
        raise DirectoryError(texts.unknown_timezone(timezone))
    return timezone


class Directory:
    """Lists and creates schools and web-chat people.

    The web chat has no sign-in, so what it reaches is kept to its own: schools it created (or
    the demo did) and web-chat people. Slack and Teams people and schools never show here, so
    nobody at the web chat can act as them or join their school as an admin.
    """

    def __init__(self, store: Store, clock: Clock, *, default_timezone: str) -> None:
        self._store = store
        self._clock = clock
        self._default_timezone = default_timezone

    async def schools(self) -> Sequence[School]:
        """Every school, for operators."""
        async with self._store.transaction() as tx:
            return await tx.schools.all()

    async def web_schools(self) -> Sequence[School]:
        async with self._store.transaction() as tx:
            return await tx.schools.all(platform=WEB)

    async def create_school(self, name: str, timezone: str | None = None) -> School:
        zone = _check_zone(timezone or self._default_timezone)
        async with self._store.transaction() as tx:
            school = await tx.schools.create(_clean_name(name), timezone=zone)
            await tx.schools.link_workspace(school.id, WEB, web_workspace(school.id))
            await tx.audit.record("school.created", at=self._clock.now(), school_id=school.id)
            return school

    async def people(self, school_id: int) -> Sequence[Person]:
        """The school's web-chat people."""
        async with self._store.transaction() as tx:
            return [p for p in await tx.people.in_school(school_id) if p.platform == WEB]

    async def person(self, person_id: int) -> Person | None:
        """A web-chat person; Slack and Teams people are not found here."""
        async with self._store.transaction() as tx:
            person = await tx.people.get(person_id)
        return person if person is not None and person.platform == WEB else None

    async def add_person(
        self, school_id: int, name: str, *, role: Role = Role.STAFF, timezone: str | None = None
    ) -> Person:
        """A new web-chat person; they are welcomed when they first hear from the bot."""
        display_name = _clean_name(name)
        zone = _check_zone(timezone) if timezone else None
        async with self._store.transaction() as tx:
            school = await tx.schools.for_workspace(WEB, web_workspace(school_id))
            if school is None:
                raise DirectoryError(texts.NO_SUCH_SCHOOL)
            return await membership.join(
                tx,
                school,
                platform=WEB,
                workspace_id=web_workspace(school_id),
                user_id=uuid.uuid4().hex,
                display_name=display_name,
                timezone=zone,
                at=self._clock.now(),
                role=role,
            )

    async def link_workspace(self, school_id: int, platform: str, workspace_id: str) -> School:
        """Map a Slack team or Teams tenant onto an existing school, before anyone installs.

        Several workspaces (a trust's Slack and Teams, say) may share one school; a workspace
        already linked is never silently moved, since its people and history belong there.
        """
        workspace = workspace_id.strip()
        if not workspace:
            raise DirectoryError(texts.WORKSPACE_NEEDED)
        async with self._store.transaction() as tx:
            school = await tx.schools.get(school_id)
            if school is None:
                raise DirectoryError(texts.NO_SUCH_SCHOOL)
            current = await tx.schools.for_workspace(platform, workspace)
            if current is not None:
                raise DirectoryError(texts.workspace_taken(platform, workspace, current.name))
            await tx.schools.link_workspace(school.id, platform, workspace)
            await tx.audit.record(
                "school.workspace_linked",
                at=self._clock.now(),
                school_id=school.id,
                detail={"platform": platform, "workspace": workspace},
            )
            return school

"""Who joins a school, and as what: the one home of that rule.

People arrive three ways: on first contact in chat (`Conversation`), from a platform's member
list (`Roster`), or added in the web chat (`Directory`). All three make schools, clean names
and zones, and decide roles and status here, so a person is the same whichever way they came.
"""

from __future__ import annotations

from datetime import datetime

from bot.calendar.zones import is_valid_zone
from bot.model import Actor
from bot.ports import NewPerson, Person, Role, School, Status, Transaction

DEFAULT_SCHOOL_NAME = "Our school"
MAX_NAME_CHARS = 80


def actor_of(person: Person) -> Actor:
    """The platform identity to send a person a direct message."""
    return Actor(
        platform=person.platform,
        workspace_id=person.workspace_id,
        user_id=person.user_id,
        display_name=person.display_name,
        timezone=person.timezone,
    )


def clean_name(raw: str) -> str:
    """A display name as given by a platform: spaces folded, at most `MAX_NAME_CHARS`.

    (A name someone types, in the web chat, is refused when too long rather than cut:
    see `Directory`.)"""
    return " ".join(raw.split())[:MAX_NAME_CHARS]


def clean_zone(zone: str | None) -> str | None:
    """A time zone a platform reports, if it is one we know; None leaves the school's."""
    return zone if zone and is_valid_zone(zone) else None


async def refresh_profile(
    tx: Transaction, person: Person, *, display_name: str, timezone: str | None
) -> Person | None:
    """The person's name and zone as their platform reports them now; None if unchanged.

    An empty name or an unknown zone keeps what we had."""
    name = clean_name(display_name) or person.display_name
    zone = clean_zone(timezone) or person.timezone
    if (name, zone) == (person.display_name, person.timezone):
        return None
    return await tx.people.set_profile(person.id, display_name=name, timezone=zone)


async def school_for(
    tx: Transaction,
    platform: str,
    workspace_id: str,
    *,
    name: str,
    timezone: str,
    at: datetime,
) -> tuple[School, bool]:
    """The school a workspace belongs to, made (named after it) the first time; and whether
    it was made just now."""
    school = await tx.schools.for_workspace(platform, workspace_id)
    if school is not None:
        return school, False
    school = await tx.schools.create(clean_name(name) or DEFAULT_SCHOOL_NAME, timezone=timezone)
    await tx.schools.link_workspace(school.id, platform, workspace_id)
    await tx.audit.record("school.created", at=at, school_id=school.id)
    return school, True


async def join(
    tx: Transaction,
    school: School,
    *,
    platform: str,
    workspace_id: str,
    user_id: str,
    display_name: str,
    timezone: str | None,
    at: datetime,
    role: Role = Role.STAFF,
    guest: bool = False,
    department_id: int | None = None,
) -> Person:
    """A new person in `school`; in an opt-in school they arrive invited (asked only once they
    say `start`)."""
    new = NewPerson(
        school_id=school.id,
        platform=platform,
        workspace_id=workspace_id,
        user_id=user_id,
        display_name=clean_name(display_name),
        timezone=clean_zone(timezone),
        role=role,
        status=Status.INVITED if school.opt_in else Status.ACTIVE,
        guest=guest,
        department_id=department_id,
    )
    person = await tx.people.create(new, at=at)
    await tx.audit.record("person.joined", at=at, person_id=person.id, school_id=school.id)
    return person

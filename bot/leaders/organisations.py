"""Trusts (organisations of schools), kept by operators from the command line: trust staff
rarely share one chat workspace, so `tinysteps org …` is where a trust is put together."""

from __future__ import annotations

from bot import texts
from bot.ports import Clock, Role, Store, Transaction
from bot.refusals import Refusal

MAX_NAME = 200


class OrganisationRefused(Refusal):
    """An organisation change that can't be made; nothing was changed."""


async def create(store: Store, clock: Clock, name: str) -> int:
    name = " ".join(name.split())
    if not 0 < len(name) <= MAX_NAME:
        raise OrganisationRefused(texts.ORG_NAME_NEEDED)
    async with store.transaction() as tx:
        if await tx.schools.organisation_named(name) is not None:
            raise OrganisationRefused(texts.org_exists(name))
        organisation = await tx.schools.add_organisation(name)
        await tx.audit.record("org.created", at=clock.now(), detail={"name": name})
    return organisation


async def add_school(store: Store, clock: Clock, name: str, school_id: int) -> str:
    async with store.transaction() as tx:
        organisation = await _known(tx, name)
        school = await tx.schools.get(school_id)
        if school is None:
            raise OrganisationRefused(texts.NO_SUCH_SCHOOL)
        before = school.organisation_id
        await tx.schools.join_organisation(school_id, organisation)
        await tx.audit.record(
            "org.school_added",
            at=clock.now(),
            school_id=school_id,
            detail={"organisation": name, "before": before, "after": organisation},
        )
    return texts.org_school_added(school.name, name)


async def set_role(store: Store, clock: Clock, name: str, person_id: int, role: str) -> str:
    """`leader` or `admin` across the trust, or `none` to take it away."""
    wanted = None if role.lower() in {"none", "staff", "off"} else role.lower()
    if wanted not in (None, Role.LEADER, Role.ADMIN):
        raise OrganisationRefused(texts.ORG_ROLE_HELP)
    async with store.transaction() as tx:
        organisation = await _known(tx, name)
        person = await tx.people.get(person_id)
        if person is None:
            raise OrganisationRefused(texts.NO_SUCH_PERSON)
        school = await tx.schools.get(person.school_id)
        if school is None or school.organisation_id != organisation:
            raise OrganisationRefused(texts.org_person_outside(person.display_name, name))
        await tx.people.set_organisation_role(
            organisation, person_id, Role(wanted) if wanted else None
        )
        await tx.audit.record(
            "org.role",
            at=clock.now(),
            school_id=person.school_id,
            detail={"target_id": person_id, "target": person.display_name, "after": wanted or ""},
        )
    return texts.org_role_set(person.display_name, name, wanted)


async def _known(tx: Transaction, name: str) -> int:
    organisation = await tx.schools.organisation_named(" ".join(name.split()))
    if organisation is None:
        raise OrganisationRefused(texts.unknown_org(name[:80]))
    return organisation


async def set_sharing(store: Store, clock: Clock, name: str, setting: str) -> str:
    """`tinysteps org sharing NAME on|off`: whether "who else is trying this" looks across the
    trust's schools (only ever at steps their authors let travel)."""
    if setting not in ("on", "off"):
        raise OrganisationRefused(texts.ORG_SHARING_HELP)
    async with store.transaction() as tx:
        organisation = await _known(tx, name)
        await tx.schools.set_organisation_sharing(organisation, setting == "on")
        await tx.audit.record(
            "org.sharing", at=clock.now(), detail={"organisation": organisation, "on": setting}
        )
    return texts.org_sharing_set(name, setting == "on")

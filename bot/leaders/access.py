"""Who may see what: every leaders' read is scoped here, in the core, never in an adapter.

Staff see their own entries only. A department leader sees their departments; a school leader
or admin their school; a trust (organisation) leader or admin every school of the trust. A
scope is asked for in words (`department Maths`, `school`, `trust`) or left to be the
person's widest; anything beyond what their role allows is refused, kindly, naming who can help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot import texts
from bot.ports import Department, Person, Role, School, Transaction
from bot.refusals import Refusal

Level = Literal["department", "school", "trust"]
_SCOPE = re.compile(r"(?:^|\s)(departments?\s+\S.*|school|trust)\s*$", re.IGNORECASE)


class AccessRefused(Refusal):
    """Asked to see more than this person's role lets them see."""


@dataclass(frozen=True, slots=True)
class Scope:
    level: Level
    label: str  # the department(s), school or trust's name, as the summary's title says it
    schools: tuple[School, ...]
    departments: tuple[Department, ...] = ()  # empty: whole schools

    @property
    def department_ids(self) -> frozenset[int] | None:
        return frozenset(d.id for d in self.departments) if self.departments else None


def split_scope(words: str) -> tuple[str, str]:
    """`last week department Maths` → (`last week`, `department Maths`)."""
    match = _SCOPE.search(words.strip())
    if match is None:
        return words.strip(), ""
    return words.strip()[: match.start()].strip(), match.group(1).strip()


async def scope_for(tx: Transaction, person: Person, school: School, wanted: str) -> Scope:
    """The scope `wanted` names (blank: the widest this person has), or `AccessRefused`."""
    trusts = [r for r in await tx.people.organisation_roles(person.id) if r.role is not Role.STAFF]
    leads = await tx.people.leads(person.id) if person.role is Role.LEADER else frozenset()
    whole_school = person.role is Role.ADMIN or (person.role is Role.LEADER and not leads)
    if person.role is Role.STAFF and not trusts:
        raise AccessRefused(texts.leaders_only(await _admin_names(tx, school)))
    word = wanted.split(" ", 1)[0].lower()
    if not wanted:
        word = "trust" if trusts else "school" if whole_school else "department"
    if word == "trust":
        if not trusts:
            raise AccessRefused(texts.NOT_A_TRUST_LEADER)
        trust = trusts[0]
        schools = tuple(await tx.schools.in_organisation(trust.organisation_id))
        return Scope("trust", trust.name, schools)
    if word == "school":
        if not (whole_school or trusts):
            raise AccessRefused(texts.department_leader_only(await _names(tx, school, leads)))
        return Scope("school", school.name, (school,))
    if word.startswith("department"):
        named = wanted.split(" ", 1)[1] if " " in wanted else ""
        departments = await _departments(tx, school, named, leads)
        allowed = whole_school or bool(trusts) or all(d.id in leads for d in departments)
        if not allowed:
            raise AccessRefused(texts.department_leader_only(await _names(tx, school, leads)))
        label = ", ".join(d.name for d in departments)
        return Scope("department", label, (school,), tuple(departments))
    raise AccessRefused(texts.SCOPE_UNCLEAR)


async def _departments(
    tx: Transaction, school: School, named: str, leads: frozenset[int]
) -> list[Department]:
    """The departments named (comma-separated), or a leader's own when none are named."""
    if not named.strip():
        mine = [d for d in await tx.schools.departments(school.id) if d.id in leads]
        if not mine:
            raise AccessRefused(texts.SCOPE_UNCLEAR)
        return mine
    found = []
    for name in (n.strip() for n in re.split(r",|\band\b", named) if n.strip()):
        department = await tx.schools.department_named(school.id, name)
        if department is None:
            known = [d.name for d in await tx.schools.departments(school.id)]
            raise AccessRefused(texts.unknown_department(name[:60], known))
        found.append(department)
    return found


async def _names(tx: Transaction, school: School, ids: frozenset[int]) -> list[str]:
    return [d.name for d in await tx.schools.departments(school.id) if d.id in ids]


async def _admin_names(tx: Transaction, school: School) -> list[str]:
    people = await tx.people.in_school(school.id)
    return sorted(p.display_name for p in people if p.role is Role.ADMIN and p.display_name)[:3]


async def may_lead(tx: Transaction, person: Person) -> bool:
    """Whether someone has any leader's view at all (for help and the home page)."""
    if person.role in (Role.LEADER, Role.ADMIN):
        return True
    return any(r.role is not Role.STAFF for r in await tx.people.organisation_roles(person.id))

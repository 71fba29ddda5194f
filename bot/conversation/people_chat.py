"""Admins place people: `config role @Sam leader [Maths, Science]`, `config person @Sam
department Maths`. A person is a platform mention (the adapter says whom it names) or, in the
web chat, a name; either way only someone of this school, and never the last admin demoted."""

from __future__ import annotations

import re

from bot import texts
from bot.conversation.turn import Turn
from bot.model import Command, Message
from bot.ports import Department, Person, Role

_LIST = re.compile(r",|\band\b", re.IGNORECASE)


async def find_person(turn: Turn, words: str) -> tuple[Person, str] | None:
    """The person `words` start with, and the words after; None once the refusal is said."""
    words = words.strip()
    event = turn.event
    mentions = event.mentions if isinstance(event, Command | Message) else ()
    for mention in mentions:
        if words.lower().startswith(mention.text.lower()):
            actor = event.actor
            found = await turn.tx.people.by_identity(
                actor.platform, actor.workspace_id, mention.user_id
            )
            if found is None or found.school_id != turn.school.id:
                turn.say(texts.person_not_here(mention.text))
                return None
            return found, words[len(mention.text) :].strip()
    if mentions or not words:
        turn.say(texts.PERSON_NEEDED)
        return None
    named = words.removeprefix("@").strip()
    people = await turn.tx.people.in_school(turn.school.id)
    matches = [
        p
        for p in people
        if p.display_name
        and named.lower().startswith(p.display_name.lower())
        and named[len(p.display_name) : len(p.display_name) + 1] in ("", " ")
    ]
    longest = max((len(p.display_name) for p in matches), default=0)
    matches = [p for p in matches if len(p.display_name) == longest]
    if not matches:
        turn.say(texts.person_not_here(named.split(" ")[0][:60]))
        return None
    if len(matches) > 1:
        turn.say(texts.person_ambiguous(matches[0].display_name))
        return None
    return matches[0], named[longest:].strip()


async def role(turn: Turn, value: str) -> None:
    """`config role @Sam leader|admin|staff`, or `leader Maths, Science` for some departments."""
    found = await find_person(turn, value)
    if found is None:
        return
    person, rest = found
    word, _, names = rest.partition(" ")
    try:
        wanted = Role(word.lower())
    except ValueError:
        turn.say(texts.ROLE_HELP)
        return
    departments: list[Department] = []
    if names.strip() and wanted is not Role.LEADER:
        turn.say(texts.ROLE_HELP)
        return
    for name in (n.strip() for n in _LIST.split(names) if n.strip()):
        department = await turn.tx.schools.department_named(turn.school.id, name)
        if department is None:
            known = [d.name for d in await turn.tx.schools.departments(turn.school.id)]
            turn.say(texts.unknown_department(name[:60], known))
            return  # nothing changes half-way
        departments.append(department)
    if person.role is Role.ADMIN and wanted is not Role.ADMIN:
        admins = [p for p in await turn.tx.people.in_school(turn.school.id) if p.role is Role.ADMIN]
        if len(admins) <= 1:
            turn.say(texts.LAST_ADMIN)
            return
    before = await _role_words(turn, person)
    await turn.tx.people.set_role(person.id, turn.school.id, wanted)
    await turn.tx.people.set_leads(person.id, [d.id for d in departments])
    after = await _role_words(turn, await _reloaded(turn, person))
    await turn.audit(
        "config.role", target_id=person.id, target=person.display_name, before=before, after=after
    )
    turn.say(texts.role_set(person.display_name, wanted, [d.name for d in departments]))


async def _reloaded(turn: Turn, person: Person) -> Person:
    again = await turn.tx.people.get(person.id)
    assert again is not None
    return again


async def _role_words(turn: Turn, person: Person) -> str:
    leads = await turn.tx.people.leads(person.id) if person.role is Role.LEADER else frozenset()
    names = [d.name for d in await turn.tx.schools.departments(turn.school.id) if d.id in leads]
    return f"{person.role} ({', '.join(names)})" if names else str(person.role)


async def person(turn: Turn, value: str) -> None:
    """`config person @Sam department Maths` (or `none`)."""
    found = await find_person(turn, value)
    if found is None:
        return
    who, rest = found
    setting, _, name = rest.partition(" ")
    if setting.lower() != "department" or not name.strip():
        turn.say(texts.PERSON_HELP)
        return
    before = await _department_name(turn, who.department_id)
    if name.strip().lower() in {"none", "no", "off"}:
        department_id, after = None, ""
    else:
        department = await turn.tx.schools.department_named(turn.school.id, name.strip())
        if department is None:
            known = [d.name for d in await turn.tx.schools.departments(turn.school.id)]
            turn.say(texts.unknown_department(name.strip()[:60], known))
            return
        department_id, after = department.id, department.name
    await turn.tx.people.set_preferences(who.id, department_id=department_id)
    await turn.audit(
        "config.person_department",
        target_id=who.id,
        target=who.display_name,
        before=before,
        after=after,
    )
    turn.say(texts.person_department_set(who.display_name, after))


async def _department_name(turn: Turn, department_id: int | None) -> str:
    if department_id is None:
        return ""
    for department in await turn.tx.schools.departments(turn.school.id):
        if department.id == department_id:
            return department.name
    return ""

"""Who may see what (issue 13 §1): every role against every scope, checked in the core."""

from __future__ import annotations

import pytest

from bot.leaders.access import AccessRefused, scope_for, split_scope
from bot.ports import Store
from tests.bot.chat import said
from tests.bot.leaders.conftest import Trust

ROLES = ["staff", "department leader", "school leader", "trust leader", "admin"]
SCOPES = ["department Maths", "department Science", "school", "trust"]
# Who may see each scope: their own department (Maths), another one, the school, the trust.
ALLOWED = {
    "staff": (False, False, False, False),
    "department leader": (True, False, False, False),
    "school leader": (True, True, True, False),
    "trust leader": (True, True, True, True),
    "admin": (True, True, True, False),
}


async def _scope(store: Store, trust: Trust, role: str, wanted: str) -> str:
    who = trust.by_role(role).actor
    async with store.transaction() as tx:
        person = await tx.people.by_identity(who.platform, who.workspace_id, who.user_id)
        assert person is not None
        school = await tx.schools.get(person.school_id)
        assert school is not None
        scope = await scope_for(tx, person, school, wanted)
    return f"{scope.level}:{scope.label}:{len(scope.schools)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("wanted", SCOPES)
async def test_each_role_sees_exactly_its_scopes(
    store: Store, trust: Trust, role: str, wanted: str
) -> None:
    allowed = ALLOWED[role][SCOPES.index(wanted)]

    if allowed:
        assert await _scope(store, trust, role, wanted)
    else:
        with pytest.raises(AccessRefused):
            await _scope(store, trust, role, wanted)


@pytest.mark.parametrize(
    ("role", "widest"),
    [
        ("department leader", "department:Maths:1"),
        ("school leader", "school:our school:1"),
        ("admin", "school:our school:1"),
        ("trust leader", "trust:North Trust:2"),
    ],
)
async def test_a_leader_with_no_scope_named_gets_their_widest(
    store: Store, trust: Trust, role: str, widest: str
) -> None:
    assert (await _scope(store, trust, role, "")).lower() == widest.lower()


async def test_staff_are_told_who_can_help(trust: Trust) -> None:
    out = await trust.staff.say("summary")

    assert "for your school's leaders" in said(out)
    assert "ADMIN" in said(out)


async def test_a_department_leader_asking_for_the_school_is_told_what_they_lead(
    trust: Trust,
) -> None:
    out = await trust.dl.say("summary this week school")

    assert "You lead Maths" in said(out)


async def test_another_schools_department_cannot_be_named(trust: Trust) -> None:
    await trust.other.say("config department add Drama")

    out = await trust.sl.say("summary department Drama")

    assert "don't know a department called “Drama”" in said(out)


async def test_a_school_leader_cannot_ask_for_the_trust(trust: Trust) -> None:
    out = await trust.sl.say("summary trust")

    assert "Trust-wide summaries are for your trust's leaders" in said(out)


@pytest.mark.parametrize(
    ("words", "split"),
    [
        ("", ("", "")),
        ("last week", ("last week", "")),
        ("last week department Maths", ("last week", "department Maths")),
        ("department Maths, Science", ("", "department Maths, Science")),
        ("2026-09-01 to 2026-10-01 school", ("2026-09-01 to 2026-10-01", "school")),
        ("this term trust", ("this term", "trust")),
    ],
)
def test_a_scope_is_read_from_the_end_of_the_words(words: str, split: tuple[str, str]) -> None:
    assert split_scope(words) == split

"""What evidence asks the database, on SQLite and PostgreSQL alike: each theme's steps, people
and outcome mix in one grouped query, and the kept practices colleagues kept too."""

from __future__ import annotations

from datetime import timedelta

from bot.ports import Consent, Outcome
from storage.evidence import SqlEvidence
from storage.store import SqlStore
from tests.bot.evidence_report.conftest import (
    MONDAY,
    SUNDAY,
    School,
    adopt,
    remove,
    share,
    standout,
    step,
)

KEEPING = Outcome.KEEPING


async def by_theme(
    store: SqlStore, school: School, departments: list[int] | None = None
) -> dict[str | None, tuple[int, ...]]:
    """theme → (steps, people, keeping, changed, dropped, too early)."""
    async with store.transaction() as tx:
        rows = await SqlEvidence(tx.session).by_theme([school.id], MONDAY, SUNDAY, departments)
    return {theme: tuple(figures) for theme, *figures in rows}


async def kept(
    store: SqlStore, school: School, departments: list[int] | None = None, *, limit: int = 3
) -> list[tuple[int, int, int, bool, Consent | None]]:
    """(entry id, colleagues who kept it too, colleagues who'd try it, shared, consent)."""
    async with store.transaction() as tx:
        rows = await SqlEvidence(tx.session).kept(
            [school.id], MONDAY, SUNDAY, departments, limit=limit
        )
    return [
        (entry.id, by, adopters, shared, consent) for entry, by, adopters, shared, consent in rows
    ]


async def test_each_theme_has_its_steps_people_and_outcome_mix(
    store: SqlStore, school: School
) -> None:
    s = school
    await step(store, s.id, s.ana, s.maths, theme="feedback", outcome=KEEPING)
    await step(store, s.id, s.ana, s.maths, theme="feedback", outcome=KEEPING)
    await step(store, s.id, s.cat, s.maths, theme="feedback", outcome=Outcome.CHANGED)
    await step(store, s.id, s.ben, s.science, theme="feedback", outcome=Outcome.TOO_EARLY)
    await step(store, s.id, s.ben, s.science, theme="feedback")
    await step(store, s.id, s.ben, s.science, theme="retrieval", outcome=Outcome.DROPPED)
    await step(store, s.id, s.dev, s.science)

    assert await by_theme(store, s) == {
        "feedback": (5, 3, 2, 1, 0, 1),
        "retrieval": (1, 1, 0, 0, 1, 0),
        None: (1, 1, 0, 0, 0, 0),
    }


async def test_undone_steps_and_steps_outside_the_period_are_left_out(
    store: SqlStore, school: School
) -> None:
    s = school
    live = await step(store, s.id, s.ana, s.maths, theme="feedback", outcome=KEEPING)
    undone = await step(store, s.id, s.cat, s.maths, theme="feedback", outcome=KEEPING)
    await remove(store, undone)
    before = MONDAY - timedelta(days=1)
    await step(store, s.id, s.ben, s.science, theme="feedback", outcome=KEEPING, day=before)

    assert await by_theme(store, s) == {"feedback": (1, 1, 1, 0, 0, 0)}
    assert [row[0] for row in await kept(store, s)] == [live]


async def test_a_department_counts_only_the_steps_logged_in_it(
    store: SqlStore, school: School
) -> None:
    s = school
    await step(store, s.id, s.ana, s.maths, theme="feedback", outcome=KEEPING)
    science = await step(store, s.id, s.ben, s.science, theme="feedback", outcome=KEEPING)
    await step(store, s.id, s.dev, s.science, theme="retrieval")

    assert await by_theme(store, s, [s.maths]) == {"feedback": (1, 1, 1, 0, 0, 0)}
    assert await by_theme(store, s, [s.science]) == {
        "feedback": (1, 1, 1, 0, 0, 0),
        "retrieval": (1, 1, 0, 0, 0, 0),
    }
    assert [row[0] for row in await kept(store, s, [s.science])] == [science]


async def test_an_empty_period_has_no_themes(store: SqlStore, school: School) -> None:
    assert await by_theme(store, school) == {}
    assert await kept(store, school) == []


async def test_only_kept_steps_count_as_practices_most_kept_first(
    store: SqlStore, school: School
) -> None:
    s = school
    older = MONDAY + timedelta(days=1)
    lone = await step(store, s.id, s.ana, s.maths, theme="feedback", outcome=KEEPING, day=older)
    tried = await step(store, s.id, s.ben, s.science, outcome=KEEPING)
    popular = await step(store, s.id, s.cat, s.maths, outcome=KEEPING)
    await step(store, s.id, s.dev, s.science, outcome=Outcome.CHANGED)
    await step(store, s.id, s.dev, s.science, outcome=Outcome.TOO_EARLY)
    # Popular: Ana and Ben tried it and are keeping what it led to; Dev's try was dropped.
    for person, outcome in ((s.ana, KEEPING), (s.ben, KEEPING), (s.dev, Outcome.DROPPED)):
        taken = await step(store, s.id, person, None, outcome=outcome, day=MONDAY)
        await adopt(store, popular, person, taken)
    # Tried: two colleagues said they'd try it, and one kept what it led to until undoing it.
    await adopt(store, tried, s.cat)
    undone = await step(store, s.id, s.dev, s.science, outcome=KEEPING)
    await adopt(store, tried, s.dev, undone)
    await remove(store, undone)

    found = await kept(store, s, limit=5)

    assert [row[:3] for row in found][:3] == [(popular, 2, 3), (tried, 0, 2), (lone, 0, 0)]
    assert len(found) == 5  # Ana's and Ben's own kept steps come after, by day and id
    assert len(await kept(store, s, limit=1)) == 1


async def test_a_practice_says_whether_it_stands_shared_and_what_its_author_agreed(
    store: SqlStore, school: School
) -> None:
    s = school
    shared = await step(store, s.id, s.ana, s.maths, outcome=KEEPING)
    taken_back = await step(store, s.id, s.ben, s.science, outcome=KEEPING)
    named = await step(store, s.id, s.cat, s.maths, outcome=KEEPING)
    await share(store, s.id, shared)
    await share(store, s.id, taken_back, withdrawn=True)
    await standout(store, named, Consent.NAMED)

    found = {row[0]: row[3:] for row in await kept(store, s)}

    assert found == {
        shared: (True, None),
        taken_back: (False, None),
        named: (False, Consent.NAMED),
    }

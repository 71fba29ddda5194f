"""Evidence's figures from storage: themes named as the school names them, with their strand,
busiest first, and kept practices credited as their authors agreed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ports import Consent, Outcome, Store, ThemeChange
from tests.bot.evidence_report.conftest import (
    SUNDAY,
    School,
    adopt,
    figures_for,
    share,
    standout,
    step,
)

KEEPING = Outcome.KEEPING
AT = datetime(2026, 11, 20, tzinfo=UTC)


async def test_themes_carry_the_schools_names_and_the_toolkit_strand(
    store: Store, school: School
) -> None:
    s = school
    async with store.transaction() as tx:
        await tx.themes.put(s.id, ThemeChange("feedback", "Marking and feedback"), at=AT)
        await tx.themes.put(s.id, ThemeChange("oracy", "Oracy", "Talk"), at=AT)
        await tx.themes.put(s.id, ThemeChange("workload", "Workload", retired=True), at=AT)
    await step(store, s.id, s.ana, s.maths, theme="feedback", outcome=KEEPING)
    await step(store, s.id, s.ben, s.science, theme="feedback", outcome=Outcome.DROPPED)
    await step(store, s.id, s.ben, s.science, theme="oracy")
    await step(store, s.id, s.cat, s.maths, theme="workload")
    await step(store, s.id, s.cat, s.maths)
    await step(store, s.id, s.cat, s.maths)
    await step(store, s.id, s.cat, s.maths, theme="gone-from-every-list")

    themes = (await figures_for(store, s)).themes

    assert [(t.name, t.strand, t.entries, t.people) for t in themes] == [
        ("Marking and feedback", "Feedback", 2, 2),  # most steps first, then by name
        ("gone-from-every-list", None, 1, 1),
        ("Oracy", None, 1, 1),
        ("Workload", None, 1, 1),  # retired: its steps keep their theme
        ("Not themed yet", None, 2, 1),  # last, however many
    ]
    assert str(themes[0].link).endswith("/feedback")
    assert (themes[0].kept, themes[0].dropped, themes[0].not_asked) == (1, 1, 0)


async def test_practices_name_only_authors_who_agreed(store: Store, school: School) -> None:
    s = school
    shared = await step(store, s.id, s.ana, s.maths, outcome=KEEPING, text="Shared")
    anonymous = await step(store, s.id, s.ben, s.science, outcome=KEEPING, text="Anonymous")
    private = await step(store, s.id, s.cat, s.maths, outcome=KEEPING, text="Private")
    await share(store, s.id, shared)
    await share(store, s.id, anonymous)
    await standout(store, anonymous, Consent.ANONYMOUS)
    later = SUNDAY + timedelta(days=1)  # Dev's own step is outside the week
    taken = await step(store, s.id, s.dev, s.science, outcome=KEEPING, day=later)
    await adopt(store, private, s.dev, taken)

    practices = (await figures_for(store, s)).practices

    credits = {p.text: (p.author, p.department, p.public) for p in practices}
    assert credits == {
        "Private": (None, "Maths", False),  # most kept: Dev kept it too
        "Shared": ("Ana", "Maths", True),
        "Anonymous": (None, "Science", True),
    }
    assert practices[0].text == "Private"
    assert (practices[0].kept_by, practices[0].adopters) == (1, 1)


async def test_a_share_names_its_author_only_inside_their_school(
    store: Store, school: School
) -> None:
    s = school
    shared = await step(store, s.id, s.ana, s.maths, outcome=KEEPING)
    await share(store, s.id, shared)

    [elsewhere] = (await figures_for(store, s, home=s.id + 1000)).practices

    assert elsewhere.author is None


async def test_a_department_sees_its_own_steps_only(store: Store, school: School) -> None:
    s = school
    await step(store, s.id, s.ana, s.maths, theme="feedback", outcome=KEEPING, text="Maths")
    await step(store, s.id, s.ben, s.science, theme="retrieval", outcome=KEEPING, text="Sci")

    found = await figures_for(store, s, departments=(s.maths,))

    assert [t.name for t in found.themes] == ["Feedback"]
    assert [p.text for p in found.practices] == ["Maths"]

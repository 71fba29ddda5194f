"""What leaders read: themes side by side with their Toolkit strand and outcome mix, and the
most-kept practices, naming only the authors who agreed to it (issue 15 §4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.calendar.periods import Period
from bot.evidence.report import (
    EvidenceFigures,
    Practice,
    ThemeFigures,
    digest_section,
    evidence_content,
    may_name,
)
from bot.model import BulletList, Fields, Heading, Paragraph
from bot.ports import Consent
from tests.bot.evidence_report.conftest import words_in

WEEK = Period(date(2026, 11, 23), date(2026, 11, 29))
FEEDBACK = ThemeFigures(
    "feedback", "Feedback", "Feedback", "https://eef/feedback", 12, 5, 6, 2, 1, 1
)
RETRIEVAL = ThemeFigures("retrieval", "Retrieval practice", None, None, 3, 2, 0, 0, 0, 0)
UNTHEMED = ThemeFigures(None, "Not themed yet", None, None, 2, 1, 0, 0, 0, 0)
NAMED = Practice(
    1, "Exit tickets every lesson", "Feedback", "Sam Jones", "Maths", "Hill Top", 2, 3, True
)
UNNAMED = Practice(2, "Silent starter", None, None, "Science", "Hill Top", 0, 0, False)


def figures(**changes: object) -> EvidenceFigures:
    found = EvidenceFigures(
        period=WEEK,
        scope="Hill Top",
        themes=(FEEDBACK, RETRIEVAL, UNTHEMED),
        practices=(NAMED, UNNAMED),
        as_of=WEEK.end,
    )
    return replace(found, **changes)  # type: ignore[arg-type]


def test_themes_are_side_by_side_with_their_strand_and_outcome_mix() -> None:
    [themes] = [b for b in evidence_content(figures()).blocks if isinstance(b, BulletList)]

    assert themes.items == (
        "Feedback [EEF Toolkit: Feedback]: 12 steps by 5 people; "
        "6 kept, 2 changed, 1 dropped, 1 too early to say",
        "Retrieval practice: 3 steps by 2 people; not followed up yet",
        "Not themed yet: 2 steps by 1 person; not followed up yet",
    )


def test_the_figures_add_up_across_themes() -> None:
    content = evidence_content(figures())

    [fields] = [b for b in content.blocks if isinstance(b, Fields)]
    assert fields.pairs == (
        ("Steps logged", "17"),
        ("Followed up", "10 of 17"),
        ("Kept", "6 (67% of those followed up)"),
    )
    assert "17 steps logged; 6 of 9 followed up were kept" in content.fallback


def test_the_toolkit_is_named_where_a_strand_is_shown() -> None:
    assert "Teaching and Learning Toolkit" in words_in(evidence_content(figures()))
    no_strands = figures(themes=(RETRIEVAL,))
    assert "Teaching and Learning Toolkit" not in words_in(evidence_content(no_strands))


def test_a_named_author_is_credited_and_anyone_else_is_a_colleague() -> None:
    said = words_in(evidence_content(figures()))

    assert "Exit tickets every lesson" in said
    assert (
        "Sam Jones · Maths · Feedback. Kept by its author and 2 of the 3 colleagues who "
        "took it up." in said
    )
    assert "A colleague · Science. Kept by its author." in said
    assert said.count("Sam Jones") == 1


def test_a_trusts_practices_say_their_school() -> None:
    said = words_in(evidence_content(figures(several_schools=True)))

    assert "Sam Jones · Maths, Hill Top · Feedback." in said


@pytest.mark.parametrize(
    ("kept_by", "adopters", "credit"),
    [
        (0, 0, "Kept by its author."),
        (0, 1, "Kept by its author; 1 colleague said they'd try it."),
        (1, 1, "Kept by its author and the colleague who took it up."),
        (3, 3, "Kept by its author and all 3 colleagues who took it up."),
        (1, 4, "Kept by its author and 1 of the 4 colleagues who took it up."),
    ],
)
def test_colleagues_who_kept_it_too_are_counted(kept_by: int, adopters: int, credit: str) -> None:
    practice = replace(NAMED, kept_by=kept_by, adopters=adopters)

    said = words_in(evidence_content(figures(practices=(practice,))))

    assert f"Sam Jones · Maths · Feedback. {credit}" in said


def test_without_kept_practices_it_says_why() -> None:
    said = words_in(evidence_content(figures(practices=())))

    assert "Nobody has said they're keeping a step" in said


def test_an_empty_period_says_so_gently() -> None:
    content = evidence_content(figures(themes=(), practices=()))

    assert [type(b) for b in content.blocks] == [Heading, Paragraph]
    assert "Nothing logged in this period yet" in content.fallback


def test_a_period_still_running_says_so_far() -> None:
    running = evidence_content(figures(as_of=date(2026, 11, 24)))
    done = evidence_content(figures())

    assert "(so far)" in running.fallback
    assert "(so far)" not in done.fallback


def test_the_digest_section_is_short_and_quotes_only_what_may_travel_in_a_channel() -> None:
    many = tuple(replace(RETRIEVAL, key=f"t{n}", name=f"Theme {n}") for n in range(8))

    to_a_leader = words_in(digest_section(figures(themes=(FEEDBACK, *many))))
    in_a_channel = words_in(digest_section(figures(), public=True))

    assert to_a_leader.count("steps by") == 5
    assert "Silent starter" in to_a_leader
    assert "Exit tickets every lesson" in in_a_channel
    assert "Silent starter" not in in_a_channel
    assert digest_section(figures(themes=())) == ()


@pytest.mark.parametrize(
    ("shared", "consent", "school", "named"),
    [
        (False, None, 1, False),  # logged only: leaders see the words, not the name
        (True, None, 1, True),  # shared in their school: named there
        (True, None, 2, False),  # ...but not in another school of the trust
        (False, Consent.NAMED, 2, True),  # agreed to travel with their name: anywhere
        (True, Consent.ANONYMOUS, 1, False),  # chose to go without it: never named
        (False, Consent.DECLINED, 1, False),
        (True, Consent.DECLINED, 1, True),  # kept in the department, which is in the school
        (False, Consent.ASKED, 1, False),
    ],
)
def test_who_may_be_named(shared: bool, consent: Consent | None, school: int, named: bool) -> None:
    assert may_name(shared, consent, school, home=1) is named

"""The default school-wide theme taxonomy: twelve themes, most following a strand of the Education
Endowment Foundation's Teaching and Learning Toolkit, plus what staff log that the Toolkit does
not cover (retrieval practice, from the cognitive-science guidance, and staff workload).

The descriptions are ours; a strand and its link are facts about the Toolkit, nothing copied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.ports import Transaction

TOOLKIT = "https://educationendowmentfoundation.org.uk/education-evidence/teaching-learning-toolkit"


@dataclass(frozen=True, slots=True)
class ThemeInfo:
    """One theme: its id (stored with each entry), a name and a plain-English description, and
    the Toolkit strand it relates to with the strand's public page, where one exists."""

    id: str
    name: str
    description: str
    strand: str | None
    link: str | None


def _strand(name: str, slug: str) -> tuple[str, str]:
    return name, f"{TOOLKIT}/{slug}"


DEFAULT_THEMES: tuple[ThemeInfo, ...] = (
    ThemeInfo(
        "feedback",
        "Feedback",
        "Telling pupils how their work is going and what to do next, and giving them time to "
        "act on it: marking, spoken and whole-class feedback, peer and self-assessment.",
        *_strand("Feedback", "feedback"),
    ),
    ThemeInfo(
        "metacognition",
        "Metacognition",
        "Helping pupils plan, check and review their own learning: modelling your thinking out "
        "loud, worked examples, checklists, reflecting on what worked.",
        *_strand("Metacognition and self-regulation", "metacognition-and-self-regulation"),
    ),
    ThemeInfo(
        "retrieval",
        "Retrieval practice",
        "Bringing earlier learning back to mind so it sticks: low-stakes quizzes, recalling "
        "from memory, flashcards, spacing practice out over time.",
        None,
        None,
    ),
    ThemeInfo(
        "questioning",
        "Questioning and talk",
        "How questions are asked and answered, and how pupils talk about their learning: "
        "choosing who answers, thinking time, discussion, answering in full sentences.",
        *_strand("Oral language interventions", "oral-language-interventions"),
    ),
    ThemeInfo(
        "reading",
        "Reading and vocabulary",
        "Reading and understanding texts, and the words in them: phonics, fluency, reading "
        "aloud, comprehension strategies, teaching vocabulary, reading for pleasure.",
        *_strand("Reading comprehension strategies", "reading-comprehension-strategies"),
    ),
    ThemeInfo(
        "behaviour",
        "Behaviour and routines",
        "A calm, orderly place to learn: routines, clear expectations, seating, praise, and "
        "consequences applied consistently, in lessons and around school.",
        *_strand("Behaviour interventions", "behaviour-interventions"),
    ),
    ThemeInfo(
        "parents",
        "Parents and families",
        "Working with parents and carers: good news home, parents' evenings, helping families "
        "support learning at home, inviting them in, clear communication.",
        *_strand("Parental engagement", "parental-engagement"),
    ),
    ThemeInfo(
        "collaboration",
        "Collaborative learning",
        "Pupils learning with and from each other: structured group and pair work with roles, "
        "peer tutoring and mentoring, pupils teaching one another.",
        *_strand("Collaborative learning approaches", "collaborative-learning-approaches"),
    ),
    ThemeInfo(
        "inclusion",
        "Inclusion and support",
        "Making lessons work for pupils who need something extra: SEND and EAL support, "
        "adapting and scaffolding tasks, pre-teaching, making the most of teaching assistants.",
        *_strand("Individualised instruction", "individualised-instruction"),
    ),
    ThemeInfo(
        "wellbeing",
        "Wellbeing",
        "How pupils and staff feel: checking in on emotions, calm and safe spaces, kindness "
        "and thanks, looking after yourself and each other.",
        *_strand("Social and emotional learning", "social-and-emotional-learning"),
    ),
    ThemeInfo(
        "technology",
        "Technology",
        "Using technology to teach or to run things better: visualisers, online quizzes and "
        "homework, recorded explanations, shared files, forms instead of paper.",
        *_strand("Digital technology", "digital-technology"),
    ),
    ThemeInfo(
        "workload",
        "Workload",
        "Giving staff time back: sharing planning, fewer and shorter meetings and emails, "
        "sensible marking policies, templates and less paperwork.",
        None,
        None,
    ),
)

THEME_IDS: tuple[str, ...] = tuple(theme.id for theme in DEFAULT_THEMES)


def theme(theme_id: str) -> ThemeInfo:
    """The default theme with this id (KeyError if there is none)."""
    for info in DEFAULT_THEMES:
        if info.id == theme_id:
            return info
    raise KeyError(theme_id)


_KEY = re.compile(r"[^a-z0-9]+")


async def taxonomy(tx: Transaction, school_id: int) -> list[ThemeInfo]:
    """The school's themes: the defaults as renamed, less the retired, plus its own."""
    changes = {c.key: c for c in await tx.themes.changes(school_id)}
    themes = []
    for info in DEFAULT_THEMES:
        change = changes.pop(info.id, None)
        if change is None:
            themes.append(info)
        elif not change.retired:
            description = change.description or info.description
            themes.append(replace(info, name=change.name, description=description))
    themes += [
        ThemeInfo(c.key, c.name, c.description, None, None)
        for c in changes.values()
        if not c.retired
    ]
    return themes


def key_for(name: str) -> str:
    return _KEY.sub("-", name.lower()).strip("-")[:40]


def find(themes: Sequence[ThemeInfo], words: str) -> ThemeInfo | None:
    wanted = key_for(words)
    return next((t for t in themes if wanted in (t.id, key_for(t.name))), None)

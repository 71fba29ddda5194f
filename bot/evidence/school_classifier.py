"""Each school's classifier: the shipped one, taught by that school's corrections.

It is trained off the event loop (a thread) the first time a school's set of corrections is
seen in this process, then kept; classifying one entry takes a millisecond or two.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import TYPE_CHECKING

from bot.evidence.taxonomy import ThemeInfo, taxonomy
from bot.ports import Transaction

if TYPE_CHECKING:
    from bot.evidence.classify import ThemeClassifier

MAX_CORRECTIONS = 500  # a school's newest corrections teach its classifier
_CACHED = 16
_classifiers: OrderedDict[tuple[tuple[str, str], ...], ThemeClassifier] = OrderedDict()


async def _classifier(tx: Transaction, school_id: int) -> ThemeClassifier:
    corrections = tuple(await tx.improvements.corrections(school_id))[-MAX_CORRECTIONS:]
    found = _classifiers.get(corrections)
    if found is None:
        found = await asyncio.to_thread(_train, corrections)
        _classifiers[corrections] = found
        while len(_classifiers) > _CACHED:
            _classifiers.popitem(last=False)
    _classifiers.move_to_end(corrections)
    return found


def _train(corrections: tuple[tuple[str, str], ...]) -> ThemeClassifier:
    from bot.evidence.classify import ThemeClassifier

    default = ThemeClassifier.default()
    return default.with_examples(list(corrections)) if corrections else default


async def ranked(tx: Transaction, school_id: int, text: str) -> list[ThemeInfo]:
    """The school's themes for these words, likeliest first (retired themes left out)."""
    themes = {t.id: t for t in await taxonomy(tx, school_id)}
    classifier = await _classifier(tx, school_id)
    return [themes[key] for key, _ in classifier.ranked(text) if key in themes]


async def classify(tx: Transaction, school_id: int, text: str) -> tuple[ThemeInfo, float] | None:
    """The school's likeliest theme for these words, and how sure (0 to 1)."""
    themes = {t.id: t for t in await taxonomy(tx, school_id)}
    classifier = await _classifier(tx, school_id)
    for key, score in classifier.ranked(text):
        if key in themes:
            return themes[key], score
    return None


async def warm_up() -> None:
    """Train the shipped classifier and read the examples for similarity before the first
    person logs a step, so their confirmation isn't the one that waits (a few seconds)."""
    from bot.evidence.similar import warm_up as warm_similarity

    await asyncio.to_thread(_train, ())
    await asyncio.to_thread(warm_similarity)

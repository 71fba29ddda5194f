"""The most similar earlier steps: who else tried something like this?

Entries of the same theme come first, then the rest; within each, by a text similarity that
blends three measures, each between 0 and 1 (weights chosen by measurement, see
`python -m bench --only themes`):

- the cosine of word TF-IDF vectors (stems and word pairs, plus a token per lexicon practice
  named), with document frequencies from the shipped examples and the indexed entries;
- the cosine of static word embeddings (`embed.py`), which relates wording that shares no
  word at all;
- the overlap (Jaccard) of the lexicon practices the two texts name, so that "no hands up" and
  "cold calling" are recognised as one practice;

and, for a share of `PROFILE_SHARE`, how alike the two texts' neighbourhoods among the shipped
examples are: each text's closest `PROFILE_NEIGHBOURS` examples (by words and embeddings) make
a sparse profile, and two wordings of one practice tend to sit near the same examples even when
they share no word (measured: best match on differently worded steps 49 % → 55 %).

`GOOD_MATCH` is the score above which a match is worth suggesting an introduction.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.evidence.embed import embed
from bot.evidence.text import Lexicon, Reading, default_examples, default_lexicon, read

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

# Calibrated on pairs of entries (bench/themes.py prints it): at 0.42, 98 % of the dev set's pairs
# scoring this or more describe one practice, and 79 % of the differently worded check set's
# (0.40 gives 96 % and 71 %): a wrong introduction costs more than a missed one.
GOOD_MATCH = 0.42
WORD_WEIGHT = 1.0
EMBEDDING_WEIGHT = 1.0
PRACTICE_WEIGHT = 1.0
PROFILE_SHARE = 0.35
PROFILE_NEIGHBOURS = 10


@functools.cache
def _example_documents() -> tuple[str, ...]:
    lexicon = default_lexicon()
    return tuple(read(text, lexicon).document() for text, _ in default_examples())


class _Profiles:
    """Texts as their neighbourhoods among the shipped examples (built once per process)."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        documents = _example_documents()
        self._words = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False
        ).fit(documents)
        self._example_words = normalize(self._words.transform(documents))
        self._example_meaning = embed([text for text, _ in default_examples()])

    def of(self, documents: Sequence[str], texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """One unit-length row per text: its closest examples' similarities, the rest zero."""
        from sklearn.preprocessing import normalize

        words = normalize(self._words.transform(list(documents))) @ self._example_words.T
        near = (np.asarray(words.todense()) + embed(list(texts)) @ self._example_meaning.T) / 2
        keep = np.argsort(-near, axis=1)[:, :PROFILE_NEIGHBOURS]
        profile = np.zeros_like(near)
        rows = np.arange(near.shape[0])[:, None]
        profile[rows, keep] = near[rows, keep]
        return np.asarray(normalize(profile))


@functools.cache
def _profiles() -> _Profiles:
    return _Profiles()


class SimilarityIndex:
    """Earlier entries, searchable by similarity to a new one.

    >>> index = SimilarityIndex([(1, "Cold calling in Y9", "questioning"), (2, "Seating plan", None)])
    >>> index.matches("No hands up with Y7", theme="questioning", limit=1)[0][0]
    1
    """

    def __init__(
        self,
        entries: Sequence[tuple[int, str, str | None]],
        *,
        lexicon: Lexicon | None = None,
    ) -> None:
        """Index (id, text, theme id or None) entries."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self._ids = np.array([entry_id for entry_id, _, _ in entries], dtype=np.int64)
        self._themes = np.array([theme or "" for _, _, theme in entries], dtype=object)
        readings = [read(text, self.lexicon) for _, text, _ in entries]
        documents = [reading.document() for reading in readings]

        self._words = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False
        ).fit([*_example_documents(), *documents])
        self._word_vectors: csr_matrix = (
            normalize(self._words.transform(documents)) if documents else None
        )
        self._embeddings = embed([text for _, text, _ in entries])
        self._practice_ids: dict[str, int] = {}
        self._practices = self._practice_matrix(readings)
        texts = [text for _, text, _ in entries]
        self._profiles = _profiles().of(documents, texts) if texts else np.zeros((0, 0))
        self._practice_counts = np.asarray(self._practices.sum(axis=1)).ravel()

    def __len__(self) -> int:
        return len(self._ids)

    def matches(
        self,
        text: str,
        *,
        theme: str | None,
        limit: int,
        exclude: Collection[int] = (),
    ) -> list[tuple[int, float]]:
        """Up to `limit` (entry id, similarity 0-1) pairs, best first: entries of `theme`
        first (when given), then the others; ids in `exclude` left out."""
        if not len(self._ids) or limit <= 0:
            return []
        scores = self.scores(text)
        same_theme = (
            self._themes == theme if theme else np.zeros(len(self._ids), dtype=bool)
        ).astype(np.float64)
        # Sort by (same theme first, higher score first, earlier entry first).
        order = np.lexsort((np.arange(len(self._ids)), -scores, -same_theme))
        excluded = set(exclude)
        found: list[tuple[int, float]] = []
        for position in order:
            entry_id = int(self._ids[position])
            if entry_id in excluded:
                continue
            found.append((entry_id, round(float(scores[position]), 4)))
            if len(found) == limit:
                break
        return found

    def scores(self, text: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The similarity (0-1) of `text` to every indexed entry, in the order given."""
        from sklearn.preprocessing import normalize

        reading = read(text, self.lexicon)
        query = normalize(self._words.transform([reading.document()]))
        words = np.asarray((self._word_vectors @ query.T).todense()).ravel()
        meaning = np.clip(self._embeddings @ embed([text])[0], 0.0, 1.0)
        practices = self._practice_overlap(reading)
        total = WORD_WEIGHT + EMBEDDING_WEIGHT + PRACTICE_WEIGHT
        blended = (
            WORD_WEIGHT * words + EMBEDDING_WEIGHT * meaning + PRACTICE_WEIGHT * practices
        ) / total
        neighbourhood = self._profiles @ _profiles().of([reading.document()], [text])[0]
        mixed = (1 - PROFILE_SHARE) * blended + PROFILE_SHARE * neighbourhood
        return np.asarray(mixed, dtype=np.float64)

    def _practice_matrix(self, readings: Sequence[Reading]) -> csr_matrix:
        """One row per entry, one column per practice named anywhere (1 where it names it)."""
        from scipy.sparse import csr_matrix

        rows: list[int] = []
        columns: list[int] = []
        for row, reading in enumerate(readings):
            for practice in reading.practices():
                if practice not in self._practice_ids:
                    self._practice_ids[practice] = len(self._practice_ids)
                rows.append(row)
                columns.append(self._practice_ids[practice])
        shape = (len(readings), max(len(self._practice_ids), 1))
        return csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)

    def _practice_overlap(self, reading: Reading) -> np.ndarray[Any, np.dtype[np.float64]]:
        named = reading.practices()
        if not named:
            return np.zeros(len(self._ids))
        known = [self._practice_ids[p] for p in named if p in self._practice_ids]
        shared = (
            np.asarray(self._practices[:, known].sum(axis=1)).ravel()
            if known
            else np.zeros(len(self._ids))
        )
        union = self._practice_counts + len(named) - shared
        overlap = np.divide(shared, union, out=np.zeros(len(self._ids)), where=union > 0)
        return np.asarray(overlap, dtype=np.float64)


def warm_up() -> None:
    """Read the shipped examples' neighbourhoods now rather than on the first match."""
    _profiles()

"""One theme for every entry, chosen on the machine: no model download, no outside service.

The method was chosen by measurement (`python -m bench --only themes`; README has the figures):
a logistic regression over two TF-IDF views of the text,

- word 1-2-grams of the stems, plus one token per practice of the shipped lexicon that the text
  names (so "no hands up" and "cold calling" share the token of their practice), and
- character 3-5-grams of the raw text, which forgive typos and unseen word forms,

blended with a small share of a second regression over static word embeddings (`embed.py`),
which knows related words that neither the examples nor the lexicon contain. It learns from the
shipped examples (`data/examples.txt`), each lexicon line, the themes' own descriptions and a
school's corrections, which count several times and are remembered word for word.

Training takes about a second and happens once per process for the default classifier (and
once per distinct set of corrections, see `with_examples`); classifying takes well under 5 ms.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.evidence.embed import embed
from bot.evidence.taxonomy import DEFAULT_THEMES
from bot.evidence.text import Lexicon, default_examples, default_lexicon, read, words

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

CORRECTION_WEIGHT = 5.0  # a school's correction outweighs a shipped example
EMBEDDING_SHARE = 0.1  # of the blended probabilities; the rest is the TF-IDF model's
TEXT_C = 10.0  # inverse regularisation of the TF-IDF regression (measured: 3-30 differ little)
EMBEDDING_C = 10.0
SEED = 0

_lock = threading.Lock()


def _key(text: str) -> str:
    """The same entry however it is cased or punctuated."""
    return " ".join(words(text)).lower()


class ThemeClassifier:
    """Chooses one theme id for an entry, with a 0-1 confidence.

    >>> theme, confidence = ThemeClassifier.default().classify("No hands up today in Y8")
    >>> theme
    'questioning'
    """

    def __init__(
        self,
        examples: Sequence[tuple[str, str]],
        *,
        corrections: Sequence[tuple[str, str]] = (),
        lexicon: Lexicon | None = None,
        embedding_share: float = EMBEDDING_SHARE,
    ) -> None:
        """Train on `examples` and `corrections` ((text, theme id) pairs), the lexicon's lines
        and the default themes' descriptions."""
        self.examples = tuple(examples)
        self.corrections = tuple(corrections)
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self.embedding_share = embedding_share
        self._remembered = {_key(text): theme for text, theme in self.corrections}
        self._shared = False  # the per-process default, see `with_examples`
        with _lock:  # scikit-learn's fit isn't meant to run twice at once on shared objects
            self._fit()

    @classmethod
    def default(cls) -> ThemeClassifier:
        """Trained once per process on the shipped examples and lexicon."""
        return _default()

    def with_examples(self, extra: Sequence[tuple[str, str]]) -> ThemeClassifier:
        """This classifier retrained with a school's corrections ((text, theme id) pairs) added:
        they weigh more than shipped examples, and a corrected text gets its theme back exactly.
        The same corrections on the default classifier are trained once per process."""
        corrections = (*self.corrections, *extra)
        if self._shared and len(corrections) <= _MAX_CACHED_CORRECTIONS:
            return _corrected(tuple(corrections))
        return ThemeClassifier(
            self.examples,
            corrections=corrections,
            lexicon=self.lexicon,
            embedding_share=self.embedding_share,
        )

    def classify(self, text: str) -> tuple[str, float]:
        """The most likely theme id of `text` and how likely (0-1)."""
        return self.ranked(text)[0]

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every theme id with its probability for `text`, likeliest first (a corrected text:
        its theme with 1.0, then the rest by probability)."""
        probabilities = self.probabilities([text])[0]
        order = sorted(range(len(self.themes)), key=lambda i: (-probabilities[i], i))
        found = [(self.themes[i], float(probabilities[i])) for i in order]
        if (remembered := self._remembered.get(_key(text))) is not None:
            found = [(remembered, 1.0), *((t, p) for t, p in found if t != remembered)]
        return found

    def probabilities(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """For each text, the probability of each theme of `self.themes` (rows sum to 1)."""
        text_part = self._text_model.predict_proba(self._features(texts))
        if not self.embedding_share:
            return np.asarray(text_part, dtype=np.float64)
        embedding_part = self._embedding_model.predict_proba(embed(texts))
        blended = (1 - self.embedding_share) * text_part + self.embedding_share * embedding_part
        return np.asarray(blended, dtype=np.float64)

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        from scipy.sparse import hstack

        documents = [read(text, self.lexicon).document() for text in texts]
        return hstack(
            [self._words.transform(documents), self._characters.transform(list(texts))],
            format="csr",
        )

    def _fit(self) -> None:
        # Imported here so that `import bot` stays fast; training happens at first use.
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        pairs = [
            *self.examples,
            *self.lexicon.lines(),
            *((f"{t.name}. {t.description}", t.id) for t in DEFAULT_THEMES),
            *self.corrections,
        ]
        texts = [text for text, _ in pairs]
        labels = [theme for _, theme in pairs]
        weights = np.ones(len(pairs))
        if self.corrections:
            weights[-len(self.corrections) :] = CORRECTION_WEIGHT

        self._words = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False
        )
        self._characters = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
        )
        documents = [read(text, self.lexicon).document() for text in texts]
        features = hstack(
            [self._words.fit_transform(documents), self._characters.fit_transform(texts)],
            format="csr",
        )
        self._text_model = LogisticRegression(
            C=TEXT_C, solver="saga", max_iter=3000, random_state=SEED
        ).fit(features, labels, sample_weight=weights)
        self.themes: tuple[str, ...] = tuple(str(c) for c in self._text_model.classes_)
        if self.embedding_share:
            self._embedding_model = LogisticRegression(C=EMBEDDING_C, max_iter=3000).fit(
                embed(texts), labels, sample_weight=weights
            )


_MAX_CACHED_CORRECTIONS = 10_000


@functools.cache
def _default() -> ThemeClassifier:
    classifier = ThemeClassifier(default_examples())
    classifier._shared = True
    return classifier


@functools.lru_cache(maxsize=16)
def _corrected(corrections: tuple[tuple[str, str], ...]) -> ThemeClassifier:
    return ThemeClassifier(default_examples(), corrections=corrections)

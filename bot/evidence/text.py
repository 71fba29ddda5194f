"""An entry's words as the evidence engine reads them: lower-cased word stems, plus the practices
of the shipped lexicon that the entry names ("no hands up" and "cold calling" both name the
`questioning/no-hands-up` practice), so that different words for one practice look alike.

Also loads the shipped knowledge in `data/`: the labelled examples and the lexicon.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

import snowballstemmer

KEYWORDS = "keywords"  # a lexicon line of words typical of a theme, rather than one practice
PRACTICE_MARK = "zzp"  # prefixes the tokens that stand for a named practice,
THEME_MARK = "zzt"  # for the theme of a named practice,
KEYWORD_MARK = "zzk"  # and for the theme of a typical word

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_YEAR = re.compile(r"\b(?:year|yr|y)\s*(\d{1,2})s?\b", re.IGNORECASE)
_KEY_STAGE = re.compile(r"\b(?:key\s*stage|ks)\s*(\d)\b", re.IGNORECASE)
_APOSTROPHE = re.compile("['\u2019]")
_SECTION = re.compile(r"\[([a-z]+)\]")

# Too common in what staff log to tell one practice from another.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "each",
        "even",
        "every",
        "few",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "lot",
        "lots",
        "made",
        "make",
        "me",
        "more",
        "most",
        "much",
        "my",
        "no",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "really",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "today",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yr",
    ]
)


@functools.cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter2 stem of a lower-case word ("modelled" → "model", "quizzes" → "quizz")."""
    return str(_stemmer().stemWord(word))


def words(text: str) -> list[str]:
    """The words of `text` as written (case kept), with year groups and key stages in one form:
    "Year 7", "yr7" and "Y7s" are all "Y7"; "Key Stage 2" is "KS2"; "parents'" is "parents"."""
    text = _YEAR.sub(lambda m: f" Y{m.group(1)} ", text)
    text = _KEY_STAGE.sub(lambda m: f" KS{m.group(1)} ", text)
    text = _APOSTROPHE.sub("", text.replace("&", " and "))
    return _TOKEN.findall(text)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One name of a practice: its word stems, and whether it must be written in capitals (an
    acronym such as SEND, which would otherwise match "send a letter home")."""

    name: str
    stems: tuple[str, ...]
    capitals: tuple[str, ...] | None
    theme: str
    practice: str


@dataclass(frozen=True, slots=True)
class Match:
    theme: str
    practice: str  # KEYWORDS when the words are typical of the theme rather than one practice


class Lexicon:
    """Practices and their names, theme by theme, matched on word stems (longest first)."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = tuple(phrases)
        by_first: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            by_first.setdefault(phrase.stems[0], []).append(phrase)
        self._by_first = {
            first: sorted(found, key=lambda p: -len(p.stems)) for first, found in by_first.items()
        }

    @classmethod
    def parse(cls, text: str) -> Lexicon:
        """Read the lexicon format: `[theme]` headings, then `practice: name; name; …` lines."""
        phrases: list[Phrase] = []
        theme = ""
        for number, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if section := _SECTION.fullmatch(line):
                theme = section.group(1)
                continue
            practice, colon, names = line.partition(":")
            if not colon or not theme:
                raise ValueError(f"lexicon line {number}: expected 'practice: name; name'")
            for name in names.split(";"):
                written = words(name)
                if not written:
                    continue
                acronym = len(written) == 1 and len(written[0]) > 1 and written[0].isupper()
                phrases.append(
                    Phrase(
                        name=name.strip(),
                        stems=tuple(stem(w.lower()) for w in written),
                        capitals=tuple(written) if acronym else None,
                        theme=theme,
                        practice=practice.strip(),
                    )
                )
        return cls(phrases)

    def lines(self) -> list[tuple[str, str]]:
        """Each practice's names as one text, with its theme: ("cold call; no hands up; …",
        "questioning"), so the classifier can learn the words the lexicon gives."""
        lines: dict[tuple[str, str], list[str]] = {}
        for phrase in self.phrases:
            lines.setdefault((phrase.theme, phrase.practice), []).append(phrase.name)
        return [("; ".join(names), theme) for (theme, _), names in lines.items()]

    def find(self, written: Sequence[str], stems: Sequence[str] | None = None) -> list[Match]:
        """The practices named in a text's words (as `words` gives them), each time it is named;
        at each position the longest name wins and matches never overlap."""
        stems = stems if stems is not None else [stem(w.lower()) for w in written]
        found: list[Match] = []
        i = 0
        while i < len(stems):
            length = 0
            for phrase in self._by_first.get(stems[i], ()):  # longest first
                end = i + len(phrase.stems)
                if length and len(phrase.stems) < length:
                    break
                if tuple(stems[i:end]) != phrase.stems:
                    continue
                if phrase.capitals is not None and tuple(written[i:end]) != phrase.capitals:
                    continue
                match = Match(phrase.theme, phrase.practice)
                if match not in found[len(found) - 4 :]:  # one name in two lines of a theme
                    found.append(match)
                length = len(phrase.stems)
            i += max(length, 1)
        return found


@dataclass(frozen=True, slots=True)
class Reading:
    """What the engine reads in one text: content-word stems and the practices it names."""

    stems: tuple[str, ...]
    matches: tuple[Match, ...]

    def document(self) -> str:
        """One string for a word vectoriser: the stems, then a token per practice named and its
        theme ("zzpquestioningnohandsup zztquestioning"), or per typical word's theme ("zzkreading")."""
        extra: list[str] = []
        for match in self.matches:
            if match.practice == KEYWORDS:
                extra.append(f"{KEYWORD_MARK}{match.theme}")
            else:
                extra.append(f"{THEME_MARK}{match.theme}")
                extra.append(f"{PRACTICE_MARK}{match.theme}{_squash(match.practice)}")
        return " ".join([*self.stems, *extra])

    def practices(self) -> frozenset[str]:
        """The practices named ("questioning/no-hands-up"), keywords left out."""
        return frozenset(f"{m.theme}/{m.practice}" for m in self.matches if m.practice != KEYWORDS)


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def read(text: str, lexicon: Lexicon) -> Reading:
    """The stems of `text` (stop words left out) and the practices it names."""
    written = words(text)
    stems = [stem(w.lower()) for w in written]
    matches = lexicon.find(written, stems)
    content = tuple(s for w, s in zip(written, stems, strict=True) if w.lower() not in STOP_WORDS)
    return Reading(content, tuple(matches))


def _data(name: str) -> str:
    return (resources.files("bot.evidence") / "data" / name).read_text(encoding="utf-8")


@functools.cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon (`data/lexicon.txt`)."""
    return Lexicon.parse(_data("lexicon.txt"))


def parse_examples(text: str) -> Iterator[tuple[str, str]]:
    """(text, theme) pairs from the examples format: `[theme]` headings, then one entry a line."""
    theme = ""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if section := _SECTION.fullmatch(line):
            theme = section.group(1)
        elif not theme:
            raise ValueError(f"examples line {number}: an entry before any [theme] heading")
        else:
            yield line, theme


@functools.cache
def default_examples() -> tuple[tuple[str, str], ...]:
    """The shipped labelled examples (`data/examples.txt`) as (text, theme id) pairs."""
    return tuple(parse_examples(_data("examples.txt")))

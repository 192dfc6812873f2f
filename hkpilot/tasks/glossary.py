"""Glossaries that are checked: the matching terms go to the model, the output is verified.

Per segment, only the terms found in it are given to the model (a termbase of thousands
of entries never floods the prompt). After translation, each source term found must have
one of its target terms in the output; the ones missing are listed as violations. A
translation memory (TMX) gives exact matches back without the model and its closest
match as the worked example. English matches whole words, case-insensitively (acronyms
exactly) and with simple plurals; Chinese matches after folding the script (Simplified,
Traditional, HK and Taiwan forms of a term are the same term).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from hkpilot.tasks.glossary_io import alternatives, read_any

MAX_PROMPT_TERMS = 40
FUZZY_MIN = 0.7  # a memory match at least this close becomes the worked example
_WORD = re.compile(r"[A-Za-z0-9]+")
_GAP = re.compile(r"[\s\-‐–'’./&()\[\]]{0,4}")
_ACRONYM = re.compile(r"^[A-Z0-9&]{2,6}$")


@dataclass(frozen=True)
class Term:
    en: tuple[str, ...]
    zh: tuple[str, ...]

    def side(self, lang: str) -> tuple[str, ...]:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class TermUse:
    term: Term
    found: str  # as it occurs in the text


@dataclass
class GlossaryViolation:
    anchor: str
    source_term: str
    expected: tuple[str, ...]  # any one of these was required in the translation


@dataclass
class GlossaryCheck:
    """The glossary check of one segment: how many terms it held, which were not followed."""

    anchor: str
    checked: int
    violations: list[GlossaryViolation] = field(default_factory=list)
    retried: bool = False  # the model was asked again, insisting on the missing terms


@lru_cache(maxsize=4096)
def fold_zh(text: str) -> str:
    """Chinese text folded for matching: full-width forms, script and spaces ignored."""
    from hkpilot.tasks.script_guard import opencc_convert

    return re.sub(r"\s+", "", opencc_convert(unicodedata.normalize("NFKC", text), "zh-Hans"))


def _singulars(word: str) -> set[str]:
    w = word.lower()
    out = {w}
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    if w.endswith("es") and len(w) > 3:
        out.add(w[:-2])
    if w.endswith("s") and len(w) > 2:
        out.add(w[:-1])
    return out


class _EnglishIndex:
    """Whole-word term lookup: by first word, longest term first."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], bool, Any]]] = {}

    def add(self, phrase: str, value: Any) -> None:
        words = _WORD.findall(phrase)
        if not words:
            return
        exact = bool(_ACRONYM.match(phrase.strip()))
        key = tuple(words) if exact else tuple(w.lower() for w in words)
        self.by_first.setdefault(key[0].lower(), []).append((key, exact, value))

    def finish(self) -> None:
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, text: str) -> list[tuple[str, Any]]:
        """(matched text, value) for leftmost-longest, non-overlapping matches."""
        words = list(_WORD.finditer(text))
        found: list[tuple[str, Any]] = []
        i = 0
        while i < len(words):
            matched = 0
            first = words[i].group()
            keys = _singulars(first)
            for key, exact, value in (e for k in keys for e in self.by_first.get(k, ())):
                n = len(key)
                if i + n > len(words) or not self._matches(words[i : i + n], key, exact, text):
                    continue
                found.append((text[words[i].start() : words[i + n - 1].end()], value))
                matched = n
                break
            i += matched or 1
        return found

    @staticmethod
    def _matches(words: list[re.Match[str]], key: tuple[str, ...], exact: bool, text: str) -> bool:
        for j, (m, want) in enumerate(zip(words, key, strict=True)):
            got = m.group() if exact else m.group().lower()
            last = j == len(key) - 1
            if got != want and not (last and not exact and want in _singulars(got)):
                return False
            if j and not _GAP.fullmatch(text[words[j - 1].end() : m.start()]):
                return False
        return True


class _ChineseIndex:
    """Substring term lookup on folded text: by first character, longest term first."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[str, Any]]] = {}

    def add(self, phrase: str, value: Any) -> None:
        key = fold_zh(phrase)
        if key:
            self.by_first.setdefault(key[0], []).append((key, value))

    def finish(self) -> None:
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, text: str) -> list[tuple[str, Any]]:
        folded = fold_zh(text)
        same_length = len(folded) == len(re.sub(r"\s+", "", text))
        plain = re.sub(r"\s+", "", text)
        found: list[tuple[str, Any]] = []
        i = 0
        while i < len(folded):
            step = 1
            for key, value in self.by_first.get(folded[i], ()):
                if folded.startswith(key, i):
                    found.append((plain[i : i + len(key)] if same_length else key, value))
                    step = len(key)
                    break
            i += step
        return found


def contains(text: str, phrase: str, lang: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` by the glossary's matching rules."""
    if lang == "en":
        index = _EnglishIndex()
        index.add(phrase, True)
        index.finish()
        return bool(index.find(text))
    return bool(fold_zh(phrase)) and fold_zh(phrase) in fold_zh(text)


class TranslationMemory:
    """Segment pairs from TMX: exact matches by normalised text, fuzzy ones by similarity."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs = [(en, zh) for en, zh in pairs if en.strip() and zh.strip()]
        self.exact: dict[str, dict[str, int]] = {"en": {}, "zh": {}}
        self.postings: dict[str, dict[str, list[int]]] = {"en": {}, "zh": {}}
        for i, (en, zh) in enumerate(self.pairs):
            for lang, text in (("en", en), ("zh", zh)):
                self.exact[lang].setdefault(self.key(text, lang), i)
                for gram in set(self.grams(text, lang)):
                    self.postings[lang].setdefault(gram, []).append(i)

    @staticmethod
    def key(text: str, lang: str) -> str:
        if lang == "en":
            return " ".join(_WORD.findall(text.lower()))
        return re.sub(r"[^\w]", "", fold_zh(text))

    def grams(self, text: str, lang: str) -> list[str]:
        key = self.key(text, lang)
        return key.split() if lang == "en" else [key[i : i + 2] for i in range(max(1, len(key) - 1))]

    def lookup(self, text: str, source: str) -> tuple[str, str, float] | None:
        """(memory source, memory translation, similarity) of the closest entry, or None."""
        src = "en" if source == "en" else "zh"
        other = "zh" if src == "en" else "en"
        key = self.key(text, src)
        if not key:
            return None
        if key in self.exact[src]:
            pair = dict(zip(("en", "zh"), self.pairs[self.exact[src][key]], strict=True))
            return pair[src], pair[other], 1.0
        votes: Counter[int] = Counter()
        for gram in set(self.grams(text, src)):
            ids = self.postings[src].get(gram, ())
            if len(ids) <= max(50, len(self.pairs) // 20):  # common words say little
                votes.update(ids)
        best: tuple[str, str, float] | None = None
        for i, _n in votes.most_common(10):
            pair = dict(zip(("en", "zh"), self.pairs[i], strict=True))
            score = difflib.SequenceMatcher(None, key, self.key(pair[src], src), autojunk=False).ratio()
            if score >= FUZZY_MIN and (best is None or score > best[2]):
                best = (pair[src], pair[other], score)
        return best


class Glossary:
    """Terms (and an optional translation memory) for one translation job."""

    def __init__(self, terms: Iterable[Term], memory: TranslationMemory | None = None, name: str = "", retry: bool = True):
        self.terms = list(terms)
        self.memory = memory
        self.name = name
        self.retry = retry  # ask the model once more when a term was not followed
        self._index: dict[str, Any] = {"en": _EnglishIndex(), "zh": _ChineseIndex()}
        for term in self.terms:
            for lang in ("en", "zh"):
                for phrase in term.side(lang):
                    self._index[lang].add(phrase, term)
        for index in self._index.values():
            index.finish()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], name: str = "") -> Glossary:
        terms = [Term(alternatives(en), alternatives(zh)) for en, zh in pairs]
        return cls([t for t in terms if t.en and t.zh], name=name)

    def __len__(self) -> int:
        return len(self.terms)

    def matching(self, text: str, source: str) -> list[TermUse]:
        """The terms found in ``text`` (``source`` is "en" or a Chinese code), each once."""
        side = "en" if source == "en" else "zh"
        uses: dict[Term, TermUse] = {}
        for found, term in self._index[side].find(text):
            uses.setdefault(term, TermUse(term, found))
        return list(uses.values())

    def prompt_terms(self, text: str, source: str, target: str) -> list[tuple[str, str]]:
        """(source term, target term) pairs to give the model for this segment."""
        from hkpilot.tasks.languages import to_script

        tgt = "en" if target == "en" else "zh"
        return [(u.found, to_script(u.term.side(tgt)[0], target)) for u in self.matching(text, source)][:MAX_PROMPT_TERMS]

    def verify(self, source_text: str, translation: str, source: str, target: str, anchor: str = "") -> GlossaryCheck:
        """Each source term found must have one of its target terms in ``translation``."""
        tgt = "en" if target == "en" else "zh"
        uses = self.matching(source_text, source)
        missing = [
            GlossaryViolation(anchor, u.found, u.term.side(tgt))
            for u in uses
            if not any(contains(translation, t, tgt) for t in u.term.side(tgt))
        ]
        return GlossaryCheck(anchor, len(uses), missing)


def load_glossary(paths: Iterable[Path], retry: bool = True) -> Glossary:
    """One Glossary from term files (.xlsx, .csv, .tbx) and memories (.tmx); typed errors."""
    terms: list[Term] = []
    memory: list[tuple[str, str]] = []
    names: list[str] = []
    for path in paths:
        kind, pairs = read_any(Path(path))
        names.append(Path(path).name)
        if kind == "memory":
            memory += pairs
        else:
            terms += [t for t in (Term(alternatives(en), alternatives(zh)) for en, zh in pairs) if t.en and t.zh]
    return Glossary(terms, TranslationMemory(memory) if memory else None, ", ".join(names), retry=retry)


def policy_glossaries(extra: dict[str, Any]) -> list[Path]:
    """The department's default glossary files, from policy key ``glossary.default``."""
    value = extra.get("glossary.default")
    items = value if isinstance(value, list) else [value] if value else []
    return [Path(str(v)).expanduser() for v in items if str(v).strip()]

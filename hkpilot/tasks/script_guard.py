"""The HK script guard: every Chinese output in the script its target expects, names kept.

Small models write Chinese in Simplified characters whatever they are asked. The guard
converts each Chinese output with OpenCC (zh-HK: ``s2hk``, zh-Hant: ``s2tw``, zh-Hans:
``t2s``), protects the names converters get wrong (``resources/hk_proper_nouns.txt``,
editable, plus the person's own list in the settings folder), records what it changed so
a person can review it, and reports any Simplified-only character still left.
"""

from __future__ import annotations

import difflib
import logging
import re
import threading
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from hkpilot.i18n import N_
from hkpilot.tasks.events import Finding

log = logging.getLogger(__name__)

NOUNS_FILE = "hk_proper_nouns.txt"
CONFIGS = {"zh-HK": "s2hk", "zh-Hant": "s2tw", "zh-Hans": "t2s"}
# Text already in Traditional characters only needs the regional variants: s2hk would also
# "convert" characters that are valid Traditional (鄰里 -> 鄰裏) for want of context.
TRAD_CONFIGS = {"zh-HK": "t2hk", "zh-Hant": "t2tw"}
PROTECTED_TARGETS = ("zh-HK", "zh-Hant")

# Kinds of change, as the faces list them.
SCRIPT, VARIANT, PROTECTED, KEPT, REMAINING = "script", "variant", "protected", "kept", "remaining"
KIND_LABELS = {
    REMAINING: N_("Simplified characters left unconverted"),
    SCRIPT: N_("converted to the target script"),
    VARIANT: N_("variant form replaced"),
    PROTECTED: N_("name restored to its official form"),
    KEPT: N_("name kept (a converter would change it)"),
}

_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK = re.compile(f"[{_CJK_CLASS}]")
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
# A stream holds back the Chinese characters after the last punctuation or space (up to this
# many), so phrases and names are converted whole, as in the final text.
_HOLD = 40


@dataclass
class ScriptChange:
    """One kind of change: ``original`` became ``converted`` ``count`` times (at ``anchors``)."""

    original: str
    converted: str
    kind: str
    count: int = 1
    anchors: list[str] = field(default_factory=list)

    def label(self) -> str:
        from hkpilot.i18n import gettext

        return gettext(KIND_LABELS.get(self.kind, self.kind))


@dataclass
class GuardResult:
    text: str
    changes: list[ScriptChange]
    remaining: str = ""  # Simplified-only characters still in ``text`` (should be none)


# -- the lists ------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def opencc_convert(text: str, lang: str, traditional: bool = False) -> str:
    """Plain OpenCC conversion of ``text`` into ``lang``'s script (no names protected).

    ``traditional``: the text is already Traditional, only regional variants change.
    """
    config = (TRAD_CONFIGS if traditional else CONFIGS).get(lang) or CONFIGS.get(lang)
    return str(_converter(config).convert(text)) if config and text else text


def _counts(text: str) -> tuple[int, int]:
    """(Simplified-only characters, Traditional-only characters) in ``text``."""
    table = simplified_only()
    simp = sum(1 for c in text if c in table)
    as_simplified = opencc_convert(text, "zh-Hans")
    trad = sum(1 for a, b in zip(text, as_simplified, strict=False) if a != b and a not in table)
    return simp, trad


def convert_segment(text: str, lang: str) -> str:
    """Convert each run of Chinese characters as Simplified or Traditional, whichever it is.

    A run with a Simplified-only character is Simplified; one with only Traditional-only
    characters is Traditional; a run with neither (里面, 公里) follows the whole text.
    """
    if lang == "zh-Hans" or lang not in CONFIGS:
        return opencc_convert(text, lang)
    simp, trad = _counts(text)
    if not trad:
        return opencc_convert(text, lang)
    if not simp:
        return opencc_convert(text, lang, traditional=True)
    default_traditional = trad > simp

    def run(m: re.Match[str]) -> str:
        s, t = _counts(m.group())
        traditional = (t > 0 and s == 0) or (s == 0 and default_traditional)
        return opencc_convert(m.group(), lang, traditional=traditional)

    return _CJK_RUN.sub(run, text)


@lru_cache(maxsize=1)
def simplified_only() -> frozenset[str]:
    """Characters used only in Simplified Chinese (generated from OpenCC's tables)."""
    from hkpilot.resources import resources_dir

    path = resources_dir() / "simplified_only.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line.strip() for line in lines if not line.startswith("#")))


def find_simplified(text: str) -> str:
    """The distinct Simplified-only characters in ``text``, in order of first use."""
    table = simplified_only()
    return "".join(dict.fromkeys(c for c in text if c in table))


def parse_nouns(text: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Read a names list: ``{"all": [(name, extra forms)], "zh-HK": [...]}``."""
    sections: dict[str, list[tuple[str, tuple[str, ...]]]] = {"all": [], "zh-HK": [], "zh-Hant": []}
    current = "all"
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip() if line[1:-1].strip() in sections else "all"
            continue
        name, _, rest = line.partition("|")
        forms = tuple(f.strip() for f in re.split(r"[,，、]", rest) if f.strip())
        if name.strip():
            sections[current].append((name.strip(), forms))
    return sections


def noun_files() -> list[Path]:
    """The shipped list, then the person's own (when there is one)."""
    from hkpilot import paths
    from hkpilot.resources import resources_dir

    files = [resources_dir() / NOUNS_FILE]
    try:
        own = paths.config_dir() / NOUNS_FILE
    except OSError:
        return files
    return files + ([own] if own.is_file() else [])


class _Protector:
    """Finds every known spelling of a protected name and says which name it stands for."""

    def __init__(self, names: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        self.official: dict[str, str] = {}
        for name, extra in names:
            forms = {name, *extra}
            if len(name) > 1:  # a lone character's other forms are other words (里 in 公里)
                simp = opencc_convert(name, "zh-Hans")
                forms |= {simp, *(opencc_convert(simp, lang) for lang in PROTECTED_TARGETS), opencc_convert(name, "zh-HK")}
            for form in forms:
                self.official.setdefault(form, name)
        alternatives = sorted(self.official, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None
        self.longest = max((len(f) for f in self.official), default=0)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.official[m.group()]) for m in self.pattern.finditer(text)]


_lock = threading.Lock()
_protectors: dict[str, _Protector] = {}


def _protector(lang: str) -> _Protector | None:
    if lang not in PROTECTED_TARGETS:
        return None
    with _lock:
        if lang not in _protectors:
            names: list[tuple[str, tuple[str, ...]]] = []
            for path in noun_files():
                try:
                    sections = parse_nouns(path.read_text(encoding="utf-8-sig"))
                except (OSError, UnicodeDecodeError) as exc:
                    log.warning("cannot read the names list %s: %s", path.name, type(exc).__name__)
                    continue
                names += sections["all"] + sections.get(lang, [])
            _protectors[lang] = _Protector(names)
        return _protectors[lang]


def protected_names(text: str, lang: str = "zh-HK") -> list[str]:
    """The protected names (official forms) that occur in ``text`` in any of their spellings."""
    protector = _protector(lang)
    return [name for _start, _end, name in protector.spans(text)] if protector else []


def reload_nouns() -> None:
    """Read the names lists again (after a person edited one)."""
    with _lock:
        _protectors.clear()


# -- converting -------------------------------------------------------------------------------


def _changed_runs(original: str, converted: str) -> list[tuple[str, str]]:
    """Pairs of differing runs; character by character when the lengths agree (the usual case)."""
    if len(original) != len(converted):
        matcher = difflib.SequenceMatcher(None, original, converted, autojunk=False)
        return [(original[i1:i2], converted[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    runs: list[tuple[str, str]] = []
    start = -1
    for i, (a, b) in enumerate(zip(original, converted, strict=True)):
        if a != b and start < 0:
            start = i
        elif a == b and start >= 0:
            runs.append((original[start:i], converted[start:i]))
            start = -1
    if start >= 0:
        runs.append((original[start:], converted[start:]))
    return runs


def _diff(original: str, converted: str, lang: str) -> list[ScriptChange]:
    """The changed runs between ``original`` and its conversion, in order."""
    table = simplified_only()
    changes: list[ScriptChange] = []
    for before, after in _changed_runs(original, converted):
        # A variant when every changed character was already Traditional (裡 -> 裏, 衛 -> 衞).
        traditional = not any(c in table for c in before) and all(
            a != b for a, b in zip(before, opencc_convert(before, "zh-Hans"), strict=False)
        )
        kind = VARIANT if traditional and lang != "zh-Hans" else SCRIPT
        changes.append(ScriptChange(before, after, kind))
    return changes


def guard(text: str, lang: str, anchor: str = "") -> GuardResult:
    """``text`` converted to ``lang``'s script with protected names kept, and what changed."""
    if lang not in CONFIGS or not _CJK.search(text):
        return GuardResult(text, [])
    protector = _protector(lang)
    spans = protector.spans(text) if protector else []
    out: list[str] = []
    changes: list[ScriptChange] = []
    pos = 0
    for start, end, name in [*spans, (len(text), len(text), "")]:
        segment = text[pos:start]
        if segment:
            converted = convert_segment(segment, lang) if _CJK.search(segment) else segment
            changes += _diff(segment, converted, lang)
            out.append(converted)
        if name:
            found = text[start:end]
            if found != name:
                changes.append(ScriptChange(found, name, PROTECTED if len(name) > 1 else VARIANT))
            elif convert_segment(found, lang) != name or opencc_convert(found, lang) != name:
                changes.append(ScriptChange(found, name, KEPT))
            out.append(name)
        pos = end
    result = "".join(out)
    for change in changes:
        if anchor:
            change.anchors.append(anchor)
    return GuardResult(result, merge_changes(changes), _remaining(result, lang, protector))


def _remaining(text: str, lang: str, protector: _Protector | None) -> str:
    """Simplified-only characters the target's converter would still change, outside protected names.

    恒 of 恒生 is a name's official form, not a character left unconverted.
    """
    if lang not in PROTECTED_TARGETS:
        return ""
    for start, end, _name in reversed(protector.spans(text) if protector else []):
        text = text[:start] + " " + text[end:]
    return "".join(c for c in find_simplified(text) if opencc_convert(c, lang) != c)


def convert(text: str, lang: str) -> str:
    """``text`` in ``lang``'s script, protected names kept (``to_script`` in the tasks)."""
    return guard(text, lang).text


def merge_changes(changes: Iterable[ScriptChange]) -> list[ScriptChange]:
    """One entry per (original, converted, kind), counts added, anchors kept in order."""
    merged: dict[tuple[str, str, str], ScriptChange] = {}
    for c in changes:
        key = (c.original, c.converted, c.kind)
        if key in merged:
            m = merged[key]
            m.count += c.count
            m.anchors += [a for a in c.anchors if a not in m.anchors]
        else:
            merged[key] = ScriptChange(c.original, c.converted, c.kind, c.count, list(dict.fromkeys(c.anchors)))
    order = {REMAINING: -1, PROTECTED: 0, KEPT: 1, VARIANT: 2, SCRIPT: 3}
    return sorted(merged.values(), key=lambda c: (order.get(c.kind, 9), -c.count))


class ScriptStream:
    """Converts streamed pieces, holding back a few characters so names are converted whole."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.pending = ""

    def feed(self, piece: str) -> str:
        if self.lang not in CONFIGS:
            return piece
        self.pending += piece
        protector = _protector(self.lang)
        cut = len(self.pending)
        while cut > 0 and len(self.pending) - cut < _HOLD and _CJK.match(self.pending[cut - 1]):
            cut -= 1
        for start, end, _name in protector.spans(self.pending) if protector else []:
            if start < cut < end:
                cut = start
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        return convert(ready, self.lang)

    def flush(self) -> str:
        rest, self.pending = self.pending, ""
        return convert(rest, self.lang)


def guard_reply(text: str, lang: str, anchor: str = "", report: bool = True) -> Generator[Finding, None, str]:
    """Guard a whole reply; yield a "script" Finding with the changes (when ``report``); return the text."""
    result = guard(text, lang, anchor)
    if report and (result.changes or result.remaining):
        items: list[Any] = list(result.changes)
        if result.remaining:
            items.append(ScriptChange(result.remaining, "", REMAINING, len(result.remaining), [anchor] if anchor else []))
        yield Finding("script", items, anchor)
    return result.text

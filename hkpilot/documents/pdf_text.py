"""Rebuild paragraphs from the line-by-line text a PDF gives, and spot repeated furniture.

PDFs hold positioned lines, not paragraphs. Without geometry the best guide is the
text itself: a line that is short and ends a sentence ends a paragraph; a wrapped line
runs on; ``word-`` + ``continuation`` is one word; CJK lines join without a space.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_BULLET = re.compile(r"^\s*(?:[•●○▪■◦\-–—*·]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])\s+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
SHORT_LINE = 0.7  # a line under 70 % of the page's longest ends its paragraph
INDENT_STEP = 4  # leading spaces that mark a new paragraph


def is_cjk(ch: str) -> bool:
    """True for Han, kana, Hangul and CJK punctuation/full-width forms."""
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


def display_width(text: str) -> int:
    """Width in columns: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def normalise_furniture(line: str) -> str:
    """Key for header/footer matching: case, spacing and numbers ignored."""
    return _DIGITS.sub("#", _SPACES.sub(" ", line.strip().lower()))


def repeated_furniture(pages: list[list[str]], edge: int = 2) -> set[str]:
    """Normalised lines among the first/last ``edge`` lines that recur on > 50 % of pages."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        content = [ln for ln in lines if ln.strip()]
        candidates = content[:edge] + content[-edge:]
        seen.update({normalise_furniture(ln) for ln in candidates})
    return {key for key, n in seen.items() if key and n > len(pages) / 2}


def drop_furniture(lines: list[str], furniture: set[str], edge: int = 2) -> list[str]:
    """``lines`` without furniture lines at the top and bottom edges of the page."""
    if not furniture:
        return lines
    content_idx = [i for i, ln in enumerate(lines) if ln.strip()]
    edges = set(content_idx[:edge] + content_idx[-edge:])
    return [ln for i, ln in enumerate(lines) if not (i in edges and normalise_furniture(ln) in furniture)]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \u3000\t"))


def _joins(prev: str, nxt: str, longest: int) -> bool:
    """Whether line ``nxt`` continues the paragraph that ``prev`` is in."""
    p, n = prev.rstrip(), nxt.strip()
    if _BULLET.match(nxt):
        return False
    if _indent(nxt) >= _indent(prev) + INDENT_STEP:
        return False
    short = display_width(p.strip()) < SHORT_LINE * longest
    if n[:1].islower() or (p.endswith(("-", ",")) and not short):
        return True
    # A full-width line wraps (even when it happens to end a sentence); a short one
    # ends its paragraph (the last line of a paragraph, a heading, an address line).
    return not short


def _join(prev: str, nxt: str) -> str:
    p, n = prev.rstrip(), nxt.strip()
    if p.endswith("-") and len(p) > 1 and p[-2].isalpha() and n[:1].islower():
        return p[:-1] + n  # de-hyphenate a word broken at the line end
    if (p and is_cjk(p[-1])) and (n and is_cjk(n[0])):
        return p + n
    return p + " " + n


def paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from one page's lines (blank lines and large indents also split)."""
    longest = max((display_width(ln.strip()) for ln in lines), default=0)
    out: list[str] = []
    current: str | None = None
    last_line = ""
    for line in lines:
        if not line.strip():
            if current is not None:
                out.append(current)
            current = None
            continue
        if current is not None and _joins(last_line, line, longest):
            current = _join(current, line)
        else:
            if current is not None:
                out.append(current)
            current = line.strip()
        last_line = line
    if current is not None:
        out.append(current)
    return [p for p in out if p.strip()]


def garbage_share(text: str) -> float:
    """Share of U+FFFD and private-use characters among non-space characters."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) == "Co")
    return bad / len(chars)

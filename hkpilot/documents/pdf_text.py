"""Rebuild paragraphs from the line-by-line text a PDF gives, and spot repeated furniture.

PDFs hold positioned lines, not paragraphs. Without geometry the best guide is the
text itself: a line that is short and ends a sentence ends a paragraph; a wrapped line
runs on; ``word-`` + ``continuation`` is one word; CJK lines join without a space.
"""

from __future__ import annotations

import itertools
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


def _edge_indexes(lines: list[str], edge: int) -> list[int]:
    """Indexes of the lines a header or footer could be: at most a third of the page's lines."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    k = min(edge, len(content) // 3)
    return content[:k] + content[len(content) - k:] if k else []


def repeated_furniture(pages: list[list[str]], edge: int = 2) -> set[str]:
    """Normalised lines at the top/bottom ``edge`` lines that recur on > 50 % of pages (>= 3 pages)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({normalise_furniture(lines[i]) for i in _edge_indexes(lines, edge)})
    return {key for key, n in seen.items() if key and n > len(pages) / 2}


def drop_furniture(lines: list[str], furniture: set[str], edge: int = 2) -> list[str]:
    """``lines`` without furniture lines at the top and bottom edges of the page.

    When the page's lines carry paragraph gaps (blank lines, see ``lines_with_gaps``), a
    header or footer stands apart from the body: a repeated line that runs straight on
    into body text is the body's own first or last line (a page that starts the same way
    as others, an identical table row) and stays.
    """
    if not furniture:
        return lines
    candidates = {i for i in _edge_indexes(lines, edge) if normalise_furniture(lines[i]) in furniture}
    if candidates and any(not ln.strip() for ln in lines):
        candidates = _standing_apart(lines, candidates)
    return [ln for i, ln in enumerate(lines) if i not in candidates]


def _standing_apart(lines: list[str], candidates: set[int]) -> set[int]:
    """The candidates separated from the body by a gap (through other candidates)."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    middle = content[len(content) // 2] if content else 0
    kept: set[int] = set()
    for i in sorted(candidates):
        step = 1 if i < middle else -1  # a header looks down to the body, a footer up
        j = i + step
        while 0 <= j < len(lines) and j in candidates:
            j += step
        if not (0 <= j < len(lines)) or not lines[j].strip():
            kept.add(i)
    return kept


GAP_FACTOR = 1.4  # a gap this much above the usual line spacing separates paragraphs
MAX_LINE_SPACING = 2.0  # line spacing, in font sizes, above which a gap cannot be inside a paragraph
SIZE_CHANGE = 1.2  # a font this much larger or smaller starts a new block (headings)


def lines_with_gaps(fragments: list[tuple[str, float, float]]) -> list[str]:
    """Lines from pypdf's text fragments (text, y, font size), a blank line at each wide gap.

    pypdf's plain text has no blank lines between paragraphs; the vertical position of
    each line does tell them apart: a gap wider than the usual spacing, or a change of
    font size, begins a new paragraph.
    """
    lines: list[tuple[str, float | None, float]] = []
    parts: list[str] = []
    y: float | None = None
    size = 0.0
    for text, frag_y, frag_size in fragments:
        for i, piece in enumerate(text.split("\n")):
            if i:
                lines.append(("".join(parts), y, size))
                parts, y, size = [], None, 0.0
            if piece:
                parts.append(piece)
                if y is None and piece.strip():
                    y, size = frag_y, frag_size
    lines.append(("".join(parts), y, size))
    gaps = Counter(
        round((prev[1] - cur[1]) * 2) / 2  # to half a point: spacing repeats exactly in practice
        for prev, cur in itertools.pairwise(lines)
        if prev[1] is not None and cur[1] is not None and prev[1] > cur[1]
    )
    usual = _usual_gap(gaps, [ln[2] for ln in lines if ln[2] > 0])
    out: list[str] = []
    for i, (text, y_now, size_now) in enumerate(lines):
        if i and out and out[-1].strip() and text.strip():
            prev_text, y_prev, size_prev = lines[i - 1]
            wide = usual > 0 and y_prev is not None and y_now is not None and (y_prev - y_now) > GAP_FACTOR * usual
            resized = size_prev > 0 and size_now > 0 and max(size_prev, size_now) > SIZE_CHANGE * min(size_prev, size_now)
            if prev_text.strip() and (wide or resized):
                out.append("")
        out.append(text)
    return out


def _usual_gap(gaps: Counter[float], sizes: list[float]) -> float:
    """The line spacing inside a paragraph, from the vertical gaps between lines.

    The most frequent gap (the smallest on a tie) fails on a page of one- or two-line
    paragraphs, where paragraph gaps outnumber line gaps; the smallest gap of at least
    about a font size (smaller ones are superscripts and subscripts) is the line
    spacing then.
    """
    if not gaps:
        return 0.0
    frequent = min(gaps, key=lambda g: (-gaps[g], g))
    size = sorted(sizes)[len(sizes) // 2] if sizes else 0.0
    plausible = sorted(g for g in gaps if g >= 0.9 * size)
    usual = min(frequent, plausible[0]) if plausible else frequent
    # A page of one-line paragraphs has no line gap at all: no text is set wider than
    # double spacing, so a gap above that is a paragraph gap whatever its frequency.
    return min(usual, MAX_LINE_SPACING * size) if size else usual


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

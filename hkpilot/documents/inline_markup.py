"""The light inline tags that carry formatting through translation, as plain strings.

A paragraph's text is sent to the model with its formatting marked by a few tags:
``<b>…</b>``, ``<i>…</i>``, ``<u>…</u>`` for a span that differs from the rest of the
paragraph only by bold, italic or underline; ``<N>…</N>`` for any other span (colour,
highlight, size, superscript, a hyperlink…); ``<N/>`` for something that is not text
but has a place in it (a picture, a field such as a page number, a note reference).
This module only reads and checks such strings; ``docx_runs`` makes and applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SIMPLE_TAGS = ("b", "i", "u")
# Our tags exactly: <b>, </i>, <3>, </3>, <4/>.
TAG = re.compile(r"<(/?)(b|i|u|\d{1,3})\s*(/?)>")
# What a model may invent around them (HTML habits): dropped when the source had no "<".
_HTML_LIKE = re.compile(r"</?\s*[A-Za-z][A-Za-z0-9]{0,9}\s*/?>|</?\s*\d{1,3}\s*/?>")


@dataclass(frozen=True)
class Piece:
    """A stretch of text under the tag ``span`` ("" for untagged), or an atom ``<N/>``."""

    text: str = ""
    span: str = ""
    atom: str = ""


def has_tag_like(text: str) -> bool:
    """True when ``text`` already contains something our tags could be confused with."""
    return TAG.search(text) is not None


def strip_tags(text: str) -> str:
    """``text`` without our tags (and without invented HTML-like tags)."""
    return _HTML_LIKE.sub("", TAG.sub("", text))


@dataclass
class Inventory:
    """The tags a tagged text uses: span names (in order of first use) and atom names."""

    spans: list[str] = field(default_factory=list)
    atoms: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.spans and not self.atoms


def inventory(text: str) -> Inventory:
    """The spans and atoms used in a tagged text."""
    inv = Inventory()
    for m in TAG.finditer(text):
        closing, name, selfclosing = m.groups()
        target = inv.atoms if selfclosing else inv.spans
        if not closing and name not in target:
            target.append(name)
    return inv


def parse(text: str, spans: set[str], atoms: set[str], strict_html: bool = True) -> list[Piece]:
    """Cut a model's tagged answer into Pieces, tolerating its mistakes.

    Only tags named in ``spans``/``atoms`` count; unknown ones are dropped (as are
    HTML-like tags a model invents, when ``strict_html``). An unclosed tag runs to the
    end; a stray closing tag is ignored; nested tags give the innermost span.
    """
    pieces: list[Piece] = []
    stack: list[str] = []
    pos = 0
    for m in TAG.finditer(text):
        _add_text(pieces, text[pos : m.start()], stack, strict_html)
        pos = m.end()
        closing, name, selfclosing = m.groups()
        if selfclosing:
            if name in atoms:
                pieces.append(Piece(atom=name))
        elif closing:
            if name in stack:
                # close it and anything opened inside it and left open
                while stack and stack.pop() != name:
                    pass
        elif name in spans:
            stack.append(name)
    _add_text(pieces, text[pos:], stack, strict_html)
    return pieces


def _add_text(pieces: list[Piece], text: str, stack: list[str], strict_html: bool) -> None:
    if strict_html:
        text = _HTML_LIKE.sub("", text)
    if not text:
        return
    span = stack[-1] if stack else ""
    if pieces and not pieces[-1].atom and pieces[-1].span == span:
        pieces[-1] = Piece(text=pieces[-1].text + text, span=span)
    else:
        pieces.append(Piece(text=text, span=span))


@dataclass
class TagCheck:
    """How well a translation kept the source's tags."""

    missing_spans: list[str]
    missing_atoms: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing_spans and not self.missing_atoms


def check(source: str, translated: str) -> TagCheck:
    """Which of the source's spans (with visible text) and atoms the translation lost."""
    inv = inventory(source)
    names, atom_names = set(inv.spans), set(inv.atoms)
    wanted = [s for s in inv.spans if any(p.span == s and p.text.strip() for p in parse(source, names, atom_names))]
    got = parse(translated, names, atom_names)
    used = {p.span for p in got if p.text.strip()}
    used_atoms = {p.atom for p in got if p.atom}
    return TagCheck(
        missing_spans=[s for s in wanted if s not in used],
        missing_atoms=[a for a in inv.atoms if a not in used_atoms],
    )

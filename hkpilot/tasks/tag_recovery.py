"""Keep a paragraph's formatting when the model will not keep its tags.

A small model often drops the inline tags of a richly formatted paragraph (bold, a
colour, a hyperlink...) even when asked twice. Two ways back, tried in order:

1. **Projection**: each lost span's words are translated on their own, and that
   translation is looked for in the whole-paragraph translation; where it occurs exactly
   once outside any tag, the tag is put around it. The fluent sentence is kept.
2. **Phrase by phrase**: when a span cannot be found, the paragraph is translated in its
   pieces (each formatted span, and the plain stretches between them) and put together
   again with every tag and placeholder where the source had it. Formatting and links are
   kept at some cost to fluency; a Notice asks the person to check the wording.

Only the formatting tags of ``documents/inline_markup`` are involved; model text is
never markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass

from hkpilot.documents import inline_markup as im
from hkpilot.documents.pdf_text import is_cjk
from hkpilot.i18n import N_
from hkpilot.tasks.events import Event, Notice
from hkpilot.tasks.languages import needs_translation

PHRASE_BY_PHRASE = N_(
    "The model did not keep the formatting of {anchor}; it was translated phrase by phrase so that the "
    "formatting stays. Check its wording."
)

# Translate one plain fragment (no tags): a generator of events returning the translation.
PlainTranslator = Callable[[str], Generator[Event, None, str]]

_EDGE_PUNCT = " \t\u3000。．.，,、；;：:！!？?「」『』“”\"'()（）"
_WORDISH = re.compile(r"[A-Za-z0-9]")


@dataclass
class _Occurrence:
    index: int  # position among the source's pieces
    span: str
    text: str


def render(pieces: list[im.Piece]) -> str:
    """Pieces back into a tagged string."""
    out = []
    for p in pieces:
        if p.atom:
            out.append(f"<{p.atom}/>")
        elif p.span:
            out.append(f"<{p.span}>{p.text}</{p.span}>")
        else:
            out.append(p.text)
    return "".join(out)


def _names(source: str) -> tuple[set[str], set[str]]:
    inv = im.inventory(source)
    return set(inv.spans), set(inv.atoms)


def recover(
    source: str, translated: str, target: str, translate_plain: PlainTranslator, anchor: str = ""
) -> Generator[Event, None, str]:
    """``translated`` with the tags of ``source`` that it lost put back (see the module doc)."""
    spans, atoms = _names(source)
    src_pieces = im.parse(source, spans, atoms, strict_html=False)
    missing = set(im.check(source, translated).missing_spans)
    lost = [_Occurrence(i, p.span, p.text) for i, p in enumerate(src_pieces)
            if p.span in missing and not p.atom and p.text.strip()]
    if not lost:
        return translated
    cache: dict[str, str] = {}

    def plain(text: str) -> Generator[Event, None, str]:
        key = text.strip()
        if key not in cache:
            cache[key] = (yield from translate_plain(key)).strip() if needs_translation(key, target) else key
        return cache[key]

    out_pieces = im.parse(translated, spans, atoms, strict_html="<" not in im.strip_tags(source))
    projected = True
    for occ in lost:
        words = yield from plain(occ.text)
        if not _project(out_pieces, occ.span, words.strip(_EDGE_PUNCT)):
            projected = False
            break
    if projected:
        return render(out_pieces)
    rebuilt = yield from _phrase_by_phrase(src_pieces, target, plain)
    yield Notice(PHRASE_BY_PHRASE, {"anchor": anchor or "-"})
    return rebuilt


def _project(pieces: list[im.Piece], span: str, words: str) -> bool:
    """Wrap the one untagged occurrence of ``words`` in ``span``; False when not exactly one."""
    if not words:
        return False
    hits = [(i, m.start()) for i, p in enumerate(pieces) if not p.atom and not p.span
            for m in re.finditer(re.escape(words), p.text, flags=re.IGNORECASE)]
    if len(hits) != 1:
        return False
    i, start = hits[0]
    text = pieces[i].text
    end = start + len(words)
    if _WORDISH.match(words[:1]) and start > 0 and _WORDISH.match(text[start - 1]):
        return False  # inside a longer word or number ("2" in "2024")
    if _WORDISH.match(words[-1:]) and end < len(text) and _WORDISH.match(text[end]):
        return False
    new = [im.Piece(text=text[:start]), im.Piece(text=text[start:end], span=span), im.Piece(text=text[end:])]
    pieces[i : i + 1] = [p for p in new if p.text or p.span]
    return True


def _phrase_by_phrase(
    src_pieces: list[im.Piece], target: str, plain: Callable[[str], Generator[Event, None, str]]
) -> Generator[Event, None, str]:
    """Translate each piece of the source alone and join them with the source's tags."""
    out: list[im.Piece] = []
    joins: list[tuple[bool, bool]] = []  # per piece: the source had a space before it; it joined Chinese
    prev = ""
    for p in src_pieces:
        if p.atom:
            out.append(p)
            joins.append((False, False))
            continue
        words = p.text
        if needs_translation(p.text, target):
            words = _as_fragment((yield from plain(p.text)), p.text, prev, target)
        space = bool(prev) and (prev[-1:].isspace() or p.text[:1].isspace())
        chinese = bool(prev) and (is_cjk(prev[-1]) or is_cjk(p.text[0]))
        joins.append((space, chinese))
        out.append(im.Piece(text=words.strip() if p.text.strip() else p.text, span=p.span))
        prev = p.text
    return _join(out, joins, target)


_SENTENCE_END = tuple(".!?。！？")
_FUNCTION_WORDS = frozenset(
    "the a an and or but of in on at for to from with by as this that these those its their our please".split()
)


def _as_fragment(words: str, source: str, before: str, target: str) -> str:
    """A phrase translated alone, made to sit inside a sentence again.

    Translated on its own, "增長" comes back as "Growth." and "and" as "及。": the full stop
    goes when the source piece had none, and an English function word that opens a piece
    in mid-sentence loses its capital ("The counter" after "growth" -> "the counter").
    """
    words = words.strip()
    if not source.rstrip().endswith(_SENTENCE_END):
        words = words.rstrip("".join(_SENTENCE_END)).rstrip()
    if target == "en" and before.strip() and not before.rstrip().endswith(_SENTENCE_END):
        first, _, rest = words.partition(" ")
        if first.lower() in _FUNCTION_WORDS and first[:1].isupper() and (first[1:].islower() or len(first) == 1):
            words = first.lower() + (" " + rest if rest else "")
    return words


def _join(pieces: list[im.Piece], joins: list[tuple[bool, bool]], target: str) -> str:
    """Render the pieces with a space at a join where the target language wants one.

    Chinese runs on without spaces except where the source had one between two Latin words
    or numbers; English takes a space where the source had one, and between words that a
    Chinese source ran together.
    """
    fixed: list[im.Piece] = []
    prev_text = ""
    for p, (space, chinese) in zip(pieces, joins, strict=True):
        if p.atom:
            fixed.append(p)
            continue
        text = p.text
        if prev_text and text and not prev_text[-1].isspace() and not text[0].isspace():
            left, right = prev_text[-1], text[0]
            if target != "en":
                wanted = space and bool(_WORDISH.match(left)) and bool(_WORDISH.match(right))
            else:
                wanted = space or (chinese and (left.isalnum() or left in ".,;:!?") and right.isalnum())
            if wanted:
                fixed.append(im.Piece(text=" "))  # outside the span: an underline must not start with a space
        fixed.append(im.Piece(text=text, span=p.span))
        prev_text = text or prev_text
    return re.sub(r"[ \t]{2,}", " ", render(fixed)).strip()

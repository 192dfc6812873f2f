"""WordprocessingML helpers shared by the .docx reader and writer.

python-docx's ``Paragraph.text`` reads only runs that are direct children of ``w:p``
(and of hyperlinks), so tracked insertions, content controls and simple fields vanish;
``iter_inner_content()`` skips block-level content controls. These helpers walk the
XML itself so the reader and the writer agree on exactly which runs make a paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
_W = f"{{{NS['w']}}}"


def w(tag: str) -> str:
    """Clark name of a ``w:`` element, e.g. ``w("p")``."""
    return _W + tag


P, TBL, TR, TC, R = w("p"), w("tbl"), w("tr"), w("tc"), w("r")

# Wrappers that hold block content (paragraphs, tables, rows, cells) in place:
# content controls and custom XML. Their content is part of the document.
_BLOCK_WRAPPERS = {w("sdt"): w("sdtContent"), w("customXml"): None}

# Inline containers whose runs are part of the paragraph as it reads (insertions
# accepted, deletions left out, content controls, smart tags, simple fields).
RUN_CONTAINERS = frozenset(
    w(t) for t in ("hyperlink", "ins", "moveTo", "sdt", "sdtContent", "smartTag", "customXml", "fldSimple", "dir", "bdo")
)

# Run children that carry text; everything else in a run (drawings, field characters,
# note references, page breaks) is layout or an object and is kept by the writer.
TEXT_CHILDREN = frozenset(w(t) for t in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen", "sym"))


def block_children(parent: etree._Element, tags: frozenset[str]) -> Iterator[etree._Element]:
    """Children of ``parent`` with a tag in ``tags``, looking through content controls."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            inner_tag = _BLOCK_WRAPPERS[child.tag]
            if inner_tag is None:
                yield from block_children(child, tags)
            else:
                for inner in child:
                    if inner.tag == inner_tag:
                        yield from block_children(inner, tags)


BLOCK_TAGS = frozenset({P, TBL})
ROW_TAGS = frozenset({TR})
CELL_TAGS = frozenset({TC})


def iter_flow_runs(p: etree._Element) -> Iterator[etree._Element]:
    """The ``w:r`` elements that make up paragraph ``p`` as it reads, in order."""
    for child in p:
        if child.tag == R:
            yield child
        elif child.tag in RUN_CONTAINERS:
            yield from iter_flow_runs(child)


def is_text_child(el: etree._Element) -> bool:
    """True for run children that carry text (a page or column break does not)."""
    if el.tag not in TEXT_CHILDREN:
        return False
    if el.tag == w("br"):
        return el.get(w("type")) in (None, "textWrapping")
    return True


def child_text(el: etree._Element) -> str:
    """Text of one run child; tabs and line breaks become ``\\t`` and ``\\n``."""
    tag = el.tag
    if tag == w("t"):
        return el.text or ""
    if tag in (w("tab"), w("ptab")):
        return "\t"
    if tag in (w("br"), w("cr")) and is_text_child(el):
        return "\n"
    if tag == w("noBreakHyphen"):
        return "-"
    return ""


def run_text(r: etree._Element) -> str:
    """Text of one run; tabs and line breaks become ``\\t`` and ``\\n``."""
    return "".join(child_text(el) for el in r)


def paragraph_text(p: etree._Element) -> str:
    """Text of a paragraph with tracked insertions accepted and deletions left out."""
    return "".join(run_text(r) for r in iter_flow_runs(p))


@lru_cache(maxsize=64)
def _compiled(xpath: str) -> etree.XPath:
    return etree.XPath(f"count({xpath})", namespaces=NS)


def count(root: etree._Element, xpath: str) -> int:
    """Number of nodes matching ``xpath`` (with this module's prefixes) under ``root``."""
    # etree.XPath, not element.xpath: python-docx elements override xpath() with their own map.
    return int(_compiled(xpath)(root))


def paragraph_props(p: etree._Element) -> tuple[str | None, int | None, int | None, bool]:
    """(style id, outline level, list level, numbered) from the paragraph's own ``w:pPr``."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        return None, None, None, False
    style = ppr.find(w("pStyle"))
    outline = ppr.find(w("outlineLvl"))
    num = ppr.find(w("numPr"))
    numbered = False
    ilvl: int | None = None
    if num is not None:
        num_id = num.find(w("numId"))
        # numId 0 explicitly switches numbering off (overriding a list style).
        numbered = num_id is None or num_id.get(w("val")) != "0"
        lvl = num.find(w("ilvl"))
        ilvl = _int(lvl.get(w("val")) if lvl is not None else None)
    return (
        style.get(w("val")) if style is not None else None,
        _int(outline.get(w("val")) if outline is not None else None),
        ilvl,
        numbered,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None

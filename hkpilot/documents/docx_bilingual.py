"""Bilingual layouts of a translated .docx: source and translation side by side, or interleaved.

Both work on the translated copy and a pristine copy of the source opened from the same
file, so body elements pair up by position. The source copies lose what must stay unique
in a document (note and comment marks, bookmarks, drawing ids, section breaks) and their
list numbering, so Word opens the result without repairs and lists count once. Headers,
footers, notes, comments and text boxes are translated in place in every layout.
"""

from __future__ import annotations

import copy
import itertools

from docx.document import Document as DocxDocument
from lxml import etree

from hkpilot.documents import docx_xml as dx
from hkpilot.documents.docx_walk import DocxEntry

LAYOUTS = ("replace", "side-by-side", "interleaved")

_WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_UNIQUE_MARKS = tuple(
    dx.w(t)
    for t in (
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "commentRangeStart",
        "commentRangeEnd",
        "bookmarkStart",
        "bookmarkEnd",
    )
)
# pPr children that come before w:numPr in the schema order.
_BEFORE_NUMPR = frozenset(dx.w(t) for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"))


class _Ids:
    """Fresh drawing ids above every id already in the document."""

    def __init__(self, root: etree._Element) -> None:
        ids = [int(v) for v in (el.get("id") for el in root.iter(_WP_DOCPR)) if v and v.isdigit()]
        self._next = itertools.count(max(ids, default=0) + 1000)

    def renumber(self, el: etree._Element) -> None:
        for doc_pr in el.iter(_WP_DOCPR):
            doc_pr.set("id", str(next(self._next)))


def source_copy(el: etree._Element, ids: _Ids) -> etree._Element:
    """A copy of a source paragraph or table that can sit beside its translation."""
    clone = copy.deepcopy(el)
    for mark in [m for m in clone.iter(*_UNIQUE_MARKS)]:
        parent = mark.getparent()
        if parent is not None:
            parent.remove(mark)
    for node in clone.iter():
        for attr in (f"{{{_W14}}}paraId", f"{{{_W14}}}textId"):
            node.attrib.pop(attr, None)
    ids.renumber(clone)
    for p in clone.iter(dx.P):
        ppr = p.find(dx.w("pPr"))
        if ppr is None:
            ppr = etree.Element(dx.w("pPr"))
            p.insert(0, ppr)
        for sect in ppr.findall(dx.w("sectPr")):
            ppr.remove(sect)
        _no_numbering(ppr)
    return clone


def _no_numbering(ppr: etree._Element) -> None:
    num = ppr.find(dx.w("numPr"))
    if num is None:
        num = etree.Element(dx.w("numPr"))
        idx = 0
        for i, child in enumerate(ppr):
            if child.tag in _BEFORE_NUMPR:
                idx = i + 1
        ppr.insert(idx, num)
    for child in list(num):
        num.remove(child)
    num_id = etree.SubElement(num, dx.w("numId"))
    num_id.set(dx.w("val"), "0")


def interleave(d: DocxDocument, src: DocxDocument, entries: dict[str, DocxEntry], src_entries: dict[str, DocxEntry],
               anchors: list[str]) -> None:
    """Put a copy of each translated body or table paragraph's source just before it."""
    ids = _Ids(d.element)
    for anchor in anchors:
        entry = entries.get(anchor)
        if entry is None or entry.area not in ("body", "table") or anchor not in src_entries:
            continue
        entry.paragraph._p.addprevious(source_copy(src_entries[anchor].paragraph._p, ids))


def side_by_side(d: DocxDocument, src: DocxDocument) -> None:
    """Rebuild the body as two-column tables: source | translation, one row per block."""
    body, src_body = d.element.body, src.element.body
    pairs = list(zip(list(body), list(src_body), strict=False))
    final_sect = body.find(dx.w("sectPr"))
    ids = _Ids(d.element)
    for child in list(body):
        body.remove(child)
    width = _text_width(final_sect)
    table: etree._Element | None = None
    pending: list[etree._Element] = []
    for dst, source in pairs:
        if dst.tag == dx.w("sectPr"):
            continue
        if dst.tag not in (dx.P, dx.TBL, dx.w("sdt")):
            pending.append(dst)  # body-level bookmarks and the like: keep them with the next row
            continue
        sect = dst.find(f"{dx.w('pPr')}/{dx.w('sectPr')}") if dst.tag == dx.P else None
        if not _blank(dst):
            if table is None:
                table = _new_table(width)
                body.append(table)
            left = source_copy(source, ids) if source.tag == dst.tag else etree.Element(dx.P)
            if sect is not None:
                sect.getparent().remove(sect)
            _add_row(table, width, [left], [*pending, dst])
            pending = []
        if sect is not None:
            # A section ends here: close the table and carry the break in a paragraph of its own.
            holder = etree.SubElement(body, dx.P)
            ppr = etree.SubElement(holder, dx.w("pPr"))
            ppr.append(sect)
            table = None
    body.extend(pending)
    if final_sect is not None:
        body.append(final_sect)


def _blank(el: etree._Element) -> bool:
    if el.tag != dx.P:
        return False
    if dx.paragraph_text(el).strip():
        return False
    return dx.count(el, ".//w:drawing | .//w:pict | .//w:object | .//w:fldChar | .//w:fldSimple | .//w:txbxContent") == 0


def _text_width(sect: etree._Element | None) -> int:
    """Text width of the section in twentieths of a point (A4 with 1-inch margins by default)."""
    width, left, right = 11906, 1440, 1440
    if sect is not None:
        size, margins = sect.find(dx.w("pgSz")), sect.find(dx.w("pgMar"))
        try:
            if size is not None and size.get(dx.w("w")):
                width = int(size.get(dx.w("w")) or width)
            if margins is not None:
                left = int(margins.get(dx.w("left")) or left)
                right = int(margins.get(dx.w("right")) or right)
        except ValueError:
            pass
    return max(2000, width - left - right)


def _new_table(width: int) -> etree._Element:
    tbl = etree.Element(dx.TBL)
    pr = etree.SubElement(tbl, dx.w("tblPr"))
    tbl_w = etree.SubElement(pr, dx.w("tblW"))
    tbl_w.set(dx.w("w"), str(width))
    tbl_w.set(dx.w("type"), "dxa")
    borders = etree.SubElement(pr, dx.w("tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = etree.SubElement(borders, dx.w(side))
        b.set(dx.w("val"), "single")
        b.set(dx.w("sz"), "4")
        b.set(dx.w("color"), "BFBFBF")
    layout = etree.SubElement(pr, dx.w("tblLayout"))
    layout.set(dx.w("type"), "fixed")
    grid = etree.SubElement(tbl, dx.w("tblGrid"))
    for _ in range(2):
        col = etree.SubElement(grid, dx.w("gridCol"))
        col.set(dx.w("w"), str(width // 2))
    return tbl


def _add_row(tbl: etree._Element, width: int, left: list[etree._Element], right: list[etree._Element]) -> None:
    tr = etree.SubElement(tbl, dx.TR)
    for content in (left, right):
        tc = etree.SubElement(tr, dx.TC)
        tc_pr = etree.SubElement(tc, dx.w("tcPr"))
        tc_w = etree.SubElement(tc_pr, dx.w("tcW"))
        tc_w.set(dx.w("w"), str(width // 2))
        tc_w.set(dx.w("type"), "dxa")
        tc.extend(content)
        if not len(tc) or tc[-1].tag != dx.P:
            etree.SubElement(tc, dx.P)  # a cell must end with a paragraph

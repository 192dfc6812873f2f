"""Every paragraph of a .docx with its anchor: body, tables, headers, footers, text boxes,
footnotes, endnotes and comments.

The reader and the writer both walk a document with ``walk_docx``; the writer repeats the
walk on a fresh copy of the source to find the anchors again, so any change here changes
anchors for both. Footnotes and endnotes live in parts python-docx keeps as bytes: they
are parsed here once per document (lxml, no entities; the zip checks refused DTDs) and
written back by ``commit_parts`` before saving.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml.parser import parse_xml
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from hkpilot.documents import docx_xml as dx

TXBX = dx.w("txbxContent")
_FALLBACK = f"{{{dx.NS['mc']}}}Fallback"
_CHOICE = f"{{{dx.NS['mc']}}}Choice"
_ALTERNATE = f"{{{dx.NS['mc']}}}AlternateContent"
_NOTE_KINDS = (("footnote", "/footnotes", dx.w("footnote")), ("endnote", "/endnotes", dx.w("endnote")))


@dataclass
class DocxEntry:
    """One paragraph found by the walk: its anchor, where it lives, and the paragraph."""

    anchor: str
    area: str  # body, table, header, footer, textbox, footnote, endnote, comment
    paragraph: Paragraph
    depth: int = 0  # fields open where the paragraph starts (a table of contents spans paragraphs)
    mirrors: list[etree._Element] = field(default_factory=list)  # the same paragraph in a fallback copy


class _Depths:
    """Fields open at the start of each paragraph of a part, computed once per part root."""

    def __init__(self) -> None:
        # Keyed by the elements themselves: an lxml proxy's id() can be reused once freed.
        self._by_root: dict[etree._Element, dict[etree._Element, int]] = {}

    def of(self, p: etree._Element, root: etree._Element) -> int:
        table = self._by_root.get(root)
        if table is None:
            table = self._by_root[root] = _field_depths(root)
        return table.get(p, 0)


def _field_depths(root: etree._Element) -> dict[etree._Element, int]:
    depths: dict[etree._Element, int] = {}
    depth = 0
    for el in root.iter(dx.P, dx.w("fldChar")):
        if el.tag == dx.P:
            if depth:
                depths[el] = depth
            continue
        if _has_ancestor(el, (dx.w("del"), dx.w("moveFrom"))):
            continue
        kind = el.get(dx.w("fldCharType"))
        depth = depth + 1 if kind == "begin" else max(0, depth - 1) if kind == "end" else depth
    return depths


def _has_ancestor(el: etree._Element, tags: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None and parent.tag != dx.P:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def walk_docx(d: DocxDocument) -> Iterator[DocxEntry]:
    """Every paragraph of the document with its anchor, in a fixed order of areas."""
    depths = _Depths()
    body = d.element.body
    body_parent: Any = d._body
    n_para = n_table = 0
    for el in dx.block_children(body, dx.BLOCK_TAGS):
        if el.tag == dx.P:
            n_para += 1  # empty paragraphs count too, so anchors stay stable
            yield DocxEntry(f"p:{n_para}", "body", Paragraph(el, body_parent), depths.of(el, body))
        else:
            n_table += 1
            yield from _walk_table(el, f"t:{n_table}", body_parent, "table", depths, body)
    hf_roots = []
    counts: dict[str, int] = {}
    for area, root, hf in _headers_footers(d):
        hf_roots.append((root, hf))
        for entry in _walk_header_footer(area, root, hf, depths, counts.get(area, 0)):
            counts[area] = counts.get(area, 0) + 1
            yield entry
    yield from _walk_text_boxes([(body, body_parent), *hf_roots], depths)
    for kind, root in note_roots(d):
        yield from _walk_notes(kind, root, depths)
    comments = comments_root(d)
    if comments is not None:
        yield from _walk_container_list("comment", comments.findall(dx.w("comment")), comments, depths)


def _walk_table(
    tbl: etree._Element, prefix: str, parent: Any, area: str, depths: _Depths, root: etree._Element
) -> Iterator[DocxEntry]:
    table = Table(tbl, parent)  # type: ignore[arg-type]
    for r_idx, tr in enumerate(dx.block_children(tbl, dx.ROW_TAGS), 1):
        for c_idx, tc in enumerate(dx.block_children(tr, dx.CELL_TAGS), 1):
            if _is_merge_continuation(tc):
                continue  # the cell above holds the text of a vertical merge
            cell = _Cell(tc, table)  # type: ignore[arg-type]
            yield from _walk_blocks(tc, f"{prefix}:r{r_idx}:c{c_idx}", cell, area, depths, root)


def _walk_blocks(
    container: etree._Element, anchor: str, parent: Any, area: str, depths: _Depths, root: etree._Element
) -> Iterator[DocxEntry]:
    """Paragraphs and tables of a cell, text box or note: ``anchor`` alone for a single paragraph."""
    children = list(dx.block_children(container, dx.BLOCK_TAGS))
    single = sum(1 for c in children if c.tag == dx.P) == 1
    k = m = 0
    for child in children:
        if child.tag == dx.P:
            k += 1
            name = anchor if single else f"{anchor}:p:{k}"
            yield DocxEntry(name, area, Paragraph(child, parent), depths.of(child, root))
        else:
            m += 1
            yield from _walk_table(child, f"{anchor}:t:{m}", parent, area, depths, root)


def _is_merge_continuation(tc: etree._Element) -> bool:
    vmerge = tc.find(f"{dx.w('tcPr')}/{dx.w('vMerge')}")
    return vmerge is not None and vmerge.get(dx.w("val")) in (None, "continue")


def _headers_footers(d: DocxDocument) -> Iterator[tuple[str, etree._Element, Any]]:
    """(area, root, header-or-footer proxy) for each distinct header and footer part, per section."""
    seen: set[str] = set()
    for s_idx, section in enumerate(d.sections, 1):
        for area, items in (
            ("header", (section.header, section.first_page_header, section.even_page_header)),
            ("footer", (section.footer, section.first_page_footer, section.even_page_footer)),
        ):
            for hf in items:
                if hf.is_linked_to_previous:
                    continue  # inherits the previous section's, already read there
                part = hf._definition
                if str(part.partname) in seen:
                    continue
                seen.add(str(part.partname))
                yield f"{area}:{s_idx}", part.element, hf


def _walk_header_footer(area: str, root: etree._Element, hf: Any, depths: _Depths, start: int) -> Iterator[DocxEntry]:
    # "header:1:p:3": the third paragraph of section 1's headers, all kinds of header of
    # that section (default, first page, even pages) counted together.
    kind, section = area.split(":")
    k = start
    for p_el in root.iter(dx.P):
        if _inside_text_box(p_el, root):
            continue
        k += 1
        yield DocxEntry(f"{kind}:{section}:p:{k}", kind, Paragraph(p_el, hf), depths.of(p_el, root))


def _inside_text_box(el: etree._Element, root: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not root:
        if parent.tag == TXBX:
            return True
        parent = parent.getparent()
    return False


def text_boxes(root: etree._Element) -> list[tuple[etree._Element, etree._Element | None]]:
    """Text boxes under ``root`` in order (fallback copies left out), each with its fallback copy."""
    found = []
    for txbx in root.iter(TXBX):
        if _under(txbx, _FALLBACK):
            continue
        found.append((txbx, _fallback_copy(txbx)))
    return found


def _under(el: etree._Element, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _fallback_copy(txbx: etree._Element) -> etree._Element | None:
    """The text box's twin in the ``mc:Fallback`` of the same ``mc:AlternateContent``."""
    parent = txbx.getparent()
    choice = None
    while parent is not None:
        if parent.tag == _CHOICE:
            choice = parent
            break
        parent = parent.getparent()
    if choice is None or choice.getparent() is None or choice.getparent().tag != _ALTERNATE:
        return None
    choices = list(choice.iter(TXBX))
    index = choices.index(txbx) if txbx in choices else 0
    fallback = choice.getparent().find(_FALLBACK)
    if fallback is None:
        return None
    twins = list(fallback.iter(TXBX))
    return twins[index] if index < len(twins) else None


def _walk_text_boxes(roots: list[tuple[etree._Element, Any]], depths: _Depths) -> Iterator[DocxEntry]:
    n = 0
    for root, parent in roots:
        for txbx, twin in text_boxes(root):
            n += 1
            twins = list(twin.iter(dx.P)) if twin is not None else []
            own = list(txbx.iter(dx.P))
            for entry in _walk_blocks(txbx, f"textbox:{n}", parent, "textbox", depths, root):
                if len(twins) == len(own) and entry.paragraph._p in own:
                    entry.mirrors.append(twins[own.index(entry.paragraph._p)])
                yield entry


def _walk_notes(kind: str, root: etree._Element, depths: _Depths) -> Iterator[DocxEntry]:
    notes = [n for n in root.findall(dx.w(kind)) if n.get(dx.w("type")) in (None, "normal")]
    yield from _walk_container_list(kind, notes, root, depths)


def _walk_container_list(kind: str, items: list[etree._Element], root: etree._Element, depths: _Depths) -> Iterator[DocxEntry]:
    for n, item in enumerate(items, 1):
        yield from _walk_blocks(item, f"{kind}:{n}", None, kind, depths, root)


# -- parts python-docx keeps as bytes ----------------------------------------------------


def _xml_root(part: Any) -> etree._Element:
    root = getattr(part, "_hkpilot_root", None)
    if root is None:
        root = parse_xml(part.blob)
        part._hkpilot_root = root
    return root


def note_roots(d: DocxDocument) -> list[tuple[str, etree._Element]]:
    """(kind, root) of the footnotes and endnotes parts the document has."""
    out = []
    for kind, suffix, _tag in _NOTE_KINDS:
        for rel in d.part.rels.values():
            if not rel.is_external and rel.reltype.endswith(suffix):
                part = rel.target_part
                out.append((kind, part.element if hasattr(part, "element") else _xml_root(part)))
                break
    return out


def comments_root(d: DocxDocument) -> etree._Element | None:
    """Root of the comments part, when there is one (never creates it)."""
    for rel in d.part.rels.values():
        if not rel.is_external and rel.reltype.endswith("/comments"):
            part = rel.target_part
            return part.element if hasattr(part, "element") else _xml_root(part)
    return None


def commit_parts(d: DocxDocument) -> None:
    """Serialise the byte-kept parts this module parsed (and the writer changed)."""
    for part in d.part.package.iter_parts():
        root = getattr(part, "_hkpilot_root", None)
        if root is not None:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

"""Read a .docx into ordered blocks with stable anchors (python-docx over a checked zip)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.styles import BabelFish
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from hkpilot.documents import docx_xml as dx
from hkpilot.documents import safety
from hkpilot.documents.model import Block, BlockKind, Document, DocumentMeta
from hkpilot.documents.safety import open_checked_zip, parse_boundary, sha256_file
from hkpilot.errors import DocumentEmpty
from hkpilot.i18n import N_

# Labels of what is not read; Document.skipped holds "label: count" (no document text).
SKIP_IMAGES = N_("images")
SKIP_CHARTS = N_("charts")
SKIP_TEXT_BOXES = N_("text boxes")
SKIP_TRACKED = N_("tracked changes (read as accepted)")
SKIP_FOOTNOTES = N_("footnotes")
SKIP_ENDNOTES = N_("endnotes")
SKIP_COMMENTS = N_("comments")
SKIP_OBJECTS = N_("embedded objects")
SKIP_EQUATIONS = N_("equations")

# Mirrored Office objects carry a fallback copy (mc:Fallback): count each object once.
_NOT_FALLBACK = "[not(ancestor::mc:Fallback)]"
_SKIP_QUERIES = (
    (SKIP_IMAGES, f".//a:blip{_NOT_FALLBACK} | .//v:imagedata{_NOT_FALLBACK}"),
    (SKIP_CHARTS, f".//c:chart{_NOT_FALLBACK}"),
    (SKIP_TEXT_BOXES, f".//w:txbxContent{_NOT_FALLBACK}"),
    (SKIP_TRACKED, ".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"),
    (SKIP_FOOTNOTES, ".//w:footnoteReference"),
    (SKIP_ENDNOTES, ".//w:endnoteReference"),
    (SKIP_COMMENTS, ".//w:commentReference"),
    (SKIP_OBJECTS, f".//w:object{_NOT_FALLBACK}"),
    (SKIP_EQUATIONS, ".//m:oMath"),
)

_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_MAX_STYLE_DEPTH = 16  # basedOn chains may loop in a hostile file


@dataclass
class DocxEntry:
    """One paragraph found by the walk: its anchor, where it lives, and the paragraph."""

    anchor: str
    area: str  # "body", "table", "header", "footer"
    paragraph: Paragraph


def open_docx(path: Path) -> DocxDocument:
    """Open ``path`` with python-docx after the zip and XML-part checks."""
    open_checked_zip(path, path.name, "Word", safety.MAX_XML_PART)
    with open(path, "rb") as f:
        return docx.Document(f)


def walk_docx(d: DocxDocument) -> Iterator[DocxEntry]:
    """Every paragraph of the document in reading order, with its anchor.

    The writer repeats this walk on a fresh copy to find anchors again, so any change
    here changes anchors for both.
    """
    body = d.element.body
    body_parent: Any = d._body
    n_para = n_table = 0
    for el in dx.block_children(body, dx.BLOCK_TAGS):
        if el.tag == dx.P:
            n_para += 1  # empty paragraphs count too, so anchors stay stable
            yield DocxEntry(f"p:{n_para}", "body", Paragraph(el, body_parent))
        else:
            n_table += 1
            yield from _walk_table(el, f"t:{n_table}", body_parent)
    yield from _walk_headers_footers(d)


def _walk_table(tbl: etree._Element, prefix: str, parent: Any) -> Iterator[DocxEntry]:
    table = Table(tbl, parent)  # type: ignore[arg-type]
    for r_idx, tr in enumerate(dx.block_children(tbl, dx.ROW_TAGS), 1):
        for c_idx, tc in enumerate(dx.block_children(tr, dx.CELL_TAGS), 1):
            if _is_merge_continuation(tc):
                continue  # the cell above holds the text of a vertical merge
            cell = _Cell(tc, table)  # type: ignore[arg-type]
            anchor = f"{prefix}:r{r_idx}:c{c_idx}"
            children = list(dx.block_children(tc, dx.BLOCK_TAGS))
            single = sum(1 for c in children if c.tag == dx.P) == 1
            k = m = 0
            for child in children:
                if child.tag == dx.P:
                    k += 1
                    yield DocxEntry(anchor if single else f"{anchor}:p:{k}", "table", Paragraph(child, cell))
                else:
                    m += 1
                    yield from _walk_table(child, f"{anchor}:t:{m}", cell)


def _is_merge_continuation(tc: etree._Element) -> bool:
    vmerge = tc.find(f"{dx.w('tcPr')}/{dx.w('vMerge')}")
    return vmerge is not None and vmerge.get(dx.w("val")) in (None, "continue")


def _walk_headers_footers(d: DocxDocument) -> Iterator[DocxEntry]:
    seen: set[str] = set()
    for s_idx, section in enumerate(d.sections, 1):
        for area, items in (
            ("header", (section.header, section.first_page_header, section.even_page_header)),
            ("footer", (section.footer, section.first_page_footer, section.even_page_footer)),
        ):
            k = 0
            for hf in items:
                if hf.is_linked_to_previous:
                    continue  # inherits the previous section's, already read there
                part = hf._definition
                if str(part.partname) in seen:
                    continue
                seen.add(str(part.partname))
                for p_el in part.element.iter(dx.P):
                    if _inside_text_box(p_el, part.element):
                        continue
                    k += 1
                    yield DocxEntry(f"{area}:{s_idx}:p:{k}", area, Paragraph(p_el, hf))  # type: ignore[arg-type]


def _inside_text_box(el: etree._Element, root: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not root:
        if parent.tag == dx.w("txbxContent"):
            return True
        parent = parent.getparent()
    return False


@dataclass
class _StyleInfo:
    name: str
    outline: int | None
    numbered: bool


def _style_table(d: DocxDocument) -> tuple[dict[str, _StyleInfo], str]:
    """Paragraph styles by id with inherited outline level and numbering, and the default id."""
    raw: dict[str, tuple[str, str | None, int | None, bool]] = {}
    default = ""
    for st in d.styles.element.findall(dx.w("style")):
        if st.get(dx.w("type")) != "paragraph":
            continue
        sid = st.get(dx.w("styleId")) or ""
        name_el, based = st.find(dx.w("name")), st.find(dx.w("basedOn"))
        name = BabelFish.internal2ui(name_el.get(dx.w("val")) or "") if name_el is not None else sid
        _, outline, _, numbered = dx.paragraph_props(st)
        raw[sid] = (name, based.get(dx.w("val")) if based is not None else None, outline, numbered)
        if st.get(dx.w("default")) in ("1", "true"):
            default = sid
    table: dict[str, _StyleInfo] = {}
    for sid, (name, _based, _o, _n) in raw.items():
        outline, numbered, cur, depth = None, False, sid, 0
        while cur in raw and depth < _MAX_STYLE_DEPTH:
            _, parent, o, n = raw[cur]
            outline = o if outline is None else outline
            numbered = numbered or n
            cur, depth = parent or "", depth + 1
        table[sid] = _StyleInfo(name, outline, numbered)
    return table, default


def _classify(p: etree._Element, styles: dict[str, _StyleInfo], default: str) -> tuple[BlockKind, str, int]:
    """(kind, style name, level) of a body paragraph."""
    sid, outline, ilvl, numbered = dx.paragraph_props(p)
    info = styles.get(sid or default) or _StyleInfo(sid or "", None, False)
    name = info.name
    match = _HEADING_NAME.fullmatch(name.strip())
    if match:
        return BlockKind.HEADING, name, int(match.group(1))
    if name.strip().lower() == "title":
        return BlockKind.HEADING, name, 0  # above Heading 1
    level = outline if outline is not None else info.outline
    if level is not None and 0 <= level <= 8:  # 9 means body text
        return BlockKind.HEADING, name, level + 1
    if numbered or info.numbered or "list" in name.lower():
        return BlockKind.LIST_ITEM, name, (ilvl or 0) + 1
    return BlockKind.PARAGRAPH, name, 0


def _skipped(d: DocxDocument) -> list[str]:
    roots = [d.element]
    for rel in d.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(("/header", "/footer")):
            roots.append(rel.target_part.element)  # type: ignore[attr-defined]
    notes = []
    for label, query in _SKIP_QUERIES:
        total = sum(dx.count(root, query) for root in roots)
        if total:
            notes.append(f"{label}: {total}")
    return notes


def _meta(d: DocxDocument) -> DocumentMeta:
    meta = DocumentMeta()
    try:  # metadata is a courtesy; a damaged core.xml must not lose the text
        props = d.core_properties
        meta.title = (props.title or "").strip()
        meta.language = (props.language or "").strip()
    except Exception:  # noqa: BLE001
        pass
    return meta


def read_docx(path: Path) -> Document:
    """Read a .docx file; raise a typed DocumentError on any failure."""
    path = Path(path)
    with parse_boundary(path.name, "Word"):
        fingerprint = sha256_file(path)
        d = open_docx(path)
        styles, default = _style_table(d)
        blocks: list[Block] = []
        section = ""
        for entry in walk_docx(d):
            p = entry.paragraph._p
            text = dx.paragraph_text(p)
            kind, style, level = _classify(p, styles, default)
            if entry.area == "body":
                if kind is BlockKind.HEADING and text.strip():
                    section = text.strip()
            elif entry.area == "table":
                kind, level = BlockKind.TABLE_CELL, 0
            else:
                kind = BlockKind.HEADER if entry.area == "header" else BlockKind.FOOTER
                level = 0
            blocks.append(
                Block(
                    anchor=entry.anchor,
                    kind=kind,
                    text=text,
                    style=style,
                    level=level,
                    section=section if entry.area in ("body", "table") else "",
                    handle=entry.paragraph,
                )
            )
        if not any(b.text.strip() for b in blocks):
            raise DocumentEmpty(name=path.name)
        return Document(
            path=path,
            format="docx",
            blocks=blocks,
            meta=_meta(d),
            skipped=_skipped(d),
            source=d,
            fingerprint=fingerprint,
        )

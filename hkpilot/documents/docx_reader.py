"""Read a .docx into ordered blocks with stable anchors (python-docx over a checked zip)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.styles import BabelFish
from lxml import etree

from hkpilot.documents import docx_runs, safety
from hkpilot.documents import docx_xml as dx
from hkpilot.documents.docx_walk import DocxEntry, walk_docx
from hkpilot.documents.model import Block, BlockKind, Document, DocumentMeta
from hkpilot.documents.safety import open_checked_zip, parse_boundary, sha256_file
from hkpilot.errors import DocumentEmpty
from hkpilot.i18n import N_

# Labels of what is not read; Document.skipped holds "label: count" (no document text).
SKIP_IMAGES = N_("images")
SKIP_CHARTS = N_("charts")
SKIP_TRACKED = N_("tracked changes (read as accepted)")
SKIP_OBJECTS = N_("embedded objects")
SKIP_EQUATIONS = N_("equations")

# Mirrored Office objects carry a fallback copy (mc:Fallback): count each object once.
_NOT_FALLBACK = "[not(ancestor::mc:Fallback)]"
_SKIP_QUERIES = (
    (SKIP_IMAGES, f".//a:blip{_NOT_FALLBACK} | .//v:imagedata{_NOT_FALLBACK}"),
    (SKIP_CHARTS, f".//c:chart{_NOT_FALLBACK}"),
    (SKIP_TRACKED, ".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"),
    (SKIP_OBJECTS, f".//w:object{_NOT_FALLBACK}"),
    (SKIP_EQUATIONS, ".//m:oMath"),
)

_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_MAX_STYLE_DEPTH = 16  # basedOn chains may loop in a hostile file


def open_docx(path: Path) -> DocxDocument:
    """Open ``path`` with python-docx after the zip and XML-part checks."""
    open_checked_zip(path, path.name, "Word", safety.MAX_XML_PART)
    with open(path, "rb") as f:
        return docx.Document(f)


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


def body_paragraph_kinds(d: DocxDocument) -> list[BlockKind]:
    """The kind of every paragraph in the body, table cells included (text boxes and
    fallback copies left out): a bilingual layout moves headings and lists into a table."""
    styles, default = _style_table(d)
    query = etree.XPath(".//w:p[not(ancestor::w:txbxContent) and not(ancestor::mc:Fallback)]", namespaces=dx.NS)
    return [_classify(p, styles, default)[0] for p in query(d.element.body)]


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


_AREA_KINDS = {
    "table": BlockKind.TABLE_CELL,
    "header": BlockKind.HEADER,
    "footer": BlockKind.FOOTER,
    "textbox": BlockKind.TEXT_BOX,
    "footnote": BlockKind.FOOTNOTE,
    "endnote": BlockKind.ENDNOTE,
    "comment": BlockKind.COMMENT,
}


def _block(entry: DocxEntry, styles: dict[str, _StyleInfo], default: str, section: str) -> Block:
    """The Block for one walked paragraph, with its tagged form for translation."""
    p = entry.paragraph._p
    text = dx.paragraph_text(p)
    kind, style, level = _classify(p, styles, default)
    if entry.area != "body":
        kind, level = _AREA_KINDS.get(entry.area, BlockKind.PARAGRAPH), 0
    markup = ""
    if text.strip():
        seg = docx_runs.segment(p, entry.depth)
        markup = seg.markup if seg is not None else ""
    return Block(
        anchor=entry.anchor,
        kind=kind,
        text=text,
        style=style,
        level=level,
        section=section if entry.area in ("body", "table") else "",
        handle=entry.paragraph,
        markup=markup,
    )


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
            blocks.append(_block(entry, styles, default, section))
            if entry.area == "body" and blocks[-1].kind is BlockKind.HEADING and blocks[-1].text.strip():
                section = blocks[-1].text.strip()
                blocks[-1].section = section
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

"""Write .docx outputs: a translated copy of a source, or a new document from blocks.

Model text is plain text: it only ever becomes the content of ``w:t`` elements
(lxml escapes it), never markup. Outputs go through ``atomic_save``; the source file
is opened read-only and never written.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from hkpilot.atomic import atomic_save
from hkpilot.documents import docx_xml as dx
from hkpilot.documents.docx_clean import strip_remote_links
from hkpilot.documents.docx_reader import open_docx
from hkpilot.documents.inline_markup import strip_tags
from hkpilot.documents.model import Block, BlockKind, Document, WriteReport
from hkpilot.documents.safety import parse_boundary, refuse_same_file, sha256_file, xml_safe
from hkpilot.errors import HKPilotError, OutputError
from hkpilot.i18n import N_

EAST_ASIA_FONT = "Microsoft JhengHei"  # ships with Windows; Traditional Chinese
EAST_ASIA_FALLBACK = "PMingLiU"

_NOT_DOCX = N_("a translated copy needs a Word (.docx) source")
_CHANGED = N_("the source document changed since it was opened; open it again")
_ANCHORS_MISSING = N_("some translated paragraphs were not found in the source")

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_KEEP_IN_EMPTY_RUN = frozenset({dx.w("rPr"), dx.w("lastRenderedPageBreak")})


def set_paragraph_text(paragraph: Paragraph, text: str) -> None:
    """Replace the text of ``paragraph``, keeping its style and its first text run's format.

    Drawings, field characters, note references, bookmarks and page breaks stay where
    they are. Tracked changes in the paragraph are accepted. Hyperlinks are flattened
    (their text becomes plain runs) in this first version. Field results lose their text
    (Word recomputes them when fields update). ``\\n`` becomes a line break and
    ``\\t`` a tab.
    """
    p = paragraph._p
    _normalise_flow(p)
    runs = list(dx.iter_flow_runs(p))
    target = _target_run(runs)
    insert_at: int | None = None
    for r in runs:
        for child in list(r):
            if dx.is_text_child(child):
                position = r.index(child)
                if r is target and insert_at is None:
                    insert_at = position
                r.remove(child)
        parent = r.getparent()
        if r is not target and parent is not None and all(c.tag in _KEEP_IN_EMPTY_RUN for c in r):
            parent.remove(r)
    if target is None:
        target = etree.SubElement(p, dx.R)
        template = next((r.find(dx.w("rPr")) for r in runs if r.find(dx.w("rPr")) is not None), None)
        if template is not None:
            target.append(copy.deepcopy(template))
    if insert_at is None:
        insert_at = len(target)
    for offset, el in enumerate(_text_elements(text)):
        target.insert(insert_at + offset, el)


def _normalise_flow(container: etree._Element) -> None:
    """Accept tracked changes and flatten hyperlinks among the paragraph's inline content."""
    for child in list(container):
        if child.tag in (dx.w("del"), dx.w("moveFrom")):
            container.remove(child)
        elif child.tag in dx.RUN_CONTAINERS:
            _normalise_flow(child)
            if child.tag in (dx.w("ins"), dx.w("moveTo"), dx.w("hyperlink")):
                idx = container.index(child)
                for grand in list(child):
                    container.insert(idx, grand)
                    idx += 1
                container.remove(child)


def _target_run(runs: list[etree._Element]) -> etree._Element | None:
    """The first run with text outside any field result, else the first run with text."""
    depth = 0
    first_any: etree._Element | None = None
    for r in runs:
        has_text = any(dx.is_text_child(c) for c in r)
        in_simple_field = _has_ancestor(r, dx.w("fldSimple"))
        if has_text and first_any is None:
            first_any = r
        if has_text and depth == 0 and not in_simple_field:
            return r
        for c in r.iter(dx.w("fldChar")):
            kind = c.get(dx.w("fldCharType"))
            if kind == "begin":
                depth += 1
            elif kind == "end":
                depth = max(0, depth - 1)
    return first_any


def _has_ancestor(el: etree._Element, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        if parent.tag == dx.P:
            return False
        parent = parent.getparent()
    return False


def _text_elements(text: str) -> list[etree._Element]:
    """``w:t``/``w:tab``/``w:br`` elements for plain ``text``."""
    out: list[etree._Element] = []
    text = xml_safe(text.replace("\r\n", "\n").replace("\r", "\n"))
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append(etree.Element(dx.w("br")))
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append(etree.Element(dx.w("tab")))
            if piece:
                t = etree.Element(dx.w("t"))
                t.set(_XML_SPACE, "preserve")
                t.text = piece
                out.append(t)
    return out


def _save(d: DocxDocument, output: Path) -> None:
    from hkpilot.documents.provenance import stamp_docx

    try:
        stamp_docx(d)  # custom properties (and the label policy may ask for): no content
        atomic_save(output, d.save)
    except HKPilotError:
        raise
    except Exception as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise OutputError(path=str(output), detail=detail) from exc


def save_translated_copy(doc: Document, translations: dict[str, str], output: Path, layout: str = "replace") -> WriteReport:
    """Write a copy of ``doc``'s source .docx with the paragraphs at ``translations``' anchors replaced.

    Translations may carry the inline tags of ``Block.markup``: formatting goes back on
    the tagged words. ``layout`` is "replace", "side-by-side" (a two-column table of
    source and translation) or "interleaved" (each source paragraph above its
    translation). The source is re-opened fresh from disk and walked exactly as the
    reader did; the copy loses remote templates, remote fields and other self-fetching links.
    """
    from hkpilot.documents import docx_bilingual
    from hkpilot.documents.docx_apply import apply_translations, entries_by_anchor

    output = Path(output)
    source = Path(doc.path)
    if doc.format != "docx":
        raise OutputError(path=str(output), detail=_NOT_DOCX)
    refuse_same_file(source, output)
    with parse_boundary(source.name, "Word"):
        if doc.fingerprint and sha256_file(source) != doc.fingerprint:
            raise OutputError(path=str(output), detail=_CHANGED)
        d = open_docx(source)
        entries = entries_by_anchor(d)
        if any(anchor not in entries for anchor in translations):
            raise OutputError(path=str(output), detail=_ANCHORS_MISSING)
        src = open_docx(source) if layout != "replace" else None
        src_entries = entries_by_anchor(src) if layout == "interleaved" and src is not None else {}
        report = apply_translations(d, entries, translations)
        if src is not None and layout == "interleaved":
            # A paragraph that stays as it was (a table of contents, a number) is not repeated.
            source_markup = {b.anchor: b.markup or b.text for b in doc.blocks}
            changed = [a for a, t in translations.items() if strip_tags(t).strip() and t != source_markup.get(a)]
            docx_bilingual.interleave(d, src, entries, src_entries, changed)
        elif src is not None and layout == "side-by-side":
            docx_bilingual.side_by_side(d, src)
        strip_remote_links(d)
    _save(d, output)
    return report


def _set_east_asian_font(d: DocxDocument) -> None:
    """Make Chinese render: explicit east-asian font on Normal and the document defaults."""
    styles = d.styles.element
    targets = []
    normal = d.styles["Normal"].element
    targets.append(normal.get_or_add_rPr())
    rpr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr_default is not None:
        targets.append(rpr_default)
    for rpr in targets:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = etree.SubElement(rpr, qn("w:rFonts"))
            rpr.insert(0, fonts)
        # A theme attribute wins over an explicit font name, so it must go.
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = etree.SubElement(rpr, qn("w:lang"))
        lang.set(qn("w:eastAsia"), "zh-HK")
    _add_font_fallback(d)


def _add_font_fallback(d: DocxDocument) -> None:
    """Declare PMingLiU as the alternative name for the east-asian font in the font table."""
    for rel in d.part.rels.values():
        if rel.reltype.endswith("/fontTable") and not rel.is_external:
            part = rel.target_part
            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), EAST_ASIA_FONT)
            alt = etree.SubElement(font, qn("w:altName"))
            alt.set(qn("w:val"), EAST_ASIA_FALLBACK)
            charset = etree.SubElement(font, qn("w:charset"))
            charset.set(qn("w:val"), "88")  # CHINESEBIG5_CHARSET
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            return


_KIND_ALIASES = {"title": (BlockKind.HEADING, 0), "heading": (BlockKind.HEADING, 1)}


def _kind_level(kind: str | BlockKind, level: int) -> tuple[BlockKind, int]:
    if isinstance(kind, BlockKind):
        return kind, level
    key = kind.strip().lower().replace("_", " ")
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    if key.startswith("heading") and key[7:].strip().isdigit():
        return BlockKind.HEADING, int(key[7:].strip())
    if key in ("list item", "list", "bullet"):
        return BlockKind.LIST_ITEM, max(level, 1)
    return BlockKind.PARAGRAPH, 0


def write_new_docx(blocks: Sequence[tuple[str, str]] | Sequence[Block], output: Path, title: str = "") -> None:
    """Write a new .docx from ``(kind, text)`` pairs or Blocks.

    Kinds: "title", "heading" / "heading2".."heading9", "list_item", anything else a
    paragraph; Blocks use their kind and level (a HEADING of level 0 is a Title). A
    non-empty ``title`` becomes the document's title property and a Title paragraph.
    """
    output = Path(output)
    d = docx.Document()
    _set_east_asian_font(d)
    if title:
        d.core_properties.title = xml_safe(title)
        d.add_paragraph(xml_safe(title), style="Title")
    for item in blocks:
        if isinstance(item, Block):
            kind, level = _kind_level(item.kind, item.level)
            text = item.text
        else:
            kind, level = _kind_level(item[0], 1)
            text = item[1]
        text = xml_safe(text)
        if kind is BlockKind.HEADING:
            d.add_paragraph(text, style="Title" if level <= 0 else f"Heading {min(level, 9)}")
        elif kind is BlockKind.LIST_ITEM:
            depth = min(max(level, 1), 3)
            d.add_paragraph(text, style="List Bullet" if depth == 1 else f"List Bullet {depth}")
        else:
            d.add_paragraph(text)
    _save(d, output)


def _add_block(d: DocxDocument, block: Block, grey: bool = False) -> None:
    kind, level = _kind_level(block.kind, block.level)
    text = xml_safe(block.text)
    if kind is BlockKind.HEADING:
        p = d.add_paragraph(text, style="Title" if level <= 0 else f"Heading {min(level, 9)}")
    elif kind is BlockKind.LIST_ITEM:
        depth = min(max(level, 1), 3)
        p = d.add_paragraph(text, style="List Bullet" if depth == 1 else f"List Bullet {depth}")
    else:
        p = d.add_paragraph(text)
    if grey:
        for run in p.runs:
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def write_bilingual_docx(pairs: Sequence[tuple[Block, Block]], output: Path, layout: str, title: str = "") -> None:
    """A new .docx with each source block beside ("side-by-side") or above ("interleaved") its translation."""
    output = Path(output)
    d = docx.Document()
    _set_east_asian_font(d)
    if title:
        d.core_properties.title = xml_safe(title)
        d.add_paragraph(xml_safe(title), style="Title")
    if layout == "side-by-side":
        table = d.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for source, translated in pairs:
            cells = table.add_row().cells
            for cell, block in ((cells[0], source), (cells[1], translated)):
                cell.text = xml_safe(block.text)
                if block.kind is BlockKind.HEADING:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
    else:
        for source, translated in pairs:
            _add_block(d, source, grey=True)
            _add_block(d, translated)
    _save(d, output)

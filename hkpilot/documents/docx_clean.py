"""Strip what would make an output .docx reach out on its own when opened.

Re-saving a source keeps its remote-template link (RELIABILITY.md). An output must not
fetch anything: no attached template, mail-merge source, linked picture, frame,
sub-document, linked OLE object, nor field that includes a file or a DDE link.
External hyperlinks the author put in untouched paragraphs stay: they do nothing until
a person clicks them (translated paragraphs are flattened by the writer anyway).
"""

from __future__ import annotations

import re
from typing import Any

from docx.document import Document as DocxDocument
from lxml import etree

from hkpilot.documents import docx_xml as dx

_R_NS = f"{{{dx.NS['r']}}}"
_O_RELID = "{urn:schemas-microsoft-com:office:office}relid"
_BLIP = f"{{{dx.NS['a']}}}blip"
# Field codes that fetch content from files or other programs when fields update.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_REMOTE_FIELD = re.compile(r"^\s*(INCLUDETEXT|INCLUDEPICTURE|LINK|DDE|DDEAUTO|IMPORT|INCLUDE)\b", re.IGNORECASE)


def strip_remote_links(d: DocxDocument) -> None:
    """Remove template/mail-merge links, remote fields and fetching external relationships."""
    settings = d.settings.element
    for tag in ("attachedTemplate", "mailMerge", "linkStyles"):
        for el in settings.findall(dx.w(tag)):
            settings.remove(el)
    for part in d.part.package.iter_parts():
        if hasattr(part, "element"):
            strip_remote_fields(part.element)
            _drop_external_rels(part, part.element)
            continue
        # Parts python-docx keeps as bytes (footnotes, endnotes, glossary...).
        blob = part.blob
        has_external = any(rel.is_external for rel in part.rels.values())
        if not part.content_type.endswith("+xml") or not (has_external or b"fldSimple" in blob or b"instrText" in blob):
            continue
        root = etree.fromstring(blob, _PARSER)
        strip_remote_fields(root)
        _drop_external_rels(part, root)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_external_rels(part: Any, root: etree._Element) -> None:
    """Drop every external relationship except hyperlinks still in use, and its references."""
    refs: dict[str, list[tuple[etree._Element, str]]] = {}
    for el in root.iter():
        for name, value in el.attrib.items():
            if name.startswith(_R_NS) or name == _O_RELID:
                refs.setdefault(value, []).append((el, name))
    for rid, rel in list(part.rels.items()):
        if not rel.is_external:
            continue
        used = refs.get(rid, [])
        if rel.reltype.endswith("/hyperlink") and used:
            continue
        for el, attr in used:
            if el.tag == _BLIP:
                del el.attrib[attr]  # a linked picture: keep any embedded copy
            elif el.getparent() is not None:
                el.getparent().remove(el)
        del part.rels[rid]


def strip_remote_fields(root: etree._Element) -> None:
    """Turn fields that include files or DDE links into their last shown result text."""
    for fld in list(root.iter(dx.w("fldSimple"))):
        if _REMOTE_FIELD.match(fld.get(dx.w("instr")) or ""):
            _unwrap(fld)
    # Complex fields: begin ... instrText ... separate ... result ... end, possibly
    # spanning paragraphs and nested; walk runs in document order with a stack.
    stack: list[dict[str, Any]] = []
    doomed: list[etree._Element] = []
    for el in root.iter(dx.w("fldChar"), dx.w("instrText")):
        if el.tag == dx.w("instrText"):
            if stack and not stack[-1]["separated"]:
                stack[-1]["instr"].append(el.text or "")
                stack[-1]["els"].append(el)
            continue
        kind = el.get(dx.w("fldCharType"))
        if kind == "begin":
            stack.append({"instr": [], "els": [el], "separated": False})
        elif kind == "separate" and stack:
            stack[-1]["separated"] = True
            stack[-1]["els"].append(el)
        elif kind == "end" and stack:
            field = stack.pop()
            field["els"].append(el)
            if _REMOTE_FIELD.match("".join(field["instr"])):
                doomed.extend(field["els"])
    for el in doomed:
        run = el.getparent()
        if run is None:
            continue
        run.remove(el)
        if run.tag == dx.R and all(c.tag == dx.w("rPr") for c in run) and run.getparent() is not None:
            run.getparent().remove(run)


def _unwrap(el: etree._Element) -> None:
    """Replace ``el`` by its children (``w:fldPr`` dropped)."""
    parent = el.getparent()
    if parent is None:
        return
    idx = parent.index(el)
    for child in list(el):
        if child.tag != dx.w("fldPr"):
            parent.insert(idx, child)
            idx += 1
    parent.remove(el)

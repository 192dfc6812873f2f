"""Provenance on every output: custom document properties, and a visible label when policy asks.

Writers call ``stamp_docx`` / ``stamp_xlsx`` just before saving. What is stamped comes
from the job that writes (``using(Provenance(...))``, set by ``app/job_guard.py``); a
write outside a job still gets the version and the date. Properties (``HKPilot.*``) hold
the HKPilot version, task, engine, model name and SHA-256, glossary file and hash, and
the date — never content. ``hkpilot inspect`` shows them; ``hkpilot review`` marks an
output as reviewed, which removes the visible label.
"""

from __future__ import annotations

import contextlib
import re
import time
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from hkpilot import __version__

PREFIX = "HKPilot."
LABEL_BOOKMARK = "_HKPilotLabel"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CUSTOM_PART = "/docProps/custom.xml"

# The visible label is document text in the output's language, not interface text.
LABELS = {
    ("translate", "en"): "Machine translation — for reference only",
    ("translate", "zh"): "機器翻譯 — 只供參考",
    ("other", "en"): "Machine-generated text — for reference only",
    ("other", "zh"): "機器生成文本 — 只供參考",
}


def default_label(task: str, lang: str) -> str:
    return LABELS[("translate" if task == "translate" else "other", "zh" if lang.startswith("zh") else "en")]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass(frozen=True)
class Provenance:
    """Where an output came from (no content)."""

    task: str = ""
    engine: str = ""  # "local" or "server"
    model: str = ""
    model_sha256: str = ""
    glossary: str = ""
    glossary_sha256: str = ""
    label: str = ""  # the visible header label; "" for none
    date: str = field(default_factory=_now)

    def properties(self) -> dict[str, str]:
        values = {
            "Version": __version__, "Task": self.task, "Engine": self.engine, "Model": self.model,
            "ModelSHA256": self.model_sha256, "Glossary": self.glossary, "GlossarySHA256": self.glossary_sha256,
            "Date": self.date, "Reviewed": "no" if self.label else "",
        }
        if self.label:
            values["Label"] = self.label
        return {PREFIX + k: v for k, v in values.items() if v}


_current: ContextVar[Provenance | None] = ContextVar("hkpilot_provenance", default=None)


@contextlib.contextmanager
def using(prov: Provenance | None) -> Iterator[None]:
    """Writes inside this block carry ``prov``."""
    token = _current.set(prov)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Provenance:
    return _current.get() or Provenance()


# -- Word -------------------------------------------------------------------------------------


def _custom_xml(existing: bytes | None, props: dict[str, str]) -> bytes:
    """The custom-properties part with ``props`` set (other properties kept)."""
    root = None
    if existing:
        with contextlib.suppress(etree.XMLSyntaxError):
            root = etree.fromstring(existing, etree.XMLParser(resolve_entities=False, no_network=True))
    if root is None:
        root = etree.Element(f"{{{_CP}}}Properties", nsmap={None: _CP, "vt": _VT})
    for prop in list(root):
        if str(prop.get("name", "")) in props or str(prop.get("name", "")).startswith(PREFIX):
            root.remove(prop)
    pids = [int(p.get("pid")) for p in root if str(p.get("pid", "")).isdigit()]
    pid = max([1, *pids])
    for name, value in props.items():
        pid += 1
        prop = etree.SubElement(root, f"{{{_CP}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_docx_properties(d: Any, props: dict[str, str]) -> None:
    """Set custom properties on a python-docx Document (creating the part when needed)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = d.part.package
    part = next((p for p in package.iter_parts() if str(p.partname) == _CUSTOM_PART), None)
    if part is not None:
        part._blob = _custom_xml(part.blob, props)
        return
    part = Part(PackURI(_CUSTOM_PART), CT.OFC_CUSTOM_PROPERTIES, _custom_xml(None, props), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _label_paragraph(text: str, index: int) -> etree._Element:
    w = f"{{{_W}}}"
    mark = str(900100 + index)
    p = etree.Element(w + "p")
    ppr = etree.SubElement(p, w + "pPr")
    etree.SubElement(ppr, w + "jc", {w + "val": "center"})
    etree.SubElement(p, w + "bookmarkStart", {w + "id": mark, w + "name": LABEL_BOOKMARK})
    r = etree.SubElement(p, w + "r")
    rpr = etree.SubElement(r, w + "rPr")
    etree.SubElement(rpr, w + "b")
    etree.SubElement(rpr, w + "color", {w + "val": "C00000"})
    t = etree.SubElement(r, w + "t")
    t.text = text
    etree.SubElement(p, w + "bookmarkEnd", {w + "id": mark})
    return p


def _headers(d: Any) -> Iterator[Any]:
    """Each header a reader may see: the default one of every section with its own, first and even pages."""
    even = d.settings.odd_and_even_pages_header_footer
    for index, section in enumerate(d.sections):
        if index == 0 or not section.header.is_linked_to_previous:
            yield section.header
        if section.different_first_page_header_footer and (index == 0 or not section.first_page_header.is_linked_to_previous):
            yield section.first_page_header
        if even and (index == 0 or not section.even_page_header.is_linked_to_previous):
            yield section.even_page_header


def add_docx_label(d: Any, text: str) -> None:
    """Put ``text`` as the first paragraph of every header (marked so review can remove it)."""
    for index, header in enumerate(_headers(d)):
        header._element.insert(0, _label_paragraph(text, index))


def remove_docx_label(d: Any) -> int:
    """Remove the label paragraphs from the headers; return how many were removed."""
    removed = 0
    for rel in d.part.rels.values():
        if rel.is_external or not rel.reltype.endswith("/header"):
            continue
        root = rel.target_part.element
        for start in root.iter(f"{{{_W}}}bookmarkStart"):
            if start.get(f"{{{_W}}}name") == LABEL_BOOKMARK:
                p = start.getparent()
                if p is not None and p.getparent() is not None:
                    p.getparent().remove(p)
                    removed += 1
                break
    return removed


def stamp_docx(d: Any) -> None:
    """Called by the Word writers before saving: provenance properties, and the label if asked."""
    prov = current()
    set_docx_properties(d, prov.properties())
    if prov.label:
        add_docx_label(d, prov.label)


# -- Excel ------------------------------------------------------------------------------------


def _set_xlsx_properties(wb: Any, props: dict[str, str]) -> None:
    from openpyxl.packaging.custom import CustomPropertyList, StringProperty

    kept = [p for p in wb.custom_doc_props.props if p.name not in props and not p.name.startswith(PREFIX)]
    wb.custom_doc_props = CustomPropertyList()
    for p in kept:
        wb.custom_doc_props.append(p)
    for name, value in props.items():
        wb.custom_doc_props.append(StringProperty(name=name, value=value))


def _xlsx_headers(wb: Any) -> Iterator[Any]:
    for ws in wb.worksheets:
        yield from (ws.oddHeader.center, ws.evenHeader.center, ws.firstHeader.center)


def stamp_xlsx(wb: Any) -> None:
    """Called by the Excel writer before saving: provenance properties, and the label if asked."""
    prov = current()
    _set_xlsx_properties(wb, prov.properties())
    if prov.label:
        for part in _xlsx_headers(wb):
            part.text = f"{prov.label}\n{part.text}" if part.text else prov.label


# -- reading and reviewing --------------------------------------------------------------------


def read_properties(path: Path) -> dict[str, str]:
    """The ``HKPilot.*`` custom properties of a .docx or .xlsx ({} for other files)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > 2_000_000:
                return {}
            root = etree.fromstring(zf.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return {}
    out = {}
    for prop in root:
        name = str(prop.get("name", ""))
        if name.startswith(PREFIX):
            out[name] = "".join(prop.itertext()).strip()
    return out


def mark_reviewed(path: Path, reviewer: str) -> None:
    """Mark an HKPilot output as reviewed: the label goes, the reviewer and time are recorded."""
    from hkpilot.atomic import atomic_save

    path = Path(path)
    stamp = {PREFIX + "Reviewed": "yes", PREFIX + "ReviewedBy": reviewer, PREFIX + "ReviewedAt": _now()}
    kept = {k: v for k, v in read_properties(path).items() if k != PREFIX + "Label"}
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        with open(path, "rb") as f:
            wb = openpyxl.load_workbook(f, keep_links=False, keep_vba=False)
        label = read_properties(path).get(PREFIX + "Label", "")
        for part in _xlsx_headers(wb):
            if label and part.text:
                part.text = re.sub(rf"^{re.escape(label)}\n?", "", part.text) or None
        _set_xlsx_properties(wb, {**kept, **stamp})
        atomic_save(path, wb.save)
        return
    import docx

    with open(path, "rb") as f:
        d = docx.Document(f)
    remove_docx_label(d)
    set_docx_properties(d, {**kept, **stamp})
    atomic_save(path, d.save)

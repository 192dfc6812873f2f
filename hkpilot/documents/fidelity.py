"""Fidelity report: count a document's structure, and say what a translation lost.

``inspect`` counts what a translation must keep (paragraphs, tables, cells, runs with
each kind of formatting, hyperlinks, pictures, notes, comments, text boxes, headers,
footers, fields, sections); ``compare`` sets a source beside its translation. Runs are
merged and split by translation, so run counts are compared by kind only: a kind of
formatting present in the source and absent from the translation is lost.
Every file goes through the same checks as the readers (typed errors for bad files).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from hkpilot.documents import docx_xml as dx
from hkpilot.documents import safety
from hkpilot.documents.safety import parse_boundary
from hkpilot.i18n import N_

# Metric names (stable keys, shown as they are) and their labels.
LABELS = {
    "paragraphs": N_("paragraphs"),
    "text_paragraphs": N_("paragraphs with text"),
    "headings": N_("headings"),
    "list_items": N_("list items"),
    "tables": N_("tables"),
    "nested_tables": N_("nested tables"),
    "cells": N_("table cells"),
    "sections": N_("sections"),
    "headers": N_("headers"),
    "footers": N_("footers"),
    "footnotes": N_("footnotes"),
    "endnotes": N_("endnotes"),
    "comments": N_("comments"),
    "text_boxes": N_("text boxes"),
    "images": N_("images"),
    "hyperlinks": N_("hyperlinks"),
    "fields": N_("fields"),
    "bookmarks": N_("bookmarks"),
    "runs_bold": N_("runs in bold"),
    "runs_italic": N_("runs in italic"),
    "runs_underline": N_("runs underlined"),
    "runs_colour": N_("runs in colour"),
    "runs_highlight": N_("runs highlighted"),
    "runs_size": N_("runs with a font size"),
    "runs_superscript": N_("runs in superscript"),
    "runs_subscript": N_("runs in subscript"),
    "runs_strike": N_("runs struck through"),
    "pages": N_("pages"),
    "sheets": N_("sheets"),
    "text_cells": N_("cells with text"),
    "formulas": N_("formulas"),
    "numbers": N_("numbers"),
    "merged_ranges": N_("merged cell ranges"),
}
# Counts a faithful translation keeps exactly; the rest may only not drop to zero.
EXACT = (
    "paragraphs", "tables", "nested_tables", "cells", "sections", "headers", "footers", "footnotes", "endnotes",
    "comments", "text_boxes", "images", "fields", "pages", "sheets", "formulas", "numbers", "merged_ranges",
)
AT_LEAST = ("hyperlinks", "bookmarks", "headings", "list_items")

_NOT_FALLBACK = "[not(ancestor::mc:Fallback)]"
_RUN_QUERIES = {
    "runs_bold": ".//w:r[w:rPr/w:b[not(@w:val='0' or @w:val='false')]]",
    "runs_italic": ".//w:r[w:rPr/w:i[not(@w:val='0' or @w:val='false')]]",
    "runs_underline": ".//w:r[w:rPr/w:u[not(@w:val='none')]]",
    "runs_colour": ".//w:r[w:rPr/w:color[not(@w:val='auto')]]",
    "runs_highlight": ".//w:r[w:rPr/w:highlight[not(@w:val='none')] or w:rPr/w:shd[@w:fill and not(@w:fill='auto')]]",
    "runs_size": ".//w:r[w:rPr/w:sz]",
    "runs_superscript": ".//w:r[w:rPr/w:vertAlign[@w:val='superscript']]",
    "runs_subscript": ".//w:r[w:rPr/w:vertAlign[@w:val='subscript']]",
    "runs_strike": ".//w:r[w:rPr/w:strike[not(@w:val='0' or @w:val='false')]]",
}


@dataclass
class FidelityReport:
    """Structure counts of one file."""

    path: Path
    format: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Comparison:
    """Source and translation counts, and the metrics the translation lost."""

    source: FidelityReport
    translated: FidelityReport
    lost: list[str] = field(default_factory=list)  # metric keys
    changed: list[str] = field(default_factory=list)  # exact counts that grew (bilingual layouts)

    @property
    def ok(self) -> bool:
        return not self.lost


def inspect(path: Path, password: str | None = None) -> FidelityReport:
    """Count the structure of a .docx, .pdf, .xlsx or text file (typed errors for bad files)."""
    from hkpilot.documents.loader import load_document

    path = Path(path)
    doc = load_document(path, password=password)  # all the checks, and the type from the bytes
    report = FidelityReport(path=path, format=doc.format)
    with parse_boundary(path.name, safety.KIND_BY_FORMAT.get(doc.format, "supported")):
        if doc.format == "docx":
            report.counts = _docx_counts(path)
            from hkpilot.documents.docx_reader import body_paragraph_kinds

            kinds = [k.value for k in body_paragraph_kinds(doc.source)] if doc.source is not None else []
            report.counts["headings"] = kinds.count("heading")  # in table cells too (side-by-side layout)
            report.counts["list_items"] = kinds.count("list_item")
        elif doc.format == "xlsx":
            report.counts = _xlsx_counts(path)
        else:
            report.counts = {"paragraphs": len(doc.blocks), "pages": doc.meta.page_count or 0}
            if doc.format == "txt":
                del report.counts["pages"]
    return report


def compare(source: Path, translated: Path) -> Comparison:
    """What structure ``translated`` lost against ``source`` (and which exact counts grew)."""
    a, b = inspect(source), inspect(translated)
    result = Comparison(a, b)
    if a.format != b.format:
        # A PDF or text translated into a Word file: only its paragraphs can be compared.
        have = b.counts.get("text_paragraphs", b.counts.get("paragraphs", 0))
        if have < a.counts.get("paragraphs", 0):
            result.lost.append("paragraphs")
        return result
    for key, n in a.counts.items():
        m = b.counts.get(key, 0)
        if key in EXACT or key in AT_LEAST:
            if m < n:
                result.lost.append(key)
            elif m > n and key in EXACT:
                result.changed.append(key)
        elif key.startswith("runs_") and n > 0 and m == 0:
            result.lost.append(key)
    return result


def _docx_counts(path: Path) -> dict[str, int]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        main = _main_part(zf, names)
        doc = etree.fromstring(zf.read(main), parser)
        parts = {n: etree.fromstring(zf.read(n), parser) for n in sorted(names) if _is_story(n) and n != main}
    stories = [doc, *parts.values()]
    counts: dict[str, int] = {}
    body = doc.find(dx.w("body"))
    counts["paragraphs"] = dx.count(body, f".//w:p{_NOT_FALLBACK}[not(ancestor::w:txbxContent)]") if body is not None else 0
    counts["text_paragraphs"] = (
        sum(1 for p in body.iter(dx.P) if dx.paragraph_text(p).strip()) if body is not None else 0
    )
    counts["tables"] = sum(dx.count(s, f".//w:tbl{_NOT_FALLBACK}") for s in stories)
    counts["nested_tables"] = sum(dx.count(s, f".//w:tbl{_NOT_FALLBACK}[ancestor::w:tbl]") for s in stories)
    counts["cells"] = sum(dx.count(s, f".//w:tc{_NOT_FALLBACK}") for s in stories)
    counts["sections"] = dx.count(doc, ".//w:sectPr[not(ancestor::w:sectPrChange)]")
    counts["headers"] = sum(1 for n in parts if n.startswith("word/header"))
    counts["footers"] = sum(1 for n in parts if n.startswith("word/footer"))
    counts["footnotes"] = _notes(parts.get("word/footnotes.xml"), "footnote")
    counts["endnotes"] = _notes(parts.get("word/endnotes.xml"), "endnote")
    comments = parts.get("word/comments.xml")
    counts["comments"] = dx.count(comments, "./w:comment") if comments is not None else 0
    counts["text_boxes"] = sum(dx.count(s, f".//w:txbxContent{_NOT_FALLBACK}") for s in stories)
    counts["images"] = sum(dx.count(s, f".//a:blip{_NOT_FALLBACK} | .//v:imagedata{_NOT_FALLBACK}") for s in stories)
    counts["hyperlinks"] = sum(dx.count(s, ".//w:hyperlink") for s in stories)
    counts["fields"] = sum(dx.count(s, ".//w:fldChar[@w:fldCharType='begin'] | .//w:fldSimple") for s in stories)
    counts["bookmarks"] = sum(dx.count(s, ".//w:bookmarkStart[not(starts-with(@w:name, '_GoBack'))]") for s in stories)
    for key, query in _RUN_QUERIES.items():
        counts[key] = sum(dx.count(s, query) for s in stories)
    return counts


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str:
    return "word/document.xml" if "word/document.xml" in names else next(
        (n for n in names if n.endswith("document.xml")), "word/document.xml"
    )


def _is_story(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("word/") and "/" not in name[5:] and base.endswith(".xml") and base.startswith(
        ("header", "footer", "footnotes", "endnotes", "comments.xml")
    )


def _notes(root: etree._Element | None, kind: str) -> int:
    if root is None:
        return 0
    return sum(1 for n in root.findall(dx.w(kind)) if n.get(dx.w("type")) in (None, "normal"))


def _xlsx_counts(path: Path) -> dict[str, int]:
    import openpyxl

    from hkpilot.documents.xlsx_reader import _STREAMED_PARTS

    safety.open_checked_zip(path, path.name, "Excel", safety.MAX_XML_PART, _STREAMED_PARTS)
    counts = {"sheets": 0, "text_cells": 0, "formulas": 0, "numbers": 0, "merged_ranges": 0}
    with open(path, "rb") as f:
        wb = openpyxl.load_workbook(f, read_only=False, data_only=False, keep_links=False)
    try:
        for ws in wb.worksheets:
            counts["sheets"] += 1
            counts["merged_ranges"] += len(ws.merged_cells.ranges)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    if cell.data_type == "f":
                        counts["formulas"] += 1
                    elif cell.data_type in ("n", "d"):
                        counts["numbers"] += 1
                    elif cell.data_type == "s":
                        counts["text_cells"] += 1
    finally:
        wb.close()
    return counts

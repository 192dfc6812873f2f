"""Put translated (tagged) text back into the paragraphs of an opened .docx."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph
from lxml import etree

from hkpilot.documents import docx_rebuild, docx_runs
from hkpilot.documents.docx_walk import DocxEntry, commit_parts, walk_docx
from hkpilot.documents.inline_markup import strip_tags
from hkpilot.documents.model import WriteReport


def entries_by_anchor(d: DocxDocument) -> dict[str, DocxEntry]:
    """Every walked paragraph of ``d`` by anchor (walked fully before anything changes)."""
    return {entry.anchor: entry for entry in walk_docx(d)}


def apply_translations(d: DocxDocument, entries: dict[str, DocxEntry], translations: dict[str, str]) -> WriteReport:
    """Write each translation into its paragraph (and the paragraph's fallback twin)."""
    from hkpilot.documents.docx_writer import set_paragraph_text

    report = WriteReport()
    for anchor, text in translations.items():
        entry = entries[anchor]
        report.paragraphs += 1
        for index, p in enumerate([entry.paragraph._p, *entry.mirrors]):
            outcome = write_paragraph(p, entry.depth, text, set_paragraph_text)
            if index == 0:
                report.plain += outcome is None
                if outcome is not None:
                    report.lost_format += outcome.lost_spans > 0
                    report.restored_objects += outcome.restored_atoms
    commit_parts(d)
    return report


def write_paragraph(p: etree._Element, depth: int, text: str, plain_writer: object) -> docx_rebuild.ApplyResult | None:
    """Apply tagged ``text`` to ``p``; a paragraph too unusual to tag gets plain text (None)."""
    seg = docx_runs.segment(p, depth)
    if seg is None:
        plain_writer(Paragraph(p, None), strip_tags(text))  # type: ignore[operator, arg-type]
        return None
    if not seg.markup.strip() or not strip_tags(seg.markup).strip():
        return docx_rebuild.ApplyResult()  # nothing translatable (a field, a picture): left alone
    return docx_rebuild.apply(p, seg, text)

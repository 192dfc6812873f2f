"""Write a translation in the form asked for: a copy of the source, a bilingual layout, or a PDF.

Word sources give a translated copy of the .docx (formatting kept) or a PDF of the text;
PDF and text sources give a new .docx or .pdf; workbooks give a translated workbook.
``layout`` is "replace", "side-by-side" (a two-column table: source | translation) or
"interleaved" (each source paragraph followed by its translation).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hkpilot.documents.docx_bilingual import LAYOUTS
from hkpilot.documents.inline_markup import strip_tags
from hkpilot.documents.model import Block, BlockKind, Document, WriteReport
from hkpilot.errors import UsageError
from hkpilot.i18n import N_

_XLSX_ONLY = N_("a workbook is translated into a workbook (.xlsx), in the replace layout")
_DOC_SUFFIX = N_("the output of a translated document must end in .docx or .pdf")


def check_output(doc: Document, output: Path, layout: str) -> None:
    """Refuse a layout or an output type that this source cannot give, before any model work."""
    if layout not in LAYOUTS:
        raise UsageError(detail=f"--layout {layout} ({', '.join(LAYOUTS)})")
    suffix = Path(output).suffix.lower()
    if doc.format == "xlsx":
        if suffix != ".xlsx" or layout != "replace":
            raise UsageError(detail=_XLSX_ONLY)
    elif suffix not in (".docx", ".pdf"):
        raise UsageError(detail=_DOC_SUFFIX)


def write_translated(doc: Document, translations: dict[str, str], output: Path, layout: str = "replace") -> WriteReport:
    """Write ``translations`` (by anchor; Word ones may carry inline tags) to ``output``."""
    output = Path(output)
    check_output(doc, output, layout)
    if doc.format == "xlsx":
        from hkpilot.documents.xlsx_reader import save_translated_workbook

        save_translated_workbook(doc.path, translations, output, fingerprint=doc.fingerprint)
        return WriteReport(paragraphs=len(translations))
    if output.suffix.lower() == ".pdf":
        from hkpilot.documents.pdf_writer import write_pdf

        pairs = _pairs(doc, translations)
        write_pdf(pairs, output, layout=layout, title=doc.meta.title)
        return WriteReport(paragraphs=len(translations))
    if doc.format == "docx":
        from hkpilot.documents.docx_writer import save_translated_copy

        return save_translated_copy(doc, translations, output, layout=layout)
    from hkpilot.documents.docx_writer import write_bilingual_docx, write_new_docx

    if layout == "replace":
        write_new_docx([b for _s, b in _pairs(doc, translations)], output, title=doc.meta.title)
    else:
        write_bilingual_docx(_pairs(doc, translations), output, layout=layout, title=doc.meta.title)
    return WriteReport(paragraphs=len(translations))


def _pairs(doc: Document, translations: dict[str, str]) -> list[tuple[Block, Block]]:
    """(source block, translated block) for each text block, tags removed."""
    out = []
    for b in doc.text_blocks:
        if b.kind in (BlockKind.COMMENT,):
            continue  # a comment is no part of the text of a PDF or a rebuilt document
        text = strip_tags(translations.get(b.anchor, b.markup or b.text))
        out.append((dataclasses.replace(b, handle=None), dataclasses.replace(b, text=text, handle=None)))
    return out

"""Write a translation as a PDF with an embedded CJK font (fpdf2).

Why fpdf2 with an embedded TrueType font rather than reportlab's CID fonts
(``MSung-Light``): a CID font is not embedded, so the PDF shows Chinese only where the
viewer has Adobe's Asian font pack or substitutes a font of its own (on a machine with
no CJK font, boxes); an embedded subset shows the same everywhere and stays small.
fpdf2 is already a dependency. TrueType rather than OpenType/CFF outlines: fpdf2 writes
CFF fonts with a custom encoding CMap from which pypdf extracts ``\\x00`` before every
character, so a CFF-based PDF would not read back cleanly. Chinese and English need no
text shaping (no ligatures or contextual forms), so uharfbuzz is not needed.

The font: ``HKPILOT_PDF_FONT`` when set, else WenQuanYi Micro Hei from the
``paperang-p2-fonts-cjk`` package, else a system font (Microsoft JhengHei, MingLiU,
Noto Sans CJK, AR PL UMing...).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from hkpilot.atomic import atomic_save
from hkpilot.documents.model import Block, BlockKind
from hkpilot.documents.safety import xml_safe
from hkpilot.errors import HKPilotError, OutputError
from hkpilot.i18n import N_

FONT_ENV = "HKPILOT_PDF_FONT"
_NO_FONT = N_("no Chinese font was found to write a PDF (set HKPILOT_PDF_FONT to a .ttf or .ttc file), save as .docx instead")
_SYSTEM_FONTS = (
    "C:/Windows/Fonts/msjh.ttc",
    "C:/Windows/Fonts/mingliu.ttc",
    "C:/Windows/Fonts/msjh.ttf",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
_SIZES = {0: 20.0, 1: 16.0, 2: 14.0, 3: 12.5}
_BODY = 11.0


def find_cjk_font() -> Path | None:
    """A TrueType font (or collection) with Chinese glyphs, or None."""
    configured = os.environ.get(FONT_ENV, "").strip()
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    spec = importlib.util.find_spec("paperang_p2_fonts_cjk")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).parent / "fonts" / "wqy-microhei.ttc"
        if bundled.is_file():
            return bundled
    for candidate in _SYSTEM_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    return None


def write_pdf(pairs: Sequence[tuple[Block, Block]], output: Path, layout: str = "replace", title: str = "") -> None:
    """A PDF of the translated blocks; "side-by-side" gives a two-column table, "interleaved" source then translation."""
    from fpdf import FPDF

    output = Path(output)
    font = find_cjk_font()
    if font is None:
        raise OutputError(path=str(output), detail=_NO_FONT)
    try:
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.set_margins(20, 18, 20)
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=_BODY)
        pdf.set_title(xml_safe(title))
        pdf.set_creator("HKPilot")
        pdf.add_page()
        if title:
            _paragraph(pdf, title, _SIZES[0])
        for group in _by_source_page(pdf, pairs):
            if layout == "side-by-side":
                _table(pdf, group)
                continue
            for source, translated in group:
                if layout == "interleaved":
                    _block(pdf, source, grey=True)
                _block(pdf, translated)
        data = bytes(pdf.output())
        atomic_save(output, lambda f: _write_all(f, data))
    except HKPilotError:
        raise
    except Exception as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise OutputError(path=str(output), detail=detail) from exc


def _by_source_page(pdf: object, pairs: Sequence[tuple[Block, Block]]) -> Iterator[Sequence[tuple[Block, Block]]]:
    """The pairs in runs of one source page; each source page after the first starts a new page.

    A PDF translated into a PDF keeps its pagination: page N of the translation begins
    with the text of page N of the source (a longer translation runs onto extra pages).
    Blocks without a page (a Word source) come as one run.
    """
    current = 1
    start = 0
    for i, (source, _translated) in enumerate(pairs):
        if source.page and source.page > current:
            if i > start:
                yield pairs[start:i]
            start = i
            for _ in range(source.page - current):
                pdf.add_page()  # type: ignore[attr-defined]
            current = source.page
    if start < len(pairs):
        yield pairs[start:]


def _write_all(f: IO[bytes], data: bytes) -> None:
    if f.write(data) != len(data):
        raise OSError("short write")


def _clean(text: str) -> str:
    # Tabs and stray control characters have no glyph; keep line breaks.
    return xml_safe(text).replace("\t", "    ")


def _paragraph(pdf: object, text: str, size: float, grey: bool = False, indent: float = 0.0) -> None:
    pdf.set_font_size(size)  # type: ignore[attr-defined]
    pdf.set_text_color(90 if grey else 0)  # type: ignore[attr-defined]
    pdf.set_x(pdf.l_margin + indent)  # type: ignore[attr-defined]
    pdf.multi_cell(0, size * 0.55, _clean(text), align="L", new_x="LMARGIN", new_y="NEXT")  # type: ignore[attr-defined]
    # A paragraph gap that a reader tells from line spacing (pdf_text.MAX_LINE_SPACING).
    pdf.ln(size * 0.6)  # type: ignore[attr-defined]


def _block(pdf: object, block: Block, grey: bool = False) -> None:
    if block.kind is BlockKind.HEADING:
        _paragraph(pdf, block.text, _SIZES.get(block.level, _BODY + 1), grey)
    elif block.kind is BlockKind.LIST_ITEM:
        _paragraph(pdf, "• " + block.text, _BODY, grey, indent=6.0 * max(block.level, 1))
    else:
        _paragraph(pdf, block.text, _BODY, grey)


def _table(pdf: object, pairs: Sequence[tuple[Block, Block]]) -> None:
    pdf.set_font_size(_BODY - 1)  # type: ignore[attr-defined]
    with pdf.table(col_widths=(1, 1), first_row_as_headings=False, line_height=5.5) as table:  # type: ignore[attr-defined]
        for source, translated in pairs:
            row = table.row()
            row.cell(_clean(source.text))
            row.cell(_clean(translated.text))

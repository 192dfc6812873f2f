"""Write plain output text (a draft, a summary, an edited translation) as .docx, .pdf or .txt.

A line starting with "- ", "* " or "• " becomes a bulleted list item in Word; every other
non-empty line a paragraph. The PDF goes through ``pdf_writer`` (an embedded CJK font)
and says so plainly when no such font is on this computer. Writes are atomic.
"""

from __future__ import annotations

from pathlib import Path

from hkpilot.atomic import atomic_write_text
from hkpilot.documents.model import Block, BlockKind
from hkpilot.errors import OutputError
from hkpilot.i18n import N_

BULLETS = ("- ", "* ", "• ")
EXPORT_SUFFIXES = (".docx", ".pdf", ".txt")


def text_blocks(text: str) -> list[Block]:
    """The lines of ``text`` as paragraphs and list items."""
    blocks: list[Block] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[:2] in BULLETS:
            blocks.append(Block(f"line:{number}", BlockKind.LIST_ITEM, stripped[2:].strip(), level=1))
        else:
            blocks.append(Block(f"line:{number}", BlockKind.PARAGRAPH, stripped))
    return blocks


def export_text(text: str, path: Path, title: str = "") -> Path:
    """Write ``text`` to ``path``; the suffix (.docx, .pdf, .txt) picks the format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        atomic_write_text(path, text if text.endswith("\n") else text + "\n")
    elif suffix == ".docx":
        from hkpilot.documents.docx_writer import write_new_docx

        write_new_docx(text_blocks(text), path, title=title)
    elif suffix == ".pdf":
        from hkpilot.documents.pdf_writer import write_pdf

        blocks = text_blocks(text)
        write_pdf([(b, b) for b in blocks], path, layout="replace", title=title)
    else:
        raise OutputError(path=str(path), detail=N_("choose a .docx, .pdf or .txt file name"))
    return path

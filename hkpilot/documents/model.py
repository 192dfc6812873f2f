"""The neutral document model: ordered blocks with stable anchors.

Anchors name where a block came from so a citation, a translated block or an error
can point back: ``p:12`` (body paragraph 12), ``t:2:r3:c1`` (table 2, row 3, cell 1,
counted from 1), ``t:2:r3:c1:p:2`` (second paragraph in that cell), ``header:1:p:1``,
``footer:1:p:1``, ``page:4:para:2`` (PDF), ``sheet:Budget!B7`` (Excel), ``para:3`` (text).
Nested tables extend the cell anchor: ``t:2:r3:c1:t:1:r1:c2``. Text boxes, notes and
comments are numbered in document order: ``textbox:1``, ``footnote:2``, ``endnote:1``,
``comment:3`` (``footnote:2:p:2`` when the note has several paragraphs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    HEADER = "header"
    FOOTER = "footer"
    CELL = "cell"  # spreadsheet cell
    TEXT_BOX = "text_box"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    COMMENT = "comment"


@dataclass
class Block:
    anchor: str
    kind: BlockKind
    text: str
    style: str = ""
    level: int = 0  # heading level, list depth
    page: int | None = None
    section: str = ""  # the nearest heading above, for map-reduce by section
    handle: Any = field(default=None, repr=False, compare=False)  # e.g. the python-docx paragraph
    # The text with its inline formatting as light tags (``<b>…</b>``, ``<1>…</1>``, ``<2/>``;
    # see inline_markup), for translation; empty when the block has none to keep.
    markup: str = ""


@dataclass
class DocumentMeta:
    title: str = ""
    language: str = ""
    page_count: int | None = None
    classification: str = ""


@dataclass
class Document:
    path: Path
    format: str  # "docx", "pdf", "xlsx", "txt"
    blocks: list[Block]
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    skipped: list[str] = field(default_factory=list)  # what was not read, said aloud
    source: Any = field(default=None, repr=False)  # the parsed object writers reuse
    # SHA-256 of the file as read (docx/xlsx), so a writer that re-opens the source can
    # tell that it changed on disk since and the anchors may no longer match.
    fingerprint: str = ""

    @property
    def text_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.text.strip()]

    def full_text(self) -> str:
        return "\n\n".join(b.text for b in self.text_blocks)


@dataclass
class WriteReport:
    """What a writer could not keep exactly, so the task can say so (counts only, no text)."""

    paragraphs: int = 0  # paragraphs written
    lost_format: int = 0  # paragraphs where the model dropped a formatting tag
    restored_objects: int = 0  # pictures, fields or note marks the model dropped, put back
    plain: int = 0  # paragraphs written as plain text (structure too unusual to tag)

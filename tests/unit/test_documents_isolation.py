"""Parsing in a child process: the document comes back, errors stay typed, a slow parse is cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from hkpilot.documents.isolation import load_document_isolated
from hkpilot.errors import DocumentCorrupt, DocumentTooLarge

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_isolated_parse_returns_blocks_and_typed_errors() -> None:
    doc = load_document_isolated(CORPUS / "generated" / "rich_word.docx")
    assert doc.source is None and all(b.handle is None for b in doc.blocks)
    assert any(b.markup.startswith("The department <b>manages</b>") for b in doc.blocks)
    with pytest.raises(DocumentCorrupt):
        load_document_isolated(CORPUS / "bad" / "page-tree-loop.pdf")
    with pytest.raises(DocumentTooLarge):  # past its time, the child is killed
        load_document_isolated(CORPUS / "generated" / "report_en.pdf", timeout_s=0.01)

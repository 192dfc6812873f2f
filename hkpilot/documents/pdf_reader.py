"""Read a PDF's text layer into page-anchored paragraphs (pypdf, lenient, bounded)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, LimitReachedError

from hkpilot.documents import pdf_text
from hkpilot.documents.model import Block, BlockKind, Document, DocumentMeta
from hkpilot.documents.safety import parse_boundary
from hkpilot.errors import (
    DocumentCorrupt,
    DocumentEmpty,
    DocumentEncrypted,
    DocumentScanned,
    DocumentTooLarge,
    HKPilotError,
)
from hkpilot.i18n import N_

# When set, called with the PDF's path for a file without a text layer; it returns
# one string per page (an OCR engine lives elsewhere and may be slow).
OCR_HOOK: Callable[[Path], list[str]] | None = None

MAX_PAGES = 5_000  # a 50,000-page PDF took about 22 s to read
MAX_BYTES = 512 * 1024 * 1024  # pypdf reads the whole file into memory
MAX_SECONDS = 60.0  # text extraction of a whole document; checked between pages
GARBAGE_SHARE = 0.1  # replacement or private-use characters: a font without a Unicode map

SKIP_NO_TEXT = N_("pages without text")
SKIP_UNREADABLE = N_("pages that could not be read")
SKIP_GARBLED = N_("pages whose text may be garbled (font without a Unicode map)")
SKIP_OCR = N_("pages read by OCR")


def _decrypt(reader: PdfReader, password: str | None, name: str) -> None:
    """Open an encrypted PDF with the empty user password, then ``password``."""
    candidates = [""] if not password else ["", password]
    for candidate in candidates:
        try:
            if reader.decrypt(candidate) != PasswordType.NOT_DECRYPTED:
                return
        except (DependencyError, NotImplementedError):
            break  # an encryption method pypdf cannot handle here
    raise DocumentEncrypted(name=name)


def page_text(page: PageObject) -> str:
    """A page's text, with blank lines where the layout leaves a paragraph gap."""
    fragments: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, font_size: float) -> None:
        # Text-space origin through the text matrix, then the current transformation matrix.
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        fragments.append((text, y, float(font_size or 0) * scale))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(f[0] for f in fragments) != text:
        return text  # the fragments do not add up: keep pypdf's text as it is
    return "\n".join(pdf_text.lines_with_gaps(fragments))


def _page_texts(reader: PdfReader, name: str) -> tuple[list[str], int]:
    """Text of each page, and how many pages failed to extract."""
    texts: list[str] = []
    failed = 0
    deadline = time.monotonic() + MAX_SECONDS
    for page in reader.pages:
        if time.monotonic() > deadline:
            raise DocumentTooLarge(name=name)  # pages that cost seconds each: a hostile or absurd file
        try:
            texts.append(page_text(page))
        except (MemoryError, LimitReachedError):
            # pypdf's decompression limits (a stream inflating to gigabytes) or no memory left
            raise DocumentTooLarge(name=name) from None
        except Exception:  # noqa: BLE001 - one broken page must not lose the rest
            failed += 1
            texts.append("")
    return texts, failed


def _ocr(path: Path, name: str, pages: int) -> list[str]:
    hook = OCR_HOOK
    if hook is None:
        raise DocumentScanned(name=name)
    try:
        texts = [str(t or "") for t in hook(path)]
    except HKPilotError:
        raise
    except Exception as exc:
        raise DocumentScanned(name=name) from exc
    if not any(t.strip() for t in texts):
        raise DocumentScanned(name=name)
    return texts[:pages] if pages else texts


def _title(reader: PdfReader) -> str:
    try:  # metadata is a courtesy: a broken info dictionary must not lose the text
        meta = reader.metadata
        return str(meta.title or "").strip() if meta is not None else ""
    except Exception:  # noqa: BLE001
        return ""


def read_pdf(path: Path, password: str | None = None, max_pages: int = MAX_PAGES) -> Document:
    """Read a PDF; raise DocumentEncrypted, DocumentScanned, DocumentTooLarge... on failure."""
    path = Path(path)
    name = path.name
    # jbig2dec_binary=None: pypdf would otherwise run an external jbig2dec program.
    # The setting is a context variable, so it is applied here, in the reading thread.
    with parse_boundary(name, "PDF"), apply_configuration(jbig2dec_binary=None):
        if path.stat().st_size > MAX_BYTES:
            raise DocumentTooLarge(name=name)
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            _decrypt(reader, password, name)
        n_pages = len(reader.pages)
        if n_pages > max_pages:
            raise DocumentTooLarge(name=name)
        if n_pages == 0:
            raise DocumentEmpty(name=name)
        texts, failed = _page_texts(reader, name)
        if failed == n_pages:
            raise DocumentCorrupt(name=name, kind="PDF")
        skipped: list[str] = []
        if not any(t.strip() for t in texts):
            texts = _ocr(path, name, n_pages)
            skipped.append(f"{SKIP_OCR}: {sum(1 for t in texts if t.strip())}")
        doc = _build(path, texts, skipped, failed)
        doc.meta.title = _title(reader)
        doc.meta.page_count = n_pages
        return doc


def _build(path: Path, texts: list[str], skipped: list[str], failed: int) -> Document:
    pages = [t.splitlines() for t in texts]
    furniture = pdf_text.repeated_furniture(pages)
    blocks: list[Block] = []
    garbled = empty = 0
    for p_idx, lines in enumerate(pages, 1):
        if not "".join(lines).strip():
            empty += 1
            continue
        if pdf_text.garbage_share("".join(lines)) > GARBAGE_SHARE:
            garbled += 1
        for k, para in enumerate(pdf_text.paragraphs(pdf_text.drop_furniture(lines, furniture)), 1):
            blocks.append(Block(anchor=f"page:{p_idx}:para:{k}", kind=BlockKind.PARAGRAPH, text=para, page=p_idx))
    if not blocks:
        raise DocumentEmpty(name=path.name)
    for label, n in ((SKIP_NO_TEXT, empty - failed), (SKIP_UNREADABLE, failed), (SKIP_GARBLED, garbled)):
        if n > 0:
            skipped.append(f"{label}: {n}")
    return Document(path=path, format="pdf", blocks=blocks, meta=DocumentMeta(), skipped=skipped)

"""Read a PDF's text layer into page-anchored paragraphs (pypdf, lenient, bounded)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
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
    DocumentStructureDamaged,
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


# pypdf's warnings (message templates) when it had to rebuild a file's structure to read
# it: a cross-reference table, a trailer or a root found again by searching the bytes.
_REPAIRS = (
    "incorrect startxref pointer",
    "Invalid/Truncated xref table",
    "Invalid parent xref",
    "Circular xref chain",
    "Ignoring wrong pointing object",
    'Cannot find "/Root" key',
    "Invalid Root object",
    "XRef object at",
    "Previous trailer cannot be read",
    "Object ID %(idnum)d,%(generation)d ref repaired",
    "entry %(num)d in Xref table invalid",
)
_MAX_TREE_DEPTH = 256


class _RepairWatch(logging.Handler):
    """Collects pypdf's structure-repair warnings raised in this thread (not in others)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.repairs = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread or not isinstance(record.msg, str) or not record.msg.startswith(_REPAIRS):
            return
        if record.msg.startswith("Ignoring wrong") and isinstance(record.args, dict) and record.args.get("offset") == 0:
            return  # an unused object listed at offset 0: common in sound files, and harmless
        self.repairs += 1


@contextlib.contextmanager
def _watch_repairs() -> Iterator[_RepairWatch]:
    logger = logging.getLogger("pypdf")
    watch = _RepairWatch()
    logger.addHandler(watch)
    try:
        yield watch
    finally:
        logger.removeHandler(watch)


def _check_structure(reader: PdfReader, watch: _RepairWatch, name: str) -> None:
    """Refuse a PDF whose cross-reference table had to be rebuilt, or whose page tree or
    object streams loop (each page's /Parent chain is followed; an object stream may not
    hold itself or sit in another)."""
    if watch.repairs:
        raise DocumentStructureDamaged(name=name)
    streams = reader.xref_objStm
    if any(stm == num or stm in streams for num, (stm, _idx) in streams.items()):
        raise DocumentStructureDamaged(name=name)
    for page in reader.pages:
        seen: set[int] = set()
        node = page.get("/Parent")
        for _ in range(_MAX_TREE_DEPTH):
            if node is None:
                break
            ref = getattr(node, "idnum", None)
            if ref is not None:
                if ref in seen:
                    raise DocumentStructureDamaged(name=name)
                seen.add(ref)
            node = node.get_object()
            node = node.get("/Parent") if hasattr(node, "get") else None
        else:
            raise DocumentStructureDamaged(name=name)


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
        with _watch_repairs() as watch:
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted:
                _decrypt(reader, password, name)
            n_pages = len(reader.pages)
            if n_pages > max_pages:
                raise DocumentTooLarge(name=name)
            _check_structure(reader, watch, name)
            if n_pages == 0:
                raise DocumentEmpty(name=name)
            texts, failed = _page_texts(reader, name)
            if watch.repairs:  # objects found only by searching, while the pages were read
                raise DocumentStructureDamaged(name=name)
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

"""One entry point: open any supported file as a Document, or raise a typed DocumentError.

The type comes from the bytes, not the name; a name that promises another supported
format (a PDF or a workbook named .docx) is refused with DocumentMislabelled, which says
what the file really is. Files with other names (no suffix, .md, .dat) are read as what
their bytes are, and writers follow ``Document.format``.
"""

from __future__ import annotations

import errno
from pathlib import Path

from hkpilot.documents import pdf_reader, safety
from hkpilot.documents.docx_reader import read_docx
from hkpilot.documents.model import Document
from hkpilot.documents.pdf_reader import read_pdf
from hkpilot.documents.safety import KIND_BY_FORMAT, KIND_BY_SUFFIX, parse_boundary, sniff_format
from hkpilot.documents.txt_reader import read_txt
from hkpilot.documents.xlsx_reader import read_xlsx
from hkpilot.errors import (
    DocumentError,
    DocumentMislabelled,
    DocumentNotFound,
    DocumentTooLarge,
    DocumentUnsupported,
    DocumentZeroBytes,
)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".docx", ".pdf", ".xlsx", ".txt")


def load_document(path: Path, password: str | None = None, *, max_pages: int | None = None) -> Document:
    """Read ``path`` (.docx, .pdf, .xlsx or text); ``password`` opens an encrypted PDF.

    Every failure is a DocumentError subclass: not found, empty, unsupported, corrupt,
    encrypted, too large, scanned. ``max_pages`` raises the PDF page limit.
    """
    path = Path(path)
    name = path.name
    try:
        st = path.stat()
    except (FileNotFoundError, ValueError):  # ValueError: a NUL byte in the name
        raise DocumentNotFound(path=str(path)) from None
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise DocumentNotFound(path=str(path)) from None
        raise DocumentError(detail=exc.strerror or type(exc).__name__) from exc
    if not path.is_file():
        raise DocumentUnsupported(name=name)
    if st.st_size == 0:
        raise DocumentZeroBytes(name=name)
    if st.st_size > safety.MAX_FILE_BYTES:
        raise DocumentTooLarge(name=name)
    with parse_boundary(name, KIND_BY_SUFFIX.get(path.suffix.lower(), "supported")):
        try:
            fmt = sniff_format(path)
        except PermissionError as exc:
            raise DocumentError(detail=exc.strerror or "permission denied") from exc
        declared = path.suffix.lower().lstrip(".")
        if declared in ("docx", "xlsx", "pdf", "txt") and declared != fmt:
            # Opening it anyway would hide a mix-up (a report saved under the wrong name)
            # and write outputs of a kind the person did not ask for.
            raise DocumentMislabelled(name=name, kind=KIND_BY_FORMAT[fmt], suffix=f".{fmt}")
        if fmt == "docx":
            doc = read_docx(path)
        elif fmt == "xlsx":
            doc = read_xlsx(path)
        elif fmt == "pdf":
            limit = pdf_reader.MAX_PAGES if max_pages is None else max_pages
            doc = read_pdf(path, password=password, max_pages=limit)
        else:
            doc = read_txt(path)
        return doc

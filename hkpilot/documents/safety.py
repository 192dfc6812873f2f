"""Checks that run before any parser sees a file, and the boundary that types its errors.

Hostile files were measured to escape parsers as undocumented exceptions
(RecursionError, AssertionError, pypdf's DependencyError...) and to cost seconds and
hundreds of MB while small on disk (see shared/RELIABILITY.md). So: sniff the type from
the bytes, read the zip directory before inflating anything, refuse DTDs in OOXML
parts, and map every exception at the boundary to a typed DocumentError.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from defusedxml import ElementTree as SafeET

from hkpilot.errors import (
    DocumentCorrupt,
    DocumentEncrypted,
    DocumentTooLarge,
    DocumentUnsupported,
    HKPilotError,
    OutputError,
)
from hkpilot.i18n import N_

# Limits (module constants so tests and a future policy can change them).
MAX_FILE_BYTES = 512 * 1024 * 1024  # any document on disk (readers hold whole parts in memory)
MAX_ZIP_TOTAL = 512 * 1024 * 1024  # sum of uncompressed entry sizes
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_RATIO = 100  # Apache POI / Tika reject entries inflating more than ~100:1
RATIO_MIN_SIZE = 1024 * 1024  # small entries may compress well without harm
MAX_XML_PART = 64 * 1024 * 1024  # a DOM-parsed part (python-docx parses whole parts)
MAX_CONTENT_TYPES = 4 * 1024 * 1024

# Names used in DocumentCorrupt(kind=...): product names, the same in every language.
KIND_BY_SUFFIX = {".docx": "Word", ".xlsx": "Excel", ".pdf": "PDF", ".txt": "text"}
KIND_BY_FORMAT = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF", "txt": "text"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_EXCEL_MAINS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
# Word templates and macro documents: python-docx refuses them, and a copy would carry
# the macros along; say "unsupported" rather than "damaged".
_WORD_OTHER = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
# A DTD has no place in OOXML (Office refuses one); lxml/defusedxml would block its
# entities anyway, refusing early also avoids parsing a crafted internal subset.
_DTD_MARKERS = tuple(
    m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


@contextlib.contextmanager
def parse_boundary(name: str, kind: str) -> Iterator[None]:
    """Turn any exception raised inside into a typed DocumentError for file ``name``."""
    try:
        yield
    except HKPilotError:
        raise
    except MemoryError:
        raise DocumentTooLarge(name=name) from None
    except RecursionError:
        # The traceback of a deep recursion is huge and says nothing useful.
        raise DocumentCorrupt(name=name, kind=kind) from None
    except Exception as exc:
        raise DocumentCorrupt(name=name, kind=kind) from exc


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_zip_directory(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse zip bombs from the central directory alone, before inflating a byte."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise DocumentTooLarge(name=name)
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_ZIP_TOTAL:
            raise DocumentTooLarge(name=name)
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise DocumentTooLarge(name=name)


def check_xml_parts(zf: zipfile.ZipFile, name: str, part_limit: int | None, big_parts: re.Pattern[str] | None = None) -> None:
    """Stream every XML part once: refuse a DTD, and parts over ``part_limit`` bytes.

    zipfile stops inflating at the size the directory declares (and then checks the
    CRC), so the count here is the true size. ``big_parts`` names parts a reader
    streams rather than DOM-parses (worksheets), which are exempt from the limit.
    """
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels")) or info.is_dir():
            continue
        limit = part_limit
        if big_parts is not None and big_parts.fullmatch(info.filename):
            limit = None
        if limit is not None and info.file_size > limit:
            raise DocumentTooLarge(name=name)
        size = 0
        tail = b""
        with zf.open(info) as f:
            for chunk in iter(lambda f=f: f.read(1 << 20), b""):  # type: ignore[misc]
                size += len(chunk)
                if limit is not None and size > limit:
                    raise DocumentTooLarge(name=name)
                window = tail + chunk
                if any(m in window for m in _DTD_MARKERS):
                    raise DocumentCorrupt(name=name, kind="Office")
                tail = chunk[-32:]


def ooxml_main_type(zf: zipfile.ZipFile, name: str) -> str:
    """The content type of the package's main part, from ``[Content_Types].xml``."""
    try:
        info = zf.getinfo("[Content_Types].xml")
    except KeyError:
        raise DocumentCorrupt(name=name, kind="Office") from None
    if info.file_size > MAX_CONTENT_TYPES:
        raise DocumentTooLarge(name=name)
    root = SafeET.fromstring(zf.read(info))  # defusedxml: no DTD, no entities
    types = [el.get("ContentType", "") for el in root.iter(f"{_CT_NS}Override")]
    types += [el.get("ContentType", "") for el in root.iter(f"{_CT_NS}Default")]
    for ct in types:
        if ct == _WORD_MAIN or ct in _EXCEL_MAINS or ct in _WORD_OTHER:
            return ct
    return ""


def _zip_format(path: Path, name: str, kind: str) -> str:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise DocumentCorrupt(name=name, kind=kind) from None
    with zf:
        check_zip_directory(zf, name)
        main = ooxml_main_type(zf, name)
    if main == _WORD_MAIN:
        return "docx"
    if main in _EXCEL_MAINS:
        return "xlsx"
    # A PowerPoint file, an ODF file or a plain zip archive.
    raise DocumentUnsupported(name=name)


def ole_is_encrypted(path: Path) -> bool:
    """True when an OLE2 compound file holds an ``EncryptionInfo`` stream.

    Password-protected .docx/.xlsx files are OLE2 containers with that stream (MS-OFFCRYPTO);
    the directory entry name is UTF-16, and directory sectors may lie anywhere in the file.
    """
    tail = b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            if _ENCRYPTION_INFO in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTION_INFO):]
    return False


def looks_like_text(head: bytes) -> bool:
    """A cheap test on the first bytes: BOM, UTF-16 shape, or few control characters."""
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if not head:
        return False
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        # ASCII-heavy UTF-16 without a BOM: one byte of each pair is mostly zero.
        return max(even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)) > 0.4
    controls = sum(1 for b in head if b < 0x20 and b not in b"\t\n\r\f\x1b")
    return controls / len(head) < 0.01


def sniff_format(path: Path) -> str:
    """Return "docx", "xlsx", "pdf" or "txt" from the file's bytes; raise a DocumentError otherwise."""
    name = path.name
    kind = KIND_BY_SUFFIX.get(path.suffix.lower(), "supported")
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_format(path, name, kind)
    if b"%PDF-" in head[:1024]:
        return "pdf"  # pypdf tolerates a little junk before the header, as readers do
    if head.startswith(OLE_MAGIC):
        if ole_is_encrypted(path):
            raise DocumentEncrypted(name=name)
        raise DocumentUnsupported(name=name)  # legacy .doc/.xls
    if head.startswith(b"{\\rtf"):
        raise DocumentUnsupported(name=name)
    binary_suffix = path.suffix.lower() in (".docx", ".xlsx", ".pdf")
    if looks_like_text(head) and not binary_suffix:
        return "txt"
    if binary_suffix:
        raise DocumentCorrupt(name=name, kind=kind)
    raise DocumentUnsupported(name=name)


def open_checked_zip(path: Path, name: str, kind: str, part_limit: int | None, big_parts: re.Pattern[str] | None = None) -> None:
    """Run the directory and XML-part checks on an OOXML file before a library opens it."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise DocumentCorrupt(name=name, kind=kind) from None
    with zf:
        check_zip_directory(zf, name)
        check_xml_parts(zf, name, part_limit, big_parts)


SAME_FILE = N_("the output would overwrite the source document")


def refuse_same_file(source: Path, output: Path) -> None:
    """Raise OutputError when ``output`` is the source file (also via links or case)."""
    same = output.resolve() == source.resolve()
    if not same and output.exists():
        try:
            same = os.path.samefile(output, source)  # hard links, case-insensitive disks
        except OSError:
            same = False
    if same:
        raise OutputError(path=str(output), detail=SAME_FILE)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (lxml and openpyxl raise on them)."""
    return _XML_INVALID.sub("", text)

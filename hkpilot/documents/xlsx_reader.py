"""Read the text cells of an .xlsx workbook, and write a translated copy of one.

openpyxl blocks XML entity attacks only when defusedxml is installed (a billion-laughs
file reached 149 MB without it), so this module refuses to load without it. The
read-only reader pads rows up to the sheet's declared dimension, which a hostile file
sets to A1:XFD1048576 (15 s, 444 MB for a 4.7 KB file); rows are therefore streamed
from the sheet XML directly, without padding, within fixed bounds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import defusedxml  # noqa: F401 - openpyxl switches to it when importable
import openpyxl
from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from hkpilot.atomic import atomic_save
from hkpilot.documents import safety
from hkpilot.documents.model import Block, BlockKind, Document
from hkpilot.documents.safety import (
    open_checked_zip,
    parse_boundary,
    refuse_same_file,
    sha256_file,
    xml_safe,
)
from hkpilot.errors import DocumentEmpty, HKPilotError, OutputError
from hkpilot.i18n import N_

if not openpyxl.DEFUSEDXML:  # e.g. OPENPYXL_DEFUSEDXML=False in the environment
    raise ImportError("openpyxl is not using defusedxml; refusing to read workbooks unsafely")

MAX_CELLS = 100_000  # non-empty cells read per workbook
MAX_COLUMNS = 2_000
MAX_ROWS = 200_000
# Worksheets are streamed, so they are exempt from the per-part DOM limit.
_STREAMED_PARTS = re.compile(r"xl/worksheets/[^/]+\.xml")

SKIP_FORMULAS = N_("formulas")
SKIP_NUMBERS = N_("numbers and dates")
SKIP_OTHER = N_("other values (true/false, errors)")
SKIP_CHARTSHEETS = N_("chart sheets")
SKIP_DRAWINGS = N_("charts and pictures (not kept in a translated copy)")
SKIP_BEYOND = N_("cells beyond the size limits (not read)")

_CHANGED = N_("the source workbook changed since it was opened; open it again")
_ANCHORS_MISSING = N_("some translated cells were not found in the source")


def _iter_cells(wb: Any, ws: Any, data_only: bool = False) -> Any:
    """Yield openpyxl's cell dicts of ``ws`` as stored, without dimension padding."""
    src = ws._get_source()
    try:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        yield from parser.parse()
    finally:
        src.close()


def read_xlsx(path: Path) -> Document:
    """Read the string cells of every worksheet as CELL blocks anchored ``sheet:NAME!A1``."""
    path = Path(path)
    with parse_boundary(path.name, "Excel"):
        fingerprint = sha256_file(path)
        open_checked_zip(path, path.name, "Excel", safety.MAX_XML_PART, _STREAMED_PARTS)
        with open(path, "rb") as f:
            # A file object, not a path: openpyxl refuses names not ending in .xlsx,
            # and the content (not the name) decided that this is a workbook.
            wb = openpyxl.load_workbook(f, read_only=True, data_only=False, keep_links=False)
            try:
                blocks, counts = _read_cells(wb)
                counts[SKIP_CHARTSHEETS] = len(wb.chartsheets)
                counts[SKIP_DRAWINGS] = _drawings(path)  # openpyxl does not carry them into a saved copy
            finally:
                wb.close()
        if not any(b.text.strip() for b in blocks):
            raise DocumentEmpty(name=path.name)
        doc = Document(path=path, format="xlsx", blocks=blocks, source=None, fingerprint=fingerprint)
        doc.skipped = [label if label == SKIP_BEYOND else f"{label}: {n}" for label, n in counts.items() if n]
        doc.meta.title = _title(wb)
        return doc


def _drawings(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return sum(1 for n in zf.namelist() if re.fullmatch(r"xl/(charts/chart\d+\.xml|media/[^/]+)", n))


def _read_cells(wb: Any) -> tuple[list[Block], dict[str, int]]:
    blocks: list[Block] = []
    counts = {SKIP_FORMULAS: 0, SKIP_NUMBERS: 0, SKIP_OTHER: 0}
    seen = 0
    for ws in wb.worksheets:
        for row_idx, cells in _iter_cells(wb, ws):
            if row_idx > MAX_ROWS:
                counts[SKIP_BEYOND] = 1  # the rest of the sheet is not even parsed
                break
            for cell in cells:
                value, data_type = cell["value"], cell["data_type"]
                if value is None or value == "":
                    continue
                if cell["column"] > MAX_COLUMNS:
                    counts[SKIP_BEYOND] = 1
                    continue
                seen += 1
                if seen > MAX_CELLS:
                    counts[SKIP_BEYOND] = 1
                    return blocks, counts
                if data_type == "f":
                    counts[SKIP_FORMULAS] += 1
                elif data_type in ("n", "d"):
                    counts[SKIP_NUMBERS] += 1
                elif data_type == "s" and isinstance(value, str):
                    coord = f"{get_column_letter(cell['column'])}{cell['row']}"
                    blocks.append(
                        Block(anchor=f"sheet:{ws.title}!{coord}", kind=BlockKind.CELL, text=value, section=ws.title)
                    )
                else:
                    counts[SKIP_OTHER] += 1
    return blocks, counts


def _title(wb: Any) -> str:
    try:
        return str(wb.properties.title or "").strip()
    except Exception:  # noqa: BLE001 - metadata is a courtesy
        return ""


def parse_cell_anchor(anchor: str) -> tuple[str, str]:
    """``sheet:Budget!B7`` -> ("Budget", "B7"); sheet names may contain "!"."""
    if not anchor.startswith("sheet:") or "!" not in anchor:
        raise ValueError("not a cell anchor")
    sheet, _, coord = anchor[len("sheet:"):].rpartition("!")
    coordinate_from_string(coord)  # validates
    return sheet, coord.upper()


def save_translated_workbook(src: Path, translations: dict[str, str], output: Path, fingerprint: str = "") -> None:
    """Write a copy of workbook ``src`` with the string cells at the anchors replaced.

    Formulas, numbers and styles are kept; external workbook links are dropped. Model
    text is stored as a string even when it starts with ``=``.
    """
    src, output = Path(src), Path(output)
    refuse_same_file(src, output)
    with parse_boundary(src.name, "Excel"):
        if fingerprint and sha256_file(src) != fingerprint:
            raise OutputError(path=str(output), detail=_CHANGED)
        open_checked_zip(src, src.name, "Excel", safety.MAX_XML_PART, _STREAMED_PARTS)
        with open(src, "rb") as f:
            wb = openpyxl.load_workbook(f, read_only=False, data_only=False, keep_links=False, keep_vba=False)
        targets = []
        for anchor, text in translations.items():
            try:
                sheet, coord = parse_cell_anchor(anchor)
                cell = wb[sheet][coord]
            except (KeyError, ValueError):
                raise OutputError(path=str(output), detail=_ANCHORS_MISSING) from None
            if cell.data_type != "s" or not isinstance(cell.value, str):
                raise OutputError(path=str(output), detail=_ANCHORS_MISSING)
            targets.append((cell, text))
        for cell, text in targets:
            cell.value = xml_safe(text)
            cell.data_type = "s"  # openpyxl made it a formula if it starts with "="
    from hkpilot.documents.provenance import stamp_xlsx

    try:
        stamp_xlsx(wb)  # custom properties (and the label policy may ask for): no content
        atomic_save(output, wb.save)
    except HKPilotError:
        raise
    except Exception as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise OutputError(path=str(output), detail=detail) from exc


MAX_GLOSSARY_ROWS = 100_000
_NO_SHEET = N_("the workbook has no sheet named {sheet}")
_HEADER_WORDS = {
    "source", "target", "term", "terms", "english", "chinese", "en", "zh", "zh-hk", "translation",
    "原文", "譯文", "英文", "中文", "詞彙", "詞語", "術語", "譯名",
}


def _is_header(row: tuple[str, str]) -> bool:
    return all(cell.strip().lower().rstrip(":：") in _HEADER_WORDS for cell in row)


def read_glossary_sheet(path: Path, sheet: str | None = None) -> list[tuple[str, str]]:
    """(source term, target term) pairs from the first two columns of a worksheet.

    ``sheet`` names the worksheet (default: the first). Rows with an empty cell are
    skipped, and so is a first row of column titles ("Source | Target", "English | 中文"…).
    Numbers become text; formulas give their last computed value. The workbook goes
    through the same checks as ``read_xlsx``; every failure is a typed DocumentError.
    """
    from hkpilot.errors import DocumentError

    path = Path(path)
    with parse_boundary(path.name, "Excel"):
        if path.stat().st_size == 0:
            raise DocumentEmpty(name=path.name)
        if safety.sniff_format(path) != "xlsx":
            raise DocumentError(detail=f"{path.name}: Excel (.xlsx)")
        open_checked_zip(path, path.name, "Excel", safety.MAX_XML_PART, _STREAMED_PARTS)
        with open(path, "rb") as f:
            wb = openpyxl.load_workbook(f, read_only=True, data_only=True, keep_links=False)
            try:
                if sheet is not None and sheet not in wb.sheetnames:
                    raise DocumentError(detail=_NO_SHEET.format(sheet=sheet))
                ws = wb[sheet] if sheet is not None else wb.worksheets[0]
                pairs = _glossary_rows(wb, ws)
            finally:
                wb.close()
    if pairs and _is_header(pairs[0]):
        pairs = pairs[1:]
    return pairs


def _glossary_rows(wb: Any, ws: Any) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for row_idx, cells in _iter_cells(wb, ws, data_only=True):
        if row_idx > MAX_GLOSSARY_ROWS:
            break
        values = {cell["column"]: cell["value"] for cell in cells if cell["column"] in (1, 2)}
        src, dst = (_cell_text(values.get(1)), _cell_text(values.get(2)))
        if src and dst:
            pairs.append((src, dst))
    return pairs


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()

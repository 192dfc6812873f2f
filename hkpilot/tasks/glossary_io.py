"""Read glossaries and translation memories: .xlsx, .csv/.tsv, TBX (termbase), TMX (memory).

A glossary is a list of English / Chinese term pairs; a cell may hold alternatives
separated by ``;`` or ``|`` (any of them is accepted in a translation, the first is the
one the model is given). Which column is which is found from a header row (English,
Chinese, EN, ZH, 英文, 中文…) or, without one, from the text itself. XML is parsed with
defusedxml (no entities, no external references); sizes are bounded.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from hkpilot.errors import DocumentError, DocumentNotFound, HKPilotError
from hkpilot.i18n import N_

MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 200_000
SUFFIXES = (".xlsx", ".csv", ".tsv", ".txt", ".tbx", ".tmx", ".xml")

_HEADER_EN = {"en", "eng", "english", "en-gb", "en-us", "en-hk", "source", "英文", "英語", "term"}
_HEADER_ZH = {"zh", "zh-hk", "zh-hant", "zh-tw", "zh-hans", "zh-cn", "chinese", "中文", "繁體中文", "譯名", "target"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_ALTERNATIVES = re.compile(r"\s*[;|；｜]\s*")


class GlossaryError(DocumentError):
    code = "glossary"
    template = N_("The glossary {name} cannot be used: {detail}")


def alternatives(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.strip() for a in _ALTERNATIVES.split(cell or "") if a.strip()))


def _lang_of_header(cell: str) -> str:
    key = cell.strip().lower().replace("_", "-")
    key = re.sub(r"\s*\(.*\)$", "", key)
    if key in _HEADER_EN or key.startswith("en-") or key.startswith("english"):
        return "en"
    if key in _HEADER_ZH or key.startswith("zh") or key.startswith("chinese") or "中文" in key:
        return "zh"
    return ""


def pairs_from_rows(rows: Iterable[list[str]], name: str) -> list[tuple[str, str]]:
    """(English, Chinese) pairs from table rows; the header row, when present, says the columns."""
    rows = [[c.strip() for c in r] for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise GlossaryError(name=name, detail=N_("it holds no terms"))
    en_col, zh_col = -1, -1
    header = [_lang_of_header(c) for c in rows[0]]
    if "en" in header and "zh" in header:
        en_col, zh_col = header.index("en"), header.index("zh")
        rows = rows[1:]
    else:  # no header: the column with most Chinese text is the Chinese one
        width = max(len(r) for r in rows[:200])
        scores = [sum(1 for r in rows[:200] if c < len(r) and _CJK.search(r[c])) for c in range(width)]
        latin = [sum(1 for r in rows[:200] if c < len(r) and _LATIN.search(r[c]) and not _CJK.search(r[c])) for c in range(width)]
        if width >= 2 and max(scores) > 0:
            zh_col = scores.index(max(scores))
            en_col = max((c for c in range(width) if c != zh_col), key=lambda c: latin[c])
            if rows and not _CJK.search(rows[0][zh_col] if zh_col < len(rows[0]) else ""):
                rows = rows[1:]  # a header we did not recognise
    if en_col < 0 or zh_col < 0:
        raise GlossaryError(name=name, detail=N_("no English and Chinese columns were found"))
    pairs = [(r[en_col], r[zh_col]) for r in rows if max(en_col, zh_col) < len(r) and r[en_col] and r[zh_col]]
    if not pairs:
        raise GlossaryError(name=name, detail=N_("it holds no terms"))
    return pairs[:MAX_ENTRIES]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "big5hkscs", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_csv(path: Path) -> list[tuple[str, str]]:
    text = _decode(path.read_bytes())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in text[:8192] else csv.excel
    return pairs_from_rows(csv.reader(io.StringIO(text), dialect), path.name)


def read_xlsx(path: Path) -> list[tuple[str, str]]:
    """The first worksheet with terms, read through the documents layer's checked reader."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    from hkpilot.documents.xlsx_reader import parse_cell_anchor
    from hkpilot.documents.xlsx_reader import read_xlsx as read_workbook

    doc = read_workbook(path)
    sheets: dict[str, dict[int, dict[int, str]]] = {}
    for block in doc.blocks:
        sheet, coord = parse_cell_anchor(block.anchor)
        letters, row = coordinate_from_string(coord)
        sheets.setdefault(sheet, {}).setdefault(row, {})[column_index_from_string(letters)] = block.text
    for cells in sheets.values():
        width = max(max(r) for r in cells.values())
        rows = [[cells[r].get(c, "") for c in range(1, width + 1)] for r in sorted(cells)]
        try:
            return pairs_from_rows(rows, path.name)
        except GlossaryError:
            continue
    raise GlossaryError(name=path.name, detail=N_("no English and Chinese columns were found"))


def _lang_attr(el: Any) -> str:
    value = el.get("{http://www.w3.org/XML/1998/namespace}lang") or el.get("lang") or el.get("xml:lang") or ""
    return str(value).lower()


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el: Any) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _zh_rank(lang: str) -> int:
    """Prefer Hong Kong Chinese, then other Traditional, then any Chinese."""
    for rank, prefix in enumerate(("zh-hk", "zh-hant", "zh-tw", "zh-mo")):
        if lang.startswith(prefix):
            return rank
    return 9


def _pick(by_lang: dict[str, list[str]]) -> tuple[str, str] | None:
    """English terms and the terms of the most Hong Kong Chinese entry (zh-HK before zh-TW).

    Only that one Chinese language is kept: a Taiwan term (軟體) must not satisfy the check
    of a Hong Kong one (軟件), and a Simplified form of the same term adds nothing.
    """
    en = [t for lang, ts in by_lang.items() if lang.startswith("en") for t in ts]
    zh_langs = sorted((lang for lang in by_lang if lang.startswith("zh")), key=_zh_rank)
    best = _zh_rank(zh_langs[0]) if zh_langs else 0
    zh = [t for lang in zh_langs if _zh_rank(lang) == best for t in by_lang[lang]]
    if en and zh:
        return "; ".join(dict.fromkeys(en)), "; ".join(dict.fromkeys(zh))
    return None


def _parse_xml(path: Path) -> Any:
    from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]
    from defusedxml.common import DefusedXmlException  # type: ignore[import-untyped]

    try:
        return SafeET.parse(str(path)).getroot()
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise GlossaryError(name=path.name, detail=type(exc).__name__) from exc


def read_tbx(root: Any, name: str) -> list[tuple[str, str]]:
    """TBX 2 (termEntry/langSet/tig/term) and TBX 3 (conceptEntry/langSec/termSec/term)."""
    pairs: list[tuple[str, str]] = []
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        by_lang: dict[str, list[str]] = {}
        for lang_set in entry:
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            lang = _lang_attr(lang_set)
            for term in lang_set.iter():
                if _local(term.tag) == "term" and _text(term):
                    by_lang.setdefault(lang, []).append(_text(term))
        pair = _pick(by_lang)
        if pair:
            pairs.append(pair)
        if len(pairs) >= MAX_ENTRIES:
            break
    if not pairs:
        raise GlossaryError(name=name, detail=N_("it holds no terms"))
    return pairs


def iter_tmx(root: Any) -> Iterator[tuple[str, str]]:
    """(English, Chinese) segment pairs of a TMX file's translation units."""
    header = root.find("header")
    default = str(header.get("srclang") or "").lower() if header is not None else ""
    count = 0
    for tu in root.iter("tu"):
        by_lang: dict[str, list[str]] = {}
        for tuv in tu.iter("tuv"):
            seg = tuv.find("seg")
            if seg is not None and _text(seg):
                by_lang.setdefault(_lang_attr(tuv) or default, []).append(_text(seg))
        pair = _pick({k: v[:1] for k, v in by_lang.items()})
        if pair:
            yield pair
            count += 1
            if count >= MAX_ENTRIES:
                return


def read_any(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """("terms" or "memory", pairs) from a glossary or memory file; typed errors only."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise DocumentNotFound(path=str(path)) from None
    if size > MAX_BYTES:
        raise GlossaryError(name=path.name, detail=N_("the file is too large"))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise GlossaryError(name=path.name, detail=N_("use a .xlsx, .csv, .tbx or .tmx file"))
    try:
        if suffix == ".xlsx":
            return "terms", read_xlsx(path)
        if suffix in (".csv", ".tsv", ".txt"):
            return "terms", read_csv(path)
        root = _parse_xml(path)
        kind = _local(root.tag).lower()
        if kind == "tmx":
            pairs = list(iter_tmx(root))
            if not pairs:
                raise GlossaryError(name=path.name, detail=N_("it holds no English-Chinese segment pairs"))
            return "memory", pairs
        return "terms", read_tbx(root, path.name)
    except HKPilotError:
        raise
    except (OSError, csv.Error, UnicodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GlossaryError(name=path.name, detail=type(exc).__name__) from exc

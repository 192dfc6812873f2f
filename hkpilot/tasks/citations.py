"""Check a summary against its source: cited anchors exist, quotes and figures are really there, coverage.

Each point of a summary ends with the anchors of the blocks it is based on, as the
documents layer names them: ``[p:3]`` (Word paragraph), ``[page:3:para:2]`` (PDF),
``[t:1:r2:c1]`` (table cell), ``[para:4]`` (text), ``[sheet:Budget!B7]`` (Excel). A few
loose spellings small models write are accepted (``[p.3]``, ``[p3]``, ``[p:3-5]``,
``[page 3]`` for every block of page 3). Every quoted passage (“…”, "…", 「…」, 『…』)
is looked up in the cited blocks, then in the whole document, after normalising width,
case, script (Simplified and Traditional fold together), spaces and punctuation. Every
figure a point gives (number, date, month, amount, percentage, Cap. reference; normalised as
the bilingual check reads them, so ``2025年3月`` is found in ``18 March 2025`` and ``19億``
in ``HK$1.9 billion``) is looked up in the cited blocks, then in the whole document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from hkpilot.documents.model import Block, Document
from hkpilot.i18n import N_, gettext
from hkpilot.tasks.languages import is_chinese

# Quote statuses.
IN_CITED, ELSEWHERE, MISSING, TRANSLATED = "cited", "elsewhere", "missing", "translated"
STATUS_LABELS = {
    IN_CITED: N_("found in the cited passage"),
    ELSEWHERE: N_("found in the document, but not in the cited passage"),
    MISSING: N_("not found in the document"),
    TRANSLATED: N_("in another language than the document; not checked"),
}

_BRACKETS = re.compile(r"[\[【]([^\[\]【】\n]{1,120})[\]】]")
_QUOTES = re.compile(r"“([^”\n]{2,400})”|\"([^\"\n]{2,400})\"|「([^」\n]{2,400})」|『([^』\n]{2,400})』")
_ANCHORISH = re.compile(r"^(?:p|para|page|t|header|footer|textbox|footnote|endnote|comment|sheet)(?![a-z])|^¶", re.IGNORECASE)
_PAGE_PARA = re.compile(r"^(?:page|p)\s*[.:]?\s*(\d+)\s*[,:]?\s*(?:para|¶)\s*[.:]?\s*(\d+)$", re.IGNORECASE)
_LOOSE = re.compile(r"^(p|para|page|t)\s*[.:\s]?\s*(\d+)(?:\s*[-–~至]\s*(?:\1\s*[.:\s]?\s*)?(\d+))?$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)、]|[（(]\d{1,2}[)）])\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…+|⋯+)\s*")


@dataclass
class QuoteCheck:
    line: int
    text: str
    status: str
    found_at: str = ""  # the anchor where it was found

    def label(self) -> str:
        return gettext(STATUS_LABELS[self.status])


@dataclass
class FigureCheck:
    """A number, date, amount or percentage a summary point gives, looked up in the source."""

    line: int
    kind: str  # as tasks/bilingual_check.py names it: date, month, amount, percent, number...
    value: str  # normalised (2025-03-18, $1,900,000,000, 12.5%)
    status: str  # ELSEWHERE or MISSING (figures found in the cited passage are not kept)
    found_at: str = ""

    def label(self) -> str:
        from hkpilot.tasks.bilingual_check import KIND_LABELS

        return f"{gettext(KIND_LABELS.get(self.kind, self.kind))} {self.value}"

    def status_label(self) -> str:
        return gettext(STATUS_LABELS[self.status])


@dataclass
class PointCheck:
    line: int  # 1-based line in the summary
    text: str
    anchors: list[str] = field(default_factory=list)  # resolved block anchors it cites
    unknown: list[str] = field(default_factory=list)  # cited anchors the document does not have
    matches: str = ""  # set when the cited passages share no wording with the point, but this block does


@dataclass
class CitationReport:
    points: list[PointCheck]
    quotes: list[QuoteCheck]
    blocks_total: int
    pages_total: int | None
    coverage: float = 1.0
    skipped: list[str] = field(default_factory=list)  # what the reader could not read (Document.skipped)
    attributed: list[tuple[int, str]] = field(default_factory=list)  # (line, anchor) HKPilot added by wording
    removed: list[tuple[int, str]] = field(default_factory=list)  # (line, anchor) cited but not in the document
    figures: list[FigureCheck] = field(default_factory=list)  # figures not in the cited passage

    @property
    def uncited(self) -> list[PointCheck]:
        return [p for p in self.points if not p.anchors and not p.unknown]

    @property
    def unknown(self) -> list[PointCheck]:
        return [p for p in self.points if p.unknown]

    @property
    def unsupported(self) -> list[QuoteCheck]:
        return [q for q in self.quotes if q.status == MISSING]

    @property
    def mismatched(self) -> list[PointCheck]:
        """Points whose cited passages share nothing with them, while another block clearly does."""
        return [p for p in self.points if p.matches]

    @property
    def unsupported_figures(self) -> list[FigureCheck]:
        return [f for f in self.figures if f.status == MISSING]

    @property
    def ok(self) -> bool:
        return not (self.uncited or self.unknown or self.unsupported or self.unsupported_figures or self.mismatched)

    def coverage_line(self) -> str:
        """"All 143 pages read", or the share that was read (translated); what the reader skipped."""
        if not self.skipped:
            return self._read_line()
        parts = "; ".join(gettext(s) for s in self.skipped)
        if self.coverage >= 0.999:  # every block with text was read, but not everything in the file
            return gettext(N_("All {blocks} blocks with text read. Not read: {parts}.")).format(
                blocks=self.blocks_total, parts=parts)
        return self._read_line() + " " + gettext(N_("Not read: {parts}.")).format(parts=parts)

    def _read_line(self) -> str:
        if self.coverage >= 0.999:
            if self.pages_total:
                return gettext(N_("All {pages} pages read ({blocks} blocks).")).format(
                    pages=self.pages_total, blocks=self.blocks_total
                )
            return gettext(N_("All {blocks} blocks read.")).format(blocks=self.blocks_total)
        return gettext(N_("Only {percent}% of the document was read ({blocks} blocks in all).")).format(
            percent=int(self.coverage * 100), blocks=self.blocks_total
        )


def normalise(text: str) -> str:
    """For comparing quotes: width, case, script, spaces and punctuation folded away."""
    from hkpilot.tasks.glossary import fold_zh

    text = unicodedata.normalize("NFKC", text).casefold()
    if re.search(r"[\u3400-\u9fff]", text):
        text = fold_zh(text)
    return "".join(ch for ch in text if ch.isalnum())


class AnchorIndex:
    """The document's anchors, with the loose spellings and prefixes resolved."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = {b.anchor: b for b in blocks}
        self.lower = {a.lower(): a for a in self.blocks}
        self.kinds = {a.split(":", 1)[0] for a in self.blocks}

    def resolve(self, token: str) -> list[str] | None:
        """Block anchors ``token`` names, [] when it is not an anchor at all, None when unknown."""
        token = token.strip().strip(".,;。，；")
        if not token or not _ANCHORISH.match(token):
            return []
        page_para = _PAGE_PARA.match(token)
        if page_para:  # "p.3 ¶2", "page 3 para 2"
            token = f"page:{page_para.group(1)}:para:{page_para.group(2)}"
        elif token.startswith("¶"):
            token = "p:" + token[1:].strip()
        exact = self.lower.get(token.lower().replace(" ", ""))
        if exact:
            return [exact]
        prefix = token.lower().replace(" ", "").rstrip(":") + ":"
        under = [a for low, a in self.lower.items() if low.startswith(prefix)]
        if under:  # "page:3" or "t:1": every block inside it
            return under
        loose = _LOOSE.match(token)
        if loose:
            kind, first, last = loose.group(1).lower(), int(loose.group(2)), int(loose.group(3) or loose.group(2))
            kind = {"para": "para" if "para" in self.kinds else "p"}.get(kind, kind)
            if kind == "p" and "p" not in self.kinds and "para" in self.kinds:
                kind = "para"
            found: list[str] = []
            for n in range(first, min(last, first + 200) + 1):
                key = f"{kind}:{n}"
                found += [key] if key in self.blocks else [a for a in self.blocks if a.startswith(key + ":")]
            return found or None
        return None

    def text(self, anchors: list[str]) -> str:
        return "\n".join(self.blocks[a].text for a in anchors if a in self.blocks)


def cited_tokens(line: str) -> list[str]:
    tokens: list[str] = []
    for m in _BRACKETS.finditer(line):
        tokens += [t for t in re.split(r"[,;，；、]|\s+and\s+|\s*&\s*", m.group(1)) if t.strip()]
    return tokens


def passage(doc: Document, anchor: str) -> str:
    """The source text an anchor (as written in a summary) points to; empty when none."""
    index = AnchorIndex(doc.text_blocks)
    found = index.resolve(anchor)
    return index.text(found) if found else ""


def drop_unknown(doc: Document, summary: str) -> tuple[str, list[tuple[int, str]]]:
    """Take out the citations of anchors the document does not have; return them as (line, anchor).

    A summary shown to a person then cites only passages that exist; the check lists what
    was taken out, and the point may be given the block it comes from by ``attribute``.
    """
    index = AnchorIndex(doc.text_blocks)
    removed: list[tuple[int, str]] = []
    lines = summary.splitlines()
    for i, line in enumerate(lines):

        def keep_known(m: re.Match[str], number: int = i + 1) -> str:
            tokens = [t for t in re.split(r"[,;，；、]|\s+and\s+|\s*&\s*", m.group(1)) if t.strip()]
            unknown = [t.strip() for t in tokens if index.resolve(t) is None]
            if not unknown:
                return m.group()
            removed.extend((number, t) for t in unknown)
            kept = [t.strip() for t in tokens if t.strip() not in unknown]
            return f"[{', '.join(kept)}]" if kept else ""

        new = _BRACKETS.sub(keep_known, line)
        if new != line:
            lines[i] = re.sub(r"\s+([.。]?)$", r"\1", new.rstrip()) if new.strip() else new
    return "\n".join(lines), removed


def _quotes(line: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _QUOTES.finditer(line)]


def _found(quote: str, haystack: str) -> bool:
    """Every part of ``quote`` (split at ellipses) occurs in ``haystack``, in order."""
    pos = 0
    for part in _ELLIPSIS.split(quote):
        key = normalise(part)
        if not key:
            continue
        at = haystack.find(key, pos)
        if at < 0:
            return False
        pos = at + len(key)
    return True


def check_summary(doc: Document, summary: str, coverage: float = 1.0) -> CitationReport:
    """Check every point's anchors and every quoted passage of ``summary`` against ``doc``."""
    blocks = doc.text_blocks
    index = AnchorIndex(blocks)
    folded = {b.anchor: normalise(b.text) for b in blocks}
    doc_chinese = is_chinese(" ".join(b.text for b in blocks[:200]))
    lines = summary.splitlines()
    bulleted = any(_BULLET.match(line) for line in lines)
    points: list[PointCheck] = []
    quotes: list[QuoteCheck] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        is_point = bool(_BULLET.match(line)) if bulleted else len(line.strip()) > 15
        anchors: list[str] = []
        unknown: list[str] = []
        for token in cited_tokens(line):
            resolved = index.resolve(token)
            if resolved is None:
                unknown.append(token.strip())
            else:
                anchors += [a for a in resolved if a not in anchors]
        if is_point or anchors or unknown:
            text = _BRACKETS.sub("", _BULLET.sub("", line)).strip()
            points.append(PointCheck(number, text, anchors, unknown))
        for quote in _quotes(line):
            if len(normalise(quote)) < 2:
                continue
            quotes.append(_check_quote(number, quote, anchors, folded, doc_chinese))
    pages = doc.meta.page_count if doc.format == "pdf" else None
    report = CitationReport(points, quotes, len(blocks), pages, coverage, list(doc.skipped))
    sources = {b.anchor: _source_figures(b.text) for b in blocks}
    for point in points:
        report.figures += _check_figures(point, sources)
    _check_wording(doc, report)
    return report


def _check_wording(doc: Document, report: CitationReport) -> None:
    """Mark the points whose cited passages share no wording (words, figures) with them although
    another block clearly does: the model cited the wrong paragraph (it counts badly)."""
    doc_chinese = is_chinese(" ".join(b.text for b in doc.text_blocks[:200]))
    units = {b.anchor: _units(b.text, doc_chinese) for b in doc.text_blocks}
    for point in report.points:
        if not point.anchors:
            continue
        mine = _units(point.text, doc_chinese and is_chinese(point.text))
        if not mine or any(mine & units.get(a, set()) for a in point.anchors):
            continue
        best = _best_block(mine, list(units.items()))
        if best:
            point.matches = best


def _best_block(units: set[str], blocks: list[tuple[str, set[str]]]) -> str:
    """The block a point's ``units`` clearly come from, or "": shares more with it than any other
    block does, at least a third of the point's units, and either two units or one date, amount
    or reference (on a tie, the block the point holds whole: a heading it repeats)."""
    scored = sorted(((len(units & u), len(units & u) == len(u), a, units & u) for a, u in blocks),
                    key=lambda x: (-x[0], not x[1]))
    if not scored or not units:
        return ""
    best, whole, anchor, shared = scored[0]
    second, second_whole = (scored[1][0], scored[1][1]) if len(scored) > 1 else (0, False)
    strong = any(u.startswith(_STRONG) for u in shared)
    ahead = best > second or (best == second and whole and not second_whole)
    return anchor if ahead and best >= len(units) / 3 and (best >= 2 or strong) else ""


def drop_bare_citations(summary: str) -> str:
    """Lines that hold nothing but a bullet and citations ("  - [p:2]") taken out: small models
    put them under a point, often naming the wrong paragraph; the point keeps its own citation
    or gets one by its wording."""
    kept = [line for line in summary.splitlines()
            if not (cited_tokens(line) and not _BRACKETS.sub("", _BULLET.sub("", line)).strip(" -*•·.。"))]
    return "\n".join(kept)


def _check_quote(line: int, quote: str, anchors: list[str], folded: dict[str, str], doc_chinese: bool) -> QuoteCheck:
    cited = "".join(folded.get(a, "") for a in anchors)
    if anchors and _found(quote, cited):
        return QuoteCheck(line, quote, IN_CITED, anchors[0])
    for anchor, text in folded.items():
        if _found(quote, text):
            return QuoteCheck(line, quote, ELSEWHERE, anchor)
    if is_chinese(quote) != doc_chinese:
        return QuoteCheck(line, quote, TRANSLATED)
    return QuoteCheck(line, quote, MISSING)


# Numbers below this are counts a summary words freely ("two engines", 兩大); not checked alone.
_SMALL = 13
_SCALES = (1.0, 1e3, 1e4, 1e6, 1e8, 1e9)  # 860 000 = 86萬; HK$1.9 billion = 19億
_RAW_NUMBER = re.compile(r"\d{1,3}(?:[ ,\u00a0]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


_ZH_SCALED = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(萬|万|億|亿)(?![\d元])")
_ZH_SCALE = {"萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8}


def _figures(text: str) -> set[tuple[str, str]]:
    """The (kind, normalised value) figures of ``text``, read by the English and Chinese rules."""
    from hkpilot.tasks.bilingual_check import extract

    return {item for lang in ("en", "zh-HK") for item in extract(text, lang)}


def _source_figures(text: str) -> tuple[set[tuple[str, str]], set[float]]:
    """A block's figures, and every number in it at each scale a summary may write it in."""
    items = _figures(text)
    raw = [m.group() for m in _RAW_NUMBER.finditer(text)]
    raw += [n for _kind, value in items for n in _RAW_NUMBER.findall(value)]
    numbers: set[float] = set()
    for token in raw:
        try:
            value = float(re.sub(r"[ ,\u00a0]", "", token))
        except ValueError:
            continue
        numbers |= {round(value / scale, 4) for scale in _SCALES}
    return items, numbers


def _supported(item: tuple[str, str], source: tuple[set[tuple[str, str]], set[float]]) -> bool:
    kind, value = item
    items, numbers = source
    if item in items:
        return True
    if kind == "month":  # "March 2025" of "18 March 2025"
        return any(k == "date" and v.startswith(value + "-") for k, v in items)
    if kind in ("number", "amount", "percent"):  # 19億 of HK$1.9 billion; 12.5 of 12.5 per cent
        digits = re.sub(r"[^\d.]", "", value)
        try:
            return round(float(digits), 4) in numbers
        except ValueError:
            return False
    return False


def _check_figures(
    point: PointCheck, sources: dict[str, tuple[set[tuple[str, str]], set[float]]]
) -> list[FigureCheck]:
    """The figures of ``point`` that its cited passage lacks: found elsewhere, or nowhere."""
    out: list[FigureCheck] = []
    figures = _figures(point.text)
    # 500萬 is five million, not the 500 the number rules read in it (萬 and 億 count only before 元).
    for m in _ZH_SCALED.finditer(point.text):
        number = float(m.group(1).replace(",", ""))
        scaled = number * _ZH_SCALE[m.group(2)]
        figures.discard(("number", f"{number:,.4f}".rstrip("0").rstrip(".")))
        figures.add(("number", f"{scaled:,.0f}" if scaled == int(scaled) else f"{scaled:,.4f}".rstrip("0")))
    # Read by both languages' rules, 2023年1月 is also the number 2023: keep the month only.
    parts = {p for kind, value in figures if kind != "number" for p in re.findall(r"\d+", value.replace(",", ""))}
    for item in sorted(figures):
        kind, value = item
        if kind == "number" and (_small(value) or value.replace(",", "") in parts):
            continue
        if point.anchors and any(_supported(item, sources[a]) for a in point.anchors if a in sources):
            continue
        elsewhere = next((a for a, src in sources.items() if _supported(item, src)), "")
        if elsewhere and not point.anchors:
            continue  # an uncited point is listed as such; its figures are in the document
        out.append(FigureCheck(point.line, kind, value, ELSEWHERE if elsewhere else MISSING, elsewhere))
    return out


def _small(value: str) -> bool:
    try:
        return float(value.replace(",", "")) < _SMALL
    except ValueError:
        return False


_STOP = frozenset(
    "the and for with that this from are was were has have will which their its into under than been also such other".split()
)
_STRONG = ("date:", "month:", "amount:", "percent:", "cap:", "section:", "url:", "time:")


def _units(text: str, chinese_pairs: bool) -> set[str]:
    """What a point and a block can share: numbers, dates, amounts (normalised, so across
    languages too), Latin words, and (same language only) pairs of Chinese characters."""
    from hkpilot.tasks.bilingual_check import extract
    from hkpilot.tasks.glossary import fold_zh

    units = {f"{kind}:{value}" for lang in ("en", "zh-HK") for kind, value in extract(text, lang)}
    units |= {w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOP}
    if chinese_pairs:
        han = "".join(re.findall(r"[\u3400-\u9fff]+", fold_zh(text)))
        units |= {han[i : i + 2] for i in range(len(han) - 1)}
    return units


def attribute(doc: Document, summary: str) -> tuple[str, list[tuple[int, str]]]:
    """Give each point without any citation the block it clearly comes from, by shared wording.

    A block is chosen when it shares more with the point than any other block does, and at
    least a third of the point's units, and either two units or one date, amount or
    reference. Returns the summary and the (line, anchor) pairs added, which the check
    reports as added by HKPilot, not by the model.
    """
    doc_chinese = is_chinese(" ".join(b.text for b in doc.text_blocks[:200]))
    blocks = [(b.anchor, _units(b.text, doc_chinese)) for b in doc.text_blocks]
    lines = summary.splitlines()
    bulleted = any(_BULLET.match(line) for line in lines)
    added: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        is_point = bool(_BULLET.match(line)) if bulleted else len(line.strip()) > 15
        if not is_point or cited_tokens(line):
            continue
        anchor = _best_block(_units(_BULLET.sub("", line), doc_chinese and is_chinese(line)), blocks)
        if anchor:
            lines[i] = f"{line.rstrip()} [{anchor}]"
            added.append((i + 1, anchor))
    return "\n".join(lines), added

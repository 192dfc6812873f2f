"""Bilingual consistency: what differs between the English and Chinese versions of a document.

Numbers, dates, times, amounts, percentages, Cap./section references and URLs are read
from both versions and normalised (``$1.5 billion`` = ``15億元``, ``7 March 2025`` =
``2025年3月7日``, ``Cap. 486`` = ``第486章``, ``30 per cent`` = ``百分之三十``). When the
versions have the same number of paragraphs, they are compared paragraph by paragraph;
otherwise as wholes (and the paragraph counts are reported).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from hkpilot.documents.model import Block, Document
from hkpilot.i18n import N_, gettext

KIND_LABELS = {
    "url": N_("web address"),
    "cap": N_("Cap. (chapter) reference"),
    "section": N_("section reference"),
    "percent": N_("percentage"),
    "amount": N_("amount"),
    "date": N_("date"),
    "month": N_("month"),
    "time": N_("time"),
    "number": N_("number"),
    "paragraphs": N_("paragraph count"),
}

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), 1)}
_MONTH_RE = "|".join(m.capitalize() for m in _MONTHS)
_ZH_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_NUM = "零〇○一二兩三四五六七八九十百千"
_EN_WORDS = {w: i for i, w in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"))}
_SCALE_EN = {"thousand": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}
_SCALE_ZH = {"萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8, "千": 1e3, "百萬": 1e6, "千萬": 1e7}
# Thousands grouped by commas, or by spaces as the Government's English style writes them (1 200, 500 000).
_NUM = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?(?!\d|,\d)|\d[\d,]*(?:\.\d+)?)"

# English patterns, most specific first; each match's span is taken out before the next.
_EN = [
    ("url", re.compile(r"(?:https?://|www\.)[^\s<>()（）\"'，。]+", re.I)),
    ("cap", re.compile(r"\bCap(?:ter)?\.?\s*(\d+[A-Z]{0,2})\b")),
    ("section", re.compile(r"\b(?:section|s\.)\s*(\d+[A-Z]{0,2}(?:\(\w{1,4}\))*)", re.I)),
    ("percent", re.compile(rf"({_NUM})\s*(?:%|per\s?cent\b|percent\b)", re.I)),
    ("amount", re.compile(rf"(?:HK\$|US\$|\$|RMB\s?|HKD\s?)\s?({_NUM})(?:\s*(thousand|million|billion|mn|bn|m|b)\b)?", re.I)),
    ("date", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b|\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})\b")),
    ("month", re.compile(rf"\b({_MONTH_RE})\s+(\d{{4}})\b")),
    ("time", re.compile(r"\b(\d{1,2})(?::(\d{2})\b\s*(am|pm|a\.m\.|p\.m\.)?|\.(\d{2})\s*(am|pm|a\.m\.|p\.m\.)"
                        r"|\s*(am|pm|a\.m\.|p\.m\.))", re.I)),
    ("number", re.compile(rf"(?<![A-Za-z0-9.]){_NUM}(?:\s*(thousand|million|billion)\b)?"
                          rf"|\b(?:{'|'.join(list(_EN_WORDS)[2:])})\b(?!-)", re.I)),
]
_ZH = [
    ("url", _EN[0][1]),
    ("cap", re.compile(r"第\s*(\d+[A-Z]{0,2})\s*章")),
    ("section", re.compile(r"第\s*(\d+[A-Z]{0,2}(?:\(\w{1,4}\))*)\s*條")),
    ("percent", re.compile(rf"百分之\s*({_NUM}|[{_ZH_NUM}點]+)|({_NUM})\s*[%％]")),
    ("amount", re.compile(rf"(?:港幣|港元|美元|人民幣|\$|HK\$)?\s*({_NUM})\s*(百萬|千萬|萬|万|億|亿)?\s*(?:港)?元"
                          rf"|(?:港幣|HK\$|\$)\s*({_NUM})\s*(百萬|千萬|萬|億)?")),
    ("date", re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    ("month", re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")),
    ("time", re.compile(r"(上午|下午|晚上|中午|凌晨)?\s*(\d{1,2})\s*時\s*(?:(\d{1,2})\s*分)?")),
    ("number", re.compile(rf"(?<![A-Za-z0-9.]){_NUM}|[{_ZH_NUM}]+(?=[號号個个名家項项宗間间所條条座架人次倍年月日])")),
]


@dataclass
class Discrepancy:
    kind: str
    value: str  # normalised value, as shown
    english: int  # occurrences in the English version
    chinese: int
    en_anchor: str = ""  # where it occurs (the first place)
    zh_anchor: str = ""

    def label(self) -> str:
        return gettext(KIND_LABELS.get(self.kind, self.kind))


@dataclass
class BilingualReport:
    en_paragraphs: int
    zh_paragraphs: int
    aligned: bool  # compared paragraph by paragraph
    items: list[Discrepancy] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.items


def zh_number(text: str) -> float | None:
    """一百二十三 -> 123, 三十 -> 30, 二〇二五 -> 2025 (digit by digit when there are no units)."""
    text = text.strip()
    if not text or any(c not in _ZH_DIGITS and c not in _ZH_UNITS and c != "點" for c in text):
        return None
    whole, _, frac = text.partition("點")
    if not any(c in _ZH_UNITS for c in whole):
        value = float("".join(str(_ZH_DIGITS[c]) for c in whole) or 0)
    else:
        value, digit = 0.0, 0
        for c in whole:
            if c in _ZH_DIGITS:
                digit = _ZH_DIGITS[c]
            else:
                value += (digit or 1) * _ZH_UNITS[c]
                digit = 0
        value += digit
    if frac:
        value += float("0." + "".join(str(_ZH_DIGITS.get(c, 0)) for c in frac))
    return value


def _num(text: str | None) -> float | None:
    if not text:
        return None
    text = re.sub(r"[,\s\u00a0\u202f]", "", text)
    try:
        return float(text)
    except ValueError:
        return _EN_WORDS.get(text.lower()) if text.lower() in _EN_WORDS else zh_number(text)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.4f}".rstrip("0")


def _hour(h: int, marker: str | None) -> int:
    marker = (marker or "").lower().replace(".", "")
    if marker in ("pm", "下午", "晚上") and h < 12:
        return h + 12
    if marker in ("am", "凌晨", "上午") and h == 12:
        return 0
    return h


def _value(kind: str, m: re.Match[str], lang: str) -> str | None:
    g = m.groups()
    if kind == "url":
        return m.group().rstrip(".,;:)）").lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    if kind in ("cap", "section"):
        return g[0].upper()
    if kind == "percent":
        v = _num(next((x for x in g if x), None))
        return None if v is None else _fmt(v) + "%"
    if kind == "amount":
        if lang == "en":
            v, scale = _num(g[0]), _SCALE_EN.get((g[1] or "").lower(), 1)
        else:
            number, unit = (g[0], g[1]) if g[0] else (g[2], g[3])
            v, scale = _num(number), _SCALE_ZH.get(unit or "", 1)
        return None if v is None else "$" + _fmt(v * scale)
    if kind == "date":
        if lang == "en":
            d, mo, y = (g[0], g[1], g[2]) if g[0] else (g[4], g[3], g[5])
            return f"{int(y):04d}-{_MONTHS[mo.lower()]:02d}-{int(d):02d}"
        return f"{int(g[0]):04d}-{int(g[1]):02d}-{int(g[2]):02d}"
    if kind == "month":
        return f"{int(g[1]):04d}-{_MONTHS[g[0].lower()]:02d}" if lang == "en" else f"{int(g[0]):04d}-{int(g[1]):02d}"
    if kind == "time":
        if lang == "en":
            h, mi, marker = g[0], g[1] or g[3] or "00", g[2] or g[4] or g[5]
            return f"{_hour(int(h), marker):02d}:{int(mi):02d}"
        return f"{_hour(int(g[1]), g[0]):02d}:{int(g[2] or 0):02d}"
    text = m.group()
    scale = 1.0
    if lang == "en" and g and g[0]:  # "2.5 million"
        scale = _SCALE_EN[g[0].lower()]
        text = text[: m.start(1) - m.start()].strip()
    v = _num(text)
    return None if v is None else _fmt(v * scale)


def extract(text: str, lang: str) -> Counter[tuple[str, str]]:
    """(kind, normalised value) counts in ``text``; each character belongs to one item at most."""
    found: Counter[tuple[str, str]] = Counter()
    taken = list(text)
    for kind, pattern in _EN if lang == "en" else _ZH:
        current = "".join(taken)
        for m in pattern.finditer(current):
            if "\0" in m.group():
                continue
            value = _value(kind, m, lang)
            if value is not None:
                found[(kind, value)] += 1
            taken[m.start() : m.end()] = "\0" * (m.end() - m.start())
    return found


def compare(en: Document, zh: Document) -> BilingualReport:
    """What differs between the English ``en`` and the Chinese ``zh`` version."""
    en_blocks, zh_blocks = en.text_blocks, zh.text_blocks
    report = BilingualReport(len(en_blocks), len(zh_blocks), len(en_blocks) == len(zh_blocks))
    if not report.aligned:
        report.items.append(Discrepancy("paragraphs", "", len(en_blocks), len(zh_blocks)))
        pairs = [(en_blocks, zh_blocks)]
    else:
        pairs = [([a], [b]) for a, b in zip(en_blocks, zh_blocks, strict=True)]
    for en_part, zh_part in pairs:
        where_en = _where(en_part, "en")
        where_zh = _where(zh_part, "zh")
        count_en = Counter({k: len(v) for k, v in where_en.items()})
        count_zh = Counter({k: len(v) for k, v in where_zh.items()})
        for key in sorted(set(count_en) | set(count_zh), key=lambda k: (list(KIND_LABELS).index(k[0]), k[1])):
            if count_en[key] != count_zh[key]:
                report.items.append(
                    Discrepancy(key[0], key[1], count_en[key], count_zh[key],
                                (where_en.get(key) or [""])[0] or (en_part[0].anchor if report.aligned else ""),
                                (where_zh.get(key) or [""])[0] or (zh_part[0].anchor if report.aligned else ""))
                )
    return report


def _where(blocks: list[Block], lang: str) -> dict[tuple[str, str], list[str]]:
    where: dict[tuple[str, str], list[str]] = {}
    for block in blocks:
        for key, n in extract(block.text, "en" if lang == "en" else "zh-HK").items():
            where.setdefault(key, []).extend([block.anchor] * n)
    return where

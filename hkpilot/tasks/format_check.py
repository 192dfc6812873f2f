"""Format checks for Hong Kong Government drafts, and the scaffold that completes a draft.

Each template (``resources/templates/<type>.toml``) names, per language, the checks its
type must pass (``[en.format] checks = [...]``), may override a check's pattern
(``[en.format.patterns]``) and gives a scaffold line for the parts a draft can be missing
(``[en.format.scaffold]``, with ``{field}`` placeholders filled from ``[fields]``). The
check reports what is missing; ``complete_draft`` adds the missing parts from the
scaffold (values the person did not give stay as bracketed placeholders to fill in) and
numbers the body paragraphs in the Government's style (the first unnumbered, then 2., 3.).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hkpilot.errors import UsageError
from hkpilot.i18n import N_, gettext

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ZH_NUM = "〇○零一二三四五六七八九十"

# Default patterns per language; a template may override any of them.
PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        "reference": r"(?im)^\s*(?:our\s+|your\s+|file\s+)?ref(?:erence)?\.?(?:\s*no\.?)?\s*[:：]",
        # A date line (a document's own date), optionally labelled: "15 April 2025", "Date: 15 April 2025".
        "date": rf"(?im)^\s*(?:Date\s*[:：]\s*)?\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}\b",
        "salutation": r"(?im)^\s*(?:Dear\s+\S.*|President),?\s*$",
        "closing": r"(?im)^\s*Yours\s+(?:sincerely|faithfully)\s*,?\s*$",
        "subject": r"(?im)^\s*(?:Subject|Re)\s*[:：]\s*\S",
        "from_to": r"(?ims)\A(?=.*^\s*From\s*[:：])(?=.*^\s*To\s*[:：])",
        "circular_number": r"(?i)\bcircular\s+no\.?\s*(?:\d+\s*/\s*\d{4}|\([^)\n]{1,20}\))",
        "enquiries": r"(?i)\benquir(?:y|ies)\b",
        "ends": rf"(?im)^\s*Ends\s*/\s*\w+day,\s+(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}}",
        "issued_at": r"(?im)^\s*Issued at HKT\s+\d{1,2}:\d{2}",
        "question": r"(?im)^\s*Question\s*:",
        "reply": r"(?im)^\s*Reply\s*:",
        "president": r"(?im)^\s*President\s*,\s*$",
        "numbered_parts": r"(?m)^\s*\(1\)\s*\S",
        "meeting_details": r"(?ims)\A(?=.*^\s*Date\s*[:：])(?=.*^\s*Venue\s*[:：])",
        "attendance": r"(?im)^\s*Present\s*:?",
        "next_meeting": r"(?i)date of (?:the )?next meeting",
        "heading": r"\A\s*\S[^\n]{3,}",
    },
    "zh-HK": {
        "reference": r"(?m)^\s*(?:本署|本局|本處|本辦|來函)?檔號\s*[:：]",
        "date": rf"(?m)^\s*(?:日期\s*[:：]\s*)?(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
                rf"|[{_ZH_NUM}]{{4}}年[{_ZH_NUM}]{{1,3}}月[{_ZH_NUM}]{{1,3}}日)",
        "salutation": (
            r"(?m)^\s*(?:敬啟者|\S{0,20}(?:先生|女士|小姐|博士|議員|主席|局長|署長|處長|閣下|各位\S*)|（[^）\n]{1,20}）)"
            r"\s*[:：]?\s*$"
        ),
        "closing": r"(?m)^\s*(?:此致|順頌|耑此|專此|謹此|敬希|祈為)",
        "subject": r"(?m)^\s*(?:事由|關於)\s*[:：]\s*\S",
        "from_to": r"(?ms)\A(?=.*^\s*(?:發文者|由)\s*[:：])(?=.*^\s*(?:受文者|致)\s*[:：])",
        "circular_number": r"通告(?:第\s*(?:\d+\s*/\s*\d{4}|[（(][^）)\n]{1,20}[）)])\s*號|\s*\d+\s*/\s*\d{4})",
        "enquiries": r"查詢",
        "ends": r"(?m)^\s*完\s*$",
        "issued_at": r"(?m)^\s*香港時間\s*\d{1,2}\s*時\s*\d{1,2}\s*分",
        "question": r"(?m)^\s*問題\s*[:：]",
        "reply": r"(?m)^\s*答覆\s*[:：]",
        "president": r"(?m)^\s*主席\s*[:：]\s*$",
        "numbered_parts": r"(?m)^\s*[（(](?:一|1)[)）]\s*\S",
        "meeting_details": r"(?s)\A(?=.*日期\s*[:：])(?=.*地點\s*[:：])",
        "attendance": r"(?m)^\s*出席(?:者|人士)?\s*[:：]?",
        "next_meeting": r"下次會議",
        "heading": r"\A\s*\S[^\n]{1,}",
    },
}

LABELS = {
    "reference": N_("reference-number line"),
    "date": N_("date in the expected form"),
    "salutation": N_("salutation"),
    "closing": N_("closing"),
    "subject": N_("subject line"),
    "from_to": N_("From and To lines"),
    "circular_number": N_("circular number"),
    "enquiries": N_("enquiries contact"),
    "ends": N_("end marker (Ends / 完)"),
    "issued_at": N_("time of issue"),
    "question": N_("the question"),
    "reply": N_("the reply heading"),
    "president": N_("address to the President"),
    "numbered_parts": N_("answers numbered by part"),
    "meeting_details": N_("date, time and venue"),
    "attendance": N_("attendance list"),
    "next_meeting": N_("date of the next meeting"),
    "heading": N_("heading"),
    "numbered_paragraphs": N_("numbered paragraphs"),
    "body": N_("body text"),
}

_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.．]\s*\S")
_WRONG_DATES = {
    "en": re.compile(rf"\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b(?:{_MONTHS})\s+\d{{1,2}},?\s+\d{{4}}\b"),
    "zh-HK": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{4}/\d{1,2}/\d{1,2}\b"),
}
_TO_FILL = re.compile(r"[（(](?![一二三四五六七八九十\d]{1,2}[)）])[^（）()\n]{2,30}[)）]|\[[^\[\]\n]{2,40}\]")
_PLACEHOLDER = re.compile(r"[（(][^（）()\n]{1,30}[)）]|\[[^\[\]\n]{1,40}\]")


@dataclass
class FormatIssue:
    check: str
    detail: str = ""  # e.g. the date written in another form

    def label(self) -> str:
        text = gettext(LABELS.get(self.check, self.check))
        return f"{text}: {self.detail}" if self.detail else text


@dataclass
class FormatReport:
    doc_type: str
    lang: str
    checked: list[str]
    missing: list[FormatIssue] = field(default_factory=list)
    placeholders: int = 0  # bracketed parts still to fill in
    added: list[str] = field(default_factory=list)  # parts the scaffold added to the model's draft
    dropped: int = 0  # lines the model copied from the template's instructions, removed

    @property
    def ok(self) -> bool:
        return not self.missing


@dataclass
class FormatSpec:
    doc_type: str
    lang: str
    checks: list[str]
    patterns: dict[str, str]
    scaffold: dict[str, str]
    fields: dict[str, dict[str, str]]
    numbering: str  # "from-2" (first paragraph unnumbered), "from-1" or "none"
    bottom: tuple[str, ...] = ("closing", "ends", "issued_at", "enquiries", "next_meeting")  # scaffold at the end


def load_spec(doc_type: str, lang: str, folder: Path | None = None) -> FormatSpec:
    """The format part of a template (checks, patterns, scaffold, fields)."""
    from hkpilot.tasks.draft import templates_dir

    path = (folder or templates_dir()) / f"{doc_type}.toml"
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
        section = data[lang]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(detail=f"template {path.name}: {type(exc).__name__}") from exc
    fmt: dict[str, Any] = section.get("format", {})
    patterns = dict(PATTERNS.get(lang, PATTERNS["en"]))
    patterns.update({k: str(v) for k, v in fmt.get("patterns", {}).items()})
    return FormatSpec(
        doc_type,
        lang,
        [str(c) for c in fmt.get("checks", [])],
        patterns,
        {k: str(v) for k, v in fmt.get("scaffold", {}).items()},
        {k: {kk: str(vv) for kk, vv in v.items()} for k, v in data.get("fields", {}).items() if isinstance(v, dict)},
        str(fmt.get("numbering", "from-2")),
        *([tuple(str(b) for b in fmt["bottom"])] if "bottom" in fmt else []),
    )


def _numbering_ok(text: str, spec: FormatSpec) -> bool:
    numbers = [int(m.group(1)) for line in text.splitlines() if (m := _NUMBERED.match(line))]
    if not numbers:
        return len(_body_paragraphs(text, spec)) <= 1
    return numbers[0] in (1, 2) and all(b == a + 1 for a, b in itertools.pairwise(numbers))


def check_format(text: str, spec: FormatSpec) -> FormatReport:
    """What ``text`` lacks of the parts its type needs (one FormatIssue per missing part)."""
    report = FormatReport(spec.doc_type, spec.lang, list(spec.checks))
    for check in spec.checks:
        if check == "numbered_paragraphs":
            if not _numbering_ok(text, spec):
                report.missing.append(FormatIssue(check))
            continue
        pattern = spec.patterns.get(check)
        if pattern and not re.search(pattern, text):
            report.missing.append(FormatIssue(check))
    if not has_body(text, spec):  # every type says something: a layout without text is not a draft
        report.missing.append(FormatIssue("body"))
    wrong = _WRONG_DATES.get(spec.lang)
    if "date" in spec.checks and wrong is not None:
        for m in wrong.finditer(text):
            report.missing.append(FormatIssue("date", m.group()))
    report.placeholders = len(_PLACEHOLDER.findall(text))
    return report


def format_date(day: dt.date, lang: str, style: str = "") -> str:
    if lang == "zh-HK":
        weekday = "一二三四五六日"[day.weekday()]
        core = f"{day.year}年{day.month}月{day.day}日"
        return f"{core}（星期{weekday}）" if style == "weekday" else core
    if style == "us-weekday":  # press releases: "Friday, March 7, 2025"
        return f"{day:%A}, {day:%B} {day.day}, {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def field_values(spec: FormatSpec, given: dict[str, str], today: dt.date | None = None) -> dict[str, str]:
    """Values for the scaffold: the person's, else dates from today, else a bracketed label."""
    today = today or dt.date.today()
    now = dt.datetime.now()
    values = {
        "date": format_date(today, spec.lang),
        "date_weekday": format_date(today, spec.lang, "weekday"),
        "date_us": format_date(today, spec.lang, "us-weekday"),
        "time": f"{now:%H:%M}" if spec.lang == "en" else f"{now.hour}時{now.minute:02d}分",
    }
    for key, info in spec.fields.items():
        label = info.get("zh" if spec.lang == "zh-HK" else "en", key)
        values.setdefault(key, f"（{label}）" if spec.lang == "zh-HK" else f"({label})")
    values.update({k: v for k, v in given.items() if v.strip()})
    return values


_MARKER = re.compile(r"^\s*(?:[-*•·]|\d{1,2}\s*[.．、]|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,2})[)）])\s*")


def has_body(text: str, spec: FormatSpec) -> bool:
    """Whether ``text`` has a line of real text besides its labelled parts, the template's own
    lines and placeholders ("Date: 8 October 2025" or the LegCo reply's opening line are not text)."""
    return bool(body_lines(text, spec))


def body_lines(text: str, spec: FormatSpec) -> list[int]:
    """Indexes of the lines of ``text`` that are its text (see ``has_body``)."""
    skip = {"heading", "enquiries", "next_meeting", "numbered_parts", "meeting_details"}
    structural = [re.compile(p) for k, p in spec.patterns.items() if k not in skip]
    scaffold = {_squeeze(re.sub(r"\{\w+\}", "", line)) for part in spec.scaffold.values() for line in part.splitlines()}
    labels = _field_labels(spec)
    least = 12 if spec.lang == "zh-HK" else 40
    found: list[int] = []
    for i, line in enumerate(text.splitlines()):
        s = _PLACEHOLDER.sub("", _MARKER.sub("", line)).strip()
        label = _LABEL.match(line.strip())
        if (len(s) >= least and _squeeze(s) not in scaffold and not (label and _squeeze(label.group()) in labels)
                and not any(p.search(line.strip()) for p in structural)):
            found.append(i)
    return found


def drop_body(text: str, spec: FormatSpec) -> str:
    """``text`` without its text lines: the layout, for a body written again to go into."""
    body = set(body_lines(text, spec))
    return "\n".join(line for i, line in enumerate(text.splitlines()) if i not in body)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


_BRACKETED = re.compile(r"\s*[（(].{2,}[)）]\s*")  # a line that is all placeholder: "（事由）", "(Name, post title)"
_OPENING = ("reference", "salutation", "subject", "from_to", "circular_number", "heading", "question", "reply",
            "president", "meeting_details", "attendance")


def insert_body(draft: str, body: str, spec: FormatSpec) -> str:
    """``body`` put into ``draft`` after its opening parts (references, salutation, subject...) and
    before its closing ones."""
    opening = [re.compile(spec.patterns[k]) for k in _OPENING if k in spec.patterns and k != "heading"]
    # A date line ends a Chinese letter but heads minutes ("日期："): it does not mark the end here.
    closing = [re.compile(spec.patterns[k]) for k in spec.bottom if k in spec.patterns and k != "date"]
    lines = draft.strip().splitlines()
    end = next((i for i, line in enumerate(lines) if any(p.search(line) for p in closing)), len(lines))
    after = max((i + 1 for i, line in enumerate(lines[:end])
                 if any(p.search(line) for p in opening) and not _BRACKETED.fullmatch(line)), default=0)
    if not after and "heading" in spec.checks and lines:
        after = 1  # a press release's headline
    paragraphs = [_MARKER.sub("", p).strip() for p in body.strip().splitlines() if _MARKER.sub("", p).strip()]
    if spec.numbering in ("from-1", "from-2") and any(_NUMBERED.match(line) for line in lines[:after]):
        paragraphs = [f"1. {p}" for p in paragraphs]  # numbered items before them: the sequence goes on
    else:
        paragraphs = [f"{_mark(n, spec)}{p}" for n, p in enumerate(paragraphs)]  # numbered in the type's style
    out = [*lines[:after], "", *("\n\n".join(paragraphs).splitlines()), "", *lines[after:]]
    return _renumber(out, spec).strip()


def _renumber(lines: list[str], spec: FormatSpec) -> str:
    """The "1." "2." paragraph numbers put in sequence (the draft's own agenda items, then the new text)."""
    if spec.numbering not in ("from-1", "from-2"):
        return "\n".join(lines)
    out: list[str] = []
    count = 0
    for line in lines:
        m = _NUMBERED.match(line)
        if m:
            count = count + 1 if count else int(m.group(1))
            line = _OLD_NUMBER.sub(f"{count}. ", line, count=1)
        out.append(line)
    return "\n".join(out)


def _mark(n: int, spec: FormatSpec) -> str:
    """The number of the ``n``-th (from 0) body paragraph in the type's style, or ""."""
    if spec.numbering == "parts":  # an introduction, then (1), (2) ... / （一）、（二）……
        if n == 0:
            return ""
        return f"（{_ZH_COUNT[n - 1]}）" if spec.lang == "zh-HK" and n <= len(_ZH_COUNT) else f"({n}) "
    if spec.numbering == "from-2":
        return f"{n + 1}. " if n else ""
    return f"{n + 1}. " if spec.numbering == "from-1" else ""


def _body_paragraphs(text: str, spec: FormatSpec) -> list[int]:
    """Indexes of the lines that are body paragraphs (sentences, not header or closing lines)."""
    skip = {"date", "heading", "enquiries", "next_meeting", "numbered_parts", "from_to", "meeting_details"}
    structural = [re.compile(p) for k, p in spec.patterns.items() if k not in skip]
    body: list[int] = []
    for i, line in enumerate(text.splitlines()):
        s = line.strip()
        if len(s) < (25 if spec.lang == "zh-HK" else 60):
            continue  # headings, names, dates, short lines
        if any(p.search(s) for p in structural) or re.match(r"^(?:[-*•]|[（(]\w{1,3}[)）])", s):
            continue
        label = _LABEL.match(s)
        if label and _squeeze(label.group()) in _field_labels(spec):  # "日期：2025年10月8日…" is not a paragraph
            continue
        body.append(i)
    return body


def _field_labels(spec: FormatSpec) -> set[str]:
    """The labels of the template's labelled lines ("Date:", "出席者："), squeezed."""
    return {_squeeze(m.group()) for part in spec.scaffold.values() for line in part.splitlines()
            if (m := _LABEL.match(line.strip()))}


def complete_draft(text: str, spec: FormatSpec, given: dict[str, str] | None = None) -> str:
    """``text`` with the missing scaffold parts added and the body paragraphs numbered."""
    values = field_values(spec, given or {})
    report = check_format(text, spec)
    missing = {issue.check for issue in report.missing if not issue.detail}
    top: list[str] = []
    bottom: list[str] = []
    for check in spec.checks:
        line = spec.scaffold.get(check)
        if check in missing and line:
            filled = _new_lines(line.format_map(_Default(values)), text)
            if filled:
                (bottom if check in spec.bottom else top).append(filled)
    lines = text.strip().splitlines()
    if ("numbered_paragraphs" in missing or "numbered_parts" in missing) and spec.numbering != "none":
        # The body paragraphs numbered, then every "N." line put in one sequence (agenda items too).
        lines = _renumber(_number(lines, spec), spec).splitlines()
    parts = ["\n".join(top), "\n".join(lines), "\n".join(bottom)]
    return "\n\n".join(p for p in parts if p.strip())


def _new_lines(snippet: str, text: str) -> str:
    """The lines of a scaffold snippet whose label (or whole line) the draft does not have yet."""
    def label(line: str) -> str:
        return re.split(r"[:：]", line.strip(), maxsplit=1)[0]

    starts = {label(line) for line in text.splitlines() if line.strip()}
    kept = [line for line in snippet.splitlines() if not line.strip() or label(line) not in starts]
    return "\n".join(kept).strip("\n")


class _Filler:
    """Replacement for an empty labelled field: the label, then the value."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __call__(self, found: re.Match[str]) -> str:
        label = found.group(1).rstrip(" \t\u3000")
        return label + (" " if label.endswith(":") else "") + self.value


class _DateFiller(_Filler):
    """A labelled date line keeps a date in the expected form; anything else gives way to the value."""

    def __init__(self, value: str, pattern: str) -> None:
        super().__init__(value)
        self.dated = re.compile(pattern) if pattern else None

    def __call__(self, found: re.Match[str]) -> str:
        if self.dated is not None and self.dated.search(found.group().strip()):
            return found.group()
        return super().__call__(found)


class _Default(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return f"({key})"


def _number(lines: list[str], spec: FormatSpec) -> list[str]:
    body = _body_paragraphs("\n".join(lines), spec)
    out = [_OLD_NUMBER.sub("", line) if i in body else line for i, line in enumerate(lines)]
    if spec.numbering == "parts":  # LegCo replies: an introduction, then (1), (2) ... / （一）、（二）……
        for n, index in enumerate(body[1:], 1):
            mark = f"（{_ZH_COUNT[n - 1]}）" if spec.lang == "zh-HK" and n <= len(_ZH_COUNT) else f"({n}) "
            out[index] = f"{mark}{out[index].strip()}"
        return out
    first = 2 if spec.numbering == "from-2" else 1
    for n, index in enumerate(body[first - 1 :], first):
        out[index] = f"{n}. {out[index].strip()}"
    return out


_ZH_COUNT = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


_OLD_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.．]\s*")


def finish_draft(text: str, doc_type: str, lang: str, given: dict[str, str]) -> tuple[str, FormatReport]:
    """The model's draft tidied and completed from the template, and its format check."""
    from hkpilot.tasks.draft import instruction_text, load_template

    spec = load_spec(doc_type, lang)
    template = load_template(doc_type, lang)
    text, dropped = tidy_draft(text, spec, f"{template.structure}\n{template.guidance}", given, instruction_text(template))
    text = normalise_dates(text, spec)
    before = {i.check for i in check_format(text, spec).missing if not i.detail}
    text = complete_draft(text, spec, given)
    report = check_format(text, spec)
    after = {i.check for i in report.missing if not i.detail}
    report.added = [c for c in spec.checks if c in before and c not in after]
    report.dropped = dropped
    return text, report


_MONTH_NAMES = _MONTHS.split("|")
_US_DATE = re.compile(rf"\b({_MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{4})/(\d{1,2})/(\d{1,2})\b")


def normalise_dates(text: str, spec: FormatSpec) -> str:
    """Unambiguous dates written in another form put in the Government's form (the meaning kept).

    ``March 5, 2025`` and ``2025-03-05`` become ``5 March 2025`` (``2025年3月5日``). A date
    such as 03/05/2025 could be either day or month first: it is left for the check to report.
    The press release's ``Ends/Friday, March 7, 2025`` line is the one place the US form belongs.
    """
    if "date" not in spec.checks:
        return text

    def iso(m: re.Match[str]) -> str:
        y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return m.group()
        return f"{y}年{mo}月{d}日" if spec.lang == "zh-HK" else f"{d} {_MONTH_NAMES[mo - 1]} {y}"

    out = []
    for line in text.splitlines():
        if not re.match(r"\s*Ends\s*/", line):
            if spec.lang == "en":
                line = _US_DATE.sub(lambda m: f"{int(m.group(2))} {m.group(1)} {m.group(3)}", line)
            line = _ISO_DATE.sub(iso, line)
        out.append(line)
    return "\n".join(out)


_DATE_PLACEHOLDER = {
    "en": re.compile(r"\(?(?:Date:\s*)?d Month yyyy\)?"),
    "zh-HK": re.compile(r"[（(]?yyyy\s*年\s*m\s*月\s*d\s*日[)）]?"),
}
_LABELLED = re.compile(r"^(?P<label>[^{}\n]{1,20}?[:：])\s*\{(?P<field>\w+)\}\s*$")


def tidy_draft(text: str, spec: FormatSpec, structure: str, given: dict[str, str],
               instructions: str = "") -> tuple[str, int]:
    """Drop lines the model copied from the template's layout instructions (and sentences copied
    from the rest of its prompt, ``instructions``), put today's date for a date placeholder, and
    fill labelled fields left empty ("Our Ref.:" with nothing after).
    Returns the text and the number of lines dropped."""
    from hkpilot.tasks.glossary import fold_zh

    def norm(line: str) -> str:  # brackets, numbers and Markdown marks aside: "[Headline]" is "(Headline)"
        return re.sub(r"[\s()（）\[\]【】#*「」]+", "", fold_zh(_OLD_NUMBER.sub("", line)))

    layout = {norm(line) for line in structure.splitlines()
              if len(line.strip()) >= 12 or re.fullmatch(r"\s*[（(][^（）()]{2,}[)）]\s*", line)}
    values = field_values(spec, given)
    text = _DATE_PLACEHOLDER[spec.lang if spec.lang in _DATE_PLACEHOLDER else "en"].sub(values["date"], text)
    lines = _split_fields(_plain(text)).splitlines()
    told = norm(f"{structure}\n{instructions}")
    parts = [re.compile(p) for k, p in spec.patterns.items() if k != "heading"]

    zh = spec.lang == "zh-HK"
    least = 6 if zh else 12  # Chinese says in 6 characters what English says in 12

    def copied(sentence: str) -> bool:  # a sentence of the prompt, not a part the type needs
        key = norm(sentence).strip("，,。.；;：:、")
        return len(key) >= least and key in told and not any(p.search(sentence.strip()) for p in parts)

    field_labels = _field_labels(spec)
    kept: list[str] = []
    for line in lines:
        if not line.strip():
            kept.append(line)
        elif norm(line) in layout and not (
                (label := _LABEL.match(line.strip())) and _squeeze(label.group()) in field_labels):
            continue  # a copied instruction; a labelled field ("Ref.: (file reference)") stays to be filled
        elif _NUMBERED.match(line) or (_TO_FILL.search(line) and not _PLACEHOLDER.fullmatch(line.strip())):
            # an agenda item; a line with a part left to fill in ("署長　（某某代行）")
            kept.append(line)
        else:
            sentences = [x for x in (_CLAUSE_ZH if zh else _SENTENCE).split(line) if x]
            own = [x for x in sentences if not copied(x)]
            rest = ("" if zh else " ").join(x.strip() for x in own)
            if len(own) == len(sentences):
                kept.append(line)
            elif len(norm(rest)) >= least:  # what is left of a line the model half copied, if it says something
                kept.append(rest)
    text = "\n".join(kept)
    for scaffold in spec.scaffold.values():
        for line in scaffold.splitlines():
            m = _LABELLED.match(line.strip())
            if m and (given.get(m.group("field")) or "").strip():  # the person's value wins over the model's
                mine = re.compile(rf"(?m)^([ \t]*{re.escape(m.group('label'))})[^\n]*$")
                text = mine.sub(_Filler(given[m.group("field")].strip()), text)
            elif m and "date" in m.group("field") and m.group("field") in values:
                # A date field holding something else than a date in the expected form ("Date: 2025-10").
                mine = re.compile(rf"(?m)^([ \t]*{re.escape(m.group('label'))})[^\n]*$")
                text = mine.sub(_DateFiller(values[m.group("field")], spec.patterns.get("date", "")),
                                normalise_dates(text, spec))
            if m and m.group("field") in values and not (given.get(m.group("field")) or "").strip():
                # Empty, or holding the model's own placeholder ("Date: [insert date]").
                empty = re.compile(rf"(?m)({re.escape(m.group('label'))})[ \t\u3000]*(?:\[[^\[\]\n]{{1,40}}\][ \t]*)?"
                                   rf"(?=$|[ \t\u3000]+\S{{1,10}}[:：])")
                text = empty.sub(_Filler(values[m.group("field")]), text, count=1)
    return text, len(lines) - len(kept)


_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_CLAUSE_ZH = re.compile(r"(?<=[，。！？；])")
_MARKDOWN = re.compile(r"(?m)^\s{0,3}#{1,6}\s*|\*\*(?=\S)|(?<=\S)\*\*")
_FIELD_SEPARATOR = re.compile(r"\s*\|\s*|\u3000+|\s{3,}")
_LABEL = re.compile(r"^[^:：\n]{1,20}[:：]")


def _plain(text: str) -> str:
    """Markdown headings and bold marks taken out: the draft is plain text (and a .docx)."""
    return _MARKDOWN.sub("", text)


def _split_fields(text: str) -> str:
    """A line holding several labelled fields ("From: A | To: B", "日期：…　時間：…") split, one a line,
    so each part can be checked and filled where the type expects it: at the start of a line."""
    out: list[str] = []
    for line in text.splitlines():
        parts = [p for p in _FIELD_SEPARATOR.split(line.strip()) if p]
        if len(parts) > 1 and sum(1 for p in parts if _LABEL.match(p)) >= 2 and _LABEL.match(parts[0]):
            out += parts
        else:
            out.append(line)
    return "\n".join(out)

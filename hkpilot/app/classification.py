"""Security markings: detect a document's level and keep it away from engines not cleared for it.

Where a marking is looked for: in a Word or Excel file's core and custom properties, its
headers and footers (watermarks included), and its first and last paragraphs; in a PDF's
metadata and on its first page; in any file's first and last paragraphs. The markings
and their order are data (``resources/classification_markings.toml``), replaced whole by
the policy key ``classification_markings`` (an array of tables like the shipped file's, or
from the registry one line a level, ``NAME | 中文 | marking; marking``). The highest
level found wins.

Policy caps each engine (``server_max_classification``, ``local_max_classification``); a
document above the engine's cap is refused before anything is sent (``check_engine``).
A person may raise a document's level, never lower a detected one unless the policy key
``classification_allow_lower`` is true. Nothing here logs document text: only levels and
the kind of place a marking was found.
"""

from __future__ import annotations

import logging
import re
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from hkpilot.config.security import SecurityPolicy
from hkpilot.documents.model import BlockKind, Document
from hkpilot.errors import ClassificationRefused, PolicyRefused, UsageError
from hkpilot.i18n import N_, current_language, gettext
from hkpilot.resources import resources_dir

log = logging.getLogger(__name__)

EDGE_BLOCKS = 3  # first and last paragraphs looked at
_MAX_PART = 5_000_000  # bytes of one properties/header part read from the zip
_SEGMENT_SPLIT = re.compile(r"\n|\r|\t|\s{2,}|\|")
_QUALIFIER = r"(?:\s*(?:[(（\[【][^)）\]】]{1,40}[)）\]】]|[-–—:：]\s*[A-Z][A-Z /&-]{0,30}))?"
_EDGE = r"[\W_]*"  # decoration around a marking line: *, -, quotes, brackets, spaces

ENGINE_NAMES = {"server": N_("inference server"), "local": N_("local model")}


@dataclass(frozen=True)
class Level:
    """One classification level; ``rank`` 0 is the unmarked level."""

    rank: int
    name: str
    zh: str = ""
    markings: tuple[str, ...] = ()

    def display(self) -> str:
        """The level as a person reads it in the current language (both forms in Chinese)."""
        if current_language() == "zh-HK" and self.zh:
            return f"{self.zh}（{self.name}）"
        return self.name


@dataclass
class Scheme:
    """The ordered levels and a matcher for each marking, longest first."""

    levels: list[Level]
    _text: list[tuple[re.Pattern[str], Level]] = field(default_factory=list, repr=False)
    _props: list[tuple[re.Pattern[str], Level]] = field(default_factory=list, repr=False)

    def _compile(self) -> None:
        """Build the matchers on first use: dozens of Unicode patterns cost the window's start-up 30 ms."""
        pairs = sorted(((m, lv) for lv in self.levels for m in lv.markings), key=lambda p: -len(p[0]))
        text: list[tuple[re.Pattern[str], Level]] = []
        props: list[tuple[re.Pattern[str], Level]] = []
        for marking, level in pairs:
            body = r"\s+".join(re.escape(w) for w in marking.split())
            pattern = f"^{_EDGE}{body}{_QUALIFIER}{_EDGE}$"
            text.append((re.compile(pattern), level))  # capitals as written in the text
            props.append((re.compile(pattern, re.IGNORECASE), level))
        self._props, self._text = props, text  # whole lists at once: a second thread may be matching

    @property
    def lowest(self) -> Level:
        return self.levels[0]

    def level(self, name: str) -> Level | None:
        """The level called ``name`` (its name, Chinese name or any marking, any case)."""
        key = " ".join(str(name).split()).casefold()
        for level in self.levels:
            if key in (level.name.casefold(), level.zh.casefold()) or key in (m.casefold() for m in level.markings):
                return level
        return None

    def match(self, segment: str, properties: bool = False) -> Level | None:
        """The level ``segment`` (one line of text, or a property value) is a marking of."""
        segment = segment.strip()
        if not segment or len(segment) > 80:
            return None
        if not self._text:
            self._compile()
        for pattern, level in self._props if properties else self._text:
            if pattern.match(segment):
                return level
        return None

    def scan(self, texts: Iterable[str], properties: bool = False) -> Level | None:
        """The highest level marked in any line of ``texts``."""
        best: Level | None = None
        for text in texts:
            pieces = re.split(r"[,;，；]", text) if properties else _SEGMENT_SPLIT.split(text)
            for segment in pieces:
                level = self.match(segment, properties)
                if level is not None and (best is None or level.rank > best.rank):
                    best = level
        return best


def _level_line(line: str) -> dict[str, Any]:
    """One level written on one line (the registry's REG_MULTI_SZ form): ``NAME | 中文 | marking; marking``."""
    name, _sep, rest = line.partition("|")
    zh, _sep, markings = rest.partition("|")
    return {"name": name.strip(), "zh": zh.strip(), "markings": [m for m in re.split(r"[;；]", markings) if m.strip()]}


def _levels_from(data: Any) -> list[Level]:
    """Levels from the TOML form (an array of tables) or the registry's (lines, or one text of lines)."""
    if isinstance(data, str):
        data = data.splitlines()
    levels: list[Level] = []
    items = [_level_line(i) if isinstance(i, str) else i for i in (data or []) if not (isinstance(i, str) and not i.strip())]
    for rank, item in enumerate(items):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise ValueError("each level needs a name")
        markings = tuple(str(m).strip() for m in item.get("markings", []) if str(m).strip())
        levels.append(Level(rank, str(item["name"]).strip(), str(item.get("zh", "")).strip(), markings))
    if len(levels) < 2:
        raise ValueError("at least two levels are needed")
    return levels


def default_markings_file() -> Path:
    return resources_dir() / "classification_markings.toml"


def load_scheme(policy: SecurityPolicy | None = None) -> Scheme:
    """The policy's markings when it sets them (fail closed if unusable), else the shipped list."""
    with default_markings_file().open("rb") as f:
        shipped = _levels_from(tomllib.load(f)["level"])
    if policy is None or policy.markings is None:
        return Scheme(shipped)
    try:
        return Scheme(_levels_from(policy.markings))
    except (ValueError, TypeError, AttributeError) as exc:
        # A broken list must not switch detection off: keep the shipped markings.
        log.warning("policy classification_markings unusable (%s): shipped list used", exc)
        return Scheme(shipped)


# -- detection ------------------------------------------------------------------------------


@dataclass
class Detection:
    """The level found and the kinds of place it was found in (no document text)."""

    level: Level
    found_in: list[str] = field(default_factory=list)


def _xml(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None


def ooxml_parts(path: Path) -> dict[str, list[str]]:
    """Texts of an Office file's properties and header/footer parts, by kind of place.

    "properties": values of docProps/core.xml and docProps/custom.xml (sensitivity labels
    included); "headers": the text and watermark strings of Word headers and footers.
    Unreadable parts are skipped: the text blocks are still checked.
    """
    out: dict[str, list[str]] = {"properties": [], "headers": []}
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                name = info.filename
                is_props = name in ("docProps/core.xml", "docProps/custom.xml")
                is_header = re.fullmatch(r"word/(header|footer)\d*\.xml", name) is not None
                if not (is_props or is_header) or info.file_size > _MAX_PART:
                    continue
                root = _xml(zf.read(info))
                if root is None:
                    continue
                if is_props:
                    out["properties"].extend(t.strip() for t in root.itertext() if t.strip())
                else:
                    words = "".join(root.xpath("//*[local-name()='t']/text()"))
                    out["headers"].append(words)
                    out["headers"].extend(str(s) for s in root.xpath("//*[local-name()='textpath']/@string"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, RuntimeError):
        log.info("properties not readable for classification")
    return out


def pdf_metadata(path: Path, password: str | None = None) -> list[str]:
    """The values of a PDF's document information dictionary (title, subject, keywords...)."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt(password or "")
        meta: dict[str, Any] = dict(reader.metadata or {})
        return [str(v) for v in meta.values() if isinstance(v, str | bytes) and str(v).strip()][:50]
    except Exception:  # noqa: BLE001 - pypdf raises many kinds; the first page is still checked
        log.info("PDF metadata not readable for classification")
        return []


def _edges(doc: Document) -> tuple[list[str], list[str], list[str]]:
    """(header/footer texts, first/last body paragraphs, first-page texts of a PDF)."""
    margins = [b.text for b in doc.blocks if b.kind in (BlockKind.HEADER, BlockKind.FOOTER) and b.text.strip()]
    body = [b for b in doc.text_blocks if b.kind not in (BlockKind.HEADER, BlockKind.FOOTER, BlockKind.COMMENT)]
    edge = [b.text for b in body[:EDGE_BLOCKS] + body[-EDGE_BLOCKS:]]
    first_page = [b.text for b in doc.blocks if b.page == 1 or b.anchor.startswith("page:1:")] if doc.format == "pdf" else []
    return margins, edge, first_page


def detect(doc: Document, scheme: Scheme, password: str | None = None) -> Detection:
    """The highest marking on ``doc`` and where it was seen (the lowest level when none)."""
    found: list[tuple[Level, str]] = []

    def look(place: str, texts: Sequence[str], properties: bool = False) -> None:
        level = scheme.scan(texts, properties)
        if level is not None:
            found.append((level, place))

    margins, edge, first_page = _edges(doc)
    if doc.format in ("docx", "xlsx"):
        parts = ooxml_parts(Path(doc.path))
        look("properties", parts["properties"], properties=True)
        look("header or footer", parts["headers"])
    elif doc.format == "pdf":
        look("properties", pdf_metadata(Path(doc.path), password), properties=True)
        look("first page", first_page)
    look("header or footer", margins)
    look("first or last paragraphs", edge)
    if not found:
        return Detection(scheme.lowest)
    top = max(level.rank for level, _ in found)
    places = sorted({place for level, place in found if level.rank == top})
    return Detection(scheme.levels[top], places)


# -- decisions --------------------------------------------------------------------------------


def choose_level(scheme: Scheme, detected: Level, requested: str | None, policy: SecurityPolicy, name: str) -> Level:
    """The level to work with: ``requested`` when given (raising always; lowering only if allowed)."""
    if not requested:
        return detected
    level = scheme.level(requested)
    if level is None:
        raise UsageError(detail=f"--classification {requested} ({', '.join(lv.name for lv in scheme.levels)})")
    if level.rank < detected.rank and not policy.allow_lower:
        raise PolicyRefused(
            N_("{name} is marked {detected}; your administrator does not allow a lower level ({requested}) to be set."),
            name=name, detected=detected.display(), requested=level.display(),
        )
    return level


def cap_for(scheme: Scheme, policy: SecurityPolicy, engine_kind: str) -> Level | None:
    """The highest level ``engine_kind`` may receive; None when the policy sets no cap."""
    name = policy.server_max if engine_kind == "server" else policy.local_max
    if name is None:
        return None
    level = scheme.level(name)
    if level is None:  # an unknown name must not open the gate: only unmarked documents pass
        log.warning("policy %s_max_classification names an unknown level: unmarked documents only", engine_kind)
        return scheme.lowest
    return level


def allowed_on(scheme: Scheme, policy: SecurityPolicy, engine_kind: str, level: Level) -> bool:
    cap = cap_for(scheme, policy, engine_kind)
    return cap is None or level.rank <= cap.rank


def check_engine(scheme: Scheme, policy: SecurityPolicy, engine_kind: str, level: Level, name: str) -> None:
    """Refuse (exit 5) a document above the engine's cap, before anything is sent to it."""
    cap = cap_for(scheme, policy, engine_kind)
    if cap is not None and level.rank > cap.rank:
        log.info("classification refused: level rank %d above %s cap %d", level.rank, engine_kind, cap.rank)
        raise ClassificationRefused(
            name=name, level=level.display(), cap=cap.display(),
            engine=gettext(ENGINE_NAMES.get(engine_kind, engine_kind)), engine_kind=engine_kind, level_name=level.name,
        )


def highest(levels: Iterable[Level], scheme: Scheme) -> Level:
    return max(levels, key=lambda lv: lv.rank, default=scheme.lowest)

"""A paragraph's runs as tagged text (``docx_rebuild`` puts tagged text back as runs).

``segment`` cuts a paragraph into pieces in reading order: text (with its formatting and
the hyperlink or content control around it), atoms (kept as they are but placed by the
translation: pictures, fields with their results, note and comment references, symbols,
positioned tabs, blank underlined stretches) and markers (bookmarks, comment ranges).
Adjacent runs whose formatting differs only by proofing marks (rsid, language,
noProof) are one span, so the model sees whole sentences.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from docx.oxml.parser import oxml_parser
from lxml import etree

from hkpilot.documents import docx_xml as dx
from hkpilot.documents import inline_markup as im

_W = dx.w
RPR, PPR, FLDCHAR = _W("rPr"), _W("pPr"), _W("fldChar")
HYPERLINK, SDT, SDTCONTENT = _W("hyperlink"), _W("sdt"), _W("sdtContent")
_UNWRAP = frozenset(_W(t) for t in ("ins", "moveTo", "smartTag", "customXml", "dir", "bdo"))
_DELETED = frozenset(_W(t) for t in ("del", "moveFrom"))
_PROPS = frozenset(_W(t) for t in ("smartTagPr", "customXmlPr"))
_DROP = frozenset(_W(t) for t in ("proofErr", "lastRenderedPageBreak", "softHyphen"))
_TEXT = frozenset(_W(t) for t in ("t", "tab", "br", "cr", "noBreakHyphen"))
_IGNORED_PROPS = frozenset(_W(t) for t in ("lang", "noProof", "bCs", "iCs", "webHidden", "specVanish"))
_FALSE = {"0", "false", "off"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _new(tag: str, attrib: dict[str, str] | None = None) -> etree._Element:
    """A new element of python-docx's own classes, so its proxies keep working on it."""
    return oxml_parser.makeelement(tag, attrib=attrib or {})


def _is_marker(tag: str) -> bool:
    local = etree.QName(tag).localname
    return local.startswith(("bookmark", "perm")) or local.endswith(("RangeStart", "RangeEnd"))


@dataclass(frozen=True)
class Signature:
    """What a run looks like: bold, italic, underline, and everything else as a string."""

    b: bool
    i: bool
    u: str
    other: str


def signature(rpr: etree._Element | None) -> Signature:
    """The visible formatting of a run's properties, ignoring proofing and revision marks."""
    if rpr is None:
        return Signature(False, False, "", "")
    b = i = False
    u = ""
    other: list[str] = []
    for child in rpr:
        if not isinstance(child.tag, str) or child.tag in _IGNORED_PROPS or child.tag == _W("rPrChange"):
            continue
        val = child.get(_W("val"))
        if child.tag == _W("b"):
            b = val not in _FALSE
        elif child.tag == _W("i"):
            i = val not in _FALSE
        elif child.tag == _W("u"):
            u = "" if val == "none" else (val or "single")
        else:
            attrs = sorted((k, v) for k, v in child.attrib.items() if "rsid" not in k and k != _W("hint"))
            if child.tag == _W("rFonts") and not attrs:
                continue
            other.append(f"{etree.QName(child).localname}{attrs}")
    return Signature(b, i, u, "|".join(other))


@dataclass(eq=False)
class Group:
    """Text runs that share formatting and container: one tag in the markup."""

    sig: Signature
    chain: tuple[etree._Element, ...]
    rpr: etree._Element | None
    tag: str = ""
    chars: int = 0


@dataclass(eq=False)
class Atom:
    """Content kept as it is: whole elements, or run children to re-wrap in a run."""

    chain: tuple[etree._Element, ...]
    parts: list[tuple[etree._Element | None, list[etree._Element], bool]] = field(default_factory=list)
    name: str = ""  # (rPr, elements, wrap-in-run)
    leading: bool = False  # before any text in the source paragraph


@dataclass
class Segmentation:
    """A paragraph as pieces, with its markup; ``None`` from ``segment`` means "not taggable"."""

    pieces: list[tuple[str, object, str]]  # ("text", Group, text) | ("atom", Atom, "") | ("marker", element, "")
    groups: list[Group]
    atoms: list[Atom]
    base: Group | None
    markup: str
    depth_out: int


class _Builder:
    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.pieces: list[tuple[str, object, str]] = []
        self.groups: dict[tuple[tuple[int, ...], Signature], Group] = {}
        self.ok = True
        self.seen_text = False

    # -- collecting -------------------------------------------------------------------

    def walk(self, parent: etree._Element, chain: tuple[etree._Element, ...]) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or tag == PPR or tag in _PROPS:
                continue
            if tag == dx.R:
                self.run(child, chain)
            elif tag in _DELETED or tag in _DROP:
                continue
            elif self.depth > 0:
                self.atom_bits(chain, None, [child], wrap=False)
                self.track_fields(child)
            elif tag == HYPERLINK:
                self.walk(child, (*chain, child))
            elif tag == SDT:
                content = child.find(SDTCONTENT)
                if content is not None:
                    self.walk(content, (*chain, child))
            elif tag in _UNWRAP:
                self.walk(child, chain)
            elif _is_marker(tag):
                self.pieces.append(("marker", (child, chain), ""))
            else:  # fldSimple, equations, anything unknown: kept whole
                self.atom_bits(chain, None, [child], wrap=False)
                self.track_fields(child)

    def track_fields(self, el: etree._Element) -> None:
        for fc in el.iter(FLDCHAR):
            kind = fc.get(_W("fldCharType"))
            self.depth = self.depth + 1 if kind == "begin" else max(0, self.depth - 1) if kind == "end" else self.depth

    def run(self, r: etree._Element, chain: tuple[etree._Element, ...]) -> None:
        rpr = r.find(RPR)
        for child in r:
            tag = child.tag
            if child is rpr or not isinstance(tag, str) or tag in _DROP:
                continue
            if tag == FLDCHAR:
                self.atom_bits(chain, rpr, [child])
                self.track_fields(child)
            elif self.depth > 0 or tag not in _TEXT or not dx.is_text_child(child):
                self.atom_bits(chain, rpr, [child])
            else:
                self.text(chain, rpr, dx.child_text(child))

    def text(self, chain: tuple[etree._Element, ...], rpr: etree._Element | None, text: str) -> None:
        if not text:
            return
        sig = signature(rpr)
        key = (tuple(id(c) for c in chain), sig)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group(sig, chain, rpr)
        group.chars += len(text.strip())
        if text.strip():
            self.seen_text = True
        last = self.pieces[-1] if self.pieces else None
        if last is not None and last[0] == "text" and last[1] is group:
            self.pieces[-1] = ("text", group, last[2] + text)
        else:
            self.pieces.append(("text", group, text))

    def atom_bits(
        self, chain: tuple[etree._Element, ...], rpr: etree._Element | None, els: list[etree._Element], wrap: bool = True
    ) -> None:
        last = self.pieces[-1] if self.pieces else None
        if last is not None and last[0] == "atom" and isinstance(last[1], Atom):
            atom = last[1]
            if atom.chain != chain:
                self.ok = False  # a field across a hyperlink boundary: leave the paragraph to the plain writer
                return
        else:
            atom = Atom(chain=chain, leading=not self.seen_text)
            self.pieces.append(("atom", atom, ""))
        if atom.parts and atom.parts[-1][0] is rpr and atom.parts[-1][2] == wrap and wrap:
            atom.parts[-1][1].extend(els)
        else:
            atom.parts.append((rpr, list(els), wrap))

    # -- naming -----------------------------------------------------------------------

    def finish(self, plain: str) -> Segmentation | None:
        if not self.ok or im.has_tag_like(plain):
            return None
        groups = list(self.groups.values())
        top = [g for g in groups if not g.chain]
        base = max(top, key=lambda g: g.chars) if top else None
        counter = 0
        atoms: list[Atom] = []
        for kind, obj, _text in self.pieces:
            if kind == "text" and isinstance(obj, Group) and not obj.tag and obj is not base:
                simple = _simple_tag(obj, base)
                if simple and not any(g.tag == simple for g in groups):
                    obj.tag = simple
                else:
                    counter += 1
                    obj.tag = str(counter)
            elif kind == "atom" and isinstance(obj, Atom):
                counter += 1
                obj.name = str(counter)
                atoms.append(obj)
        out: list[str] = []
        for kind, obj, text in self.pieces:
            if kind == "text" and isinstance(obj, Group):
                out.append(f"<{obj.tag}>{text}</{obj.tag}>" if obj.tag else text)
            elif kind == "atom" and isinstance(obj, Atom):
                out.append(f"<{obj.name}/>")
        return Segmentation(self.pieces, groups, atoms, base, "".join(out), self.depth)


def _simple_tag(g: Group, base: Group | None) -> str:
    if g.chain:
        return ""
    b = base.sig if base is not None else Signature(False, False, "", "")
    s = g.sig
    if s.other != b.other:
        return ""
    diffs = [(s.b and not b.b, "b"), (s.i and not b.i, "i"), (bool(s.u) and not b.u, "u")]
    same = [(s.b == b.b), (s.i == b.i), (s.u == b.u)]
    added = [name for (is_added, name), eq in zip(diffs, same, strict=True) if is_added]
    if len(added) == 1 and sum(not e for e in same) == 1:
        return added[0]
    return ""


def segment(p: etree._Element, depth: int = 0) -> Segmentation | None:
    """Tagged form of paragraph ``p``; ``depth`` is the number of fields open at its start."""
    builder = _Builder(depth)
    builder.walk(p, ())
    _blank_spans_to_atoms(builder)
    return builder.finish(dx.paragraph_text(p))


def _blank_spans_to_atoms(b: _Builder) -> None:
    """Formatted stretches of only spaces or tabs (underlined blanks on forms) stay as they are."""
    # Done on the finished piece list: a blank text piece outside the main format becomes
    # an atom holding its own run (a copy of the text), so its width and look survive.
    top = [g for g in b.groups.values() if not g.chain]
    base = max(top, key=lambda g: g.chars) if top else None
    for idx, (kind, obj, text) in enumerate(b.pieces):
        if kind == "text" and isinstance(obj, Group) and obj is not base and not text.strip() and "\n" not in text:
            atom = Atom(chain=obj.chain, leading=False)
            atom.parts.append((obj.rpr, text_elements(text), True))
            b.pieces[idx] = ("atom", atom, "")
    # Merge atoms that became neighbours.
    merged: list[tuple[str, object, str]] = []
    for piece in b.pieces:
        prev = merged[-1] if merged else None
        if prev is not None and piece[0] == "atom" and prev[0] == "atom":
            a, c = prev[1], piece[1]
            if isinstance(a, Atom) and isinstance(c, Atom) and a.chain == c.chain:
                a.parts.extend(c.parts)
                continue
        merged.append(piece)
    b.pieces = merged
    used = {id(obj) for kind, obj, _ in merged if kind == "text"}
    b.groups = {k: g for k, g in b.groups.items() if id(g) in used}


def text_elements(text: str) -> list[etree._Element]:
    """``w:t``/``w:tab``/``w:br`` elements for plain ``text``."""
    from hkpilot.documents.safety import xml_safe

    out: list[etree._Element] = []
    text = xml_safe(text.replace("\r\n", "\n").replace("\r", "\n"))
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append(_new(_W("br")))
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append(_new(_W("tab")))
            if piece:
                t = _new(_W("t"))
                t.set(_XML_SPACE, "preserve")
                t.text = piece
                out.append(t)
    return out


def tag_counts(seg: Segmentation) -> Counter[str]:
    """How many spans of each kind a segmentation has (for tests and reports)."""
    return Counter("simple" if g.tag in im.SIMPLE_TAGS else "numbered" for g in seg.groups if g.tag)

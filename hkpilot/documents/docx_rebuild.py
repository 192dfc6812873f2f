"""Put a translated tagged string back into a paragraph as runs (see docx_runs).

Formatting goes back on the words the model tagged; a tag the model dropped costs only
that span's formatting (its words take the paragraph's main format); atoms it dropped
are put back at the start or the end; bookmarks and comment ranges follow the piece
they stood before; hyperlinks and content controls are re-created around their runs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from hkpilot.documents import docx_xml as dx
from hkpilot.documents import inline_markup as im
from hkpilot.documents.docx_runs import _W, PPR, SDT, SDTCONTENT, Atom, Group, Segmentation, _new, text_elements


@dataclass
class ApplyResult:
    lost_spans: int = 0
    restored_atoms: int = 0


def apply(p: etree._Element, seg: Segmentation, translated: str) -> ApplyResult:
    """Rebuild paragraph ``p`` (segmented as ``seg``) with the tagged ``translated`` text."""
    by_tag = {g.tag: g for g in seg.groups if g.tag}
    by_atom = {a.name: a for a in seg.atoms}
    pieces = im.parse(translated, set(by_tag), set(by_atom), strict_html="<" not in dx.paragraph_text(p))
    result = ApplyResult()
    wanted = {g.tag for kind, g, text in seg.pieces if kind == "text" and isinstance(g, Group) and g.tag and text.strip()}
    got = {pc.span for pc in pieces if pc.text.strip()}
    result.lost_spans = len(wanted - got)
    # Order of items: (kind, object, text); atoms once each, missing ones put back.
    items: list[tuple[str, object, str]] = []
    placed: set[str] = set()
    for pc in pieces:
        if pc.atom:
            if pc.atom not in placed:
                placed.add(pc.atom)
                items.append(("atom", by_atom[pc.atom], ""))
        else:
            items.append(("text", by_tag.get(pc.span, seg.base), pc.text))
    missing = [a for a in seg.atoms if a.name not in placed]
    result.restored_atoms = len(missing)
    items = [("atom", a, "") for a in missing if a.leading] + items + [("atom", a, "") for a in missing if not a.leading]
    _rebuild(p, seg, items)
    return result


def _markers_by_next(seg: Segmentation) -> tuple[dict[int, list[tuple[etree._Element, tuple]]], list, list]:
    """Markers attached to the piece that follows them (by id), plus leading and trailing ones."""
    attached: dict[int, list[tuple[etree._Element, tuple]]] = {}
    pending: list[tuple[etree._Element, tuple]] = []
    leading: list[tuple[etree._Element, tuple]] = []
    first = True
    for kind, obj, _ in seg.pieces:
        if kind == "marker":
            pending.append(obj)  # type: ignore[arg-type]
            continue
        if pending:
            (leading if first else attached.setdefault(id(obj), [])).extend(pending)
            pending = []
        first = False
    return attached, leading, pending


def _rebuild(p: etree._Element, seg: Segmentation, items: list[tuple[str, object, str]]) -> None:
    attached, leading, trailing = _markers_by_next(seg)
    out: list[tuple[etree._Element, tuple]] = list(leading)
    seen: set[int] = set()
    for kind, obj, text in items:
        if id(obj) not in seen:
            seen.add(id(obj))
            out.extend(attached.pop(id(obj), []))
        if kind == "atom" and isinstance(obj, Atom):
            for rpr, els, wrap in obj.parts:
                if wrap:
                    r = _new(dx.R)
                    if rpr is not None:
                        r.append(copy.deepcopy(rpr))
                    r.extend(els)
                    out.append((r, obj.chain))
                else:
                    out.extend((el, obj.chain) for el in els)
        else:
            group = obj if isinstance(obj, Group) else None
            r = _new(dx.R)
            if group is not None and group.rpr is not None:
                r.append(copy.deepcopy(group.rpr))
            r.extend(text_elements(text))
            out.append((r, group.chain if group is not None else ()))
    for rest in attached.values():
        out.extend(rest)
    out.extend(trailing)
    for child in list(p):
        if child.tag != PPR:
            p.remove(child)
    _assemble(p, out)
    _order_ranges(p)


def _assemble(p: etree._Element, out: list[tuple[etree._Element, tuple]]) -> None:
    """Append elements to ``p``, re-creating the hyperlinks and content controls around them."""
    open_chain: tuple[etree._Element, ...] = ()
    targets: list[etree._Element] = [p]
    used_sdt: set[int] = set()
    for el, chain in out:
        keep = 0
        while keep < min(len(open_chain), len(chain)) and open_chain[keep] is chain[keep]:
            keep += 1
        del targets[keep + 1 :]
        for container in chain[keep:]:
            clone, inner = _clone_container(container, id(container) in used_sdt)
            used_sdt.add(id(container))
            targets[-1].append(clone)
            targets.append(inner)
        open_chain = chain
        targets[-1].append(el)


def _clone_container(el: etree._Element, again: bool) -> tuple[etree._Element, etree._Element]:
    clone = _new(el.tag, dict(el.attrib))
    if el.tag != SDT:
        return clone, clone
    for child in el:
        if child.tag != SDTCONTENT:
            props = copy.deepcopy(child)
            if again:  # a second copy of one content control must not repeat its id
                for id_el in props.findall(_W("id")):
                    props.remove(id_el)
            clone.append(props)
    content = _new(SDTCONTENT)
    clone.append(content)
    return clone, content


def _order_ranges(p: etree._Element) -> None:
    """Move a bookmark or comment range end that now precedes its start to the paragraph end."""
    starts: dict[tuple[str, str], int] = {}
    order = list(p.iter())
    for idx, el in enumerate(order):
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el.tag).localname
        if local.endswith("Start"):
            starts[(local[:-5], el.get(_W("id")) or "")] = idx
    for idx, el in enumerate(order):
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el.tag).localname
        if local.endswith("End") and (local[:-3], el.get(_W("id")) or "") in starts:
            if starts[(local[:-3], el.get(_W("id")) or "")] > idx and el.getparent() is not None:
                el.getparent().remove(el)
                p.append(el)

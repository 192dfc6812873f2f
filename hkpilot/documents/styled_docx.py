"""Give a written draft the .docx styling its template asks for (``[style]`` in
``resources/templates/<type>.toml``): Latin and Chinese fonts, size, line spacing, margins."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import IO, Any

import docx
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from hkpilot.atomic import atomic_save


def template_style(doc_type: str, folder: Path | None = None) -> dict[str, Any]:
    """The ``[style]`` table of a drafting template ({} when it has none or cannot be read)."""
    from hkpilot.tasks.draft import templates_dir

    try:
        with ((folder or templates_dir()) / f"{doc_type}.toml").open("rb") as f:
            style = tomllib.load(f).get("style", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return style if isinstance(style, dict) else {}


def apply_style(path: Path, style: dict[str, Any]) -> None:
    """Restyle the .docx at ``path`` in place (written atomically); unknown keys are ignored."""
    if not style:
        return
    d = docx.Document(str(path))
    normal = d.styles["Normal"]
    if style.get("font"):
        normal.font.name = str(style["font"])
    if style.get("size_pt"):
        normal.font.size = Pt(float(style["size_pt"]))
    if style.get("font_zh"):
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), str(style["font_zh"]))
    if style.get("line_spacing"):
        normal.paragraph_format.line_spacing = float(style["line_spacing"])
    if style.get("margins_cm"):
        margin = Cm(float(style["margins_cm"]))
        for section in d.sections:
            section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin

    def save(f: IO[bytes]) -> None:
        d.save(f)

    atomic_save(path, save)

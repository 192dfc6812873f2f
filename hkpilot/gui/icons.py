"""SVG icons from ``resources/icons``, drawn at whatever size and pixel ratio the screen asks.

The icons are line drawings in ``currentColor``: each is painted in the palette's text
colour, so they follow a dark or high-contrast theme; the style greys disabled ones.
Rendered from the SVG for each screen's pixel ratio, they stay sharp at 200-300 % scaling
where a single small PNG would blur.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from hkpilot.resources import resources_dir

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _svg_text(name: str) -> str:
    path = resources_dir() / "icons" / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("icon %s missing", name)
        return ""


BASE_SIZES = (16, 20, 24, 32, 48)
"""Logical sizes the window uses; each is drawn for every screen's pixel ratio."""


def _sizes() -> tuple[int, ...]:
    """Device-pixel sizes for the screens present (Qt picks the nearest for each screen).

    Only what the screens need: drawing seven sizes up to 96 px for every icon cost the
    window's start 175 renders, most of them for pixel ratios no screen had."""
    ratios = {1.0} | {float(s.devicePixelRatio()) for s in QGuiApplication.screens()}
    return tuple(sorted({round(b * r) for b in BASE_SIZES for r in ratios}))


@lru_cache(maxsize=128)
def _render(name: str, colour: str, sizes: tuple[int, ...]) -> QIcon:
    svg = _svg_text(name).replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for size in sizes:
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pix)  # disabled and selected forms are derived by the style
    return result


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` in the palette's text colour (empty when missing).

    Drawn from the SVG at several sizes rather than through a Python ``QIconEngine``: Qt
    clones icon engines, and a clone made in Python is freed while Qt still uses it.
    """
    if not _svg_text(name):
        return QIcon()
    palette = QGuiApplication.palette()  # kept alive while its colour is read
    colour = QColor(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)).name()
    return _render(name, colour, _sizes())

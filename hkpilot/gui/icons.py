"""SVG icons from ``resources/icons``, drawn at whatever size and pixel ratio the screen asks.

The icons are line drawings in ``currentColor``: each is painted in the palette's text
colour, so they follow a dark or high-contrast theme; the style greys disabled ones.
Rendered from the SVG at sizes up to 96 px, they stay sharp at 200-300 % scaling where a
single small PNG would blur.
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


SIZES = (16, 20, 24, 32, 48, 64, 96)
"""Rendered sizes (device pixels); Qt picks the nearest for each screen's pixel ratio."""


@lru_cache(maxsize=128)
def _render(name: str, colour: str) -> QIcon:
    svg = _svg_text(name).replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for size in SIZES:
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
    return _render(name, colour)

"""Fonts, text size and contrast: Chinese that looks right on every system, and the
person's own size and contrast choices respected.

CJK fallback: Qt picks a fallback font for Han characters on its own, and on a machine
with Simplified and Traditional fonts it may pick a Simplified (Mainland) design, whose
glyph shapes differ from Hong Kong's. The application font therefore lists, after the
system's UI font, the Traditional Chinese fonts each system ships (Microsoft JhengHei
and PMingLiU on Windows, PingFang HK/TC on macOS, Noto Sans CJK HK/TC and WenQuanYi on
Linux), keeping only those installed. The system's font size is kept unless the person
sets ``ui.text_size``; colours come from the palette, so a high-contrast theme applies.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

CJK_FAMILIES = {
    "win32": ("Microsoft JhengHei UI", "Microsoft JhengHei", "PMingLiU", "MingLiU", "Microsoft YaHei UI"),
    "darwin": ("PingFang HK", "PingFang TC", "Heiti TC", "Apple LiGothic", "PingFang SC"),
    "linux": ("Noto Sans CJK HK", "Noto Sans CJK TC", "Source Han Sans HK", "Source Han Sans TC",
              "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "AR PL UMing HK", "AR PL UMing TW", "Droid Sans Fallback",
              "Noto Sans CJK SC"),
}
MIN_TEXT_SIZE, MAX_TEXT_SIZE = 7, 40
_system_point_size: float | None = None


def platform_key() -> str:
    if sys.platform == "win32":
        return "win32"
    return "darwin" if sys.platform == "darwin" else "linux"


def cjk_fallbacks(installed: set[str] | None = None) -> list[str]:
    """The Traditional Chinese families for this platform that are installed, best first."""
    families = set(QFontDatabase.families()) if installed is None else installed
    return [f for f in CJK_FAMILIES[platform_key()] if f in families]


def apply_fonts(app: QApplication, text_size: int = 0) -> QFont:
    """Give the application font CJK fallbacks and ``text_size`` points (0: the system's)."""
    global _system_point_size
    font = QFont(app.font())
    if _system_point_size is None:
        _system_point_size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    # The system font may be a generic alias ("Sans Serif" under the offscreen and some Linux
    # platforms) that a family list cannot match: Qt then skips it and draws Latin text, and
    # "…", in the first CJK font. The family the alias resolves to is listed instead.
    ui_family = QFontInfo(font).family() or font.family()
    families = [ui_family, *(f for f in cjk_fallbacks() if f != ui_family)]
    font.setFamilies(families)
    size = float(text_size) if text_size > 0 else _system_point_size
    font.setPointSizeF(min(max(size, MIN_TEXT_SIZE), MAX_TEXT_SIZE))
    app.setFont(font)
    log.info("UI font %s, %.1f pt, fallbacks %s", font.family(), font.pointSizeF(), families[1:])
    return font


def system_text_size() -> float:
    return _system_point_size or 10.0


def high_contrast() -> bool:
    """True when the system asks for more contrast (or the palette is already very stark)."""
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is not None:
        try:
            from PySide6.QtCore import Qt

            if accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast:
                return True
        except AttributeError:  # Qt before 6.10
            pass
    palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window).lightnessF()
    text = palette.color(QPalette.ColorRole.WindowText).lightnessF()
    return abs(window - text) > 0.97  # pure black on white or white on black, as contrast themes use


def dark_palette() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.4

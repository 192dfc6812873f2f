#!/usr/bin/env python3
"""Render the SVG app icon to the PNGs and the .ico the installers need.

    python tools/render_icons.py OUT_DIR

Writes ``hicolor/<n>x<n>/apps/hkpilot.png`` (16...256, for the .deb), ``hicolor/scalable/
apps/hkpilot.svg`` and ``hkpilot.ico`` (PNG-compressed entries, which Windows Vista and
later read) for the MSI's Add/Remove Programs entry and the Windows executables. Uses
Qt's SVG renderer offscreen, so no display is needed.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "hkpilot.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["render_icons"])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        sys.exit(f"cannot read {SVG}")
    written: list[Path] = []
    pngs: dict[int, bytes] = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        buf.close()
        pngs[size] = bytes(data.data())
        path = out / "hicolor" / f"{size}x{size}" / "apps" / "hkpilot.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / "hkpilot.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    ico = out / "hkpilot.ico"
    ico.write_bytes(ico_bytes(pngs))
    return [*written, scalable, ico]


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .ico holding each PNG as one entry (ICONDIR, ICONDIRENTRY..., data)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return header + entries + blobs


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: render_icons.py OUT_DIR")
    for p in render(Path(sys.argv[1])):
        print(p)

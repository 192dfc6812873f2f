"""Qt Linguist catalogue of the GUI: refresh the .ts from the sources, or build the .qm.

    python tools/qt_translations.py update    # pyside6-lupdate hkpilot/gui/*.py -> translations/hkpilot_zh_HK.ts
    python tools/qt_translations.py release   # pyside6-lrelease -> translations/hkpilot_zh_HK.qm (build output)

The .ts is the source of truth (in git); ``update`` keeps existing translations and
drops messages no longer in the code (``-no-obsolete``). The tools are looked up next
to the running Python (the venv's bin folder), then on PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUI_DIR = ROOT / "hkpilot" / "gui"
TS_FILES = [ROOT / "translations" / "hkpilot_zh_HK.ts"]


def find_tool(name: str) -> str:
    """The path of a PySide6 tool (``pyside6-lupdate``...), or exit with a clear message."""
    bin_dir = Path(sys.executable).parent
    for candidate in (bin_dir / name, bin_dir / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    sys.exit(f"{name} not found next to {sys.executable} or on PATH; install PySide6 in this environment")


def update() -> int:
    """Refresh the .ts files from ``self.tr()`` and ``translate()`` calls in hkpilot/gui."""
    sources = sorted(str(p.relative_to(ROOT)) for p in GUI_DIR.glob("*.py"))
    for ts in TS_FILES:
        cmd = [find_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "relative",
               *sources, "-ts", str(ts.relative_to(ROOT))]
        code = subprocess.call(cmd, cwd=ROOT)
        if code:
            return code
    return 0


def release() -> int:
    """Compile each .ts into a .qm beside it; unfinished messages are left out."""
    for ts in TS_FILES:
        code = subprocess.call([find_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT)
        if code:
            return code
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("update", "release"))
    args = parser.parse_args(argv)
    return update() if args.command == "update" else release()


if __name__ == "__main__":
    sys.exit(main())

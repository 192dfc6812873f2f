#!/usr/bin/env python3
"""Refresh translations/hkpilot_zh_HK.po from the core and CLI sources.

Collects the string literals passed to ``N_()``, ``_()`` and ``gettext()`` outside
``hkpilot/gui/`` (the GUI uses Qt Linguist), keeps existing translations, marks new
entries empty, and drops entries no longer in the code. ``--check`` exits 1 when an
entry is missing or untranslated (the tests call it).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "hkpilot_zh_HK.po"
sys.path.insert(0, str(ROOT))

from hkpilot.i18n import parse_po  # noqa: E402

MARKERS = {"N_", "_", "gettext"}
HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: zh_HK\\n"\n"Project-Id-Version: HKPilot\\n"\n'
)


def extract() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "hkpilot").rglob("*.py")):
        if "gui" in path.relative_to(ROOT / "hkpilot").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write(found: dict[str, list[str]], existing: dict[str, str]) -> None:
    parts = [HEADER]
    for msgid in sorted(found):
        refs = " ".join(found[msgid][:3])
        parts.append(f"#: {refs}\nmsgid {_quote(msgid)}\nmsgstr {_quote(existing.get(msgid, ''))}\n")
    PO.write_text("\n".join(parts), encoding="utf-8")


def main() -> int:
    found = extract()
    existing = parse_po(PO) if PO.exists() else {}
    if "--check" in sys.argv:
        missing = [m for m in found if not existing.get(m)]
        for m in missing:
            print(f"untranslated: {m!r} ({found[m][0]})")
        return 1 if missing else 0
    write(found, existing)
    print(f"{len(found)} messages, {sum(1 for m in found if existing.get(m))} translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

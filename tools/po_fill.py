#!/usr/bin/env python3
"""Merge reviewed translations from a Python file holding a dict ``T`` into the .po.

python tools/po_fill.py translations.py    (entries already translated are kept
unless the file gives a new text)
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import po_extract  # noqa: E402

from hkpilot.i18n import parse_po  # noqa: E402


def main() -> int:
    new: dict[str, str] = runpy.run_path(sys.argv[1])["T"]
    found = po_extract.extract()
    existing = parse_po(po_extract.PO) if po_extract.PO.exists() else {}
    existing.update({k: v for k, v in new.items() if k in found})
    po_extract.write(found, existing)
    missing = [m for m in found if not existing.get(m)]
    print(f"{len(found) - len(missing)}/{len(found)} translated")
    for m in missing:
        print("missing:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main())

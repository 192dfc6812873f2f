"""What HKPilot keeps on disk so that a crash loses no work — and the rules that keep it at that.

Three things, all in the person's own folders, none ever sent anywhere:

- **Autosaved drafts** (``app/autosave.py``, ``data/autosave/``): the key points and
  draft the person is writing in the Draft pane — their own work — kept until cleared.
- **Crash copies** (``data/recovery/``): after an unexpected error in the window, the
  unsaved text of each pane is written here (``gui/crash.py``); the next start says so,
  and the person opens or discards them.
- **Working files** (``cache/outputs/``): a translated file waits there until the person
  chooses where to save it; the folder is emptied at every start and clean exit.

Policy ``recovery = false`` switches the first two off for sites where no document-derived
text may rest on disk: then nothing is autosaved and a crash keeps nothing.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Any

from hkpilot import paths
from hkpilot.atomic import atomic_write_text
from hkpilot.config.security import SecurityPolicy

log = logging.getLogger(__name__)

_enabled = True


def configure(settings: Any) -> bool:
    """Follow the policy's ``recovery`` key (called once by the window at start)."""
    global _enabled
    _enabled = SecurityPolicy.of(settings).recovery
    if not _enabled:
        log.info("recovery copies and autosave are off by policy")
    return _enabled


def enabled() -> bool:
    """Whether work may be autosaved or kept after a crash."""
    return _enabled


def recovery_dir() -> Path:
    return paths.data_dir() / "recovery"


def working_dir() -> Path:
    """Where the window's jobs write outputs before the person saves them."""
    return paths.cache_dir() / "outputs"


def save_outputs(outputs: dict[str, str]) -> str:
    """Keep each non-empty ``name: text`` as a crash copy; return the folder ("" when nothing kept)."""
    if not _enabled:
        return ""
    folder = recovery_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    saved = False
    for name, text in outputs.items():
        if text.strip():
            atomic_write_text(folder / f"{stamp}-{name}.txt", text)
            saved = True
    return str(folder) if saved else ""


def pending() -> list[Path]:
    """Crash copies waiting for the person, oldest first."""
    folder = recovery_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.txt") if p.is_file())


def discard(files: list[Path] | None = None) -> None:
    """Delete the given crash copies (all of them by default)."""
    for path in pending() if files is None else files:
        path.unlink(missing_ok=True)


def clean_working_files() -> int:
    """Empty the working folder (at start and at a clean exit); return how many files went."""
    folder = working_dir()
    if not folder.is_dir():
        return 0
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    if count:
        log.info("removed %d working files", count)
    return count

"""Autosave of work in progress (the draft and its key points) so a crash loses nothing.

The text goes to the user data folder (``autosave/<name>.txt``), written atomically a
moment after each change; it is the person's own work on their own computer, kept only
until they clear it. At the next start the face offers it back. Core only: the GUI
decides when to call ``save``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from hkpilot import paths
from hkpilot.atomic import atomic_write_text

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[a-z0-9_-]{1,40}$")


def autosave_dir() -> Path:
    return paths.data_dir() / "autosave"


@dataclass
class Saved:
    """What was autosaved under one name: named text fields and when."""

    fields: dict[str, str]
    saved_at: float


class Autosave:
    """Named slots of autosaved text (``draft`` holds the draft and its key points)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or autosave_dir()

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(f"bad autosave name {name!r}")
        return self.folder / f"{name}.json"

    def save(self, name: str, fields: dict[str, str]) -> None:
        """Keep ``fields`` (drop the slot when every field is empty; nothing at all when policy
        says ``recovery = false``, see app/recovery.py)."""
        from hkpilot.app import recovery

        if not recovery.enabled():
            return
        if not any(v.strip() for v in fields.values()):
            self.clear(name)
            return
        atomic_write_text(self._path(name), json.dumps({"fields": fields, "saved_at": time.time()},
                                                       ensure_ascii=False))

    def load(self, name: str) -> Saved | None:
        try:
            data = json.loads(self._path(name).read_text(encoding="utf-8"))
            fields = {str(k): str(v) for k, v in dict(data["fields"]).items()}
            return Saved(fields, float(data.get("saved_at", 0)))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("autosave %s unreadable; ignored", name)
            return None

    def clear(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

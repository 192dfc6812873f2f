"""The audit trail: an append-only, hash-chained JSON-lines log of jobs (off unless policy asks).

Each line is one finished job: when, which OS user, the task, the engine, the SHA-256 of
each document, its classification and how the job ended — never document text, prompts,
outputs or keys. Every entry carries the hash of the one before (``prev``) and its own
(``hash``, SHA-256 of the entry's canonical JSON without ``hash``), so an edited, inserted
or removed line breaks the chain, and ``hkpilot audit verify`` names the first broken link.

The chain shows tampering inside the file; it cannot show that the whole file was
rewritten or its end cut off. Sites that need that put the log where users may only
append (docs/SECURITY.md) or collect it centrally.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import logging
import os
import platform
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hkpilot import __version__
from hkpilot.errors import PolicyRefused
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

GENESIS = "0" * 64
FORMAT = 1
_TAIL = 65536  # bytes read back from the end of the log to find the last entry


def _canonical(entry: dict[str, Any]) -> bytes:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "?"


@contextlib.contextmanager
def _locked(f: IO[bytes]) -> Iterator[None]:
    """An exclusive lock on the open log, so two HKPilot processes never interleave entries."""
    if sys.platform == "win32":
        import msvcrt

        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _last_entry(f: IO[bytes]) -> dict[str, Any] | None:
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - _TAIL))
    lines = [line for line in f.read().splitlines() if line.strip()]
    if not lines:
        return None
    try:
        last = json.loads(lines[-1])
        return last if isinstance(last, dict) else None
    except ValueError:
        return None


def _refused(path: Path, exc: OSError) -> PolicyRefused:
    return PolicyRefused(
        N_("the audit log {path} required by your administrator cannot be written ({detail})"),
        path=str(path), detail=exc.strerror or type(exc).__name__,
    )


def check_writable(path: Path) -> None:
    """Refuse the job (exit 5) before any work when the required audit log cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise _refused(path, exc) from exc


def append(path: Path, record: dict[str, Any]) -> dict[str, Any]:
    """Add ``record`` (no content!) to the chain at ``path``; return the entry written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "r+b") as f, _locked(f):
        last = _last_entry(f)
        entry = {
            "v": FORMAT,
            "seq": int(last.get("seq", 0)) + 1 if last else 1,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "user": os_user(),
            "host": platform.node(),
            "app": f"HKPilot {__version__}",
            **record,
            "prev": str(last.get("hash", GENESIS)) if last else GENESIS,
        }
        entry["hash"] = entry_hash(entry)
        f.seek(0, os.SEEK_END)
        f.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        f.flush()
        os.fsync(f.fileno())
    return entry


@dataclass
class Verification:
    """The result of checking a chain: entries read, and the first broken link if any."""

    entries: int
    broken_line: int = 0  # 1-based; 0: intact
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_line == 0


def verify(path: Path) -> Verification:
    """Walk the chain from the first line; stop at the first line that does not fit."""
    prev, seq, count = GENESIS, 0, 0
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
                if not isinstance(entry, dict):
                    raise ValueError
            except ValueError:
                return Verification(count, number, N_("not a JSON entry"))
            if entry.get("prev") != prev:
                return Verification(count, number, N_("does not follow the entry before it (lines missing, added or moved)"))
            if entry.get("hash") != entry_hash(entry):
                return Verification(count, number, N_("its content was changed after it was written"))
            if entry.get("seq") != seq + 1:
                return Verification(count, number, N_("its sequence number is out of order"))
            prev, seq, count = str(entry["hash"]), seq + 1, count + 1
    return Verification(count)

"""Atomic, checked writes: temp file in the same folder, fsync, then os.replace.

A killed process or a full disk leaves either the old file or the new one, never a
truncated mix (``QSaveFile`` was seen to report success on a short write).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[IO[bytes]]:
    """Yield a binary file; on success it replaces ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path) as f:
        written = f.write(data)
        if written != len(data):
            raise OSError(f"short write: {written} of {len(data)} bytes")


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_save(path: Path, save: Callable[[IO[bytes]], None]) -> None:
    """Let ``save`` write into a temp file that then replaces ``path``."""
    with atomic_open(path) as f:
        save(f)

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
    _sweep_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
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


def _sweep_stale(path: Path) -> None:
    """Remove temp files of ``path`` left by a writer that was killed (its process is gone).

    Only on POSIX, where signal 0 tests a process without touching it; the temp name carries
    the writer's process id. A live writer's temp file is never removed.
    """
    if os.name != "posix":
        return
    prefix = f".{path.name}."
    try:
        candidates = [p for p in path.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return
    for stale in candidates:
        pid = stale.name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                stale.unlink()
        except OSError:
            pass  # alive under another user: not ours to touch


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

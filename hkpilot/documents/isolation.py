"""Parse a document in a child process with a time limit and a memory cap.

Trusted tools parse untrusted files this way (Apache Tika's forked parser, LibreOffice's
crash-test harness): a parser that loops, recurses or allocates without end is killed,
and the caller gets a typed error instead of a hung or dead window. The price is the
child's start (a fresh interpreter importing the readers: about a second), so this is
an option for files from outside rather than the default path.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import sys
from pathlib import Path
from typing import Any

from hkpilot import errors
from hkpilot.documents.model import Document
from hkpilot.errors import DocumentCorrupt, DocumentTooLarge, HKPilotError

TIMEOUT_S = 60.0
MEMORY_MB = 2048


def _child(conn: Any, path: str, password: str | None, memory_mb: int) -> None:
    try:
        if sys.platform != "win32" and memory_mb > 0:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from hkpilot.documents.loader import load_document

        doc = load_document(Path(path), password=password)
        blocks = [dataclasses.replace(b, handle=None) for b in doc.blocks]
        conn.send(("ok", dataclasses.replace(doc, blocks=blocks, source=None)))
    except HKPilotError as exc:
        conn.send(("error", type(exc).__name__, exc.params))
    except MemoryError:
        conn.send(("error", "DocumentTooLarge", {"name": Path(path).name}))
    except BaseException:  # noqa: BLE001 - anything else is a damaged file, said as such
        conn.send(("error", "DocumentCorrupt", {"name": Path(path).name, "kind": "supported"}))
    finally:
        conn.close()


def load_document_isolated(
    path: Path, password: str | None = None, timeout_s: float = TIMEOUT_S, memory_mb: int = MEMORY_MB
) -> Document:
    """``load_document`` in a child process; a child past ``timeout_s`` or its memory is killed.

    The Document comes back without parser objects (``source`` and block handles are
    None): writers re-open the source from disk anyway.
    """
    path = Path(path)
    ctx = multiprocessing.get_context("spawn")  # never fork a process that may hold Qt threads
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, str(path), password, memory_mb), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise DocumentTooLarge(name=path.name)  # took too long: treated as too costly to read
        try:
            message = receiver.recv()
        except EOFError:  # the child died (memory cap, a crash in a native library)
            raise DocumentTooLarge(name=path.name) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        receiver.close()
    if message[0] == "ok":
        doc: Document = message[1]
        return doc
    cls = getattr(errors, message[1], DocumentCorrupt)
    if not (isinstance(cls, type) and issubclass(cls, HKPilotError)):
        cls = DocumentCorrupt
    raise cls(**message[2])

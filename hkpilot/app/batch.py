"""Batch work: the same task over several files, one output per file, resumable.

The queue is a small JSON file in the user data folder, saved before and after every
file, so a batch that was stopped, or cut short by a crash or a restart, goes on where
it was: a file that was running starts again from its beginning (its output is written
atomically, so nothing half-written is left), finished files are not redone.

``run_batch`` is a job like the others (a generator of events, cancel between steps):
it yields ``FileStarted``/``FileEnded`` around each file and passes the file job's
Progress, Token and Notice events through. "Stop after this file" is a second
CancelToken, checked between files.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from hkpilot import paths
from hkpilot.atomic import atomic_write_text
from hkpilot.documents.model import Document
from hkpilot.engines.base import CancelToken
from hkpilot.errors import Cancelled, HKPilotError, UsageError
from hkpilot.tasks.events import Event, Progress, Result

log = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".docx", ".pdf", ".xlsx", ".txt")
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
TASKS = ("translate", "summarise")


class BatchSession(Protocol):
    """What a batch needs from the session (``app.session.Session`` fits)."""

    settings: Any

    def engine_label(self) -> str: ...

    def open_document(self, path: Path) -> Document: ...

    def translate_job(self, doc: Document, target: str, output: Path, cancel: CancelToken,
                      layout: str = "replace") -> Iterator[Event]: ...

    def summarise_job(self, doc: Document, length: str, lang: str, cancel: CancelToken) -> Iterator[Event]: ...


@dataclass
class BatchItem:
    """One file of the batch and how far it got."""

    path: str
    status: str = PENDING
    output: str = ""
    blocks_done: int = 0
    blocks_total: int = 0
    coverage: float | None = None
    seconds: float = 0.0
    error: str = ""

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass
class BatchQueue:
    """The task, its options and the files; ``save`` after every change."""

    task: str
    options: dict[str, str] = field(default_factory=dict)
    output_dir: str = ""  # empty: next to each source
    items: list[BatchItem] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    path: Path | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise UsageError(detail=f"batch task {self.task!r}")

    # --- persistence -----------------------------------------------------------------------
    def save(self) -> None:
        data = {k: v for k, v in asdict(self).items() if k != "path"}
        atomic_write_text(self.path or queue_file(), json.dumps(data, ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, path: Path | None = None) -> BatchQueue | None:
        """The saved queue, or None; a file that was running is pending again."""
        path = path or queue_file()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            items = [BatchItem(**item) for item in data.pop("items", [])]
            queue = cls(items=items, path=path, **data)
        except (OSError, ValueError, TypeError, UsageError):
            return None
        for item in queue.items:
            if item.status == RUNNING:
                item.status, item.blocks_done = PENDING, 0
        return queue

    def discard(self) -> None:
        (self.path or queue_file()).unlink(missing_ok=True)

    # --- contents ---------------------------------------------------------------------------
    def add(self, files: Iterable[Path]) -> int:
        """Add files not already queued; return how many were added."""
        known = {Path(i.path).resolve() for i in self.items}
        added = 0
        for path in files:
            if path.resolve() not in known:
                known.add(path.resolve())
                self.items.append(BatchItem(str(path)))
                added += 1
        return added

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def unfinished(self) -> bool:
        return any(i.status in (PENDING, RUNNING) for i in self.items)


def queue_file() -> Path:
    return paths.data_dir() / "batch" / "queue.json"


def collect_files(paths_in: Iterable[Path]) -> list[Path]:
    """Documents among ``paths_in``; a folder gives the documents directly inside it, sorted."""
    found: list[Path] = []
    for path in paths_in:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                                and not p.name.startswith((".", "~$"))))
        elif path.suffix.lower() in DOCUMENT_SUFFIXES:
            found.append(path)
    return found


def planned_output(item: BatchItem, queue: BatchQueue, doc_format: str) -> Path:
    """Where a file's output goes: a new, unused name next to it (or in the chosen folder)."""
    source = Path(item.path)
    folder = Path(queue.output_dir) if queue.output_dir else source.parent
    if queue.task == "translate":
        suffix = ".xlsx" if doc_format == "xlsx" else ".docx"
        stem = f"{source.stem}.{queue.options.get('target', 'zh-HK')}"
    else:
        suffix, stem = ".docx", f"{source.stem}-summary"
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() or candidate.resolve() == source.resolve():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


@dataclass
class FileStarted:
    index: int
    name: str


@dataclass
class FileEnded:
    index: int
    status: str


def run_batch(
    session: BatchSession,
    queue: BatchQueue,
    cancel: CancelToken,
    stop_after: CancelToken | None = None,
    history: Any = None,
) -> Iterator[Event | FileStarted | FileEnded]:
    """Work through the pending files of ``queue`` (a job: run it on the model worker)."""
    stop_after = stop_after or CancelToken()
    queue.save()
    for index, item in enumerate(queue.items):
        if item.status != PENDING:
            continue
        if stop_after.cancelled:
            break
        cancel.check()
        item.status, item.error, item.blocks_done = RUNNING, "", 0
        queue.save()
        yield FileStarted(index, item.name)
        started = time.monotonic()
        try:
            yield from _run_file(session, queue, item, cancel, history)
            item.status = DONE
        except (Cancelled, GeneratorExit):  # Stop: raised here, or the runner closes this generator
            item.status, item.blocks_done = PENDING, 0  # started again from its beginning next time
            raise
        except HKPilotError as exc:
            item.status, item.error = FAILED, exc.render()
        except Exception as exc:  # noqa: BLE001 - one bad file must not end the batch
            # The stack, not the message: a library's message may quote document text.
            log.error("batch file failed: %s\n%s", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
            item.status, item.error = FAILED, type(exc).__name__
        finally:
            item.seconds = round(time.monotonic() - started, 1)
            queue.save()
        yield FileEnded(index, item.status)
    yield Result(stats={"done": queue.count(DONE), "failed": queue.count(FAILED), "left": queue.count(PENDING)})


def _run_file(session: BatchSession, queue: BatchQueue, item: BatchItem, cancel: CancelToken,
              history: Any) -> Iterator[Event]:
    from hkpilot.app.history import tracked

    doc = session.open_document(Path(item.path))
    output = planned_output(item, queue, doc.format)
    opts = queue.options
    if queue.task == "translate":
        events = session.translate_job(doc, opts.get("target", "zh-HK"), output, cancel,
                                       layout=opts.get("layout", "replace"))
    else:
        events = session.summarise_job(doc, opts.get("length", "medium"), opts.get("lang", "en"), cancel)
    level = {"classification": doc.meta.classification} if doc.meta.classification else {}  # shown in the History tab
    job_id = history.start_job(queue.task, item.path, {**opts, "batch": "1", **level}, session.engine_label()) if history else 0
    result: Result | None = None
    for event in tracked(history, job_id, events):
        if isinstance(event, Progress):
            item.blocks_done, item.blocks_total = event.done, event.total
        if isinstance(event, Result):
            result = event
            continue
        yield event
    if result is None:
        raise UsageError(detail="no result")
    if queue.task == "summarise":
        from hkpilot.documents.text_export import export_text

        export_text(result.text, output, title=doc.meta.title or Path(item.path).stem)
        if history is not None:
            history.set_output(job_id, output)
    item.output = str(result.output_path or output)
    item.coverage = result.coverage

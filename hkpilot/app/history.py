"""Recent files and past jobs in a local SQLite database in the user data folder.

What is kept by default: the task, the file's path, the options (target language,
length...), the engine, when, how it ended, the output path. Never document text or
model output, unless the person turns on ``history.store_content``; then the output
text (and a draft's key points) are kept too, so a job can be re-read and re-run.

Each call opens its own short connection, so the GUI thread, the job workers and the
CLI can all use the one file (SQLite serialises the writers).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hkpilot import paths
from hkpilot.errors import Cancelled

log = logging.getLogger(__name__)

RECENT_LIMIT = 15
CONTENT_KEY = "history.store_content"
SUCCEEDED, CANCELLED, FAILED, RUNNING = "succeeded", "cancelled", "failed", "running"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '{}',
    engine TEXT NOT NULL DEFAULT '',
    started REAL NOT NULL,
    finished REAL,
    status TEXT NOT NULL DEFAULT 'running',
    output TEXT NOT NULL DEFAULT '',
    content TEXT
);
CREATE TABLE IF NOT EXISTS recent_files (
    path TEXT PRIMARY KEY,
    opened REAL NOT NULL
);
PRAGMA user_version = 1;
"""
_SCHEMA_VERSION = 1


def history_file() -> Path:
    return paths.data_dir() / "history.sqlite3"


@dataclass
class JobRecord:
    """One past job as the history lists it."""

    id: int
    task: str
    source: str
    options: dict[str, Any]
    engine: str
    started: float
    finished: float | None
    status: str
    output: str
    content: str | None = field(default=None, repr=False)


class History:
    """The history database; ``store_content`` says whether text may be kept."""

    def __init__(self, path: Path | None = None, store_content: bool = False) -> None:
        self.path = Path(path) if path is not None else history_file()
        self.store_content = store_content
        with self._connect() as db:
            # Setting user_version writes (and fsyncs) the file: only a new or older database needs it.
            if int(db.execute("PRAGMA user_version").fetchone()[0]) < _SCHEMA_VERSION:
                db.executescript(_SCHEMA)

    @classmethod
    def for_settings(cls, settings: Any) -> History:
        """The user's history with the opt-in the settings say."""
        try:
            store = bool(settings.get(CONTENT_KEY))
        except KeyError:  # a settings table without the key (older schema)
            store = False
        return cls(store_content=store)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(str(self.path), timeout=10)) as db, db:
            yield db

    # --- jobs ------------------------------------------------------------------------------
    def start_job(self, task: str, source: str | Path = "", options: dict[str, Any] | None = None,
                  engine: str = "", content: str | None = None) -> int:
        """Record a job that starts now; return its id. ``content`` is dropped unless opted in."""
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO jobs (task, source, options, engine, started, content) VALUES (?, ?, ?, ?, ?, ?)",
                (task, str(source), json.dumps(options or {}), engine, time.time(),
                 content if self.store_content else None),
            )
            return int(cur.lastrowid or 0)

    def finish_job(self, job_id: int, status: str, output: str | Path = "", content: str | None = None) -> None:
        """Record how a job ended (and its output path; its text only when opted in)."""
        with self._connect() as db:
            db.execute("UPDATE jobs SET finished = ?, status = ?, output = CASE WHEN ? = '' THEN output ELSE ? END "
                       "WHERE id = ?", (time.time(), status, str(output), str(output), job_id))
            if content is not None and self.store_content:
                db.execute("UPDATE jobs SET content = ? WHERE id = ?", (content, job_id))

    def set_output(self, job_id: int, output: str | Path) -> None:
        """The person saved the job's output to ``output``."""
        with self._connect() as db:
            db.execute("UPDATE jobs SET output = ? WHERE id = ?", (str(output), job_id))

    def jobs(self, limit: int = 200) -> list[JobRecord]:
        """The latest jobs first."""
        with self._connect() as db:
            rows = db.execute("SELECT id, task, source, options, engine, started, finished, status, output, content "
                              "FROM jobs ORDER BY started DESC, id DESC LIMIT ?", (limit,)).fetchall()
        records = []
        for row in rows:
            try:
                options = json.loads(row[3]) if row[3] else {}
            except ValueError:
                options = {}
            records.append(JobRecord(int(row[0]), row[1], row[2], options, row[4], float(row[5]),
                                     None if row[6] is None else float(row[6]), row[7], row[8], row[9]))
        return records

    def job(self, job_id: int) -> JobRecord | None:
        return next((j for j in self.jobs(limit=100_000) if j.id == job_id), None)

    def delete_job(self, job_id: int) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))

    def clear(self) -> None:
        """Forget every job and recent file."""
        with self._connect() as db:
            db.execute("DELETE FROM jobs")
            db.execute("DELETE FROM recent_files")

    def forget_content(self) -> None:
        """Drop every stored text (when the person turns the opt-in off)."""
        with self._connect() as db:
            db.execute("UPDATE jobs SET content = NULL")

    # --- recent files ----------------------------------------------------------------------
    def add_recent(self, path: str | Path) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO recent_files (path, opened) VALUES (?, ?)", (str(path), time.time()))
            db.execute("DELETE FROM recent_files WHERE path NOT IN "
                       "(SELECT path FROM recent_files ORDER BY opened DESC LIMIT ?)", (RECENT_LIMIT,))

    def recent_files(self) -> list[Path]:
        with self._connect() as db:
            rows = db.execute("SELECT path FROM recent_files ORDER BY opened DESC").fetchall()
        return [Path(r[0]) for r in rows]

    def remove_recent(self, path: str | Path) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM recent_files WHERE path = ?", (str(path),))


def tracked(history: History | None, job_id: int, events: Iterator[Any]) -> Iterator[Any]:
    """Pass ``events`` through and record how the job ended (worker thread).

    The output path and, when opted in, the output text come from the job's Result.
    """
    if history is None:
        yield from events
        return
    from hkpilot.tasks.events import Result

    status, output, text = FAILED, "", None
    try:
        for event in events:
            if isinstance(event, Result):
                output = str(event.output_path or "")
                text = event.text or None
            yield event
        status = SUCCEEDED
    except (Cancelled, GeneratorExit):
        status = CANCELLED
        raise
    finally:
        try:
            history.finish_job(job_id, status, output, text)
        except sqlite3.Error as exc:  # the history must never break the work
            log.warning("history not updated: %s", type(exc).__name__)

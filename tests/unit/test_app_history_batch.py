"""History (SQLite), the batch queue, autosave and the work meter — core only, no Qt, no model."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hkpilot.app import batch
from hkpilot.app.autosave import Autosave
from hkpilot.app.batch import BatchItem, BatchQueue, collect_files, planned_output
from hkpilot.app.history import CANCELLED, FAILED, SUCCEEDED, History, history_file, tracked
from hkpilot.app.work_meter import context_fit, format_duration, input_budget, remaining_seconds
from hkpilot.config.settings import Settings
from hkpilot.errors import Cancelled, UsageError
from hkpilot.tasks.events import Progress, Result, Token

SECRET = "The Director's confidential remarks on staffing"


def _events(text: str, fail: BaseException | None = None) -> Iterator[object]:
    yield Progress(0, 1)
    yield Token(text)
    if fail is not None:
        raise fail
    yield Result(text=text, output_path=Path("/out/x.docx"))


def test_history_keeps_jobs_but_no_content_by_default() -> None:
    history = History.for_settings(Settings())
    assert history.path == history_file() and not history.store_content
    job = history.start_job("draft", "", {"doc_type": "memo"}, "Local · m.gguf", content=SECRET)
    assert list(tracked(history, job, _events(SECRET)))[-1].text == SECRET
    (record,) = history.jobs()
    assert (record.task, record.status, record.output, record.engine) == ("draft", SUCCEEDED, "/out/x.docx",
                                                                          "Local · m.gguf")
    assert record.options == {"doc_type": "memo"} and record.content is None
    raw = history.path.read_bytes()
    assert SECRET.encode() not in raw and b"confidential" not in raw
    with sqlite3.connect(history.path) as db:  # no column anywhere holds the text
        assert all(SECRET not in str(row) for row in db.execute("SELECT * FROM jobs"))


def test_content_is_kept_only_with_the_opt_in() -> None:
    settings = Settings()
    settings.set("history.store_content", True)
    history = History.for_settings(settings)
    job = history.start_job("summarise", "/docs/a.docx", {}, "x", content="points")
    list(tracked(history, job, _events(SECRET)))
    assert history.job(job).content == SECRET  # type: ignore[union-attr]
    history.forget_content()
    assert history.job(job).content is None  # type: ignore[union-attr]


def test_cancelled_and_failed_jobs_are_recorded() -> None:
    history = History()
    stopped = history.start_job("translate", "/a.docx")
    with pytest.raises(Cancelled):
        list(tracked(history, stopped, _events("x", Cancelled())))
    failed = history.start_job("translate", "/b.docx")
    with pytest.raises(UsageError):
        list(tracked(history, failed, _events("x", UsageError(detail="bad"))))
    closed = history.start_job("translate", "/c.docx")
    gen = tracked(history, closed, _events("x"))
    next(gen)
    gen.close()  # the worker closes a job the person stopped
    status = {j.id: j.status for j in history.jobs()}
    assert status == {stopped: CANCELLED, failed: FAILED, closed: CANCELLED}
    history.delete_job(failed)
    assert {j.id for j in history.jobs()} == {stopped, closed}


def test_recent_files_newest_first_and_bounded(tmp_path: Path) -> None:
    history = History()
    for i in range(20):
        history.add_recent(tmp_path / f"f{i}.docx")
    history.add_recent(tmp_path / "f3.docx")
    recent = history.recent_files()
    assert recent[0] == tmp_path / "f3.docx" and len(recent) == 15
    history.clear()
    assert history.recent_files() == [] and history.jobs() == []


def test_collect_files_and_planned_outputs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("b.docx", "a.txt", "c.png", "~$lock.docx", "d.xlsx"):
        (folder / name).write_bytes(b"x")
    (folder / "sub").mkdir()
    files = collect_files([folder, tmp_path / "loose.pdf", tmp_path / "x.exe"])
    assert [p.name for p in files] == ["a.txt", "b.docx", "d.xlsx", "loose.pdf"]
    queue = BatchQueue("translate", {"target": "zh-HK"}, path=tmp_path / "q.json")
    item = BatchItem(str(folder / "b.docx"))
    assert planned_output(item, queue, "docx") == folder / "b.zh-HK.docx"
    (folder / "b.zh-HK.docx").write_bytes(b"earlier")
    assert planned_output(item, queue, "docx") == folder / "b.zh-HK (2).docx"  # never replaces a file
    assert planned_output(BatchItem(str(folder / "d.xlsx")), queue, "xlsx").suffix == ".xlsx"
    summary = BatchQueue("summarise", {}, output_dir=str(tmp_path / "out"), path=tmp_path / "q.json")
    assert planned_output(item, summary, "docx") == tmp_path / "out" / "b-summary.docx"


def test_queue_survives_a_restart_and_running_becomes_pending(tmp_path: Path) -> None:
    queue = BatchQueue("summarise", {"length": "short", "lang": "en"})
    assert queue.add([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "a.txt"]) == 2
    queue.items[0].status = batch.DONE
    queue.items[1].status, queue.items[1].blocks_done = batch.RUNNING, 3
    queue.save()
    again = BatchQueue.load()
    assert again is not None and again.task == "summarise" and again.options["length"] == "short"
    assert [i.status for i in again.items] == [batch.DONE, batch.PENDING] and again.items[1].blocks_done == 0
    assert again.unfinished
    again.discard()
    assert BatchQueue.load() is None
    batch.queue_file().write_text("{not json", encoding="utf-8")
    assert BatchQueue.load() is None
    with pytest.raises(UsageError):
        BatchQueue("paint")


def test_autosave_round_trip() -> None:
    slot = Autosave()
    assert slot.load("draft") is None
    slot.save("draft", {"points": "Budget up 5%", "output": "Dear colleagues,"})
    saved = slot.load("draft")
    assert saved is not None and saved.fields["output"] == "Dear colleagues," and saved.saved_at > 0
    slot.save("draft", {"points": " ", "output": ""})  # nothing left: the slot goes
    assert slot.load("draft") is None
    with pytest.raises(ValueError):
        slot.save("../x", {"a": "b"})


def test_work_meter() -> None:
    assert remaining_seconds(0, 10, 5.0) is None
    assert remaining_seconds(2, 10, 10.0) == pytest.approx(40.0)
    assert remaining_seconds(10, 10, 10.0) == 0.0
    assert format_duration(75) == "1:15" and format_duration(3725) == "1:02:05"
    assert input_budget("summarise", 4096, "medium") == 4096 - 600 - 200
    small = context_fit("summarise", "word " * 100, 4096)
    assert small.fits and not small.exact and 0 < small.share < 1
    big = context_fit("summarise", "詞" * 5000, 4096, count=len)
    assert big.exact and big.tokens == 5000 and not big.fits
    assert context_fit("translate", "詞" * 5000, 4096).fits  # translated block by block
    assert context_fit("summarise", "x", 0).fits and not context_fit("summarise", "x", 0).known

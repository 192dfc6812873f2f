"""A batch over the real starter model: runs, is stopped, the window restarts, it finishes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from hkpilot.app.batch import DONE, PENDING, BatchQueue
from hkpilot.app.history import History
from tests.gui.conftest import open_real_window

pytestmark = [pytest.mark.gui, pytest.mark.model, pytest.mark.slow]

FILES = (
    ("The office is closed today.",),
    tuple(f"Paragraph {i}: the library will open at nine and close at five on weekdays." for i in range(1, 7)),
    ("The meeting starts at ten.",),
)
"""Three notices; the second is long enough that Stop lands in the middle of it."""


def test_batch_runs_stops_restarts_and_finishes(qtbot, starter_model: Path, qm_catalogue: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for i, paragraphs in enumerate(FILES, 1):
        (folder / f"n{i}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    window, session = open_real_window(qtbot, starter_model, n_ctx=2048)
    pane = window.batch_pane
    pane.add_paths([folder])
    assert len(pane.queue.items) == 3
    pane.run_button.click()
    qtbot.waitUntil(lambda: pane.queue.count(DONE) == 1, timeout=180_000)
    qtbot.waitUntil(lambda: pane._current == 1, timeout=10_000)
    pane.stop_button.click()  # stop in the middle of the second file
    qtbot.waitUntil(lambda: not pane.busy, timeout=10_000)
    assert [i.status for i in pane.queue.items] == [DONE, PENDING, PENDING]
    first_output = Path(pane.queue.items[0].output)
    assert first_output.is_file() and not (folder / "n2.zh-HK.docx").exists()
    first_written = first_output.stat().st_mtime_ns
    window.close()
    window.runner.shutdown(wait=True)
    session.close()

    window, session = open_real_window(qtbot, starter_model, n_ctx=2048)  # a restart: the queue comes back from disk
    pane = window.batch_pane
    assert "unfinished" in window.message_bar.text and pane.run_button.text() == "Resume"
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.busy, timeout=300_000)
    assert window.message_bar.level != "error", window.message_bar.text
    assert [i.status for i in pane.queue.items] == [DONE, DONE, DONE]
    for item in pane.queue.items:
        text = " ".join(p.text for p in docx.Document(item.output).paragraphs)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (item.name, text)
    assert Path(pane.queue.items[0].output) == first_output  # done files are not redone
    assert first_output.stat().st_mtime_ns == first_written
    assert pane.summary_label.text().startswith("3 done, 0 failed, 0 waiting")
    table = pane.table  # the summary table: a row per file with its status, blocks, share read and output
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [row[0] for row in rows] == ["n1.txt", "n2.txt", "n3.txt"]
    assert all(row[1] == "Done" and row[3] == "100%" for row in rows), rows
    assert [row[2] for row in rows] == [f"{len(f)}/{len(f)}" for f in FILES], rows
    assert [row[5] for row in rows] == [Path(i.output).name for i in pane.queue.items], rows
    saved = BatchQueue.load()
    assert saved is not None and not saved.unfinished
    jobs = [j for j in History().jobs() if j.options.get("batch") == "1"]
    assert sorted(j.status for j in jobs) == ["cancelled", "succeeded", "succeeded", "succeeded"]
    window.runner.shutdown(wait=True)
    session.close()

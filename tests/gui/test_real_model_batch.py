"""A batch over the real starter model: runs, is stopped, the window restarts, it finishes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtWidgets import QApplication

from hkpilot.app.batch import DONE, PENDING, BatchQueue
from hkpilot.app.history import History
from hkpilot.app.session import Session
from hkpilot.config.settings import Settings
from hkpilot.gui.app import create_main_window
from hkpilot.gui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.model, pytest.mark.slow]

SENTENCES = ("The office is closed today.", "Please call 2123 4567.", "The meeting starts at ten.")


def real_window(qtbot, starter_model: Path) -> tuple[MainWindow, Session]:  # type: ignore[no-untyped-def]
    settings = Settings()
    settings.set("local.model_path", str(starter_model))
    settings.set("local.n_ctx", 2048)
    session = Session(settings)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = create_main_window(session, app)
    qtbot.addWidget(window)
    window.show()
    return window, session


def test_batch_runs_stops_restarts_and_finishes(qtbot, starter_model: Path, qm_catalogue: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for i, text in enumerate(SENTENCES, 1):
        (folder / f"n{i}.txt").write_text(text + "\n", encoding="utf-8")
    window, session = real_window(qtbot, starter_model)
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
    window.close()
    window.runner.shutdown(wait=True)
    session.close()

    window, session = real_window(qtbot, starter_model)  # a restart: the queue comes back from disk
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
    assert pane.summary_label.text().startswith("3 done, 0 failed, 0 waiting")
    saved = BatchQueue.load()
    assert saved is not None and not saved.unfinished
    jobs = [j for j in History().jobs() if j.options.get("batch") == "1"]
    assert sorted(j.status for j in jobs) == ["cancelled", "succeeded", "succeeded", "succeeded"]
    window.runner.shutdown(wait=True)
    session.close()

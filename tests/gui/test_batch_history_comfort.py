"""Batch (stop after a file, stop now, resume after a restart), history without content,
export/copy/undo, autosave after a crash, the context meter's choice, text size, accessibility."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QMessageBox, QWidget

from hkpilot.app.batch import DONE, PENDING, BatchQueue
from hkpilot.app.history import History
from hkpilot.gui import file_dialogs
from hkpilot.gui.main_window import MainWindow
from tests.gui.conftest import drop_files
from tests.gui.fake_session import FakeSession

pytestmark = pytest.mark.gui

SECRET = "Confidential: the Director will retire in March"


def new_window(qtbot, session: FakeSession) -> MainWindow:  # type: ignore[no-untyped-def]
    from hkpilot.gui.app import create_main_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    win = create_main_window(session, app)
    qtbot.addWidget(win)
    win.show()
    return win


def text_files(folder: Path, count: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        path = folder / f"notice-{i + 1}.txt"
        path.write_text(f"Notice {i + 1}\nThe office closes at noon.\nCall 2123 456{i}.", encoding="utf-8")
        files.append(path)
    return files


def test_batch_stops_after_a_file_and_resumes_after_a_restart(qtbot, qm_catalogue: Path, tmp_path: Path) -> None:
    files = text_files(tmp_path / "in")
    first = new_window(qtbot, FakeSession(delay=0.03))
    pane = first.batch_pane
    first.tabs.setCurrentWidget(pane)
    assert drop_files(pane.table.viewport(), [tmp_path / "in"])  # a whole folder, dropped
    assert [Path(i.path).name for i in pane.queue.items] == [f.name for f in files]
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("zh-Hans"))
    pane.run_button.click()
    qtbot.waitUntil(lambda: pane._current == 0, timeout=5000)
    pane.stop_after_button.click()  # Stop after this file
    assert not pane.stop_after_button.isEnabled()
    qtbot.waitUntil(lambda: not pane.busy, timeout=10_000)
    assert [i.status for i in pane.queue.items] == [DONE, PENDING, PENDING]
    assert "Resume" in first.message_bar.text and pane.run_button.text() == "Resume"
    assert (tmp_path / "in" / "notice-1.zh-Hans.docx").is_file()
    assert not pane.target_combo.isEnabled()  # the options stay those the batch began with

    first.close()
    first.runner.shutdown(wait=True)
    second = new_window(qtbot, FakeSession(delay=0.03))  # "after a restart"
    again = second.batch_pane
    assert "unfinished" in second.message_bar.text
    assert again.run_button.text() == "Resume" and again.queue.count(PENDING) == 2
    again.run_button.click()
    qtbot.waitUntil(lambda: again._current == 1, timeout=5000)
    again.stop_button.click()  # Stop now: the file being worked on waits again
    qtbot.waitUntil(lambda: not again.busy, timeout=5000)
    assert [i.status for i in again.queue.items] == [DONE, PENDING, PENDING]
    assert BatchQueue.load() is not None and BatchQueue.load().count(PENDING) == 2  # type: ignore[union-attr]

    again.run_button.click()
    qtbot.waitUntil(lambda: not again.busy and again.queue.count(DONE) == 3, timeout=10_000)
    outputs = [Path(i.output) for i in again.queue.items]
    assert [p.name for p in outputs] == [f"notice-{n}.zh-Hans.docx" for n in (1, 2, 3)]
    assert all(p.is_file() for p in outputs)
    assert docx.Document(str(outputs[2])).paragraphs[0].text == "NOTICE 3"
    assert again.summary_label.text().startswith("3 done, 0 failed, 0 waiting")
    assert again.table.item(2, 1).text() == "Done" and again.table.item(2, 5).text() == outputs[2].name
    assert [f.read_text(encoding="utf-8").startswith("Notice") for f in files] == [True] * 3  # sources untouched
    jobs = History().jobs()
    assert len([j for j in jobs if j.options.get("batch") == "1" and j.status == "succeeded"]) == 3
    second.runner.shutdown(wait=True)


def test_history_records_jobs_without_content_and_reruns(qtbot, window: MainWindow, sample_docx: Path) -> None:
    draft = window.draft_pane
    draft.points_edit.setPlainText(SECRET)
    draft.run()
    qtbot.waitUntil(lambda: not draft.busy and draft.has_output(), timeout=5000)
    pane = window.translate_pane
    pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy and pane.output_path is not None, timeout=5000)

    history = History()
    jobs = history.jobs()
    assert [(j.task, j.status) for j in jobs] == [("translate", "succeeded"), ("draft", "succeeded")]
    assert jobs[0].source == str(sample_docx) and jobs[0].output == str(pane.output_path)
    assert jobs[0].engine == "Local · fake-model.gguf" and jobs[0].options["target"] == "zh-HK"
    assert all(j.content is None for j in jobs)
    assert SECRET.encode() not in history.path.read_bytes()
    with sqlite3.connect(history.path) as db:
        assert not any("Director" in str(row) for row in db.execute("SELECT * FROM jobs"))
    assert history.recent_files() == [sample_docx]

    hist = window.history_pane
    window.tabs.setCurrentWidget(hist)
    assert hist.table.rowCount() == 2 and hist.table.item(0, 1).text() == "Translate"
    hist.table.selectRow(1)
    hist.rerun_button.click()  # the draft: its key points were not kept
    assert "not kept" in window.message_bar.text
    hist.table.selectRow(0)
    assert hist.open_output_button.isEnabled()
    calls = len(window.session.calls)  # type: ignore[attr-defined]
    hist.rerun_button.click()  # the translation: same file, same choices, run again
    qtbot.waitUntil(lambda: len(window.session.calls) > calls and not pane.busy, timeout=5000)  # type: ignore[attr-defined]
    assert window.tabs.currentWidget() is pane
    hist.refresh()
    hist.table.selectRow(0)
    hist.delete_button.click()
    assert len(History().jobs()) == 2


def test_history_keeps_text_only_when_opted_in(qtbot, window: MainWindow) -> None:
    window.session.settings.set("history.store_content", True)
    draft = window.draft_pane
    draft.points_edit.setPlainText(SECRET)
    draft.run()
    qtbot.waitUntil(lambda: not draft.busy and draft.has_output(), timeout=5000)
    (job,) = History().jobs()
    assert job.content == "MEMO " + " ".join(SECRET.split())
    window.session.settings.set("history.store_content", False)
    window.extras.settings_changed()  # the opt-in turned off: kept texts go
    assert History().jobs()[0].content is None


def test_history_shows_the_engine_in_the_language_of_the_day(qtbot, window: MainWindow) -> None:
    """A job recorded in English reads "本機 · …" in Chinese, and back; the long label fits or is elided."""
    history = History()
    history.finish_job(history.start_job("summarise", "a.docx", {}, "Local · fake-model.gguf"), "succeeded")
    history.finish_job(history.start_job("summarise", "b.docx", {}, "伺服器 · https://llm.example · m"), "succeeded")
    hist = window.history_pane
    window.tabs.setCurrentWidget(hist)
    engines = lambda: [hist.table.item(r, 3).text() for r in range(hist.table.rowCount())]  # noqa: E731
    assert engines() == ["Server · https://llm.example · m", "Local · fake-model.gguf"]
    assert "Local · fake-model.gguf" in hist.table.item(1, 3).toolTip()  # the whole label, when elided
    window.switch_language("zh-HK")
    qtbot.waitUntil(lambda: engines() == ["伺服器 · https://llm.example · m", "本機 · fake-model.gguf"], timeout=3000)
    assert not hist.table.wordWrap()


def test_latin_text_keeps_the_system_font_and_chinese_falls_back(qtbot, window: MainWindow) -> None:
    """The system font can be an alias ("Sans Serif"); it is resolved, so English is not drawn in the CJK font."""
    from PySide6.QtGui import QFontInfo, QTextLayout

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    assert QFontInfo(font).family() == font.families()[0] != "WenQuanYi Micro Hei"

    def drawn_with(text: str) -> set[str]:
        layout = QTextLayout(text, font)
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        return {run.rawFont().familyName() for run in layout.glyphRuns()}

    assert drawn_with("Open file…") == {font.families()[0]}  # Latin and "…" in the UI font
    assert drawn_with("開啟檔案") == {"WenQuanYi Micro Hei"}  # Han in the Traditional Chinese fallback


def test_export_copy_and_undo(qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pane = window.draft_pane
    pane.output_view.setPlainText("Heading line\n- first point\n- second point\n繁體中文段落")
    for suffix in (".txt", ".docx", ".pdf"):
        target = tmp_path / f"out{suffix}"
        monkeypatch.setattr(file_dialogs, "ask_export_path", lambda parent, suggested, t=target: t)
        window.extras.export_action.trigger()
        qtbot.waitUntil(target.is_file, timeout=10_000)
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith("Heading line\n- first point")
    paragraphs = docx.Document(str(tmp_path / "out.docx")).paragraphs
    assert [p.style.name for p in paragraphs[:3]] == ["Normal", "List Bullet", "List Bullet"]
    from pypdf import PdfReader

    assert "繁體中文段落" in PdfReader(str(tmp_path / "out.pdf")).pages[0].extract_text()

    window.extras.copy_output_action.trigger()
    assert QApplication.clipboard().text().endswith("繁體中文段落")
    pane.output_view.selectAll()
    pane.output_view.insertPlainText("replaced")
    window.extras.undo_action.trigger()
    assert pane.output_view.toPlainText().startswith("Heading line")
    window.extras.redo_action.trigger()
    assert pane.output_view.toPlainText() == "replaced"


def test_autosaved_draft_comes_back_after_a_crash(qtbot, qm_catalogue: Path) -> None:
    first = new_window(qtbot, FakeSession())
    first.draft_pane.points_edit.setPlainText("Budget up 5%")
    first.draft_pane.output_view.setPlainText("Dear colleagues, the budget rises.")
    qtbot.waitUntil(lambda: first.draft_pane.autosave.load("draft") is not None, timeout=5000)  # after a pause
    # a crash: the window is gone without saving anything
    second = new_window(qtbot, FakeSession())
    assert second.draft_pane.points_edit.toPlainText() == "Budget up 5%"
    assert second.draft_pane.output_view.toPlainText() == "Dear colleagues, the budget rises."
    assert "restored" in second.message_bar.text
    first.runner.shutdown(wait=True)
    second.runner.shutdown(wait=True)


def test_context_meter_offers_a_choice_when_a_summary_does_not_fit(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.session.settings.set("local.n_ctx", 512)  # no model file: the meter reckons with the setting
    long_text = tmp_path / "long.txt"
    long_text.write_text("\n".join(f"Paragraph {i}: the committee reviewed the estimates." for i in range(80)),
                         encoding="utf-8")
    pane = window.summarise_pane
    window.tabs.setCurrentWidget(pane)
    pane.open_path(long_text)
    qtbot.waitUntil(lambda: pane.meter.fit is not None, timeout=5000)
    fit = pane.meter.fit
    assert fit is not None and not fit.fits and fit.budget == 512 - 128 - 200
    assert "too long for one pass" in pane.meter.label.text()
    pane.run_button.click()
    box = pane.fit_question
    assert isinstance(box, QMessageBox) and box.isVisible() and not pane.busy
    larger = next(b for b in box.buttons() if b.text() == "Choose a larger context…")
    larger.click()
    qtbot.waitUntil(lambda: getattr(window.extras, "model_manager", None) is not None, timeout=3000)
    window.extras.model_manager.reject()
    pane.run_button.click()
    parts = next(b for b in pane.fit_question.buttons() if b.text() == "Summarise in parts")
    parts.click()
    qtbot.waitUntil(lambda: not pane.busy and pane.has_output(), timeout=5000)


def test_text_size_follows_the_person(qtbot, window: MainWindow) -> None:
    from hkpilot.gui import appearance

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    system = appearance.system_text_size()
    try:
        window.extras.larger_action.trigger()
        window.extras.larger_action.trigger()
        assert app.font().pointSizeF() == round(system) + 2
        assert window.session.settings.get("ui.text_size") == round(system) + 2
        assert "WenQuanYi Micro Hei" in app.font().families()  # the CJK fallback of this machine
    finally:
        window.extras.normal_size_action.trigger()
    assert app.font().pointSizeF() == system and window.session.settings.get("ui.text_size") == 0


def _unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for w in [root, *root.findChildren(QWidget)]:
        if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or not w.isVisibleTo(root) or w.accessibleName():
            continue
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue  # a button's text is its accessible name
        if isinstance(w.parent(), QAbstractSpinBox):
            continue  # a spin box's inner line edit: the spin box carries the name
        missing.append(f"{type(w).__name__} {w.objectName()}")
    return missing


def test_every_control_has_an_accessible_name(qtbot, window: MainWindow, sample_docx: Path) -> None:
    window.translate_pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: window.translate_pane.document is not None, timeout=5000)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert _unnamed_controls(window) == [], window.tabs.tabText(index)
    settings = window.open_settings()
    manager = window.extras.open_model_manager()
    shortcuts = window.extras.show_shortcuts()
    for dialog in (settings, manager, shortcuts):
        assert _unnamed_controls(dialog) == [], dialog.windowTitle()
    assert window.translate_pane.run_button.accessibleDescription()
    keys = {a.text().replace("&", ""): a.shortcut().toString() for a in window.actions() if a.shortcuts()}
    for name in ("Export…", "Copy output", "Undo", "Model manager…", "Larger text", "Keyboard shortcuts", "Batch",
                 "Stop after this file", "Add files to batch…"):
        assert keys.get(name), name
    assert shortcuts.findChild(QWidget).__class__.__name__  # the list of keys is shown
    for dialog in (settings, manager, shortcuts):
        dialog.reject()

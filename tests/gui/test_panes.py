"""The panes driven like a person would: drop a file, run, stop, save."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from hkpilot.gui import file_dialogs
from hkpilot.gui.main_window import MainWindow
from tests.gui.conftest import drop_files, translate_then_edit
from tests.gui.fake_session import FakeSession

pytestmark = pytest.mark.gui


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_dropping_a_docx_on_the_translate_pane_shows_its_text(qtbot, window: MainWindow, sample_docx: Path) -> None:
    pane = window.translate_pane
    window.tabs.setCurrentWidget(pane)
    assert not pane.run_button.isEnabled()
    assert drop_files(pane, [sample_docx])
    qtbot.waitUntil(lambda: pane.document is not None or bool(window.message_bar.text), timeout=5000)
    assert window.message_bar.text == ""
    assert "Offices close at noon" in pane.source_view.toPlainText()
    assert pane.source_view.isReadOnly()
    assert pane.file_label.text() == "notice.docx"
    assert pane.run_button.isEnabled() and not pane.stop_button.isEnabled()


def test_dropping_on_the_window_opens_in_the_current_pane(qtbot, window: MainWindow, sample_docx: Path) -> None:
    window.tabs.setCurrentWidget(window.summarise_pane)
    assert drop_files(window, [sample_docx])
    qtbot.waitUntil(lambda: window.summarise_pane.document is not None, timeout=5000)


def test_dropping_on_the_output_box_opens_instead_of_pasting(qtbot, window: MainWindow, sample_docx: Path) -> None:
    pane = window.summarise_pane
    assert drop_files(pane.output_view.viewport(), [sample_docx])
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    assert pane.output_view.toPlainText() == ""


def test_unsupported_files_are_not_accepted_by_drop(window: MainWindow, tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG")
    assert not drop_files(window.translate_pane, [image])


def test_translate_streams_and_saves_the_job_file(
    qtbot, window: MainWindow, session: FakeSession, sample_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.translate_pane
    pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("zh-Hans"))
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.busy, timeout=5000)
    assert "OFFICES CLOSE AT NOON" in pane.output_view.toPlainText()
    assert session.calls[-1][0] == "translate" and session.calls[-1][1][1] == "zh-Hans"
    assert pane.output_path is not None and pane.output_path.is_file()
    assert not pane.output_view.isReadOnly()

    destination = tmp_path / "out" / "notice-zh.docx"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda parent, suggested, suffix=".docx": destination)
    assert pane.save_button.isEnabled()
    pane.save_button.click()
    qtbot.waitUntil(destination.is_file, timeout=5000)
    assert docx_paragraphs(destination)[1] == "OFFICES CLOSE AT NOON ON 24 DECEMBER."
    assert sample_docx.is_file() and docx_paragraphs(sample_docx)[1] == "Offices close at noon on 24 December."


def test_edited_translation_is_saved_as_edited(
    qtbot, window: MainWindow, sample_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.translate_pane
    translate_then_edit(qtbot, pane, sample_docx, "Edited line one\nEdited line two")  # as if typed
    destination = tmp_path / "edited.docx"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda parent, suggested, suffix=".docx": destination)
    pane.save_as_docx()
    qtbot.waitUntil(destination.is_file, timeout=5000)
    assert docx_paragraphs(destination) == ["Edited line one", "Edited line two"]
    qtbot.waitUntil(lambda: "plain paragraphs" in window.message_bar.text, timeout=2000)


def test_stop_really_cancels_and_buttons_follow(qtbot, qm_catalogue: Path, sample_docx: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from hkpilot.gui.app import create_main_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    slow = FakeSession(delay=0.01, endless=True)
    window = create_main_window(slow, app)
    qtbot.addWidget(window)
    pane = window.summarise_pane
    pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    pane.run_button.click()
    qtbot.waitUntil(lambda: pane.has_output(), timeout=5000)
    assert pane.busy
    assert not pane.run_button.isEnabled() and pane.stop_button.isEnabled() and not pane.save_button.isEnabled()
    assert pane.output_view.isReadOnly()
    handle = pane.handle
    assert handle is not None
    pane.stop_button.click()
    assert handle.cancel_token.cancelled
    qtbot.waitUntil(lambda: not pane.busy, timeout=500)
    assert pane.run_button.isEnabled() and not pane.stop_button.isEnabled() and pane.save_button.isEnabled()
    assert "Stopped" in window.message_bar.text
    window.runner.shutdown(wait=True)


def test_summary_shows_result_coverage_and_saves_docx(
    qtbot, window: MainWindow, session: FakeSession, sample_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.summarise_pane
    pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    pane.length_combo.setCurrentIndex(pane.length_combo.findData("short"))
    pane.language_combo.setCurrentIndex(pane.language_combo.findData("zh-HK"))
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy, timeout=5000)
    assert pane.output_view.toPlainText().startswith("Summary:")
    assert session.calls[-1] == ("summarise", (sample_docx, "short", "zh-HK"))
    assert "50%" in window.message_bar.text
    assert window.rate_label.text() == "42.0 tokens/s"

    destination = tmp_path / "summary.docx"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda parent, suggested, suffix=".docx": destination)
    window.tabs.setCurrentWidget(pane)
    window.save_action.trigger()
    qtbot.waitUntil(destination.is_file, timeout=5000)
    assert docx_paragraphs(destination) == [pane.output_view.toPlainText()]


def test_model_output_is_shown_as_plain_text(qtbot, window: MainWindow) -> None:
    pane = window.draft_pane
    pane.points_edit.setPlainText('<b>bold</b> <a href="http://x">link</a>')
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy, timeout=5000)
    assert "<b>bold</b>" in pane.output_view.toPlainText()


def test_draft_with_references_and_save(
    qtbot, window: MainWindow, session: FakeSession, sample_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.draft_pane
    assert not pane.run_button.isEnabled()
    pane.type_combo.setCurrentIndex(pane.type_combo.findData("legco-reply"))
    pane.language_combo.setCurrentIndex(pane.language_combo.findData("zh-HK"))
    pane.points_edit.setPlainText("Budget up 5%\nReview in March")
    assert pane.run_button.isEnabled()
    assert drop_files(pane, [sample_docx])
    qtbot.waitUntil(lambda: pane.reference_list.count() == 1, timeout=5000)
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy, timeout=5000)
    name, args = session.calls[-1]
    assert name == "draft" and args[:2] == ("legco-reply", "zh-HK") and args[3] == (sample_docx,)
    assert pane.output_view.toPlainText() == "MEMO Budget up 5% Review in March"

    destination = tmp_path / "reply.docx"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda parent, suggested, suffix=".docx": destination)
    pane.save_as_docx()
    qtbot.waitUntil(destination.is_file, timeout=5000)
    assert docx_paragraphs(destination) == ["MEMO Budget up 5% Review in March"]

    pane.reference_list.setCurrentRow(0)
    pane.remove_reference_button.click()
    assert pane.references == [] and pane.reference_list.count() == 0


def test_rewrite_replaces_the_selection(qtbot, window: MainWindow, session: FakeSession) -> None:
    pane = window.draft_pane
    pane.output_view.setPlainText("Keep this. Change this part. Keep too.")
    cursor = pane.output_view.textCursor()
    start = pane.output_view.toPlainText().index("Change")
    cursor.setPosition(start)
    cursor.setPosition(start + len("Change this part."), cursor.MoveMode.KeepAnchor)
    pane.output_view.setTextCursor(cursor)
    assert all(b.isVisible() and b.isEnabled() for b in pane.rewrite_buttons)
    pane.rewrite_buttons[0].click()
    qtbot.waitUntil(lambda: not pane.busy, timeout=5000)
    assert pane.output_view.toPlainText() == "Keep this. REWRITTEN Keep too."
    assert session.calls[-1] == ("rewrite", ("Change this part.", "shorter", "en"))


def test_rewrite_buttons_hidden_without_rewrite_job(qtbot) -> None:
    window = MainWindow(FakeSession())
    qtbot.addWidget(window)
    assert not hasattr(window.session, "rewrite_job")
    assert not any(b.isVisibleTo(window) for b in window.draft_pane.rewrite_buttons)

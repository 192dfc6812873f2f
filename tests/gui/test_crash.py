"""The crash path: logs the stack without document text, keeps output, no modal in tests."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hkpilot.errors import DocumentEmpty
from hkpilot.gui.crash import CrashDialog, CrashHandler, describe_unexpected, no_modal
from hkpilot.gui.main_window import MainWindow

pytestmark = pytest.mark.gui

SECRET = "Confidential: the Secretary will announce the budget cut"


def raise_and_capture(exc: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise exc
    except BaseException:  # noqa: BLE001
        info = sys.exc_info()
    assert info[0] is not None and info[1] is not None
    return info[0], info[1], info[2]


def test_details_hold_the_stack_but_not_the_message() -> None:
    exc_type, exc, tb = raise_and_capture(ValueError(SECRET))
    details = describe_unexpected(exc_type, exc, tb)  # type: ignore[arg-type]
    assert "builtins.ValueError" in details
    assert "raise_and_capture" in details
    assert SECRET not in details


def test_hkpilot_errors_keep_their_message() -> None:
    exc_type, exc, tb = raise_and_capture(DocumentEmpty(name="memo.docx"))
    details = describe_unexpected(exc_type, exc, tb)  # type: ignore[arg-type]
    assert "[document.empty]" in details and "memo.docx" in details


def test_excepthook_logs_saves_output_and_shows_no_modal(qtbot, window: MainWindow, caplog, capsys) -> None:
    assert no_modal()
    window.draft_pane.output_view.setPlainText("Draft that must survive")
    handler = CrashHandler(window.save_unsaved_output, window)
    handler.install()
    try:
        assert sys.excepthook is handler
        with caplog.at_level(logging.CRITICAL, logger="hkpilot.gui.crash"):
            handler(*raise_and_capture(RuntimeError(SECRET)))  # type: ignore[arg-type]
    finally:
        handler.uninstall()
    assert sys.excepthook is not handler
    assert "builtins.RuntimeError" in caplog.text and SECRET not in caplog.text
    assert SECRET not in capsys.readouterr().err
    assert QApplication.activeModalWidget() is None
    saved = list(Path(window.save_unsaved_output()).glob("*-draft.txt"))
    assert saved and saved[0].read_text(encoding="utf-8") == "Draft that must survive"


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_reaches_the_hook(qtbot, window: MainWindow) -> None:
    calls: list[str] = []

    def save() -> str:
        calls.append("saved")
        return ""

    def broken_slot() -> None:
        raise KeyError(SECRET)

    handler = CrashHandler(save, window)
    handler.install()
    try:
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(handler.last_details), timeout=3000)
    finally:
        handler.uninstall()
    assert calls == ["saved"]
    assert "builtins.KeyError" in handler.last_details and "broken_slot" in handler.last_details
    assert SECRET not in handler.last_details


def test_crash_dialog_copies_details_and_stays_open(qtbot) -> None:
    dialog = CrashDialog("Traceback: details", saved_to="/tmp/recovery")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "/tmp/recovery" in dialog.message_label.text()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "Traceback: details"
    assert dialog.isVisible()
    assert dialog.copy_button.text() == "Copied"
